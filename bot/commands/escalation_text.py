"""Plain-text escalation replies in one language: summary lines, lists, details, help and errors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_timedelta

from bot.commands.language import SCOPES, VERBS
from bot.directory import Directory
from bot.escalations.models import Actor, AuditEvent, Escalation, EscalationError, Outcome, State
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from bot.languages import babel_locale
from bot.times import moment

_STATES = frozenset(state.value for state in State)
_ACTOR_VERBS = {"acknowledged", "resolved", "reopened", "cancelled", "reassigned"}


@dataclass(frozen=True)
class EscalationText:
    """Renders escalations for `language` as seen at `now` (ages and due times are relative to it)."""

    language: str
    kb: KnowledgeBase
    directory: Directory
    now: datetime
    reader: str | None = None  # the directory person reading: times are shown in their zone

    @property
    def locale(self) -> str:
        return babel_locale(self.language)

    def t(self, key: str, **args: Any) -> str:
        return t(self.language, key, **args)

    # ---------------------------------------------------------------- pieces
    def team_name(self, team_id: str) -> str:
        return self.kb.team_name(team_id, self.language)

    def relative(self, when: datetime) -> str:
        """'3 hours ago' / 'in 40 minutes' / 'just now', in this language."""
        if abs((when - self.now).total_seconds()) < 60:
            return self.t("esc-just-now")
        return format_timedelta(when - self.now, add_direction=True, locale=self.locale)

    def state(self, state: State | str) -> str:
        value = state.value if isinstance(state, State) else str(state)
        return self.t(f"esc-state-{value}") if value in _STATES else value

    def actor_name(self, actor: Actor | str) -> str:
        """Display name for an Actor or an audit key like 'slack:U0ADA'."""
        if isinstance(actor, Actor):
            platform, user_id, shown = actor.platform, actor.user_id, actor.display_name
        else:
            platform, _, user_id = actor.partition(":")
            shown = ""
        if platform == "system":
            return "rolebot"
        on_platform = platform in ("slack", "teams", "cli")
        person = self.directory.person_for(platform, user_id) if on_platform else None
        return person.name if person else (shown or user_id or str(actor))

    def level_name(self, team: str, level: int) -> str:
        chain = self.directory.policy(team).chain
        return chain[level].name if 0 <= level < len(chain) else str(level + 1)

    def line(self, esc: Escalation) -> str:
        """One line: ref, priority, state, team, age and summary; flagged when overdue."""
        text = self.t(
            "esc-line",
            ref=esc.ref,
            priority=esc.priority,
            state=self.state(esc.state),
            team=self.team_name(esc.team),
            age=self.relative(esc.created_at),
            summary=_one_line(esc.summary),
        )
        return f"{self.t('esc-overdue-tag')} {text}" if esc.overdue(self.now) else text

    def due(self, esc: Escalation) -> str | None:
        """When the next step (acknowledge or resolve) is due, or was due."""
        if esc.state is State.OPEN and esc.ack_due is not None:
            key = "esc-ack-late" if esc.ack_due <= self.now else "esc-ack-due"
            return self.t(key, when=self.relative(esc.ack_due))
        if esc.state is State.ACKNOWLEDGED and esc.resolve_due is not None:
            key = "esc-resolve-late" if esc.resolve_due <= self.now else "esc-resolve-due"
            return self.t(key, when=self.relative(esc.resolve_due))
        return None

    # ---------------------------------------------------------------- replies
    def outcome(self, outcome: Outcome, actor: Actor | None = None) -> str:
        """What an action did, the escalation's line, and what is due next."""
        esc = outcome.escalation
        args: dict[str, Any] = {
            "ref": esc.ref,
            "priority": esc.priority,
            "team": self.team_name(esc.team),
            "level": esc.level + 1,
            "level_name": self.level_name(esc.team, esc.level),
        }
        if outcome.action in _ACTOR_VERBS:
            args["actor"] = self.actor_name(actor) if actor else "rolebot"
        if outcome.action == "reassigned":
            args["from"] = self.team_name(outcome.previous_team or esc.team)
            args["to"] = self.team_name(esc.team)
        lines = [self.t(f"esc-{outcome.action}", **args)]
        if outcome.action != "created":
            lines.append(self.line(esc))
        due = self.due(esc)
        if due:
            lines.append(due)
        if outcome.replayed:
            lines.append(self.t("esc-replayed"))
        return "\n".join(lines)

    def listing(self, escalations: Iterable[Escalation], scope: str, team: str | None) -> str:
        found = list(escalations)
        scope_text = self.scope(scope, team)
        if not found:
            return self.t("esc-list-empty", scope=scope_text)
        lines = [self.t("esc-list-title", count=len(found), scope=scope_text)]
        lines += [f"  {self.line(esc)}" for esc in found]
        return "\n".join(lines)

    def scope(self, scope: str, team: str | None) -> str:
        if scope == "team" and team:
            return self.t("esc-scope-team", team=self.team_name(team))
        return self.t(f"esc-scope-{scope}") if scope in SCOPES else scope

    def details(self, esc: Escalation, history: Iterable[AuditEvent]) -> str:
        """Everything about one escalation, then its history."""
        lines = [
            self.line(esc),
            self.t(
                "esc-show-requester", name=self.actor_name(esc.requester), age=self.relative(esc.created_at)
            ),
        ]
        if esc.role and esc.role in self.kb.roles:
            lines.append(self.t("esc-show-role", role=self.kb.roles[esc.role].name(self.language)))
        level_name = self.level_name(esc.team, esc.level)
        lines.append(self.t("esc-show-level", level=esc.level + 1, level_name=level_name))
        due = self.due(esc)
        if due:
            lines.append(due)
        if esc.details:
            lines.append(self.t("esc-show-details", details=esc.details))
        if esc.message_link:
            lines.append(self.t("esc-show-source", link=esc.message_link))
        lines.append(self.t("esc-history-title"))
        # The reader's zone, not the escalation's team's: an entry keeps its time when the team changes.
        zone = self.directory.zone_of(self.reader)
        for event in history:
            when = moment(event.at, self.language, zone)
            action = self.t("esc-history-action", action=event.action)
            entry = self.t("esc-history-line", when=when, who=self.actor_name(event.actor), action=action)
            lines.append(f"  {entry}: {event.comment}" if event.comment else f"  {entry}")
        return "\n".join(lines)

    def help(self, verb: str | None = None) -> str:
        """Usage and description of every command, or of one."""
        verbs = [verb] if verb in VERBS else list(VERBS)
        lines = [] if verb else [self.t("cmd-help-title")]
        for name in verbs:
            lines += [f"  {self.t(f'cmd-usage-{name}')}", f"      {self.t(f'cmd-help-{name}')}"]
        if not verb:
            lines.append(self.t("cmd-help-footer"))
        return "\n".join(lines)

    def sweep(self, outcomes: Iterable[Outcome]) -> str:
        done = list(outcomes)
        if not done:
            return self.t("esc-sweep-none")
        return "\n".join(
            [
                self.t("esc-sweep-title", count=len(done)),
                *("  " + self.outcome(o).replace("\n", "\n    ") for o in done),
            ]
        )

    def error(self, err: EscalationError, team: str | None = None) -> str:
        """A refusal or failure from the workflow, in this language."""
        args = {key: value for key, value in err.args_for_message.items() if value is not None}
        if err.code == "unknown_team":
            return self._unknown_team(str(args.get("team", "")), str(args.get("suggestion") or ""))
        if (
            err.code == "wrong_state"
            and args.get("action") == "bump"
            and args.get("state") in (State.OPEN.value, State.ACKNOWLEDGED.value)
        ):
            return self.t("error-bump-top", ref=args.get("ref", ""))
        action = str(args.get("action", ""))
        args.update(
            state_name=self.state(str(args.get("state", ""))),
            action_name=self.t(f"esc-verb-{action}") if action else "",
            team_name=self.team_name(team) if team else "",
            field_name=self._field(str(args.get("field", ""))),
            teams=", ".join(sorted(self.kb.teams)),
        )
        for name in ("ref", "reason", "value", "question", "action", "length", "limit"):
            args.setdefault(name, "")
        text = self.t(err.key, **args)
        return text if text != err.key else str(err)  # a key we have no text for: the service's English

    def _unknown_team(self, team: str, suggestion: str) -> str:
        if suggestion:
            return self.t("cmd-unknown-team-suggest", team=team, suggestion=suggestion)
        return self.t("cmd-unknown-team", team=team, teams=", ".join(sorted(self.kb.teams)))

    def _field(self, field: str) -> str:
        text = self.t(f"esc-field-{field}") if field else ""
        return field if text == f"esc-field-{field}" else text


def _one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


__all__ = ["EscalationText"]
