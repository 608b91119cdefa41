"""The one module that imports botbuilder: activity JSON in -> our TurnLogic -> activity JSON out.

botbuilder-python is archived upstream; its successor is the Microsoft 365 Agents SDK
(microsoft-agents-hosting-*). Everything else in handlers/teams speaks plain JSON dicts through the small
interface below (TurnLogic, TurnReply, BotFrameworkBridge), so moving SDKs means rewriting only this file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any, Protocol

import jwt
import requests
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    CallerIdConstants,
    ConversationParameters,
    ConversationReference,
)
from botframework.connector.auth import AuthenticationConstants, BotFrameworkAuthentication

from bot.config import Config, ConfigError

log = logging.getLogger(__name__)
TEAMS_CHANNEL_ID = "msteams"
Authentication = BotFrameworkAuthentication  # what create_app(authentication=...) accepts


@dataclass(frozen=True)
class BotSettings:
    """Bot registration settings (MicrosoftAppId & co). No app id: unauthenticated, for the Emulator."""

    app_id: str | None = None
    app_password: str | None = None
    tenant_id: str | None = None
    app_type: str | None = None  # MultiTenant (default) | SingleTenant | UserAssignedMSI
    # Where the channel publishes its token signing keys; only overridden for sovereign clouds or tests.
    openid_metadata_url: str | None = None


@dataclass(frozen=True)
class TurnReply:
    """What our logic answers to one inbound activity: messages to send back, an invoke response."""

    activities: tuple[dict[str, Any], ...] = ()
    invoke_status: int | None = None
    invoke_body: Any = None


class TurnLogic(Protocol):
    """Our side of a turn: the inbound activity as JSON, the reply as JSON (handlers/teams/turns.py)."""

    async def on_activity(self, activity: dict[str, Any]) -> TurnReply: ...


@dataclass(frozen=True)
class BridgeResponse:
    """HTTP status and JSON body for POST /api/messages."""

    status: int
    body: Any = None


@dataclass
class _Sent:
    ids: list[str | None] = field(default_factory=list)
    reference: dict[str, Any] | None = None


def activity_json(activity: Activity) -> dict[str, Any]:
    """The activity as Bot Framework JSON. msrest drops entity fields it has no model for (a mention's
    text and mentioned), so entities are rebuilt from their additional properties."""
    data: dict[str, Any] = activity.serialize()
    if activity.entities:
        data["entities"] = [
            {**(getattr(entity, "additional_properties", None) or {}), "type": entity.type}
            for entity in activity.entities
        ]
    return data


class ActivityBot:
    """A botbuilder Bot whose on_turn hands the activity to our TurnLogic and sends back its reply."""

    def __init__(self, logic: TurnLogic) -> None:
        self.logic = logic

    async def on_turn(self, context: TurnContext) -> None:
        reply = await self.logic.on_activity(activity_json(context.activity))
        for outgoing in reply.activities:
            await context.send_activity(Activity().deserialize(dict(outgoing)))
        if reply.invoke_status is not None:
            await context.send_activity(
                Activity(
                    type=ActivityTypes.invoke_response,
                    value=InvokeResponse(status=reply.invoke_status, body=reply.invoke_body),
                )
            )


def _raising(
    work: Callable[[TurnContext], Awaitable[None]],
) -> tuple[Callable[[TurnContext], Awaitable[None]], Callable[[], None]]:
    """Wrap a proactive callback so its failure reaches our caller: the adapter's pipeline would hand
    it to on_turn_error and swallow it, and the notifier must know a delivery failed."""
    errors: list[Exception] = []

    async def guarded(context: TurnContext) -> None:
        try:
            await work(context)
        except Exception as exc:
            errors.append(exc)

    def check() -> None:
        if errors:
            raise errors[0]

    return guarded, check


class TeamReader:
    """Roster and channel reads of a Teams team, as plain dicts (TeamsChannelAccount JSON, channel ids)."""

    def __init__(self, context: TurnContext) -> None:
        self.context = context

    async def members_page(
        self, team: str, token: str | None, size: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the team's members and the continuation token of the next (None: last page)."""
        page = await TeamsInfo.get_paged_team_members(self.context, team, token, size)
        members = [m.serialize() for m in page.members or ()]
        return members, page.continuation_token

    async def member(self, team: str, user: str) -> dict[str, Any]:
        """One member of the team by Teams user id, AAD object id or UPN (GET .../members/{user}); the
        connector raises (404) when the team has no such member."""
        client = self.context.turn_state[self.context.adapter.BOT_CONNECTOR_CLIENT_KEY]
        found = await client.conversations.get_conversation_member(team, user)
        # email and userPrincipalName are Teams fields a plain ChannelAccount keeps as extras
        return {**(getattr(found, "additional_properties", None) or {}), **found.serialize()}

    async def channel_ids(self, team: str) -> list[str]:
        client = await TeamsInfo.get_teams_connector_client(self.context)
        # the SDK's teams operations are synchronous: keep them off the event loop
        listing = await asyncio.to_thread(client.teams.get_teams_channels, team)
        return [str(c.id) for c in listing.conversations or ()]


