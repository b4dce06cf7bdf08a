"""Schemathesis sends with `requests`: here its requests go through the harness's own bounded transport.

So the campaign's requests get what every other request of a run gets (harness.client.BoundedTransport):
one deadline for the whole request, and a body read up to `MAX_BODY` only. `requests` itself bounds each
socket operation, not the request, and reads every body to its end.

The adapter answers as `requests` expects, with the body already read; a body cut short is looked up with
`truncated_at(response.request)`. Schemathesis repeats some requests on sessions of its own (the auth
probes, without the run's credentials): `schemathesis_sessions_bounded()` gives those the adapter too.
"""

from __future__ import annotations

import io
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import requests
import requests.adapters
import urllib3

from .client import TRUNCATED_AT, BoundedTransport

# where the body of the answer to a request was cut, by request (weakly: it goes when the request goes)
_TRUNCATED: weakref.WeakKeyDictionary[requests.PreparedRequest, int] = weakref.WeakKeyDictionary()

# httpx's errors as the `requests` errors their callers catch, most specific first
_ERRORS: tuple[tuple[type[Exception], type[requests.RequestException]], ...] = (
    (httpx.ConnectTimeout, requests.exceptions.ConnectTimeout),
    (httpx.TimeoutException, requests.exceptions.ReadTimeout),
    (httpx.LocalProtocolError, requests.exceptions.InvalidHeader),  # a request HTTP cannot carry: never sent
    (httpx.DecodingError, requests.exceptions.ContentDecodingError),
    (httpx.UnsupportedProtocol, requests.exceptions.InvalidURL),
    (httpx.InvalidURL, requests.exceptions.InvalidURL),
)


class BoundedAdapter(requests.adapters.HTTPAdapter):
    """Sends over a `BoundedTransport` of its own; `requests` sees the answer as if read from the wire.

    The deadline is the adapter's for every request, whatever timeout a caller passes; TLS is verified
    and proxies come from the environment, as for every request of the run. Redirects, when followed,
    are followed by the session above it, one bounded request each. No cookie is taken from an answer.
    """

    def __init__(self, url: str, seconds: float) -> None:
        super().__init__()
        self._transport = BoundedTransport(url, seconds)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        try:
            answer = self._transport.handle_request(_httpx_request(request))
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise _requests_error(exc, request) from exc
        response = self.build_response(request, _raw(answer))
        response._content = answer.content  # already read: how `requests` holds a body it has read
        if (cut := answer.extensions.get(TRUNCATED_AT)) is not None:
            _TRUNCATED[request] = cut
        return response

    def close(self) -> None:
        super().close()
        self._transport.close()


def truncated_at(request: Any) -> int | None:
    """Where the adapter cut the body of the answer to `request`; None when it read it whole."""
    return _TRUNCATED.get(request) if isinstance(request, requests.PreparedRequest) else None


def bounded_session(url: str, seconds: float) -> requests.Session:
    """A session whose every request is bounded."""
    session = requests.Session()
    _mount(session, BoundedAdapter(url, seconds))
    return session


@contextmanager
def schemathesis_sessions_bounded(url: str, seconds: float) -> Iterator[None]:
    """While the block runs, the sessions Schemathesis opens for itself send through a `BoundedAdapter` too.

    Its auth probes drop the session they are given (with it, the run's credentials) and open their own,
    which no argument reaches: the session class they are made from is the one place to bound them.
    """
    from schemathesis.transport import requests as transport

    plain = transport.SameHostRedirectsSession

    class Bounded(plain):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__()
            _mount(self, BoundedAdapter(url, seconds))

    setattr(transport, "SameHostRedirectsSession", Bounded)  # noqa: B010 - mypy forbids assigning to a class name
    try:
        yield
    finally:
        setattr(transport, "SameHostRedirectsSession", plain)  # noqa: B010


def _mount(session: requests.Session, adapter: BoundedAdapter) -> None:
    for prefix in ("http://", "https://"):
        session.mount(prefix, adapter)


def _httpx_request(request: requests.PreparedRequest) -> httpx.Request:
    """The same request for httpx; text goes as latin-1, as `requests` itself would send it."""
    headers = [
        (name.encode("latin-1"), value.encode("latin-1") if isinstance(value, str) else value)
        for name, value in request.headers.items()
    ]
    body = _body_bytes(request.body)
    return httpx.Request(str(request.method), str(request.url), headers=headers, content=body)


def _body_bytes(body: object) -> bytes:
    """A prepared request's body: `requests` leaves text, bytes or nothing there for the bodies Schemathesis sends."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("latin-1")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    raise TypeError(f"a streamed request body cannot be replayed: {type(body).__name__}")


def _raw(answer: httpx.Response) -> urllib3.HTTPResponse:
    """The read answer in the form `requests` (and Schemathesis, reading its headers) takes from urllib3."""
    return urllib3.HTTPResponse(
        body=io.BytesIO(answer.content),
        headers=urllib3.HTTPHeaderDict(answer.headers.multi_items()),
        status=answer.status_code,
        version=10 if answer.http_version == "HTTP/1.0" else 11,
        version_string=answer.http_version,
        reason=answer.reason_phrase,
        preload_content=False,
        decode_content=False,
        enforce_content_length=False,
    )


def _requests_error(exc: Exception, request: requests.PreparedRequest) -> requests.RequestException:
    kind = next((theirs for ours, theirs in _ERRORS if isinstance(exc, ours)), requests.exceptions.ConnectionError)
    return kind(f"{type(exc).__name__}: {exc}", request=request)
