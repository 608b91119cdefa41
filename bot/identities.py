"""Platform user ids resolved at run time by email, cached in the database over the directory's own ids."""

from __future__ import annotations

import threading
from collections.abc import Callable

from bot.directory import Directory, Person
from bot.directory_sync import DirectorySource
from bot.storage.identities import Identity, IdentityStore

# what a platform says about one of its users: (email or None, display name)
Lookup = Callable[[], tuple[str | None, str]]
EmailLookup = Callable[[str], str | None]  # email -> the platform's user id, or None


class Identities:
    """Who a platform user is when the directory file does not name their id: asked once per process
    (by email), remembered in the database, forgotten when the id stops working."""

    def __init__(self, directory: Directory, store: IdentityStore) -> None:
        self.directory = directory
        self.store = store
        self._asked: set[tuple[str, str]] = set()
        self._emails: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()
        for identity in store.all():
            if identity.email:
                directory.learn(identity.platform, identity.user_id, identity.email)
                self._emails[(identity.platform, identity.user_id)] = identity.email
            self._asked.add((identity.platform, identity.user_id))

    def should_ask(self, platform: str, user_id: str) -> bool:
        """Whether the platform should be asked who `user_id` is (unknown and not asked before)."""
        if self.directory.person_for(platform, user_id) is not None:
            return False
        with self._lock:
            return (platform, user_id) not in self._asked

    def resolve(self, platform: str, user_id: str, lookup: Lookup) -> Person | None:
        """The directory person for a platform user, asking the platform for their email the first time."""
        person = self.directory.person_for(platform, user_id)
        if person is not None:
            return person
        with self._lock:
            if (platform, user_id) in self._asked:
                return None
            self._asked.add((platform, user_id))
        email, name = lookup()
        if email:
            with self._lock:
                self._emails[(platform, user_id)] = email
        person = self.directory.learn(platform, user_id, email)
        self.store.save(Identity(platform, user_id, email, name, person.id if person else None))
        return person

    def email_of(self, platform: str, user_id: str) -> str | None:
        """The email the platform gave for `user_id` (also for people in no directory entry)."""
        with self._lock:
            return self._emails.get((platform, user_id))

    def platform_id(self, person_id: str, platform: str, lookup: EmailLookup) -> str | None:
        """The person's platform id: from the file or the cache, else looked up by their email."""
        known = self.directory.platform_id(person_id, platform)
        person = self.directory.people.get(person_id)
        if known or person is None or not person.email:
            return known
        user_id = lookup(person.email)
        if user_id:
            self.remember(person, platform, user_id)
        return user_id

    def remember(self, person: Person, platform: str, user_id: str, name: str | None = None) -> None:
        """`user_id` on `platform` is `person`, found by their email: known from now on (also after a
        restart) until it fails."""
        self.directory.learn(platform, user_id, person.email)
        self.store.save(Identity(platform, user_id, person.email, name or person.name, person.id))
        with self._lock:
            self._asked.add((platform, user_id))
            if person.email:
                self._emails[(platform, user_id)] = person.email

    def failed(self, platform: str, user_id: str) -> list[str]:
        """A cached id stopped working (user not found, cannot DM): it and the person's other ids learned
        on that platform (a Teams AAD id) are forgotten, so the person is looked up again next time.
        Returns the ids forgotten: none when `user_id` was not learned at run time (the file's ids stay)."""
        person_id = self.directory.learned.get((platform, user_id))
        if person_id is None:
            return []
        gone = [
            uid
            for (plat, uid), pid in list(self.directory.learned.items())
            if (plat, pid) == (platform, person_id)
        ]
        for uid in gone:
            self.directory.forget(platform, uid)
            self.store.forget(platform, uid)
            with self._lock:
                self._asked.discard((platform, uid))
        return gone

    def refresh_groups(self, source: DirectorySource) -> dict[str, int]:
        """Read the members of every team's platform group (its Slack user group / Teams team) into the
        directory, matching people by platform id or email; returns team -> people found."""
        users = {u.id: u for u in source.users()}
        found: dict[str, int] = {}
        for team_id, contact in self.directory.teams.items():
            group = contact.slack_usergroup if source.platform == "slack" else contact.teams_team
            member_ids = source.group_members(group) if group else None
            if member_ids is None:
                continue
            people = set()
            for user_id in member_ids:
                user = users.get(user_id)
                if user is None or user.deleted or user.bot:
                    continue
                person = self.directory.person_for(source.platform, user_id)
                if person is None and (person := self.directory.learn(source.platform, user_id, user.email)):
                    # only matches are kept: the cache's unmatched rows are people who used the bot
                    self.store.save(Identity(source.platform, user_id, user.email, user.name, person.id))
                if person is not None:
                    people.add(person.id)
            self.directory.platform_members[(source.platform, team_id)] = frozenset(people)
            found[team_id] = len(people)
        return found
