"""SlackNotifier: the bot.ports.Notifier that posts escalation cards, updates them in place and DMs people."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.directory import Directory
from bot.escalations.models import Escalation, Outcome
from bot.escalations.policy import level_recipients
from bot.i18n import t
from bot.identities import Identities
from bot.knowledge import KnowledgeBase
from bot.markup import slack_escape
from handlers.slack import blocks
from handlers.slack.refs import SlackMessageRefs

if TYPE_CHECKING:
    from bot.watchers import Watchers

log = logging.getLogger(__name__)

LastActor = Callable[[int], str | None]  # escalation id -> Actor.key of whoever acted last
# a DM to a Slack id that no longer belongs to anyone: the cached id is looked up again next time
GONE_USER_ERRORS = frozenset({"user_not_found", "users_not_found", "user_disabled", "account_inactive"})
DM_KEYS = {
    "created": "slack-dm-created",
    "acknowledged": "slack-dm-acknowledged",
    "resolved": "slack-dm-resolved",
    "reassigned": "slack-dm-reassigned",
    "cancelled": "slack-dm-cancelled",
    "reopened": "slack-dm-reopened",
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


def api_error(exc: SlackApiError) -> str:
    """The Web API error code ('channel_not_found', 'ratelimited') of a failed call."""
    data = getattr(exc.response, "data", None)
    return str(data.get("error")) if isinstance(data, dict) and data.get("error") else str(exc)


class SlackNotifier:
    """Posts each escalation to its team channel with buttons, keeps that card current, tells the
    requester by DM and the next level on bumps. Never raises: the escalation is already committed."""

    def __init__(
        self,
        client: WebClient,
        directory: Directory,
        kb: KnowledgeBase,
        refs: SlackMessageRefs,
        *,
        last_actor: LastActor | None = None,
        identities: Identities | None = None,
        watchers: Watchers | None = None,
    ) -> None:
        self.watchers = watchers  # teams looped in: their cards, and whom the card offers to loop in
        self.client = client
        self.identities = identities
        self.directory = directory
        self.kb = kb
        self.refs = refs
        self.last_actor = last_actor or (lambda _id: None)
        self._dm_channels: dict[str, str] = {}
        self._lock = threading.Lock()

    def notify(self, outcome: Outcome) -> None:
        if outcome.replayed:
            return  # a retried request: people were told the first time
        try:
            self._notify(outcome)
        except Exception:  # a notification problem must never undo or fail a committed action
            log.exception("slack notification failed for %s", outcome.escalation.ref)

    def _notify(self, outcome: Outcome) -> None:
        esc = outcome.escalation
        actor = mention(self.last_actor(esc.id)) if outcome.action != "created" else ""
        if outcome.action == "created":
            self.post_card(esc, alert=True)
        elif outcome.watcher is not None:
            self.post_watcher_card(esc, outcome.watcher)
        elif outcome.action == "reassigned" and outcome.previous_team:
            self.move_card(esc, outcome.previous_team, actor)
        elif outcome.notify_level is None:  # bumps refresh the card in notify_level
            key = NOTE_KEYS.get(outcome.action)
            note = t(self.team_language(esc.team), key, user=actor) if key else None
            self.update_cards(esc, note)
        if outcome.action in DM_KEYS:
            self.dm_requester(esc, DM_KEYS[outcome.action], user=actor)
        if outcome.notify_level is not None:
            # on creation and reassignment the card itself is the level-0 notice: only people are told
            fresh = outcome.action in ("created", "reassigned")
            self.notify_level(esc, outcome.notify_level, announce=not fresh)

    # ---- helpers ---------------------------------------------------------------------------------
    def team_language(self, team: str | None) -> str:
        return self.directory.contact(team).language if team else "en"

    def team_name(self, team: str, language: str) -> str:
        return self.kb.teams[team].name(language) if team in self.kb.teams else team

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

    def post_card(self, esc: Escalation, note: str | None = None, *, alert: bool = False) -> bool:
        """Post the card to the team channel and remember it; on failure tell the requester."""
        channel = self.directory.contact(esc.team).slack_channel or self.directory.fallback.slack_channel
        if not channel:
            self._channel_failed(esc, "no_channel_configured")
            return False
        try:
            response = self.client.chat_postMessage(channel=channel, **self._card(esc, note, alert=alert))
        except SlackApiError as exc:
            log.warning("posting %s to %s failed: %s", esc.ref, channel, api_error(exc))
            self._channel_failed(esc, api_error(exc))
            return False
        self.refs.save(esc.id, str(response["channel"]), str(response["ts"]))
        return True

    def update_cards(self, esc: Escalation, note: str | None) -> None:
        """chat.update every card of the escalation; a card that was never posted is posted now."""
        cards = self.refs.cards(esc.id)
        if not cards:
            self.post_card(esc, note)
            return
        for channel, ts in cards:
            try:
                self.client.chat_update(channel=channel, ts=ts, **self._card(esc, note))
            except SlackApiError as exc:
                log.warning("updating %s card in %s failed: %s", esc.ref, channel, api_error(exc))

    def move_card(self, esc: Escalation, previous_team: str, actor: str) -> None:
        """Reassigned: the old team's card loses its buttons and says where it went; the new team gets one."""
        new_name = slack_escape(self.team_name(esc.team, self.team_language(esc.team)))
        moved = t(self.team_language(previous_team), "slack-note-moved", team=new_name, user=actor)
        for channel, ts in self.refs.cards(esc.id):
            try:
                self.client.chat_update(channel=channel, ts=ts, **self._card(esc, moved, with_actions=False))
            except SlackApiError as exc:
                log.warning("updating %s card in %s failed: %s", esc.ref, channel, api_error(exc))
        self.post_card(
            esc,
            t(self.team_language(esc.team), "slack-note-reassigned", team=new_name, user=actor),
            alert=True,  # the new team is meant to be alerted
        )

    def _suggestions(self, esc: Escalation) -> tuple[str, ...]:
        return self.watchers.suggestions(esc) if self.watchers is not None else ()

    def post_watcher_card(self, esc: Escalation, team: str) -> None:
        """A team looped in gets the card in its channel; later updates reach it through its message ref,
        like the team's own card."""
        channel = self.directory.contact(team).slack_channel
        if not channel:
            return
        try:
            response = self.client.chat_postMessage(channel=channel, **self._card(esc, None))
        except SlackApiError as exc:
            log.warning("posting %s to watcher %s failed: %s", esc.ref, channel, api_error(exc))
            return
        self.refs.save(esc.id, str(response["channel"]), str(response["ts"]))
        self.update_cards(esc, None)  # the other cards stop offering that team

    def _channel_failed(self, esc: Escalation, error: str) -> None:
        lang = esc.language
        self.dm_requester(esc, "slack-channel-failed", team=self.team_name(esc.team, lang), error=error)

    def dm_channel(self, user_id: str) -> str:
        """The bot's DM channel with `user_id` (conversations.open, cached)."""
        with self._lock:
            cached = self._dm_channels.get(user_id)
        if cached:
            return cached
        response = self.client.conversations_open(users=user_id)
        channel = str(response["channel"]["id"])
        with self._lock:
            self._dm_channels[user_id] = channel
        return channel

    def dm(self, user_id: str, text: str) -> bool:
        """DM `text`, already mrkdwn: every argument that came from people was escaped by the caller."""
        try:
            self.client.chat_postMessage(channel=self.dm_channel(user_id), **blocks.mrkdwn_message(text))
        except SlackApiError as exc:
            log.warning("DM to %s failed: %s", user_id, api_error(exc))
            if self.identities is not None and exc.response.get("error") in GONE_USER_ERRORS:
                self.identities.failed("slack", user_id)  # a cached id that no longer works
            return False
        return True

    def person_slack_id(self, person_id: str) -> str | None:
        """The person's Slack id: from the directory, the cache, else users.lookupByEmail."""
        if self.identities is None:
            return self.directory.platform_id(person_id, "slack")
        return self.identities.platform_id(person_id, "slack", self._lookup_email)

    def _lookup_email(self, email: str) -> str | None:
        try:
            return str(self.client.users_lookupByEmail(email=email)["user"]["id"])
        except SlackApiError as exc:
            log.info("users.lookupByEmail failed: %s", api_error(exc))
            return None

    def dm_requester(self, esc: Escalation, key: str, **args: Any) -> None:
        if esc.requester.platform != "slack":
            return  # requesters on other platforms are told by their own adapter
        lang = esc.language
        args.setdefault("team", self.team_name(esc.team, lang))
        args.setdefault("state", t(lang, f"slack-state-{esc.state.value}"))
        # `user` is mention() output, already safe; everything else is plain text
        safe = {k: v if k == "user" or not isinstance(v, str) else slack_escape(v) for k, v in args.items()}
        self.dm(esc.requester.user_id, t(lang, key, ref=esc.ref, **safe))

    def notify_level(self, esc: Escalation, level: int, *, announce: bool = True) -> None:
        """A bump: refresh the card, tell the channel (when `announce`) and the people of the new level."""
        recipients = level_recipients(esc, self.directory, self.kb, level)
        team_lang = self.team_language(esc.team)

        def text(lang: str) -> str:
            return t(
                lang,
                "slack-bump",
                ref=esc.ref,
                team=slack_escape(self.team_name(esc.team, lang)),
                priority=esc.priority,
                level=level,
                name=slack_escape(recipients.level.name),
                summary=slack_escape(blocks._clip(esc.summary, 300)),
            )

        if announce:
            name = slack_escape(recipients.level.name)
            self.update_cards(esc, t(team_lang, "slack-note-bumped", level=level, name=name))
        if announce and recipients.slack_channel:
            try:
                self.client.chat_postMessage(
                    channel=recipients.slack_channel, **blocks.mrkdwn_message(text(team_lang))
                )
            except SlackApiError as exc:
                log.warning("bump notice for %s failed: %s", esc.ref, api_error(exc))
        for person_id in recipients.person_ids:
            person = self.directory.people.get(person_id)
            slack_id = self.person_slack_id(person_id) if person else None
            if person and slack_id:
                self.dm(slack_id, text(person.language or team_lang))
