"""The conversation core every surface calls: a message in, an Answer or a CommandResult out."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import chain
from typing import TYPE_CHECKING

from bot.conversation.answers import Answer, build_answer, problem_answer
from bot.conversation.followup import Offer, PendingOffers, mistyped_command, reply_kind
from bot.directory import Directory
from bot.escalations.models import Actor
from bot.knowledge import KnowledgeBase
from bot.langdetect import detect_language
from bot.languages import normalise_language
from bot.router import MAX_QUESTION_CHARS, Router
from bot.routing import Routing

if TYPE_CHECKING:
    from bot.commands.runner import CommandResult, CommandRunner
    from bot.escalations.service import EscalationService
    from bot.identities import Identities
    from bot.storage.channels import ChannelStore
    from bot.storage.feedback import FeedbackStore

log = logging.getLogger(__name__)

# Answers lines a feature owns (e.g. "standup ..."), or None to let the assistant handle them.
TextCommand = Callable[[str, Actor], "str | None"]
# Called after every routed question with (routing, seconds taken, platform): metrics, topic counts.
QuestionObserver = Callable[[Routing, float, str], None]
# Like TextCommand, for lines that act on the channel they are typed in (e.g. "channel off").
ChannelCommand = Callable[[str, Actor, "IncomingMessage"], "str | None"]


@dataclass(frozen=True)
class IncomingMessage:
    """A message as every adapter hands it to the core (mentions already stripped)."""

    platform: str
    user_id: str
    text: str
    display_name: str = ""
    channel: str | None = None
    request_id: str | None = None
    language: str | None = None
    message_link: str | None = None
    direct: bool = False  # a DM / personal chat with the bot (not a channel, a mention or a group)


class Assistant:
    """Answers questions, runs commands, learns from corrections and records knowledge gaps."""

    def __init__(
        self,
        router: Router,
        kb: KnowledgeBase,
        directory: Directory,
        feedback: FeedbackStore,
        runner: CommandRunner,
        service: EscalationService,
        *,
        identities: Identities | None = None,
        observers: Iterable[QuestionObserver] = (),
        text_commands: Iterable[TextCommand] = (),
        direct_commands: Iterable[TextCommand] = (),
        channel_store: ChannelStore | None = None,
    ) -> None:
        """channel_store: listen in the directory's request channels (self.channels), switched on and
        off there by `channel on|off`."""
        from bot.conversation.channels import ChannelListener

        self.router = router
        self.kb = kb
        self.directory = directory
        self.feedback = feedback
        self.runner = runner
        self.service = service
        self.identities = identities  # platform ids and emails learned at run time
        self.observers: list[QuestionObserver] = list(observers)
        self.text_commands: list[TextCommand] = list(text_commands)
        self.channels = ChannelListener(self, channel_store) if channel_store is not None else None
        self.channel_commands: list[ChannelCommand] = [self.channels.command] if self.channels else []
        # Tried on direct messages only, after the command language and before routing a question:
        # a plain DM that is really a reply (e.g. a standup answer) must not be routed as a question.
        self.direct_commands: list[TextCommand] = list(direct_commands)
        self.offers = PendingOffers()  # the escalation each person was last offered, for a typed "yes"

    def actor_for(self, platform: str, user_id: str, display_name: str = "") -> Actor:
        person = self.directory.person_for(platform, user_id)
        if person is not None:
            return Actor(platform, user_id, display_name or person.name, person.id, person.email)
        # someone in no directory entry: the email their platform gave, when it was looked up
        email = self.identities.email_of(platform, user_id) if self.identities is not None else None
        return Actor(platform, user_id, display_name, None, email)

    def language_for(self, text: str, actor: Actor, hint: str | None = None) -> str:
        """The asker's language: what the text is written in, the platform locale or the directory's."""
        person = self.directory.people.get(actor.person_id or "")
        fallback = normalise_language(hint) if hint else (person.language if person else None)
        return detect_language(text, self.router.index.vocabulary.by_language, fallback)

    def handle(self, message: IncomingMessage) -> Answer | CommandResult:
        """A command (escalate, ack, list, ...) goes to the command runner; anything else is a question."""
        from bot.commands.language import looks_like_command

        actor = self.actor_for(message.platform, message.user_id, message.display_name)
        text = message.text.strip()
        offer = self.offers.take((message.platform, message.user_id))
        if offer is not None and (kind := reply_kind(text)) is not None:
            return self._answer_offer(offer, kind == "yes", actor, message)
        channel_replies = (c(text, actor, message) for c in self.channel_commands if text)
        for reply in chain(channel_replies, (c(text, actor) for c in self.text_commands if text)):
            if reply is not None:
                from bot.commands.runner import CommandResult

                return CommandResult(ok=True, kind="text", text=reply)
        if text and len(text) <= MAX_QUESTION_CHARS and looks_like_command(text):
            language = self.language_for(text, actor, message.language)
            if text.split()[0].lower().lstrip("/") in {"help", "list", "show"}:
                language = self._reply_language(message, actor)
            return self.runner.run_text(
                text,
                actor,
                language=language,
                request_id=message.request_id,
                source_channel=message.channel,
                message_link=message.message_link,
            )
        for command in self.direct_commands if message.direct and text else ():
            reply = command(text, actor)
            if reply is not None:
                from bot.commands.runner import CommandResult

                return CommandResult(ok=True, kind="text", text=reply)
        mistake = mistyped_command(text)
        if mistake is not None:  # "esclate ...", "akc ESC-2", "lst": not a question to route
            return self.runner.command_error(mistake, self._reply_language(message, actor))
        answer = self.ask(text, actor, language=message.language)
        if answer.routing.team is not None and answer.problem is None:
            offer = Offer(text, answer.routing.team, answer.routing.role, answer.language)
            self.offers.remember((message.platform, message.user_id), offer)
        return answer

    def _answer_offer(
        self, offer: Offer, agreed: bool, actor: Actor, message: IncomingMessage
    ) -> CommandResult:
        """A typed "yes" opens the escalation the last answer offered; a "no" just says so."""
        from bot.commands.language import Command
        from bot.commands.runner import CommandResult
        from bot.i18n import t

        if not agreed:
            return CommandResult(ok=True, kind="text", text=t(offer.language, "reply-declined"))
        return self.runner.run(
            Command(name="escalate", team=offer.team, text=offer.question),
            actor,
            language=offer.language,
            request_id=message.request_id,
            source_channel=message.channel,
            message_link=message.message_link,
        )

    def _reply_language(self, message: IncomingMessage, actor: Actor) -> str:
        """For words that are not in any language (commands): the platform's, else the person's."""
        return normalise_language(message.language) if message.language else self._home_language(actor)

    def _home_language(self, actor: Actor) -> str:
        return self.directory.language_of(actor.person_id)

    def ask(self, question: str, actor: Actor, *, language: str | None = None) -> Answer:
        """Route `question` and build the localised answer; abstentions are recorded as knowledge gaps."""
        text = question.strip()
        lang = self.language_for(text, actor, language)
        if not text:
            return problem_answer(Routing(question, lang, None, None, 0.0), "empty", MAX_QUESTION_CHARS)
        if len(text) > MAX_QUESTION_CHARS:
            return problem_answer(Routing(text, lang, None, None, 0.0), "too_long", MAX_QUESTION_CHARS)
        started = time.perf_counter()
        routing = self.router.route(text, lang)
        elapsed = time.perf_counter() - started
        if routing.abstained:
            self._record_gap(routing, actor)
        for observe in self.observers:
            try:
                observe(routing, elapsed, actor.platform)
            except Exception:  # metrics must never cost the user their answer
                log.exception("question observer failed")
        return build_answer(routing, self.kb, self.directory, actor.platform)

    def _record_gap(self, routing: Routing, actor: Actor) -> None:
        try:
            self.feedback.record_unrouted(
                routing.question, routing.language, actor.platform, actor.user_id, near_team=routing.nearest
            )
        except Exception:  # a gap we fail to record must not cost the user their answer
            log.exception("could not record unrouted question")

    def correct(
        self,
        question: str,
        routed_team: str | None,
        corrected_team: str,
        actor: Actor,
        *,
        corrected_role: str | None = None,
        language: str | None = None,
        asker: str | None = None,
    ) -> Answer:
        """Store a colleague's correction, teach the router, and answer again (with a thank-you).

        asker: Actor.key of whoever asked the question (None: unknown). Anyone else who is neither in a
        team concerned nor an admin is refused with CorrectionRefused, and nothing is stored."""
        from bot.corrections import CorrectionRefused, may_correct

        if corrected_team not in self.kb.teams:
            raise KeyError(f"unknown team {corrected_team!r}")
        teams = (routed_team, corrected_team)
        if not may_correct(self.directory, actor, asker, teams):
            raise CorrectionRefused(tuple(team for team in teams if team))
        if corrected_role is not None and self.kb.roles.get(corrected_role, None) is None:
            corrected_role = None
        lang = self.language_for(question, actor, language)
        self.feedback.record_correction(
            question, lang, routed_team, None, corrected_team, corrected_role, actor.platform, actor.user_id
        )
        self.router.corrections.add(question, corrected_team, corrected_role)
        answer = build_answer(self.router.route(question, lang), self.kb, self.directory, actor.platform)
        from bot.i18n import t

        thanks = t(lang, "answer-thanks-correction", team=self.kb.team_name(corrected_team, lang))
        return replace(answer, text=f"{thanks}\n{answer.text}", note=thanks)
