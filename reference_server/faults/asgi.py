"""ASGI middleware that sees a whole exchange: the request (body read) and the answer, to change either.

Faults that live between the client and the reference (rewriting an answer, recording what was
refused, checking something ahead of the handler) are written as one `Handler`: given the request and
a way to pass it on, return the reply to send. The request and the reply are plain values, so a
handler can pass a request on twice, or change it first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import BASE_PATH


@dataclass(frozen=True)
class Incoming:
    """A request, body included."""

    scope: Scope
    body: bytes

    @property
    def method(self) -> str:
        return str(self.scope["method"])

    @property
    def path(self) -> str:
        """The path below the API's base path (`/decision-event`), or below the root for other routes."""
        path: str = self.scope["path"]
        root = self.scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        return path.removeprefix(BASE_PATH)

    @property
    def headers(self) -> Headers:
        return Headers(scope=self.scope)

    @property
    def state(self) -> Any:
        """The app's state: its `store`, `keyring` and `recorder` (app.create_app)."""
        return self.scope["app"].state

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            return None

    def with_body(self, body: bytes) -> Incoming:
        return replace(self, body=body).with_headers({"content-length": str(len(body))})

    def with_json(self, value: Any) -> Incoming:
        return self.with_body(json.dumps(value).encode())

    def with_headers(self, changes: dict[str, str | None]) -> Incoming:
        """Headers replaced (a value) or removed (None)."""
        names = {name.lower().encode() for name in changes}
        headers = [(name, value) for name, value in self.scope["headers"] if name not in names]
        headers += [(name.lower().encode(), value.encode()) for name, value in changes.items() if value is not None]
        return replace(self, scope={**self.scope, "headers": headers})


@dataclass(frozen=True)
class Reply:
    """An answer as sent: status, raw headers and the whole body."""

    status: int
    raw_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""

    @classmethod
    def of(cls, response: Response) -> Reply:
        return cls(response.status_code, list(response.raw_headers), bytes(response.body))

    @property
    def headers(self) -> Headers:
        return Headers(raw=self.raw_headers)

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            return None

    def with_json(self, value: Any) -> Reply:
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return replace(self, body=body).with_headers({"content-length": str(len(body))})

    def with_headers(self, changes: dict[str, str | None]) -> Reply:
        names = {name.lower().encode() for name in changes}
        headers = [(name, value) for name, value in self.raw_headers if name not in names]
        headers += [(name.lower().encode(), value.encode()) for name, value in changes.items() if value is not None]
        return replace(self, raw_headers=headers)

    def with_status(self, status: int) -> Reply:
        return replace(self, status=status)

    async def send(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body})


Forward = Callable[[Incoming], Awaitable[Reply]]
Handler = Callable[[Incoming, Forward], Awaitable[Reply]]
Matcher = Callable[[Incoming], bool]

# The request being handled, for the parts of a fault that sit behind the handler (a store, an
# explainer) and need to know what was sent. Set by `Intercept` for the requests it matches.
current_request: ContextVar[Incoming | None] = ContextVar("current_request", default=None)


def route(method: str, pattern: str) -> Matcher:
    """Requests with this method whose path below the base path matches `pattern` (a regular expression)."""
    compiled = re.compile(pattern)
    return lambda incoming: incoming.method == method and compiled.fullmatch(incoming.path) is not None


DECISION_EVENT = route("POST", "/decision-event")
READ_EVENT = route("GET", "/decision-events/[^/]+")
READ_EXPLANATION = route("GET", "/explanations/[^/]+")
WEBHOOK = route("POST", "/webhook/[a-z]+")


async def pass_on(incoming: Incoming, forward: Forward) -> Reply:
    """A handler that changes nothing: for faults that only need `current_request` behind the routes."""
    return await forward(incoming)


def intercept(when: Matcher, handler: Handler) -> Middleware:
    return Middleware(Intercept, when=when, handler=handler)


class Intercept:
    """Runs `handler` for the HTTP requests `when` matches; the others pass through untouched."""

    def __init__(self, app: ASGIApp, *, when: Matcher, handler: Handler) -> None:
        self.app = app
        self.when = when
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.when(Incoming(scope, b"")):
            await self.app(scope, receive, send)
            return
        incoming = Incoming(scope, await _read_body(receive))
        token = current_request.set(incoming)
        try:
            reply = await self.handler(incoming, self.forward)
        finally:
            current_request.reset(token)
        await reply.send(send)

    async def forward(self, incoming: Incoming) -> Reply:
        """Pass the request on and collect the answer instead of sending it."""
        status = 500
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": incoming.body, "more_body": False}

        async def collect(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        token = current_request.set(incoming)
        try:
            await self.app(incoming.scope, receive, collect)
        finally:
            current_request.reset(token)
        return Reply(status, headers, b"".join(chunks))


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)
