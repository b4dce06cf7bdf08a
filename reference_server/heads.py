"""Limits on a request's head (its request line and header fields), enforced as the bytes arrive.

The HTTP parser (httptools) holds a header field until it ends, however long it grows, and copies it
each time more arrives: unchecked, one request with a 100 MiB header keeps the server busy for half a
minute, and every other client waiting. So the server's protocol counts each head's bytes as they are received and
its fields as they are parsed, and a head past `HeadLimits` gets `431 Request Header Fields Too Large`
and the connection is closed, before the application sees anything of it.

The limits are checked exactly once the head is complete (the request target and every header name
and value, against `max_bytes`; the fields, against `max_fields`). A head still incomplete after twice
`max_bytes` bytes (separators and all) is refused at once, without waiting for the rest of it. Bytes
are counted per read: a head that begins in the middle of a read (after a pipelined request's body) is
counted from the next read on.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from .config import MAX_HEAD_BYTES, MAX_HEADER_FIELDS
from .problems import PROBLEM_MEDIA_TYPE, problem_body

logger = logging.getLogger("reference_server")


@dataclass(frozen=True)
class HeadLimits:
    """How large a request head may be (config.py: `max_head_bytes`, `max_header_fields`)."""

    max_bytes: int = MAX_HEAD_BYTES  # the request target and every header name and value, together
    max_fields: int = MAX_HEADER_FIELDS

    def refusal(self) -> bytes:
        """The whole 431 answer: sent by the protocol itself, since no application has the request."""
        detail = (
            f"The request head exceeds this server's limits: at most {self.max_fields} header fields "
            f"and {self.max_bytes} bytes of request target and header fields."
        )
        body = json.dumps(problem_body(431, "request_head_too_large", detail)).encode()
        headers = (
            b"content-type: " + PROBLEM_MEDIA_TYPE.encode() + b"\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n"
            b"connection: close\r\n\r\n"
        )
        return STATUS_LINE[431] + headers + body


def limited_protocol(limits: HeadLimits) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol, refusing heads past `limits` (for `uvicorn.Config(http=...)`)."""
    return type("LimitedHttpToolsProtocol", (LimitedHeads,), {"limits": limits})


class LimitedHeads(HttpToolsProtocol):
    """uvicorn's httptools protocol, measuring each request head as it arrives (see the module's text)."""

    limits: ClassVar[HeadLimits] = HeadLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle = True  # between messages: the next byte received begins a head
        self._in_head = False
        self._messages = 0
        self._received = 0  # bytes of the current head, counted per read
        self._parsed = 0  # bytes of its target and complete fields, as parsed
        self._fields = 0
        self._refused = False

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        idle, messages = self._idle, self._messages
        super().data_received(data)
        if self._refused or not self._in_head:
            return
        if self._messages == messages or (self._messages == messages + 1 and idle):
            self._received += len(data)  # this read continued the head, or began with it
        if self._received > 2 * self.limits.max_bytes:
            self._refuse()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._idle, self._in_head = False, True
        self._messages += 1
        self._received = self._parsed = self._fields = 0

    def on_url(self, url: bytes) -> None:
        self._parsed += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._fields += 1
        self._parsed += len(name) + len(value)
        if self._fields <= self.limits.max_fields:
            super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        if self._fields > self.limits.max_fields or self._parsed > self.limits.max_bytes:
            self._refuse()
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if not self._refused:
            super().on_message_complete()
            self._idle = True

    def _refuse(self) -> None:
        self._refused = True
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        logger.info("%s sent a request head over the limits: 431, connection closed", client)
        self.transport.write(self.limits.refusal())
        self.transport.close()
