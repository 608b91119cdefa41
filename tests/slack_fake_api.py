"""A local fake of Slack's Web API (and response_url endpoint) that records every call per API path."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0ROLEBOT"


@dataclass
class _Failure:
    error: str
    status: int
    retry_after: int | None
    remaining: int


def channel_id(channel: str) -> str:
    """Slack answers chat.postMessage with the channel's id even when it was given by name."""
    if not channel.startswith("#"):
        return channel
    return "C" + "".join(ch for ch in channel[1:].upper() if ch.isalnum())[:10]


class FakeSlackApi:
    """Start with `start()`; point WebClient(base_url=fake.url + '/api/') at it; assert on `calls(path)`."""

    def __init__(self) -> None:
        self._calls: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._answered: dict[str, list[dict[str, Any]]] = defaultdict(list)  # calls answered ok
        self._failures: dict[str, list[_Failure]] = defaultdict(list)
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self.locales: dict[str, str] = {}
        # the workspace's people, user groups and channels (users.list, usergroups.users.list, ...)
        self.members: list[dict[str, Any]] = []
        self.usergroups: dict[str, list[str]] = {}
        self.channels: list[dict[str, Any]] = []
        self.page_size = 2  # small pages, so every listing is paginated
        self.threads: dict[str, list[dict[str, Any]]] = {}  # channel -> messages, for conversations.replies
        self.delays: dict[str, float] = {}  # path -> seconds to wait before answering (slow APIs)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self) -> FakeSlackApi:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._serve(self)

            def do_GET(self) -> None:
                fake._serve(self)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    # ---- configuration ---------------------------------------------------------------------------
    def fail(self, path: str, error: str = "channel_not_found", times: int = 1) -> None:
        """The next `times` calls to `path` answer {"ok": false, "error": error}."""
        with self._lock:
            self._failures[path].append(_Failure(error, 200, None, times))

    def rate_limit(self, path: str, retry_after: int = 0, times: int = 1) -> None:
        """The next `times` calls to `path` answer HTTP 429 with a Retry-After header."""
        with self._lock:
            self._failures[path].append(_Failure("ratelimited", 429, retry_after, times))

    def add_user(
        self, user_id: str, name: str, email: str | None = None, *, deleted: bool = False, bot: bool = False
    ) -> None:
        """A workspace member as users.list and users.lookupByEmail show it (no email: no profile.email)."""
        profile: dict[str, Any] = {"real_name": name, "display_name": name.split()[0]}
        if email:
            profile["email"] = email
        member = {"id": user_id, "name": name.lower().replace(" ", "."), "real_name": name}
        self.members.append({**member, "deleted": deleted, "is_bot": bot, "profile": profile})

    def post_message(self, channel: str, **message: Any) -> dict[str, Any]:
        """Put a message (ts, user, text, thread_ts...) in `channel`, as conversations.replies returns it."""
        with self._lock:
            self.threads.setdefault(channel, []).append(dict(message))
        return message

    # ---- inspection ------------------------------------------------------------------------------
    def calls(self, path: str) -> list[dict[str, Any]]:
        """Recorded arguments of every call to `path` ('chat.postMessage', 'response/r1'...)."""
        with self._lock:
            return list(self._calls.get(path, []))

    def answered(self, path: str) -> list[dict[str, Any]]:
        """The calls to `path` that were answered ok (not failed or rate limited)."""
        with self._lock:
            return list(self._answered.get(path, []))

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def paths(self) -> dict[str, int]:
        with self._lock:
            return {path: len(calls) for path, calls in self._calls.items()}

    def wait_for(self, path: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Block until `path` was called `count` times (the app answers after ack, in a worker)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._calls.get(path, [])) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} call(s) to {path}, got {len(self._calls.get(path, []))}; "
                        f"calls so far: {dict((p, len(c)) for p, c in self._calls.items())}"
                    )
                self._lock.wait(left)
            return list(self._calls[path])

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._failures.clear()

    # ---- serving ---------------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(handler.path)
        path = parsed.path.removeprefix("/api/").strip("/")
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        args: dict[str, Any] = dict(parse_qsl(parsed.query))
        if raw:
            if "json" in (handler.headers.get("Content-Type") or ""):
                args.update(json.loads(raw))
            else:
                args.update(dict(parse_qsl(raw.decode("utf-8"))))
        args["_token"] = (handler.headers.get("Authorization") or "").removeprefix("Bearer ")
        if path in self.delays:
            time.sleep(self.delays[path])
        status, headers, body = self._respond(path, args)
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        data = json.dumps(body).encode("utf-8")
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _respond(self, path: str, args: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            self._calls[path].append(args)
            self._lock.notify_all()
            queue = self._failures.get(path)
            if queue:
                failure = queue[0]
                failure.remaining -= 1
                if failure.remaining <= 0:
                    queue.pop(0)
                headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                return failure.status, headers, {"ok": False, "error": failure.error}
            ts = f"1700000000.{next(self._ts):06d}"
            self._answered[path].append(args)
        return 200, {}, self._canned(path, args, ts)

    def _page(self, key: str, items: list[Any], args: dict[str, Any]) -> dict[str, Any]:
        """Cursor pagination as Slack does it: `cursor` in, `response_metadata.next_cursor` out."""
        start = int(str(args.get("cursor") or "0").removeprefix("page-"))
        size = min(int(args.get("limit") or self.page_size), self.page_size)
        rest = start + size
        cursor = f"page-{rest}" if rest < len(items) else ""
        return {"ok": True, key: items[start:rest], "response_metadata": {"next_cursor": cursor}}

    def _directory(self, path: str, args: dict[str, Any]) -> dict[str, Any] | None:
        if path == "users.list":
            return self._page("members", self.members, args)
        if path == "users.lookupByEmail":
            email = str(args.get("email", "")).casefold()
            found = [m for m in self.members if m["profile"].get("email", "").casefold() == email]
            found.sort(key=lambda m: bool(m["deleted"]))  # an active account before a deactivated one
            return {"ok": True, "user": found[0]} if found else {"ok": False, "error": "users_not_found"}
        if path == "usergroups.users.list":
            group = str(args.get("usergroup", ""))
            if group not in self.usergroups:
                return {"ok": False, "error": "no_such_subteam"}
            return self._page("users", self.usergroups[group], args)
        if path == "conversations.list":
            return self._page("channels", self.channels, args)
        if path == "users.info" and any(m["id"] == args.get("user") for m in self.members):
            member = next(m for m in self.members if m["id"] == args.get("user"))
            return {"ok": True, "user": {**member, "locale": self.locales.get(member["id"])}}
        return None

    def _replies(self, channel: str, ts: str) -> list[dict[str, Any]]:
        """Like Slack: the thread whose parent is `ts`, or just the message `ts` when it is a reply."""
        messages = self.threads.get(channel, [])
        thread = [m for m in messages if m.get("ts") == ts or m.get("thread_ts") == ts]
        return sorted(thread, key=lambda m: str(m.get("ts")))

    def _canned(self, path: str, args: dict[str, Any], ts: str) -> dict[str, Any]:
        listed = self._directory(path, args)
        if listed is not None:
            return listed
        channel = channel_id(str(args.get("channel", "")))
        if path == "auth.test":
            return {
                "ok": True,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "team_id": TEAM_ID,
                "user": "rolebot",
                "url": "https://example.slack.com/",
            }
        if path == "chat.postMessage":
            return {"ok": True, "channel": channel, "ts": ts, "message": {"text": args.get("text"), "ts": ts}}
        if path == "chat.update":
            return {"ok": True, "channel": channel, "ts": args.get("ts")}
        if path == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if path == "chat.getPermalink":
            message_ts = str(args.get("message_ts", "")).replace(".", "")
            return {
                "ok": True,
                "channel": channel,
                "permalink": f"https://example.slack.com/archives/{channel}/p{message_ts}",
            }
        if path == "conversations.open":
            users = str(args.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0].removeprefix("U")}}
        if path in ("views.open", "views.publish", "views.update", "views.push"):
            return {"ok": True, "view": {"id": "V" + ts.replace(".", ""), **(args.get("view") or {})}}
        if path == "conversations.replies":
            return {"ok": True, "messages": self._replies(channel, str(args.get("ts", "")))}
        if path == "users.info":
            user = str(args.get("user", ""))
            profile: dict[str, Any] = {"id": user, "name": user.lower(), "real_name": f"User {user}"}
            if user in self.locales:
                profile["locale"] = self.locales[user]
            return {"ok": True, "user": profile}
        return {"ok": True}
