"""Platform user ids resolved at run time by email, cached in the database over the directory's own ids."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.directory import Directory, Person
from bot.directory_sync import DirectorySource
from bot.storage.database import connection_lock, to_iso, utc_now, write_transaction

# what a platform says about one of its users: (email or None, display name)
Lookup = Callable[[], tuple[str | None, str]]
EmailLookup = Callable[[str], str | None]  # email -> the platform's user id, or None


@dataclass(frozen=True)
class Identity:
    """A platform user seen by the bot; `person_id` None when the directory has nobody with that email."""

    platform: str
    user_id: str
    email: str | None
    name: str
    person_id: str | None


class SqliteIdentityStore:
    """platform_identities on the rolebot database."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.clock = clock

    def save(self, identity: Identity) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO platform_identities (platform, user_id, email, name, person_id, seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, user_id) DO UPDATE SET"
                " email = excluded.email, name = excluded.name, person_id = excluded.person_id,"
                " seen_at = excluded.seen_at",
                [*_row(identity), to_iso(self.clock())],
            )

    def forget(self, platform: str, user_id: str) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "DELETE FROM platform_identities WHERE platform = ? AND user_id = ?", [platform, user_id]
            )

    def all(self, platform: str | None = None) -> list[Identity]:
        with connection_lock(self.db):
            rows = self.db.execute(
                "SELECT platform, user_id, email, name, person_id FROM platform_identities"
                " WHERE ? IS NULL OR platform = ? ORDER BY platform, user_id",
                [platform, platform],
            ).fetchall()
        return [Identity(*row) for row in rows]


def _row(identity: Identity) -> list[str | None]:
    return [identity.platform, identity.user_id, identity.email, identity.name, identity.person_id]


class Identities:
    """Who a platform user is when the directory file does not name their id: asked once per process
    (by email), remembered in the database, forgotten when the id stops working."""

    def __init__(self, directory: Directory, store: SqliteIdentityStore) -> None:
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