KEY_FETCH_TIMEOUT = 10.0  # seconds for each of the two requests that fetch the channel's signing keys


async def _refresh_keys_off_the_loop(metadata: Any) -> None:
    """botbuilder's _OpenIdMetadata._refresh, in a worker thread and with a timeout: upstream fetches the
    keys with a blocking `requests.get` and no timeout, freezing every request (and /healthz) meanwhile."""

    def fetch() -> list[Any]:
        response = requests.get(metadata.url, timeout=KEY_FETCH_TIMEOUT)
        response.raise_for_status()
        keys = requests.get(response.json()["jwks_uri"], timeout=KEY_FETCH_TIMEOUT)
        keys.raise_for_status()
        return list(keys.json()["keys"])

    metadata.keys = await asyncio.to_thread(fetch)
    metadata.last_updated = datetime.now()


def _fetch_keys_off_the_loop() -> None:
    # The class is private to botbuilder (archived upstream, so it will not change under us).
    from botframework.connector.auth import jwt_token_extractor

    jwt_token_extractor._OpenIdMetadata._refresh = _refresh_keys_off_the_loop


def _quick_retry_policy() -> None:
    """botbuilder makes two connector clients per turn, and msrest's retry policy for each tests 999
    status codes against a 500-item list: ~3 ms of CPU on the event loop per client, before the 200.
    A frozenset of the same codes gives the same policy at once."""
    from msrest.universal_http.requests import ClientRetryPolicy

    ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]


def token_problem(auth_header: str, app_id: str) -> str | None:
    """Why `auth_header` cannot be a Bot Framework token for `app_id` (None: worth verifying). Checked
    before the body is read or parsed, without any network; the signature is verified afterwards."""
    scheme, _, token = auth_header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return "no bearer token"
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return "not a JWT"
    if header.get("alg") != "RS256" or not header.get("kid"):
        return "not signed with a channel key"
    audience = claims.get("aud")
    if audience != app_id and not (isinstance(audience, list) and app_id in audience):
        return "minted for another app"
    return None


def _configuration(settings: BotSettings) -> SimpleNamespace:
    # ConfigurationBotFrameworkAuthentication tests hasattr(): only set what is actually configured.
    values = {
        "APP_ID": settings.app_id,
        "APP_PASSWORD": settings.app_password,
        "APP_TENANTID": settings.tenant_id,
        "APP_TYPE": settings.app_type,
    }
    if settings.openid_metadata_url:
        # Overriding one public-cloud endpoint switches botbuilder to its parameterized mode, which then
        # needs every other public-cloud value spelled out.
        values.update(
            TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=settings.openid_metadata_url,
            TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL=settings.openid_metadata_url,
            TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
            TO_CHANNEL_FROM_BOT_LOGIN_URL=AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL,
            TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
            OAUTH_URL=AuthenticationConstants.OAUTH_URL,
            CALLER_ID=CallerIdConstants.public_azure_channel,
        )
    return SimpleNamespace(**{key: value for key, value in values.items() if value})


def settings_from(config: Config, openid_metadata_url: str | None = None) -> BotSettings:
    """Bot settings from the Config; fails at start when an app id comes without what it needs."""
    app_type = (config.teams_app_type or "MultiTenant").strip()
    if app_type.lower() not in ("multitenant", "singletenant", "userassignedmsi"):
        raise ConfigError(
            f"MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, got {app_type!r}"
        )
    if config.teams_app_id:
        if app_type.lower() != "userassignedmsi":
            config.require("teams_app_password")
        if app_type.lower() != "multitenant" and not config.teams_tenant_id:
            raise ConfigError("missing setting: set MicrosoftAppTenantId")
    return BotSettings(
        config.teams_app_id,
        config.teams_app_password,
        config.teams_tenant_id,
        app_type if config.teams_app_id else None,
        openid_metadata_url,
    )


