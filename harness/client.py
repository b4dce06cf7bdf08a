"""The harness's HTTP client: talks to the target, and keeps every exchange as evidence.

Evidence shows credentials only as the variable that holds them (`$NYC_HIRING_API_KEY`), so a report
can be shared and its curl reproductions still run in a shell where the variables are set.

No target can hang or sink a run. Each request has one deadline (`--conformance-timeout`) for all of it:
connecting, sending, the headers and the body together. httpx's own timeouts bound each socket operation
instead, so an answer dripping in a byte a second would never trip them; here every wait on the socket
ends at the deadline, and the request then fails as a timeout. A body is read up to `MAX_BODY`: the rest
is left unread and the connection closed, and the exchange records where the body was cut.
"""

from __future__ import annotations

import json
import math
import shlex
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import httpcore
import httpx

MAX_BODY = 1 << 20  # bytes of an answer's body read: far more than any answer the contract defines
MAX_EVIDENCE_BODY = 4000  # characters of a body the reports show
EVIDENCE_BYTES = 4 * MAX_EVIDENCE_BODY  # bytes that always hold those characters
KEPT_WHOLE = 8  # a client's latest exchanges keep their whole body; older ones only what the reports show
WRITE_CHUNK = 1 << 16  # a long request body is sent in pieces, each within what is left of the deadline
TRUNCATED_AT = "truncated_at"  # response extension: the size a longer body was cut at
USER_AGENT = "nyc-hiring-conformance"


@dataclass(frozen=True)
class Exchange:
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int | None
    response_headers: dict[str, str]
    response_body: bytes
    error: str | None = None
    truncated_at: int | None = None  # the body was longer: only its first `truncated_at` bytes were kept

    def as_evidence(self, secrets: Mapping[str, str]) -> dict[str, Any]:
        """The JSON-ready, secret-free record the reports show."""
        status, error = self.status, self.error
        if status is not None and not 100 <= status <= 599:  # what a status line carried, not an HTTP status
            status, error = None, f"the answer's status line carried {status}, which is no HTTP status code"
        return {
            "request": {
                "method": self.method,
                "url": self.url,
                "headers": {name: mask(value, secrets) for name, value in self.request_headers.items()},
                "body": mask(_text(self.request_body), secrets),
            },
            "response": {
                "status": status,
                "headers": {name: mask(value, secrets) for name, value in self.response_headers.items()},
                "body": mask(_text(self.response_body), secrets) + self._truncation(),
                "error": error,
            },
            "curl": curl_command(self, secrets),
        }

    def trimmed(self, size: int = EVIDENCE_BYTES) -> Exchange:
        """This exchange with at most `size` bytes of its response body: what a report can show, for keeping."""
        if len(self.response_body) <= size:
            return self
        return replace(self, response_body=self.response_body[:size], truncated_at=size)

    def _truncation(self) -> str:
        if self.truncated_at is None:
            return ""
        return f" [body cut: the harness kept only its first {self.truncated_at} bytes]"


def mask(text: str, secrets: Mapping[str, str]) -> str:
    """Replace each secret value by `$NAME`, longest first so no secret is left half-masked."""
    for name, value in sorted(secrets.items(), key=lambda item: -len(item[1])):
        if value:
            text = text.replace(value, f"${name}")
    return text


def curl_command(exchange: Exchange, secrets: Mapping[str, str]) -> str:
    """A ready-to-run reproduction; masked secrets stay shell variables (double-quoted to expand)."""
    parts = ["curl", "-sS", "-i", "-X", exchange.method, _quote(mask(exchange.url, secrets))]
    skip = {"host", "content-length", "accept-encoding", "connection", "user-agent", "accept"}
    for name, value in exchange.request_headers.items():
        if name.lower() not in skip:
            parts += ["-H", _quote(f"{name}: {mask(value, secrets)}")]
    if exchange.request_body:
        parts += ["--data-binary", _quote(mask(_text(exchange.request_body), secrets))]
    return " ".join(parts)


