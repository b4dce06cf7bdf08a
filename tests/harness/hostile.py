"""Targets that answer the way a broken or hostile deployment might: slowly, endlessly, wrongly, or not at all.

Each answers `/health` and the harness's preflight read as a deployment should (unless told to spare only
`/health`), so a conformance run gets past its preflight and every check meets the hostility. They speak
HTTP/1.1 over bare sockets, a thread per connection, so that an answer can drip, run on for gigabytes or
stop halfway, as no framework lets it.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

HUGE = 2 << 30  # bytes of a huge body: 2 GiB, sent a chunk at a time, never held
FILLER = b"x" * (64 << 10)
MAX_REQUEST_BODY = 16 << 20


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Answer:
    """The connection a behaviour answers on."""

    def __init__(self, connection: socket.socket, drip_every: float) -> None:
        self._connection = connection
        self.drip_every = drip_every

    def send(self, data: bytes) -> None:
        self._connection.sendall(data)

    def drip(self, data: bytes) -> None:
        """One byte at a time, `drip_every` seconds apart."""
        for index in range(len(data)):
            self._connection.sendall(data[index : index + 1])
            time.sleep(self.drip_every)

    def cut(self) -> None:
        """Drop the connection at once (a reset, not an orderly close)."""
        self._connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._connection.close()


Behaviour = Callable[[Answer, Request], bool]  # True: the connection may carry another request


REASONS = {200: "OK", 201: "Created", 301: "Moved Permanently", 404: "Not Found", 500: "Internal Server Error"}


def head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS[status]}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def whole(status: int, body: bytes, content_type: str = "application/json", **extra: str) -> bytes:
    return head(status, {"Content-Type": content_type, "Content-Length": str(len(body)), **extra}) + body


HEALTH = whole(200, b'{"status": "ok"}')
NOT_FOUND = whole(404, b'{"type": "about:blank", "title": "Not Found", "status": 404}', "application/problem+json")


# -- behaviours ------------------------------------------------------------------------------------


def drip_headers(answer: Answer, request: Request) -> bool:
    """The status line and headers a byte at a time, then a body that never comes soon enough."""
    answer.drip(whole(200, b"{}"))
    return False


def drip_body(answer: Answer, request: Request) -> bool:
    """Headers at once; the body a byte at a time."""
    body = b'{"decisionEventId": "de_' + b"1" * 200 + b'"}'
    answer.send(head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))}))
    answer.drip(body)
    return False


def huge_body(answer: Answer, request: Request) -> bool:
    """2 GiB of a JSON string that never ends, made up as it is sent."""
    opening = b'{"padding": "'
    answer.send(head(200, {"Content-Type": "application/json", "Content-Length": str(HUGE)}) + opening)
    filled, rest = divmod(HUGE - len(opening), len(FILLER))
    for _ in range(filled):
        answer.send(FILLER)
    answer.send(FILLER[:rest])
    return False


def redirect_loop(answer: Answer, request: Request) -> bool:
    """301 to the very URL asked for."""
    answer.send(whole(301, b"", "text/plain", Location=request.path))
    return True


def broken_json(answer: Answer, request: Request) -> bool:
    """JSON that stops halfway, with the status a correct answer would have."""
    status = 201 if request.method == "POST" else 200
    answer.send(whole(status, b'{"decisionEventId": "de_1", "explanationId": "ex_1", "candidateMessage": {"sub'))
    return True


def server_error(answer: Answer, request: Request) -> bool:
    answer.send(whole(500, b"Internal Server Error", "text/plain"))
    return True


def cut_mid_answer(answer: Answer, request: Request) -> bool:
    """Headers promising a body, half of it, then the connection dropped."""
    answer.send(head(200, {"Content-Type": "application/json", "Content-Length": "1000"}) + b'{"decisionEventId": ')
    answer.cut()
    return False


BEHAVIOURS: dict[str, Behaviour] = {
    "drip-headers": drip_headers,
    "drip-body": drip_body,
    "huge-body": huge_body,
    "redirect-loop": redirect_loop,
    "broken-json": broken_json,
    "server-error": server_error,
    "cut-mid-answer": cut_mid_answer,
}


# -- the server ------------------------------------------------------------------------------------


class _Connection(socketserver.StreamRequestHandler):
    server: HostileServer

    def handle(self) -> None:
        try:
            while (request := self._read()) is not None and self._answer(request):
                pass
        except OSError:
            pass  # the harness gave up on the answer: what it is for

    def _answer(self, request: Request) -> bool:
        if request.path.endswith("/health"):
            self.wfile.write(HEALTH)
            return True
        if self.server.answers_preflight and "/decision-events/preflight-" in request.path:
            self.wfile.write(NOT_FOUND)  # the preflight's read with the key: accepted, and nothing found
            return True
        return self.server.behaviour(Answer(self.connection, self.server.drip_every), request)

    def _read(self) -> Request | None:
        line = self.rfile.readline(65537).decode("latin-1").strip()
        if not line:
            return None
        method, path, _ = line.split(" ", 2)
        headers: dict[str, str] = {}
        while (header := self.rfile.readline(65537).decode("latin-1").strip()) != "":
            name, _, value = header.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        if length > MAX_REQUEST_BODY:
            return None
        return Request(method, path, headers, self.rfile.read(length))


class HostileServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, behaviour: Behaviour, drip_every: float = 1.0, answers_preflight: bool = True) -> None:
        super().__init__(("127.0.0.1", 0), _Connection)
        self.behaviour = behaviour
        self.drip_every = drip_every
        self.answers_preflight = answers_preflight

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


@contextmanager
def serving(behaviour: Behaviour, drip_every: float = 1.0, answers_preflight: bool = True) -> Iterator[HostileServer]:
    """The server, answering in a thread of its own until the block ends."""
    server = HostileServer(behaviour, drip_every, answers_preflight)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
