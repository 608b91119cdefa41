"""SlackNotifier: delivers outbox notices on Slack: escalation cards posted once, then updated, and DMs."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.directory import Directory
from bot.escalations.delivery import Undeliverable
from bot.escalations.models import Actor, Escalation
from bot.escalations.notices import Notice
from bot.i18n import t
from bot.identities import Identities
from bot.knowledge import KnowledgeBase
from bot.markup import slack_escape
from bot.storage.refs import SlackRefStore
from handlers.slack.dms import GONE_USER_ERRORS, DmChannels, SlackPeopleIds, api_error
from handlers.slack.render import blocks

if TYPE_CHECKING:
    from bot.conversation.watchers import Watchers

log = logging.getLogger(__name__)
# Slack's answers that retrying cannot change: fall back at once.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "account_inactive",
        "invalid_auth",
    }
)
DM_KEYS = {
    "created": "slack-dm-created",
    "acknowledged": "slack-dm-acknowledged",
    "resolved": "slack-dm-resolved",
    "reassigned": "slack-dm-reassigned",
    "cancelled": "slack-dm-cancelled",
    "reopened": "slack-dm-reopened",
    "commented": "slack-dm-commented",
    "bumped": "slack-dm-bumped",
}
NOTE_KEYS = {
    "acknowledged": "slack-note-acknowledged",
    "resolved": "slack-note-resolved",
    "reassigned": "slack-note-reassigned",
    "cancelled": "slack-note-cancelled",
    "reopened": "slack-note-reopened",
}


def mention(actor_key: str | None) -> str:
    """'slack:U1' -> '<@U1>'; other platforms by their id; the sweep as 'rolebot'."""
    if not actor_key:
        return "rolebot"
    platform, _, user = actor_key.partition(":")
    if platform == "slack":
        return f"<@{user}>"
    return "rolebot" if platform == "system" else slack_escape(user)


def actor_mention(actor: Actor | None) -> str:
    """Who acted, as Slack shows it: a mention for Slack users, the name for people elsewhere (CLI, Teams)."""
    if actor is None or actor.platform == "system":
        return "rolebot"
    if actor.platform == "slack":
        return mention(actor.key)
    return slack_escape(actor.display_name or actor.user_id)


class StaleSlackId(RuntimeError):
    """A Slack id learned by email stopped working: forgotten, so a retry looks the person up again."""


class SlackNotifier:
    """The Slack Deliverer (bot.escalations.delivery): renders each outbox notice and sends it. The
    card is posted to the team channel once, then updated in place. Raises to have a notice retried;
    Undeliverable when Slack says retrying cannot help."""

    platform = "slack"

    def __init__(
        self,
        client: WebClient,
        directory: Directory,
        kb: KnowledgeBase,
        refs: SlackRefStore,
        *,
        identities: Identities,
        watchers: Watchers | None = None,
        dm_channels: DmChannels | None = None,
        people: SlackPeopleIds | None = None,
    ) -> None:
        self.watchers = watchers  # teams looped in: their cards, and whom the card offers to loop in
        self.identities = identities
        self.client = client
        self.directory = directory
        self.kb = kb
        self.refs = refs
        self._dm_channels = dm_channels or DmChannels(client)
        # people the file names by email only (shared with the standup prompter)
        self.people = people or SlackPeopleIds(client, identities, self._dm_channels)

    def deliver(self, notice: Notice) -> None:
        try:
            self._deliver(notice)
        except SlackApiError as exc:
            if api_error(exc) in PERMANENT_ERRORS:
                raise Undeliverable(api_error(exc)) from exc
            raise

    def _deliver(self, notice: Notice) -> None:
        outcome, esc = notice.outcome, notice.outcome.escalation
        actor = actor_mention(outcome.actor)
        stale = self.people.stale(notice.to)
        if notice.person and (not notice.to or stale):  # someone known by email only: looked up now
            slack_id = self.person_slack_id(notice.person)
            if not slack_id:
                raise Undeliverable(f"no Slack account found for {notice.person}")
            notice = replace(notice, to=slack_id)
        if notice.kind == "card":
            self._show_card(notice, actor)
        elif notice.kind == "requester" and outcome.action in DM_KEYS:
            self.dm_requester(esc, notice.to, DM_KEYS[outcome.action], user=actor, level=esc.level + 1)
        elif notice.kind in ("person", "channel"):
            self._level_notice(notice)
        elif notice.kind == "not_reached":
            team = self.team_name(esc.team, esc.language)
            self.dm_requester(esc, notice.to, "slack-channel-failed", team=team, error=notice.detail)
        elif notice.kind in ("lead", "fallback"):
            lang = self.team_language(esc.team)
            team = slack_escape(self.team_name(esc.team, lang))
            note = t(lang, "slack-note-fallback", team=team, error=slack_escape(notice.detail))
            channel = self.dm_channel(notice.to) if notice.kind == "lead" else notice.to
            self.client.chat_postMessage(channel=channel, **self._card(esc, note))

    def _show_card(self, notice: Notice, actor: str) -> None:
        outcome, esc = notice.outcome, notice.outcome.escalation
        if outcome.action == "reassigned" and outcome.previous_team:
            self.move_card(esc, outcome.previous_team, actor, notice.to)
            return
        if outcome.watcher is not None:  # a team looped in: its own card, the others stop offering it
            self.post_card(esc, notice.to)
            self.update_cards(esc, None)
            return
        lang = self.team_language(esc.team)
        key = NOTE_KEYS.get(outcome.action)
        note = t(lang, key, user=actor) if key else None
        if outcome.action == "bumped" and outcome.notify_level is not None:
            name = slack_escape(notice.level_name)
            note = t(lang, "slack-note-bumped", level=outcome.notify_level, name=name)
        if not self.refs.cards(esc.id):
            self.post_card(esc, notice.to, note, alert=outcome.action == "created")
        else:
            self.update_cards(esc, note)

    # ---- helpers ---------------------------------------------------------------------------------
    def team_language(self, team: str | None) -> str:
        return self.directory.contact(team).language if team else "en"

    def team_name(self, team: str, language: str) -> str:
        return self.kb.team_name(team, language)

    def _card(
        self, esc: Escalation, note: str | None, with_actions: bool = True, alert: bool = False
    ) -> dict[str, Any]:
        lang = self.team_language(esc.team)
        name = self.team_name(esc.team, lang)
        loop_in = [(team, self.team_name(team, lang)) for team in self._suggestions(esc)]
        card = blocks.escalation_card(esc, lang, name, note=note, loop_in=loop_in)
        if not with_actions:
            card = [b for b in card if b.get("type") != "actions"]
        usergroup = self.directory.contact(esc.team).slack_usergroup if alert else None
        return {"blocks": card, "text": blocks.escalation_text(esc, lang, name, usergroup)}

    def post_card(
        self, esc: Escalation, channel: str, note: str | None = None, *, alert: bool = False
    ) -> None:
        """Post the card to `channel` and remember where it is (`alert`: ping the team's user group)."""
        response = self.client.chat_postMessage(channel=channel, **self._card(esc, note, alert=alert))
        self.refs.save(esc.id, str(response["channel"]), str(response["ts"]))

    def update_cards(self, esc: Escalation, note: str | None) -> None:
        """chat.update every card of the escalation."""
        for channel, ts in self.refs.cards(esc.id):
            self.client.chat_update(channel=channel, ts=ts, **self._card(esc, note))

    def move_card(self, esc: Escalation, previous_team: str, actor: str, channel: str) -> None:
        """Reassigned: the old team's card loses its buttons and says where it went; the new team gets one."""
        new_name = slack_escape(self.team_name(esc.team, self.team_language(esc.team)))
        moved = t(self.team_language(previous_team), "slack-note-moved", team=new_name, user=actor)
        for where, ts in self.refs.cards(esc.id):
            self.client.chat_update(channel=where, ts=ts, **self._card(esc, moved, with_actions=False))
        note = t(self.team_language(esc.team), "slack-note-reassigned", team=new_name, user=actor)
        self.post_card(esc, channel, note, alert=True)  # the new team is meant to be alerted

    def _suggestions(self, esc: Escalation) -> tuple[str, ...]:
        return self.watchers.suggestions(esc) if self.watchers is not None else ()

    def dm_channel(self, user_id: str) -> str:
        """The bot's DM channel with `user_id` (conversations.open, cached)."""
        return self._dm_channels(user_id)

    def dm(self, user_id: str, text: str) -> None:
        """DM `text`, already mrkdwn: every argument that came from people was escaped by the caller."""
        try:
            self.client.chat_postMessage(channel=self.dm_channel(user_id), **blocks.mrkdwn_message(text))
        except SlackApiError as exc:
            if api_error(exc) in GONE_USER_ERRORS and self.forget_id(user_id):
                raise StaleSlackId(f"{user_id}: {api_error(exc)}; looked up again next time") from exc
            raise

    def forget_id(self, user_id: str) -> bool:
        """See SlackPeopleIds.forget_id."""
        return self.people.forget_id(user_id)

    def person_slack_id(self, person_id: str) -> str | None:
        """The person's Slack id: from the directory, the cache, else users.lookupByEmail."""
        return self.people.person_slack_id(person_id)

    def dm_requester(self, esc: Escalation, user_id: str, key: str, **args: Any) -> None:
        lang = esc.language
        args.setdefault("team", self.team_name(esc.team, lang))
        args.setdefault("state", t(lang, f"slack-state-{esc.state.value}"))
        # `user` is actor_mention() output, already safe; everything else is plain text
        safe = {k: v if k == "user" or not isinstance(v, str) else slack_escape(v) for k, v in args.items()}
        self.dm(user_id, t(lang, key, ref=esc.ref, **safe))

    def _level_notice(self, notice: Notice) -> None:
        """A bump: the level's channel and people are told the escalation now needs them."""
        esc, level = notice.outcome.escalation, notice.outcome.notify_level or 0
        team_lang = self.team_language(esc.team)
        person = self.directory.person_for("slack", notice.to) if notice.kind == "person" else None
        lang = self.directory.language_of(person.id if person else None, team_lang)
        text = t(
            lang,
            "slack-bump",
            ref=esc.ref,
            team=slack_escape(self.team_name(esc.team, lang)),
            priority=esc.priority,
            level=level,
            name=slack_escape(notice.level_name),
            summary=slack_escape(blocks._clip(esc.summary, 300)),
        )
        if notice.kind == "person":
            self.dm(notice.to, text)
        else:
            self.client.chat_postMessage(channel=notice.to, **blocks.mrkdwn_message(text))