def _quote(text: str) -> str:
    if "$" in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'
    return shlex.quote(text)


def _text(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    return text if len(text) <= MAX_EVIDENCE_BODY else text[:MAX_EVIDENCE_BODY] + f"... ({len(text)} characters)"


def json_dict(response: httpx.Response) -> dict[str, Any]:
    """The body as a JSON object, or {} when it is anything else: for reading answers that may be wrong."""
    return body_json_dict(response.content)


def body_json_dict(body: bytes) -> dict[str, Any]:
    """`json_dict` for a body already read; nesting too deep to parse counts as "anything else" too."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def environment_proxy(url: str) -> str | None:
    """The proxy the environment names for `url`, honouring `NO_PROXY` (read by the standard library)."""
    parts = urllib.parse.urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(parts.scheme) or proxies.get("all")


@cache
def shared_tls_context() -> ssl.SSLContext:
    """Loading the CA bundle costs ~45 ms; one context serves every client of the run."""
    return httpx.create_ssl_context()


# -- one deadline for a whole request, and a cap on the body ----------------------------------------


class _Deadline(threading.local):
    """When the request in flight must be over (`time.monotonic()`), per thread: a thread's requests are its own."""

    at: float = math.inf  # between requests nothing waits on a socket

    def left(self, timeout: float | None, error: type[Exception]) -> float | None:
        """How long one socket operation may wait: until the deadline at most; `error` once it has passed."""
        if self.at == math.inf:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise error("the deadline for the whole request passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and handshake waits until the deadline at most."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        for start in range(0, len(buffer), WRITE_CHUNK):
            self._stream.write(buffer[start : start + WRITE_CHUNK], self._deadline.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        wait = self._deadline.left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, wait), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend, its connections bounded by the deadline of the request that uses them."""

    def __init__(self, backend: httpcore.NetworkBackend, deadline: _Deadline) -> None:
        self._backend = backend
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        wait = self._deadline.left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._backend.connect_tcp(host, port, wait, local_address, socket_options), self._deadline
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        wait = self._deadline.left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, wait, socket_options), self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class BoundedTransport(httpx.BaseTransport):
    """An httpx transport that answers with the response already read, within `seconds` for the whole request.

    A body longer than `max_body` is cut there, unread beyond it, and the response's extensions say so
    (`TRUNCATED_AT`). Past the deadline the request raises httpx's timeout for the step it was in. Each
    thread's requests have their own deadline, so threads may share a transport.
    """

    def __init__(self, url: str, seconds: float, max_body: int = MAX_BODY) -> None:
        self.seconds = seconds
        self.max_body = max_body
        self._deadline = _Deadline()
        self._transport = httpx.HTTPTransport(verify=shared_tls_context(), proxy=environment_proxy(url))
        # httpx builds the connection pool; its network backend is the one place every wait on a socket passes
        pool = self._transport._pool
        pool._network_backend = _DeadlineBackend(pool._network_backend, self._deadline)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._deadline.at = time.monotonic() + self.seconds
        response: httpx.Response | None = None
        try:
            response = self._transport.handle_request(request)
            response.request = request
            _read(response, self.max_body)
            return response
        except BaseException:
            if response is not None:
                response.close()
            raise
        finally:
            self._deadline.at = math.inf

    def close(self) -> None:
        self._transport.close()


def _read(response: httpx.Response, limit: int) -> None:
    """Read the (decoded) body up to `limit` bytes; a longer one is cut there and its connection closed."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            del body[limit:]
            response.extensions[TRUNCATED_AT] = limit
            break
    response.close()  # an unfinished answer closes its connection: nothing more of it is read
    response._content = bytes(body)  # how httpx holds a body it has read; `content`, `json()` read it there


# -- the client the checks use ---------------------------------------------------------------------


@dataclass
class TargetClient:
    """One client per check; threads get their own (httpx pools do not scale across tasks).

    Requests go straight to a transport, so each one leaves exactly as the check built it: no cookie jar
    (a `Set-Cookie` in one answer must not authenticate a later request that a check sends without
    credentials), no redirects followed, no headers beyond Host, Content-Length and User-Agent. It also
    skips the per-request work of `httpx.Client` that a harness has no use for, which is most of the
    client's own cost in a generated-case run. Proxies still come from the environment, as for curl:
    `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`. Every request is bounded (`BoundedTransport`).
    """

    base_url: str
    timeout: float = 10.0  # seconds for each whole request
    exchanges: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._prefix = self.base_url.rstrip("/") + "/"
        self._transport = BoundedTransport(self.base_url, self.timeout)

    def close(self) -> None:
        self._transport.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        json_body: Any = None,
    ) -> httpx.Response:
        """Send one request; `key` adds `Authorization: Bearer`; the exchange is kept either way.

        `path` is relative to the base URL unless it is an absolute URL (`https://host/openapi.json`).
        """
        all_headers = dict(headers or {})
        if not any(name.lower() == "user-agent" for name in all_headers):
            all_headers["User-Agent"] = USER_AGENT
        if key is not None:
            all_headers.setdefault("Authorization", f"Bearer {key}")
        if json_body is not None:
            content = json.dumps(json_body).encode()
            all_headers.setdefault("Content-Type", "application/json")
        return self._send(httpx.Request(method, self._url(path), headers=all_headers, content=content), content)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def post_in_two_parts(
        self, path: str, *, headers: Mapping[str, str], content: bytes, between: Callable[[], None]
    ) -> httpx.Response:
        """POST `content` in two writes, calling `between` once the head and the first half are on the wire.

        Meanwhile the target has the request but not all of it: a request in flight, as IDEM-002 means it.
        `between` must return well within the request's deadline, which runs throughout.
        """
        half = len(content) // 2

        def parts() -> Iterator[bytes]:
            yield content[:half]  # httpx asks for the next part only once this one is written
            between()
            yield content[half:]

        all_headers = {"User-Agent": USER_AGENT, **headers, "Content-Length": str(len(content))}
        return self._send(httpx.Request("POST", self._url(path), headers=all_headers, content=parts()), content)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def _url(self, path: str) -> str:
        return path if "://" in path else self._prefix + path.lstrip("/")

    def _send(self, request: httpx.Request, body: bytes | None) -> httpx.Response:
        try:
            response = self._transport.handle_request(request)
        except httpx.HTTPError as exc:
            self._keep(request, body, None, _error(exc, self.timeout))
            raise
        self._keep(request, body, response, None)
        return response

    def _keep(
        self, request: httpx.Request, body: bytes | None, response: httpx.Response | None, error: str | None
    ) -> None:
        """Keep the exchange; the one that drops out of the latest few keeps only what a report shows of it."""
        self.exchanges.append(_exchange(request, response, error, body))
        if len(self.exchanges) > KEPT_WHOLE:
            self.exchanges[-KEPT_WHOLE - 1] = self.exchanges[-KEPT_WHOLE - 1].trimmed()


def _exchange(
    request: httpx.Request, response: httpx.Response | None, error: str | None = None, body: bytes | None = None
) -> Exchange:
    """The evidence of one request and its answer (None when none came). `body` is the request's body where
    httpx does not keep it: one sent in parts."""
    return Exchange(
        method=request.method,
        url=str(request.url),
        request_headers=dict(request.headers),
        request_body=body if body is not None else request.content,
        status=response.status_code if response is not None else None,
        response_headers=dict(response.headers) if response is not None else {},
        response_body=response.content if response is not None else b"",
        error=error,
        truncated_at=response.extensions.get(TRUNCATED_AT) if response is not None else None,
    )


def _error(exc: httpx.HTTPError, seconds: float) -> str:
    """What an exchange records of a request that got no (whole) answer."""
    if isinstance(exc, httpx.TimeoutException):
        return f"{type(exc).__name__}: no whole answer within {seconds:g} s, the deadline for the request"
    return f"{type(exc).__name__}: {exc}"