class BotFrameworkBridge:
    """Inbound: authenticate and run one activity. Outbound: proactive send, update, create conversation."""

    def __init__(
        self, settings: BotSettings, *, authentication: BotFrameworkAuthentication | None = None
    ) -> None:
        self.settings = settings
        _fetch_keys_off_the_loop()
        _quick_retry_policy()
        self.auth = authentication or ConfigurationBotFrameworkAuthentication(_configuration(settings))
        self.adapter = CloudAdapter(self.auth)
        self.adapter.on_turn_error = self._on_turn_error

    @property
    def app_id(self) -> str:
        return self.settings.app_id or ""

    async def _on_turn_error(self, context: TurnContext, error: Exception) -> None:
        # Our logic answers its own errors; this is the last resort (e.g. the connector refused a reply).
        log.error("teams turn failed: %s", error, exc_info=error)

    async def process(self, body: Mapping[str, Any], auth_header: str, logic: TurnLogic) -> BridgeResponse:
        """Authenticate one inbound activity (already checked by activities.require_activity) and run
        it through `logic` (our side of the turn, handlers/teams/turns.py)."""
        try:
            activity = Activity().deserialize(dict(body))
        except Exception as exc:  # msrest raises several types for bad shapes
            return BridgeResponse(400, {"error": f"not a Bot Framework activity: {exc}"})
        try:
            # Authentication runs first and on its own, so any failure in it is a 401, never a 500.
            authenticated = await self.auth.authenticate_request(activity, auth_header)
        except Exception as exc:
            log.warning("teams request refused: %s", exc)
            return BridgeResponse(401, {"error": "unauthorized"})
        invoke = await self.adapter.process_activity(authenticated, activity, ActivityBot(logic).on_turn)
        if invoke is not None:
            body_out = invoke.body.serialize() if hasattr(invoke.body, "serialize") else invoke.body
            return BridgeResponse(int(invoke.status), body_out)
        return BridgeResponse(200)

    async def _proactive(
        self, reference: Mapping[str, Any], work: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        ref = ConversationReference().deserialize(dict(reference))
        ref.activity_id = None  # proactive posts start new messages; they are not replies
        guarded, check = _raising(work)
        await self.adapter.continue_conversation(ref, guarded, self.app_id)
        check()

    async def member(self, activity: Mapping[str, Any]) -> dict[str, Any] | None:
        """The activity's sender as the conversation's roster knows them (TeamsChannelAccount JSON,
        with email and userPrincipalName), or None when the connector cannot say."""
        incoming = Activity().deserialize(dict(activity))
        reference = TurnContext.get_conversation_reference(incoming).serialize()
        found: dict[str, Any] = {}

        async def turn(context: TurnContext) -> None:
            client = context.turn_state[self.adapter.BOT_CONNECTOR_CLIENT_KEY]
            member = await client.conversations.get_conversation_member(
                incoming.conversation.id, incoming.from_property.id
            )
            # email and userPrincipalName are Teams fields a plain ChannelAccount keeps as extras
            found.update({**(getattr(member, "additional_properties", None) or {}), **member.serialize()})

        try:
            await self._proactive(reference, turn)
        except Exception as exc:  # who they are is a nicety: the message is answered either way
            log.info("teams member lookup failed: %s", exc)
            return None
        return found or None

    async def read_teams(
        self, reference: Mapping[str, Any], work: Callable[[TeamReader], Awaitable[None]]
    ) -> None:
        """Run `work` with a reader of team rosters and channels, in one proactive turn on the
        referenced conversation's service."""

        async def turn(context: TurnContext) -> None:
            await work(TeamReader(context))

        await self._proactive(reference, turn)

    async def send(self, reference: Mapping[str, Any], activity: Mapping[str, Any]) -> str | None:
        """Post `activity` into the referenced conversation; returns the new message's id."""
        sent = _Sent()

        async def work(context: TurnContext) -> None:
            sent.ids.append(await self._post(context, activity))

        await self._proactive(reference, work)
        return sent.ids[0] if sent.ids else None

    async def _post(self, context: TurnContext, activity: Mapping[str, Any]) -> str | None:
        # A new message in the conversation (POST .../activities), not a reply: context.send_activity
        # would reply to the synthetic continuation activity, which a Teams channel does not know.
        outgoing = Activity().deserialize(dict(activity))
        TurnContext.apply_conversation_reference(
            outgoing, TurnContext.get_conversation_reference(context.activity)
        )
        outgoing.reply_to_id = None
        client = context.turn_state[self.adapter.BOT_CONNECTOR_CLIENT_KEY]
        response = await client.conversations.send_to_conversation(outgoing.conversation.id, outgoing)
        return response.id if response else None

    async def update(
        self, reference: Mapping[str, Any], activity_id: str, activity: Mapping[str, Any]
    ) -> None:
        """Replace message `activity_id` in the referenced conversation (a card updated in place)."""

        async def work(context: TurnContext) -> None:
            replacement = Activity().deserialize(dict(activity))
            replacement.id = activity_id
            await context.update_activity(replacement)

        await self._proactive(reference, work)

    async def create_conversation(
        self, reference: Mapping[str, Any], parameters: Mapping[str, Any], activity: Mapping[str, Any]
    ) -> tuple[dict[str, Any], str | None]:
        """Open a chat (parameters: members, isGroup, channelData...) on the serviceUrl of `reference`,
        post `activity` in it, and return the new conversation's reference and the message id."""
        sent = _Sent()
        params = ConversationParameters().deserialize(dict(parameters))

        async def work(context: TurnContext) -> None:
            sent.reference = TurnContext.get_conversation_reference(context.activity).serialize()
            sent.ids.append(await self._post(context, activity))

        guarded, check = _raising(work)
        await self.adapter.create_conversation(
            self.app_id,
            guarded,
            params,
            str(reference.get("channelId") or TEAMS_CHANNEL_ID),
            str(reference["serviceUrl"]),
            None,
        )
        check()
        return sent.reference or {}, sent.ids[0] if sent.ids else None
