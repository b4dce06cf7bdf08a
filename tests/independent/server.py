"""HTTP/1.1 on the standard library's ThreadingHTTPServer: framing, bodies, errors.

Every request, whatever its method, goes to the ``Application``; anything it raises
becomes problem details, so no input can produce a stack trace or a default HTML
error page. Request bodies are read with a hard limit (262144 bytes) and an unread
body is drained, so a refused request leaves the connection usable.
"""

from __future__ import annotations

import io
import sys
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.independent.api import Application, Request
from tests.independent.responses import Problem, Response, bad_request, too_large, unexpected

BODY_LIMIT = 262_144
DRAIN_LIMIT = 16 * 1024 * 1024
CHUNK_LINE_LIMIT = 1024


class BodyReader:
    """The request body, read at most once, within the limit, from Content-Length or chunks."""

    def __init__(self, stream: io.BufferedIOBase, headers: Any) -> None:
        self._stream = stream
        self._headers = headers
        self._body: bytes | None = None
        self.must_close = False

    def read(self) -> bytes:
        if self._body is None:
            self._body = b""
            self._body = self._read_framed()
        return self._body

    def finish(self) -> None:
        """Consume whatever the operation left unread, or mark the connection for closing."""
        if self._body is not None:
            return
        try:
            self._body = b""
            self._read_framed(limit=DRAIN_LIMIT)
        except Problem:
            self.must_close = True

    def _read_framed(self, limit: int = BODY_LIMIT) -> bytes:
        encodings = [value.strip().lower() for value in self._headers.get_all("Transfer-Encoding") or []]
        lengths = self._headers.get_all("Content-Length") or []
        if encodings:
            self.must_close = True
            if lengths or encodings != ["chunked"]:
                raise bad_request("FRAMING_INVALID", "Use Content-Length or chunked transfer coding, not both.")
            body = self._read_chunks(limit)
            self.must_close = False
            return body
        return self._read_length(lengths, limit)

    def _read_length(self, lengths: list[str], limit: int) -> bytes:
        if not lengths:
            return b""
        if len(set(value.strip() for value in lengths)) != 1 or not lengths[0].strip().isdigit():
            self.must_close = True
            raise bad_request("FRAMING_INVALID", "The Content-Length header is not a single whole number.")
        length = int(lengths[0].strip())
        if length > limit:
            if length <= DRAIN_LIMIT:
                self._stream.read(length)
            else:
                self.must_close = True
            raise too_large(BODY_LIMIT)
        body = self._stream.read(length)
        if len(body) != length:
            self.must_close = True
            raise bad_request("BODY_INCOMPLETE", "The body ended before Content-Length bytes arrived.")
        return body

    def _read_chunks(self, limit: int) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self._stream.readline(CHUNK_LINE_LIMIT)
            size_text = line.split(b";")[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError as exc:
                raise bad_request("FRAMING_INVALID", "A chunk size is malformed.") from exc
            if size == 0:
                break
            total += size
            if total > limit:
                raise too_large(BODY_LIMIT)
            parts.append(self._stream.read(size))
            self._stream.readline(CHUNK_LINE_LIMIT)
        while self._stream.readline(CHUNK_LINE_LIMIT) not in (b"\r\n", b"\n", b""):
            pass
        return b"".join(parts)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nyc-hiring-api"
    sys_version = ""
    timeout = 30
    # Headers and body leave in separate writes; with Nagle's algorithm on, a kept-alive client's delayed
    # ACK holds every answer back by some 40 ms.
    disable_nagle_algorithm = True
    server: HiringServer

    def version_string(self) -> str:
        return self.server_version

    def __getattr__(self, name: str) -> Any:
        """Every method, known or not, is routed; the application answers 405 where it does not apply."""
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def _dispatch(self) -> None:
        request_id = str(uuid.uuid4())
        body = BodyReader(self.rfile, self.headers)
        request = Request(self.command, urlsplit(self.path).path, self.headers, body.read, request_id)
        try:
            response = self.server.app.handle(request)
        except Problem as problem:
            response = problem.to_response(request_id)
        except Exception:
            if self.server.verbose:
                traceback.print_exc(file=sys.stderr)
            response = unexpected(request_id)
        body.finish()
        self._write(response, request_id, close=body.must_close)

    def _write(self, response: Response, request_id: str, close: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Request-Id", request_id)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level refusals (bad request line, oversized headers) as problem details too."""
        request_id = str(uuid.uuid4())
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"  # answer with a status line and headers, never a bare body
        status = code if 400 <= code < 500 else 400
        problem = Problem(status, "PROTOCOL_ERROR", "The request could not be read", "The HTTP request is malformed.")
        self._write(problem.to_response(request_id), request_id, close=True)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


class HiringServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: Application, verbose: bool = False) -> None:
        self.app = app
        self.verbose = verbose
        super().__init__(address, Handler)
