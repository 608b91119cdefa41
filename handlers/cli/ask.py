"""CLI commands for questions: `rolebot ask`, `rolebot eval` and the interactive `rolebot chat`."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from bot.config import Config
from bot.directory import Directory
from bot.router import MAX_QUESTION_CHARS, Router


def _router() -> Router:
    """The router over the configured knowledge, with corrections from the database when one exists."""
    from bot.runtime import load_router

    return load_router(
        Config.from_env(os.environ), warn=lambda problem: click.echo(f"warning: {problem}", err=True)
    )


def _setup() -> tuple[Router, Directory]:
    """Router and directory; a configuration problem is one line and exit 2, never a traceback."""
    from bot.config import ConfigError
    from bot.directory import DirectoryError
    from bot.knowledge import KnowledgeError
    from bot.runtime import load_directory_for

    try:
        return _router(), load_directory_for(Config.from_env(os.environ))
    except (ConfigError, KnowledgeError, DirectoryError) as exc:
        click.echo(f"error: {' '.join(str(exc).split())}", err=True)
        sys.exit(2)


def _answer_dict(router: Router, directory: Directory, question: str) -> dict[str, Any]:
    from bot.conversation.answers import build_answer

    return build_answer(router.route(question), router.kb, directory).as_dict()


def _check_question(question: str) -> str | None:
    """A one-line problem with the question, or None when it can be routed."""
    if not question.strip():
        return "empty question: ask something like 'who handles returns?'"
    if len(question) > MAX_QUESTION_CHARS:
        return f"question too long: {len(question)} characters (limit {MAX_QUESTION_CHARS})"
    return None


def _batch_lines(stream: IO[bytes]) -> Iterator[tuple[str | None, str | None]]:
    """(question, error) per input line: plain text or a JSON object with a string "q". Read as bytes
    so that one line that is not UTF-8 is reported on its own and the rest are still answered."""
    for number, data in enumerate(stream, 1):
        try:
            raw = data.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield None, f"line {number} is not valid UTF-8 (byte {exc.start + 1})"
            continue
        line = raw.rstrip("\r\n")
        if not line.strip():
            yield None, "empty line"
            continue
        if line.lstrip().startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield None, f"invalid JSON: {exc.msg}"
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("q"), str):
                yield None, 'JSON line needs a string field "q"'
                continue
            line = obj["q"]
        problem = _check_question(line)
        yield (None, problem) if problem else (line, None)


@click.command()
@click.argument("question", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per answer.")
@click.option("--batch", type=click.File("rb"), help="File of questions, one per line ('-' = stdin).")
def ask(question: tuple[str, ...], as_json: bool, batch: IO[bytes] | None) -> None:
    """Ask who is accountable for something, e.g. rolebot ask "who handles returns?"."""
    router, directory = _setup()
    if batch is not None:
        for text, error in _batch_lines(batch):
            out = {"error": error} if text is None else _answer_dict(router, directory, text)
            click.echo(json.dumps(out, ensure_ascii=False))
        return
    text = " ".join(question)
    problem = _check_question(text)
    if problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    data = _answer_dict(router, directory, text)
    click.echo(json.dumps(data, ensure_ascii=False) if as_json else data["answer"])


@click.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--without",
    "without",
    multiple=True,
    type=click.Choice(["terms", "examples"]),
    help="Measure the knowledge with these lists removed (what an organisation's own guides give).",
)
def evaluate_file(file: Path, as_json: bool, without: tuple[str, ...]) -> None:
    """Measure routing accuracy on a JSONL file of {"q", "team", "role"} lines."""
    from bot.evaluation import evaluate, parse_case
    from bot.knowledge import without_fields

    cases = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(parse_case(line))
            except (ValueError, json.JSONDecodeError) as exc:
                click.echo(f"error: {file}:{number}: {exc}", err=True)
                sys.exit(2)
    router = _router()
    if without:
        router = Router(without_fields(router.kb, without))
    report = evaluate(cases, router.route)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    _print_report(report.as_dict())


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{value * 100:5.1f}%"


def _print_report(data: dict[str, Any]) -> None:
    if data["misses"]:
        click.echo("misses:")
        for miss in data["misses"]:
            click.echo(
                f"  {miss['q']!r}: expected {miss['expected_team']}/{miss['expected_role']}, "
                f"got {miss['got_team']}/{miss['got_role']} ({miss['confidence']}), offered {miss['offered']}"
            )
    click.echo("             team    role  abstain    wrong  offered   (n team/role/oos)")
    rows = [*data["by_language"].items(), *data["by_kind"].items(), ("overall", data["overall"])]
    for name, row in rows:
        counts = row["counts"]
        click.echo(
            f"{name:10} {_pct(row['team_accuracy'])} {_pct(row['role_accuracy'])} "
            f"{_pct(row['abstention_accuracy'])} {_pct(row['wrong_team_rate'])} "
            f"{_pct(row['right_team_offered'])}   "
            f"({counts['team']}/{counts['role']}/{counts['out_of_scope']})"
        )
    if data["wrapped_same_as_bare"] is not None:
        click.echo(f"chat messages routed like their bare question: {_pct(data['wrapped_same_as_bare'])}")


def _typed_lines() -> Iterator[str]:
    """Lines typed at a terminal, with line editing (arrow keys, Home/End) and history (up/down)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    session: PromptSession[str] = PromptSession(history=InMemoryHistory())  # typed text stays in memory
    while True:
        try:
            yield session.prompt("> ")
        except KeyboardInterrupt:
            continue  # Ctrl-C clears the line, as in a shell
        except EOFError:
            return


