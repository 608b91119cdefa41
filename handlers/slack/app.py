"""The slack_bolt App factory: listeners that ack at once and hand the payload to the translation layer.

Ack idiom: process_before_response=True with ack functions that hand their work to the listener
executor. The ack function runs on the HTTP server's request thread and the response leaves as soon as
it returns; the work (the slow part: routing, SQLite, Web API calls) runs afterwards on the executor.
With bolt's default (process_before_response=False) the whole listener, ack included, waits for a free
executor worker while the request thread polls for ack(), so a burst of slow requests delays every ack
behind them. bolt's own lazy listeners are not used: they deep-copy the whole request on the ack path.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.config import Config
from bot.conversation.assistant import Assistant
from bot.directory import Directory
from bot.escalations.service import EscalationService
from bot.i18n import t
from bot.knowledge import KnowledgeBase
from handlers.slack import channels, questions, standup, workflow
from handlers.slack.context import LocaleCache, SlackContext
from handlers.slack.intake import SlackIntake
from handlers.slack.render import blocks, views

if TYPE_CHECKING:
    from bot.conversation.channels import ChannelListener
    from bot.conversation.watchers import Watchers
    from bot.identities import Identities
    from bot.standup.service import StandupService

log = logging.getLogger(__name__)
SLACK_API_URL = "https://slack.com/api/"
Work = Callable[[SlackContext, WebClient, dict[str, Any]], None]


def make_client(config: Config) -> WebClient:
    """The bot's WebClient: SLACK_API_URL (tests, proxies) and one retry after a 429's Retry-After."""
    config.require("slack_bot_token")
    base_url = config.slack_api_url or SLACK_API_URL
    client = WebClient(token=config.slack_bot_token, base_url=base_url.rstrip("/") + "/", timeout=10)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    return client


def create_app(
    config: Config,
    assistant: Assistant,
    service: EscalationService,
    *,
    kb: KnowledgeBase,
    directory: Directory,
    client: WebClient | None = None,
    executor: Executor | None = None,
    standup_service: StandupService | None = None,
    identities: Identities | None = None,
    listener: ChannelListener | None = None,
    watchers: Watchers | None = None,
    intake: SlackIntake,
) -> App:
    """A bolt App wired to the core. Fails at once, naming the variable, when a setting is missing.

    intake: the inbox every request is committed to before its ack, and the bounded backlog."""
    config.require("slack_bot_token", "slack_signing_secret")
    executor = executor or ThreadPoolExecutor(max_workers=16)
    app = App(
        name="rolebot",
        signing_secret=config.slack_signing_secret,
        client=client or make_client(config),
        process_before_response=True,
        listener_executor=executor,
        logger=logging.getLogger("rolebot.slack.bolt"),
    )
    ctx = SlackContext(
        assistant,
        service,
        kb,
        directory,
        LocaleCache(),
        standup_service,
        client=app.client,
        identities=identities,
        channels=listener,
        watchers=watchers,
    )
    app.middleware(intake.middleware)
    register(app, ctx, intake, executor)
    return app


def recover_inbox(app: App, intake: SlackIntake, *, follow: bool = False) -> int:
    """Finish the state changes taken in (acknowledged) before the last stop but never done; `follow`:
    then, with replicas, go on taking over those of a replica that died, until the intake stops."""
    ctx: SlackContext = app._rolebot_ctx  # type: ignore[attr-defined]

    def run(route: str, body: dict[str, Any]) -> None:
        work = DURABLE_WORK.get(route)
        if work is None:
            log.error("inbox route %s is unknown: request given up", route)
            intake.finished(body, failed=True)
            intake.backlog.release()
            return
        lazy(ctx, work, intake)(body, app.client)

    done = intake.recover(run)
    if follow:
        intake.follow(run)
    return done


def lazy(ctx: SlackContext, work: Work, intake: SlackIntake) -> Callable[..., None]:
    """Run `work` after the ack; an unexpected failure is logged and the user told, never lost silently.
    Then the inbox row is done (a crash before this point: the work is run again at start-up)."""

    def run(body: dict[str, Any], client: WebClient) -> None:
        try:
            _run_work(ctx, work, body, client)
            intake.finished(body)
        finally:
            intake.backlog.release()

    run.__name__ = run.__qualname__ = f"lazy_{work.__name__}"
    return run


def _run_work(ctx: SlackContext, work: Work, body: dict[str, Any], client: WebClient) -> None:
    try:
        work(ctx, client, body)
    except Exception:
        log.exception("slack %s failed", work.__name__)
        user = (
            body.get("user_id") or (body.get("user") or {}).get("id") or (body.get("event") or {}).get("user")
        )
        if user:
            ctx.reply_private(client, None, str(user), t(ctx.language(client, str(user)), "slack-error"))


def _ack(ack: Ack, body: dict[str, Any]) -> None:
    ack()


def _counted(
    ack_function: Callable[..., None], work: Callable[..., None], intake: SlackIntake, executor: Executor
) -> Callable[..., None]:
    """The ack, then the work handed to `executor` (to run after the response), counted in the backlog
    until it ends. Nothing else runs before the ack: the inbox commit happened in the middleware."""

    wants = set(inspect.signature(ack_function).parameters)

    def ack_and_count(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        given = {"ack": ack, "body": body, "client": client}
        intake.backlog.take()
        try:
            ack_function(**{name: value for name, value in given.items() if name in wants})
            executor.submit(work, body, client)
        except BaseException:
            intake.backlog.release()
            raise

    ack_and_count.__name__ = f"ack_{work.__name__}"
    return ack_and_count


ListenerSpec = tuple[str, "str | re.Pattern[str]", Callable[..., None], "Work | None"]


def listeners(ctx: SlackContext) -> list[ListenerSpec]:
    """Every listener, for the sync App and the AsyncApp alike: (the App decorator's name, what it
    matches, what runs before the ack (it acks), the work after the ack or None when there is none)."""

    def opens_a_modal(work: Work) -> tuple[Callable[..., None], None]:
        return _open_then_ack(ctx, work), None

    return [
        ("event", "message", _ack, _message),
        ("event", "app_mention", _ack, _mention),
        ("event", "app_home_opened", _ack, _home),
        ("event", "reaction_added", _ack, channels.reaction_added),
        ("command", "/whohandles", _ack, _whohandles),
        ("command", "/escalate", _ack_escalate(ctx), _escalate),
        ("action", blocks.ESCALATE, *opens_a_modal(workflow.escalate_button)),
        ("action", blocks.WRONG_TEAM, *opens_a_modal(questions.open_correction)),
        ("action", re.compile(rf"^{blocks.ALTERNATIVE}_\d+$"), _ack, questions.pick_alternative),
        ("action", blocks.ACK, _ack, _acknowledge),
        ("action", re.compile(rf"^{blocks.LOOP_IN}_\d+$"), _ack, channels.loop_in_button),
        ("action", blocks.RESOLVE, _ack, _resolve),
        ("action", blocks.REASSIGN, *opens_a_modal(workflow.open_reassign)),
        ("view", blocks.ESCALATE_MODAL, _ack_modal(ctx), workflow.submit_modal),
        ("view", blocks.CORRECT_MODAL, _ack, questions.submit_correction),
        ("view", blocks.REASSIGN_MODAL, _ack, workflow.submit_reassign),
        ("shortcut", blocks.SHORTCUT, _ack, workflow.message_shortcut),
        ("action", standup.ESCALATE_ACTION, _ack, standup.escalate_blocker_button),
    ]


def register(app: App, ctx: SlackContext, intake: SlackIntake, executor: Executor) -> None:
    """Every listener: an ack (quick, on the request thread) and its work (after the response)."""
    app._rolebot_ctx = ctx  # type: ignore[attr-defined]  # for recover_inbox and the AsyncApp front
    app._rolebot_executor = executor  # type: ignore[attr-defined]
    app._rolebot_intake = intake  # type: ignore[attr-defined]
    for kind, match, ack, work in listeners(ctx):
        decorate = getattr(app, kind)(match)
        decorate(ack if work is None else _counted(ack, lazy(ctx, work, intake), intake, executor))


def _open_then_ack(ctx: SlackContext, work: Work) -> Callable[..., None]:
    """views.open on the request thread, before the ack: its trigger_id expires 3 s after the click, and
    under a burst the lazy executor may start later than that."""

    def open_then_ack(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        try:
            work(ctx, client, body)
        except Exception:
            log.exception("slack %s failed", work.__name__)
            user = str(body.get("user_id") or (body.get("user") or {}).get("id") or "")
            if user:  # as after the ack (_lazy): the user hears that it failed
                ctx.reply_private(client, None, user, t(ctx.language(client, user), "slack-error"))
        ack()

    open_then_ack.__name__ = f"ack_{work.__name__}"
    return open_then_ack


def _ack_escalate(ctx: SlackContext) -> Callable[..., None]:
    """Bare /escalate opens the modal right here, before the ack (see _open_then_ack)."""
    open_modal = _open_then_ack(ctx, workflow.open_command_modal)

    def ack_escalate(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        if _has_text(body):
            ack()
        else:
            open_modal(ack, body, client)

    ack_escalate.only_acks = _has_text  # type: ignore[attr-defined]  # the AsyncApp acks these on its loop
    return ack_escalate


def _has_text(body: dict[str, Any]) -> bool:
    return bool(str(body.get("text") or "").strip())


def _ack_modal(ctx: SlackContext) -> Callable[..., None]:
    """Validate the escalate modal inside the ack: Slack shows errors only from the ack's response."""

    def ack_escalate_modal(ack: Ack, body: dict[str, Any]) -> None:
        view = body["view"]
        summary = views.view_values(view).get("summary", "")
        language = ctx.assistant.language_for(summary, ctx.actor(body["user"])) if summary.strip() else "en"
        errors = workflow.modal_errors(view, language)
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    return ack_escalate_modal


