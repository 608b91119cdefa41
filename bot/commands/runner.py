"""The one door for escalation actions: a Command (or a blocker, a loop-in) in, a localised CommandResult out.

Slack buttons and modals, Teams cards, typed commands and the CLI all build a Command and call `run`;
every refusal's text is written by `error`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.commands.escalation_text import EscalationText
from bot.commands.language import VERBS, Command, CommandError
from bot.commands.parser import parse_command
from bot.commands.standup import StandupActions, StandupRequest, carry_out
from bot.directory import Directory
from bot.escalations.models import (
    DEFAULT_PRIORITY,
    Actor,
    AuditEvent,
    Escalation,
    EscalationError,
    ListFilter,
    Outcome,
)
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from bot.languages import normalise_language
from bot.standup.models import StandupError

UPDATE_VERBS: frozenset[str] = frozenset(
    {"ack", "resolve", "reopen", "cancel", "reassign", "comment", "bump"}
)


class EscalationWorkflow(Protocol):
    """What the runner needs from bot.escalations.service.EscalationService."""

    def create(
        self,
        actor: Actor,
        summary: str,
        *,
        team: str | None = ...,
        role: str | None = ...,
        priority: str = ...,
        details: str = ...,
        source_channel: str | None = ...,
        message_link: str | None = ...,
        language: str = ...,
        request_id: str | None = ...,
        shared_request_id: str | None = ...,
    ) -> Outcome: ...

    def acknowledge(self, ref: str, actor: Actor, *, request_id: str | None = ...) -> Outcome: ...

    def resolve(
        self, ref: str, actor: Actor, note: str = ..., *, request_id: str | None = ...
    ) -> Outcome: ...

    def reopen(self, ref: str, actor: Actor, *, request_id: str | None = ...) -> Outcome: ...

    def cancel(self, ref: str, actor: Actor, *, request_id: str | None = ...) -> Outcome: ...

    def reassign(
        self, ref: str, actor: Actor, team: str, reason: str = ..., *, request_id: str | None = ...
    ) -> Outcome: ...

    def comment(self, ref: str, actor: Actor, text: str, *, request_id: str | None = ...) -> Outcome: ...

    def bump(self, ref: str, actor: Actor, *, request_id: str | None = ...) -> Outcome: ...

    def get(self, ref: str) -> Escalation: ...

    def history(self, ref: str) -> list[AuditEvent]: ...

    def sweep(self) -> list[Outcome]: ...

    def list(self, filter: ListFilter) -> list[Escalation]: ...


class BlockerEscalations(Protocol):
    """What the runner needs to escalate a standup blocker (bot.standup.service.StandupService)."""

    def escalate_blocker(self, key: str, actor: Actor, *, language: str | None = ...) -> Outcome: ...


class TeamWatchers(Protocol):
    """What the runner needs to loop a team in on an escalation (bot.conversation.watchers.Watchers)."""

    def add(self, ref: str, actor: Actor, team: str) -> Outcome: ...


@dataclass(frozen=True)
class CommandResult:
    """What a command did, with the reply already rendered as plain text in the asker's language."""

    ok: bool
    kind: str  # created | updated | list | show | help | sweep | text | error
    text: str
    outcome: Outcome | None = None
    escalation: Escalation | None = None
    escalations: tuple[Escalation, ...] = ()
    history: tuple[AuditEvent, ...] = ()
    error_code: str | None = None
    outcomes: tuple[Outcome, ...] = ()  # sweep: every escalation it moved

    def as_dict(self) -> dict[str, Any]:
        """The JSON form scripts read (`--json`): escalation objects, or {"error", "message"}."""
        if not self.ok:
            return {"error": self.error_code, "message": self.text}
        if self.kind == "list":
            return {"escalations": [e.as_dict() for e in self.escalations]}
        if self.kind == "help":
            return {"help": self.text}
        data: dict[str, Any] = self.escalation.as_dict() if self.escalation else {}
        if self.outcome is not None:
            data["action"] = self.outcome.action
            data["replayed"] = self.outcome.replayed
        if self.kind == "show":
            data["history"] = [_event_dict(event) for event in self.history]
        return data


def _event_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "comment": event.comment,
    }


