"""What the Teams bot does with one activity: translate, call the core, build the reply (no SDK imports)."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.commands.language import Command
from bot.commands.runner import CommandResult
from bot.conversation.answers import Answer
from bot.conversation.assistant import Assistant, IncomingMessage
from bot.corrections import CorrectionRefused
from bot.escalations.models import Actor
from bot.i18n import t
from bot.languages import normalise_language
from bot.storage.refs import LATEST, TeamsRefStore, channel_key, user_key
from handlers.teams.activities import (
    PLATFORM,
    CardSubmission,
    Installed,
    Removed,
    Sender,
    conversation_reference,
    mentions_bot,
    message_link,
    request_key,
    sender_of,
    thread_root,
    to_installed,
    to_message,
    to_removed,
    to_submission,
)
from handlers.teams.bot_adapter import TurnReply
from handlers.teams.render import cards
from handlers.teams.render.answers import team_choices, teams_contact
from handlers.teams.standup import blocker_click

if TYPE_CHECKING:
    from bot.conversation.channels import ChannelListener
    from bot.conversation.watchers import Watchers
    from bot.identities import Identities
    from bot.standup.service import StandupService
    from bot.storage.delivery import InboxStore

log = logging.getLogger(__name__)
SEEN_ACTIVITIES = 10_000  # activity ids remembered for de-duplicating redelivered activities
_RUNNER_VERBS = {cards.ACK: "ack", cards.RESOLVE: "resolve", cards.REOPEN: "reopen"}


def reference_keys(activity: Mapping[str, Any], sender: Sender) -> list[str]:
    """Under which keys this conversation's reference is stored (see TeamsRefStore)."""
    keys = [LATEST]
    if sender.conversation_type == "personal":
        keys += [user_key(uid) for uid in (sender.user_id, sender.aad_object_id) if uid]
    elif sender.conversation_type == "channel":
        # Only the channel this conversation is in: channelCreated/channelRenamed events name another
        # channel but arrive in the team's General channel, which must not become that channel's address.
        keys.append(channel_key(sender.conversation_id.split(";")[0]))
    return keys


# the activity's sender as the conversation's roster knows them (with email), or None
MemberLookup = Callable[[Mapping[str, Any]], Awaitable[dict[str, Any] | None]]