QUESTION_SUBTYPES = frozenset({None, "file_share"})  # a question may come with a file attached


def _from_a_person(event: dict[str, Any]) -> bool:
    return event.get("subtype") in QUESTION_SUBTYPES and not event.get("bot_id")


def _message(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    event = body.get("event") or {}
    if event.get("channel_type") in ("channel", "group"):
        channels.channel_message(ctx, client, body)  # request channels; silent everywhere else
        return
    if event.get("channel_type") != "im" or not _from_a_person(event):
        return  # edits, joins and bot posts are not questions to us
    questions.answer_message(ctx, client, event, body.get("event_id"), in_thread=False)


def _mention(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    event = body.get("event") or {}
    if not _from_a_person(event):
        return  # other bots mentioning us would start bot-to-bot loops
    if event.get("channel_type") == "im" or str(event.get("channel", "")).startswith("D"):
        return  # a mention in our DM also arrives as message.im, which answers it
    questions.answer_message(ctx, client, event, body.get("event_id"), in_thread=True)


def _home(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    event = body.get("event") or {}
    if event.get("tab", "home") == "home":
        workflow.publish_home(ctx, client, str(event.get("user")))


def _acknowledge(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    workflow.card_action(ctx, client, body, "ack")


def _resolve(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    workflow.card_action(ctx, client, body, "resolve")


def _respond(body: dict[str, Any]) -> Callable[..., Any]:
    from slack_bolt.context.respond import Respond

    return Respond(response_url=body.get("response_url"))


def _whohandles(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    questions.whohandles(ctx, client, body, _respond(body))


def _escalate(ctx: SlackContext, client: WebClient, body: dict[str, Any]) -> None:
    workflow.escalate_command(ctx, client, body, _respond(body))


# What the inbox runs again at start-up, by intake.durable_route.
DURABLE_WORK: dict[str, Work] = {
    "event:message": _message,
    "event:app_mention": _mention,
    "command:/escalate": _escalate,
    f"view:{blocks.ESCALATE_MODAL}": workflow.submit_modal,
    f"view:{blocks.REASSIGN_MODAL}": workflow.submit_reassign,
    f"action:{blocks.ACK}": _acknowledge,
    f"action:{blocks.RESOLVE}": _resolve,
    f"action:{standup.ESCALATE_ACTION}": standup.escalate_blocker_button,
    f"shortcut:{blocks.SHORTCUT}": workflow.message_shortcut,
}
