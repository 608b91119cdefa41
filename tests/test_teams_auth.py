"""With MicrosoftAppId set, /api/messages refuses unauthenticated requests (401), without any network."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from teams_fake_connector import Harness, run_teams

from bot.config import Config

APP_ID = "00000000-1111-4222-8333-444444444444"
ISSUER = "https://api.botframework.com"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdServer:
    """Publishes our signing key like login.botframework.com does, counting requests; in a thread because
    botbuilder fetches it with blocking `requests` from inside the event loop."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.hits = 0
        self.waiting = False  # a request is held at the gate (a slow signing-key endpoint)
        jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
        keys = {"keys": [{**jwk, "kid": "test-key", "use": "sig", "endorsements": ["msteams"]}]}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                held = gate is not None and self.path == "/openid"
                owner.waiting = held  # set before the hit is counted: the test waits for the hit
                owner.hits += 1
                if gate is not None and held:
                    gate.wait(timeout=5)  # bounded, so a bot that blocks its loop fails instead of hanging
                    owner.waiting = False
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                data = {"issuer": ISSUER, "jwks_uri": f"{base}/keys"} if self.path == "/openid" else keys
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/openid"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def openid() -> Iterator[OpenIdServer]:
    server = OpenIdServer()
    yield server
    server.server.shutdown()


def token(
    service_url: str,
    *,
    key: Any = KEY,
    issuer: str = ISSUER,
    audience: str = APP_ID,
    expires_in: int = 3600,
    kid: str = "test-key",
) -> str:
    claims = {
        "iss": issuer,
        "aud": audience,
        "serviceurl": service_url,
        "nbf": int(time.time()) - 10,
        "exp": int(time.time()) + expires_in,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def run(db: Path, openid: OpenIdServer, test: Any) -> None:
    config = Config(db_path=db, teams_app_id=APP_ID, teams_app_password="not-a-real-secret")

    run_teams(db, test, config=config, openid_metadata_url=openid.url)


def test_requests_without_valid_credentials_are_refused_before_any_network(
    tmp_path: Path, openid: OpenIdServer
) -> None:
    async def test(h: Harness) -> None:
        message = h.activity("message_personal")
        hs256 = jwt.encode({"iss": "https://evil.example", "aud": APP_ID}, "x" * 32, algorithm="HS256")
        for header in (
            {},
            {"Authorization": "Bearer not-a-jwt"},
            {"Authorization": "Basic dXNlcjpwYXNz"},
            {"Authorization": f"Bearer {hs256}"},
            {"Authorization": f"Bearer {token(h.service_url, issuer='https://evil.example')}"},
        ):
            response = await h.post(message, **header)
            assert response.status == 401, header
        assert openid.hits == 0  # refused locally: nothing was fetched
        assert h.fake.calls == []
        assert (await h.bot.get("/healthz")).status == 200  # and the server keeps serving

    run(tmp_path / "r.db", openid, test)


def test_forged_signature_expired_or_wrong_audience_is_refused(tmp_path: Path, openid: OpenIdServer) -> None:
    async def test(h: Harness) -> None:
        message = h.activity("message_personal")
        forged = [
            token(h.service_url, key=OTHER_KEY),
            token(h.service_url, expires_in=-3600),
            token(h.service_url, audience="someone-else"),
            token("https://other.example/"),  # a token minted for another serviceUrl
        ]
        for bad in forged:
            assert (await h.post(message, Authorization=f"Bearer {bad}")).status == 401
        assert h.fake.calls == []

    run(tmp_path / "r.db", openid, test)


def test_a_correctly_signed_channel_token_is_accepted(tmp_path: Path, openid: OpenIdServer) -> None:
    async def test(h: Harness) -> None:
        # A typing activity needs no reply, so no outbound token is ever requested.
        typing = h.activity("message_personal", type="typing")
        response = await h.post(typing, Authorization=f"Bearer {token(h.service_url)}")
        assert response.status == 200
        assert openid.hits >= 2  # metadata and keys came from our local server

    run(tmp_path / "r.db", openid, test)


def test_a_slow_key_endpoint_does_not_block_other_requests(tmp_path: Path) -> None:
    gate = threading.Event()
    slow = OpenIdServer(gate)

    async def test(h: Harness) -> None:
        typing = h.activity("message_personal", type="typing")
        pending = asyncio.create_task(h.post(typing, Authorization=f"Bearer {token(h.service_url)}"))
        while not slow.hits:  # the key fetch has started (and is held at the gate)
            await asyncio.sleep(0.01)
        health = await h.bot.get("/healthz")
        assert health.status == 200
        assert slow.waiting  # /healthz answered while the keys were still being fetched
        gate.set()
        assert (await pending).status == 200

    try:
        run(tmp_path / "r.db", slow, test)
    finally:
        gate.set()
        slow.server.shutdown()