class TeamsTurns:
    """Our TurnLogic: questions -> answer cards, commands -> the runner, card buttons -> actions."""

    def __init__(
        self,
        assistant: Assistant,
        refs: TeamsRefStore,
        standup: StandupService | None = None,
        channels: ChannelListener | None = None,
        watchers: Watchers | None = None,
        inbox: InboxStore | None = None,
        *,
        identities: Identities | None = None,
        member_lookup: MemberLookup | None = None,
    ) -> None:
        self.assistant = assistant
        self.refs = refs
        self.standup = standup  # for the standup report's blocker buttons
        self.channels = channels  # request channels and "Escalate this message"
        self.watchers = watchers  # "Loop in TEAM" on escalation cards
        self.inbox = inbox  # activity keys taken in, kept across restarts
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._stored: dict[str, str] = {}
        # who an unknown sender is, by email from the roster (BotFrameworkBridge.member)
        self.identities = identities
        self.member_lookup = member_lookup
        self._welcomed: set[str] = set()  # conversations greeted (installationUpdate + conversationUpdate)

    async def on_activity(self, activity: dict[str, Any]) -> TurnReply:
        # The synchronous work (SQLite, routing) runs in threads: on the event loop it would hold up
        # every other turn and request of the server while it waits for a commit.
        sender = sender_of(activity)
        removed = to_removed(activity)
        if removed is not None:
            return await asyncio.to_thread(self.on_removed, removed)
        if await asyncio.to_thread(self._taken_in_before, activity, sender):
            log.info("teams activity %s repeated: ignored", sender.activity_id)
            return TurnReply(invoke_status=200) if activity.get("type") == "invoke" else TurnReply()
        try:
            if activity.get("type") in ("message", "invoke"):
                await self._identify(activity, sender)
            return await asyncio.to_thread(self._dispatch, activity)
        except Exception:
            log.exception("teams activity %s failed", sender.activity_id)
            error = cards.message(t(normalise_language(sender.locale), "teams-error"))
            return _answer(activity, (error,))

    def _dispatch(self, activity: dict[str, Any]) -> TurnReply:
        message_action = self._message_action(activity)
        if message_action is not None:
            return message_action
        click = blocker_click(activity)
        if click is not None:
            return _answer(activity, (self.on_blocker_click(click.key, click.data, click.sender),))
        submission = to_submission(activity)
        if submission is not None:
            return _answer(activity, self.on_submission(submission))
        installed = to_installed(activity)
        if installed is not None:
            return TurnReply(self.on_installed(installed))
        if activity.get("type") == "message":
            if sender_of(activity).conversation_type == "channel" and not mentions_bot(activity):
                return TurnReply(self.on_channel_message(activity))
            return TurnReply(self.on_message(to_message(activity)))
        if activity.get("type") == "invoke":  # as botbuilder's own handler answers invokes it does not know
            return TurnReply(invoke_status=501)
        return TurnReply()

    def on_removed(self, removed: Removed) -> TurnReply:
        """Uninstalled or removed from a team: forget where we could post, so nothing goes there any more."""
        forgotten = self.refs.forget(removed.conversation_id, removed.team_id)
        self._stored.clear()  # a reinstallation must store its references again
        self._welcomed.discard(removed.conversation_id)
        log.info(
            "removed from %s: %d conversation reference(s) forgotten", removed.conversation_id, forgotten
        )
        return TurnReply()

    def _message_action(self, activity: dict[str, Any]) -> TurnReply | None:
        """Escalate this message (composeExtension fetchTask / submitAction), answered in the invoke."""
        from handlers.teams import message_action

        action = message_action.to_message_action(activity)
        if action is None or self.channels is None:
            return None
        sender = sender_of(activity)
        actor = self._actor(sender)
        language = self.assistant.language_for(action.text, actor, sender.locale)
        teams = team_choices(self.assistant.kb, language)
        body = message_action.handle(action, sender, actor, self.assistant, self.channels, teams)
        return TurnReply(invoke_status=200, invoke_body=body)

    def _taken_in_before(self, activity: Mapping[str, Any], sender: Sender) -> bool:
        self._remember_conversation(activity, sender)
        return self._repeated(activity, sender)

    def _repeated(self, activity: Mapping[str, Any], sender: Sender) -> bool:
        if not sender.activity_id or activity.get("type") not in ("message", "invoke"):
            return False
        key = f"{sender.conversation_id}|{sender.activity_id}"
        if key in self._seen:
            return True
        if self.inbox is not None and not self.inbox.accept(key, None, None):
            return True  # taken in before a restart
        self._seen[key] = None
        if len(self._seen) > SEEN_ACTIVITIES:
            self._seen.popitem(last=False)
        return False

    def _remember_conversation(self, activity: Mapping[str, Any], sender: Sender) -> None:
        if not sender.conversation_id or not activity.get("serviceUrl"):
            return
        reference = conversation_reference(activity)
        reference.pop("activityId", None)
        keys = [k for k in reference_keys(activity, sender) if self._stored.get(k) != repr(reference)]
        if not keys:
            return  # unchanged: spare the database a write per message
        try:
            self.refs.save_reference(keys, reference)
            self._stored.update(dict.fromkeys(keys, repr(reference)))
        except Exception:  # losing a reference must not cost the user their answer
            log.exception("could not store the teams conversation reference")

    async def _identify(self, activity: Mapping[str, Any], sender: Sender) -> None:
        """A sender the directory names only by email: ask the roster once, remember the answer."""
        uid = sender.aad_object_id or sender.user_id
        if self.identities is None or self.member_lookup is None or not uid:
            return
        if self._actor(sender).person_id is not None or not self.identities.should_ask(PLATFORM, uid):
            return
        member = await self.member_lookup(activity) or {}
        email = str(member.get("email") or member.get("userPrincipalName") or "")
        found = (email if "@" in email else None, str(member.get("name") or sender.display_name))
        # both ids: the directory may use the AAD object id, the assistant sees the Teams user id
        for user_id in dict.fromkeys(i for i in (sender.aad_object_id, sender.user_id) if i):
            self.identities.resolve(PLATFORM, user_id, lambda: found)

    # ------------------------------------------------------------------ messages
    def _actor(self, sender: Sender) -> Actor:
        actor = self.assistant.actor_for(PLATFORM, sender.user_id, sender.display_name)
        if actor.person_id is None and sender.aad_object_id:
            # The directory may list people by their Entra (AAD) object id instead of the Teams user id.
            by_aad = self.assistant.actor_for(PLATFORM, sender.aad_object_id, sender.display_name)
            if by_aad.person_id is not None:
                return replace(actor, person_id=by_aad.person_id, display_name=by_aad.display_name)
        return actor

    def on_message(self, message: IncomingMessage) -> tuple[dict[str, Any], ...]:
        result = self.assistant.handle(message)
        if isinstance(result, Answer):
            return (self.answer_reply(result, message.text, asker=message.user_id),)
        return (self.command_reply(result, message.language),)

    def on_channel_message(self, activity: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
        """A channel message that does not mention us (resource-specific consent delivers them all):
        in a request channel a new thread may get an answer; everything else stays unanswered."""
        root, message = thread_root(activity), to_message(activity)
        sender = sender_of(activity)
        if self.channels is None or root is None or sender.channel_id is None:
            return ()
        answer = self.channels.answer(
            PLATFORM, sender.channel_id, root, self._actor(sender), message.text, sender.locale
        )
        return (self.answer_reply(answer, message.text, asker=message.user_id),) if answer is not None else ()

    def answer_reply(
        self, answer: Answer, question: str, note: str | None = None, *, asker: str
    ) -> dict[str, Any]:
        if answer.problem is not None:
            return cards.message(answer.text)
        contact = teams_contact(answer)
        card = cards.answer_card(answer, question, note=note, contact=contact, asker=asker)
        return cards.message(answer.headline, card)  # answer.text names Slack channels

    def command_reply(self, result: CommandResult, locale: str | None) -> dict[str, Any]:
        if result.kind == "show" and result.escalation is not None:
            language = normalise_language(locale) if locale else result.escalation.language
            team_name = self.assistant.kb.team_name(result.escalation.team, language)
            card = cards.escalation_card(
                result.escalation, language, team_name, team_choices(self.assistant.kb, language)
            )
            return cards.message(result.text, card)
        return cards.message(result.text)

    def on_installed(self, installed: Installed) -> tuple[dict[str, Any], ...]:
        """One welcome per installation: Teams announces one with two activities."""
        sender = installed.sender
        conversation = sender.conversation_id.split(";messageid=")[0]
        if conversation in self._welcomed:
            return ()
        self._welcomed.add(conversation)
        language = normalise_language(sender.locale)
        if sender.conversation_type == "personal":
            name = sender.display_name.split()[0] if sender.display_name.strip() else ""
            welcome = (
                t(language, "teams-welcome", name=name) if name else t(language, "teams-welcome-anonymous")
            )
            return (cards.message(welcome),)
        return (cards.message(t(language, "teams-welcome-channel")),)

    # ------------------------------------------------------------------ card buttons
    def on_submission(self, submission: CardSubmission) -> tuple[dict[str, Any], ...]:
        sender, data = submission.sender, submission.data
        actor = self._actor(sender)
        language = self._language(data, actor, sender)
        question = str(data.get("question") or "")
        if submission.action == cards.WRONG_TEAM:
            routed = data.get("team") if isinstance(data.get("team"), str) else None
            picker = cards.team_picker_card(
                question, routed, team_choices(self.assistant.kb, language), language, _text(data, "asker")
            )
            return (cards.message(t(language, "teams-picker-title"), picker),)
        if submission.action == cards.CORRECT:
            return (self._correct(question, data, actor, language, sender.user_id),)
        if submission.action == cards.LOOP_IN:
            return (cards.message(self._loop_in(data, actor, language)),)
        command = self._card_command(submission.action, data, question)
        if command is None:
            return (cards.message(t(language, "teams-action-missing-team")),)
        result = self.assistant.runner.run(
            command,
            actor,
            language=language,
            request_id=request_key(sender),
            source_channel=sender.conversation_id,
            message_link=message_link(sender),
        )
        return (self.command_reply(result, language),)

    def on_blocker_click(self, key: str, data: Mapping[str, Any], sender: Sender) -> dict[str, Any]:
        """A standup report's "Escalate to TEAM": one escalation per blocker however often it is clicked."""
        actor = self._actor(sender)
        language = self._language(data, actor, sender)
        result = self.assistant.runner.escalate_blocker(self.standup, key, actor, language=language)
        return cards.message(result.text)

    def _language(self, data: Mapping[str, Any], actor: Actor, sender: Sender) -> str:
        if isinstance(data.get("language"), str):
            return normalise_language(data["language"])
        return self.assistant.language_for("", actor, sender.locale)

    def _card_command(self, action: str, data: Mapping[str, Any], question: str) -> Command | None:
        if action == cards.ESCALATE:
            return Command(name="escalate", team=_text(data, "team"), text=question)
        ref = _text(data, "ref")
        if ref is None:
            return None
        if action == cards.REASSIGN:
            team = _text(data, "team")
            return Command(name="reassign", ref=ref, team=team) if team else None
        return Command(name=_RUNNER_VERBS[action], ref=ref)

    def _loop_in(self, data: Mapping[str, Any], actor: Actor, language: str) -> str:
        """The card's "Loop in TEAM": that team watches the escalation (its channel gets the card)."""
        watchers = self.watchers
        ref, team = _text(data, "ref"), _text(data, "team")
        if watchers is None or ref is None or team is None:
            return t(language, "teams-action-missing-team")
        return self.assistant.runner.loop_in(watchers, ref, actor, team, language=language).text

    def _correct(
        self, question: str, data: Mapping[str, Any], actor: Actor, language: str, user: str
    ) -> dict[str, Any]:
        """Store the correction; a bystander (not the asker, a team member or an admin) is refused."""
        team = _text(data, "team")
        if not question or team is None or team not in self.assistant.kb.teams:
            return cards.message(t(language, "teams-action-missing-team"))
        asker = _text(data, "asker")
        try:
            answer = self.assistant.correct(
                question,
                _text(data, "routed_team"),
                team,
                actor,
                language=language,
                asker=f"{PLATFORM}:{asker}" if asker else None,
            )
        except CorrectionRefused as refused:
            return cards.message(refused.message(language, self.assistant.kb))
        return self.answer_reply(answer, question, note=answer.note, asker=user)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _answer(activity: Mapping[str, Any], replies: tuple[dict[str, Any], ...]) -> TurnReply:
    """Replies to a card action; an invoke (Action.Execute) also gets the invoke response Teams expects."""
    if activity.get("type") != "invoke":
        return TurnReply(replies)
    body = cards.invoke_message(replies[0]) if replies else None
    return TurnReply(replies, invoke_status=200, invoke_body=body)