@click.command()
@click.option(
    "--as", "user", default=None, help="Directory person id to act as (default: $ROLEBOT_USER or $USER)."
)
def chat(user: str | None) -> None:
    """Talk to the bot in the terminal: questions and the same commands as on Slack/Teams."""
    from bot.runtime import build_assistant

    config = Config.from_env(os.environ)
    assistant = build_assistant(config)
    person = user or os.environ.get("ROLEBOT_USER") or os.environ.get("USER") or "cli-user"
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if interactive:
        click.echo("rolebot chat: ask a question or type 'help'. Ctrl-D to quit.")
    from bot.conversation.answers import Answer
    from bot.conversation.assistant import IncomingMessage

    offer: Answer | None = None  # the last "did you mean one of these?", answered by a number
    lines = _typed_lines() if interactive else iter(sys.stdin)
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if text in {"quit", "exit"}:
            break
        if not text:
            continue
        if offer is not None and text.isdigit() and int(text) <= len(offer.alternatives):
            click.echo(_pick(assistant, offer, int(text), person))
            offer = None
            continue
        reply = assistant.handle(
            IncomingMessage(
                platform="cli",
                user_id=person,
                text=text,
                request_id=f"chat-{os.getpid()}-{number}",
                direct=True,
            )
        )
        offer = (
            reply if isinstance(reply, Answer) and reply.routing.abstained and reply.alternatives else None
        )
        click.echo(reply.text)
        if interactive:
            click.echo("")


def _pick(assistant: Any, offer: Any, choice: int, person: str) -> str:
    """The asker's pick among offered teams: 0 is "none of these" (the fallback contact), any other number
    is recorded as the asker's own correction and answered as if the bot had been sure."""
    from bot.conversation.answers import fallback_line

    if choice == 0:
        return str(fallback_line(offer.fallback, offer.language))
    picked = offer.alternatives[choice - 1]
    actor = assistant.actor_for("cli", person)
    answer = assistant.correct(  # the person picking is the one who asked
        offer.routing.question,
        None,
        picked.team,
        actor,
        corrected_role=picked.role,
        language=offer.language,
        asker=actor.key,
    )
    return str(answer.text)


def register(cli: click.Group) -> None:
    """Add ask, eval and chat to the root group."""
    cli.add_command(ask)
    cli.add_command(evaluate_file)
    cli.add_command(chat)