class CommandRunner:
    """Executes Commands for one service; every surface (Slack, Teams, CLI, chat) goes through here."""

    def __init__(
        self,
        service: EscalationWorkflow,
        kb: KnowledgeBase,
        directory: Directory,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.service = service
        self.kb = kb
        self.directory = directory
        self.clock: Callable[[], datetime] = clock or getattr(service, "clock", None) or _utc_now

    def text(self, language: str, reader: Actor | None = None) -> EscalationText:
        """Replies in `language`, times in the zone of `reader` (a directory person, if known)."""
        person = reader.person_id if reader else None
        if reader is not None and person is None:
            found = self.directory.person_for(reader.platform, reader.user_id)
            person = found.id if found else None
        return EscalationText(normalise_language(language), self.kb, self.directory, self.clock(), person)

    def run_text(
        self,
        text: str,
        actor: Actor,
        *,
        language: str,
        request_id: str | None = None,
        source_channel: str | None = None,
        message_link: str | None = None,
    ) -> CommandResult:
        """Parse and run `text`; a malformed command becomes an error result, never an exception."""
        try:
            command = parse_command(text, self.kb)
        except CommandError as err:
            return self.command_error(err, language)
        return self.run(
            command,
            actor,
            language=language,
            request_id=request_id,
            source_channel=source_channel,
            message_link=message_link,
        )

    def run(
        self,
        command: Command,
        actor: Actor,
        *,
        language: str,
        request_id: str | None = None,
        source_channel: str | None = None,
        message_link: str | None = None,
        shared_request_id: str | None = None,
    ) -> CommandResult:
        """Run one command as `actor`; refusals and unknown ids become localised error results.
        shared_request_id: escalate only, a retry key owned by what is escalated (a message), whoever asks."""
        language = normalise_language(language)
        try:
            if command.name == "escalate":
                outcome = self.service.create(
                    actor,
                    command.text,
                    team=command.team,
                    role=command.role,
                    priority=command.priority or DEFAULT_PRIORITY,
                    details=command.details,
                    source_channel=source_channel,
                    message_link=message_link,
                    language=language,
                    request_id=request_id,
                    shared_request_id=shared_request_id,
                )
                return self._outcome_result("created", outcome, actor, language)
            if command.name in UPDATE_VERBS:
                outcome = self._update(command, actor, request_id)
                return self._outcome_result("updated", outcome, actor, language)
            if command.name == "list":
                return self._list(command, actor, language)
            if command.name == "show":
                return self._show(command, actor, language)
            if command.name == "help":
                help_text = self.text(language).help(command.text or None)
                return CommandResult(ok=True, kind="help", text=help_text)
        except EscalationError as err:
            return self.escalation_error(err, language)
        raise ValueError(f"unknown command {command.name!r}; expected one of {', '.join(VERBS)}")

    def error(self, err: CommandError | EscalationError | StandupError, language: str) -> CommandResult:
        """A malformed command, a refused workflow action or a refused standup action, in `language`:
        the one place a refusal's text is written."""
        if isinstance(err, CommandError):
            return self.command_error(err, language)
        if isinstance(err, EscalationError):
            return self.escalation_error(err, language)
        text = err.message(normalise_language(language))
        return CommandResult(ok=False, kind="error", text=text, error_code=err.code)

    def escalate_blocker(
        self, standup: BlockerEscalations | None, key: str, actor: Actor, *, language: str
    ) -> CommandResult:
        """A standup report's blocker as an escalation; a second click (by anyone) returns the first."""
        language = normalise_language(language)
        if standup is None:
            return self.error(StandupError("no_escalations", "no standup service"), language)
        try:
            outcome = standup.escalate_blocker(key, actor, language=language)
        except (StandupError, EscalationError) as err:
            return self.error(err, language)
        esc = outcome.escalation
        said = "standup-escalated-before" if outcome.replayed else "standup-escalated"
        text = t(language, said, team=self.kb.team_name(esc.team, language), ref=esc.ref)
        return CommandResult(ok=True, kind="created", text=text, outcome=outcome, escalation=esc)

    def standup(
        self, standup: StandupActions, request: StandupRequest, *, language: str | None = None
    ) -> CommandResult:
        """A person's standup answer, skip or status (chat lines, DMs, `rolebot standup`): the reply, or
        the refusal, in `language`, else the person's (their team's when they have none)."""
        try:
            reply = carry_out(standup, request, language)
        except StandupError as err:
            return self.error(err, language or standup.language_of(request.person, request.team or ""))
        return CommandResult(ok=True, kind="text", text=reply.text)

    def loop_in(
        self, watchers: TeamWatchers, ref: str, actor: Actor, team: str, *, language: str
    ) -> CommandResult:
        """`team` watches `ref` from now on (its channel gets the card); twice changes nothing."""
        language = normalise_language(language)
        try:
            outcome = watchers.add(ref, actor, team)
        except EscalationError as err:
            return self.error(err, language)
        said = "channels-loop-in-already" if outcome.replayed else "channels-loop-in-done"
        text = t(language, said, ref=ref, team=self.kb.team_name(team, language))
        return CommandResult(
            ok=True, kind="updated", text=text, outcome=outcome, escalation=outcome.escalation
        )

    def sweep(self, language: str) -> CommandResult:
        """Move overdue escalations up their chains now (`rolebot sweep`; the scheduler sweeps on its own)."""
        outcomes = tuple(self.service.sweep())
        text = self.text(language).sweep(outcomes)
        return CommandResult(ok=True, kind="sweep", text=text, outcomes=outcomes)

    def command_error(self, err: CommandError, language: str) -> CommandResult:
        return CommandResult(
            ok=False, kind="error", text=err.message(normalise_language(language)), error_code=err.code
        )

    def escalation_error(self, err: EscalationError, language: str) -> CommandResult:
        text = self.text(language).error(err, self._team_of(err))
        return CommandResult(ok=False, kind="error", text=text, error_code=err.code)

    # ---------------------------------------------------------------- helpers
    def _update(self, command: Command, actor: Actor, request_id: str | None) -> Outcome:
        ref = command.ref or ""
        service = self.service
        if command.name == "ack":
            return service.acknowledge(ref, actor, request_id=request_id)
        if command.name == "resolve":
            return service.resolve(ref, actor, command.text, request_id=request_id)
        if command.name == "reopen":
            return service.reopen(ref, actor, request_id=request_id)
        if command.name == "cancel":
            return service.cancel(ref, actor, request_id=request_id)
        if command.name == "reassign":
            return service.reassign(ref, actor, command.team or "", command.text, request_id=request_id)
        if command.name == "comment":
            return service.comment(ref, actor, command.text, request_id=request_id)
        return service.bump(ref, actor, request_id=request_id)

    def _outcome_result(self, kind: str, outcome: Outcome, actor: Actor, language: str) -> CommandResult:
        text = self.text(language).outcome(outcome, actor)
        return CommandResult(ok=True, kind=kind, text=text, outcome=outcome, escalation=outcome.escalation)

    def _list(self, command: Command, actor: Actor, language: str) -> CommandResult:
        scope = command.scope or "open"
        found = self.service.list(ListFilter(scope=scope, team=command.team, actor=actor))
        text = self.text(language).listing(found, scope, command.team)
        return CommandResult(ok=True, kind="list", text=text, escalations=tuple(found))

    def _show(self, command: Command, actor: Actor, language: str) -> CommandResult:
        escalation = self.service.get(command.ref or "")
        history = self.service.history(escalation.ref)
        text = self.text(language, actor).details(escalation, history)
        return CommandResult(ok=True, kind="show", text=text, escalation=escalation, history=tuple(history))

    def _team_of(self, err: EscalationError) -> str | None:
        """The accountable team named in a refusal ('only members of Warehouse ...')."""
        team = err.args_for_message.get("team")
        if team:
            return str(team)
        ref = err.args_for_message.get("ref")
        if err.code != "forbidden" or not ref:
            return None
        try:
            return self.service.get(str(ref)).team
        except EscalationError:
            return None


def _utc_now() -> datetime:
    return datetime.now(UTC)


__all__ = [
    "BlockerEscalations",
    "CommandResult",
    "CommandRunner",
    "EscalationWorkflow",
    "StandupRequest",
    "TeamWatchers",
]
