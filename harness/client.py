"""The harness's HTTP client: talks to the target, and keeps every exchange as evidence.

Evidence shows credentials only as the variable that holds them (`$NYC_HIRING_API_KEY`), so a report
can be shared and its curl reproductions still run in a shell where the variables are set.
"""

from __future__ import annotations

import json
import shlex
import ssl
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx

MAX_EVIDENCE_BODY = 4000
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

    def as_evidence(self, secrets: Mapping[str, str]) -> dict[str, Any]:
        """The JSON-ready, secret-free record the reports show."""
        return {
            "request": {
                "method": self.method,
                "url": self.url,
                "headers": {name: mask(value, secrets) for name, value in self.request_headers.items()},
                "body": mask(_text(self.request_body), secrets),
            },
            "response": {
                "status": self.status,
                "headers": {name: mask(value, secrets) for name, value in self.response_headers.items()},
                "body": mask(_text(self.response_body), secrets),
                "error": self.error,
            },
            "curl": curl_command(self, secrets),
        }


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


@dataclass
class TargetClient:
    """One client per check; threads get their own (httpx pools do not scale across tasks).

    Requests go straight to an httpx transport, so each one leaves exactly as the check built it: no
    cookie jar (a `Set-Cookie` in one answer must not authenticate a later request that a check sends
    without credentials), no redirects followed, no headers beyond Host, Content-Length and User-Agent.
    It also skips the per-request work of `httpx.Client` that a harness has no use for, which is most of
    the client's own cost in a generated-case run. Proxies still come from the environment, as for
    curl: `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`.
    """

    base_url: str
    timeout: float = 10.0
    exchanges: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._prefix = self.base_url.rstrip("/") + "/"
        self._timeout = httpx.Timeout(self.timeout).as_dict()
        self._transport = httpx.HTTPTransport(verify=shared_tls_context(), proxy=environment_proxy(self.base_url))

    def close(self) -> None:
        self._transport.close()

    def request(
        self, method: str, path: str, *, key: str | None = None, headers: Mapping[str, str] | None = None,
        content: bytes | None = None, json_body: Any = None,
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
        request = httpx.Request(method, self._url(path), headers=all_headers, content=content,
                                extensions={"timeout": self._timeout})
        response: httpx.Response | None = None
        try:
            response = self._transport.handle_request(request)
            response.request = request
            response.read()  # reading to the end closes the stream, giving the connection back to the pool
        except httpx.HTTPError as exc:
            if response is not None:
                response.close()
            self._keep(request, None, f"{type(exc).__name__}: {exc}")
            raise
        self._keep(request, response, None)
        return response

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def _url(self, path: str) -> str:
        return path if "://" in path else self._prefix + path.lstrip("/")

    def _keep(self, request: httpx.Request, response: httpx.Response | None, error: str | None) -> None:
        self.exchanges.append(Exchange(
            method=request.method,
            url=str(request.url),
            request_headers=dict(request.headers),
            request_body=request.content,
            status=response.status_code if response is not None else None,
            response_headers=dict(response.headers) if response is not None else {},
            response_body=response.content if response is not None else b"",
            error=error,
        ))
