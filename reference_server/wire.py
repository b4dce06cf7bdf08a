"""JSON over HTTP: request bodies read within their limits, responses written compactly.

Every POST of the API carries JSON, so the media type (415) and the size (413) are enforced here,
before a byte is parsed (EVT-001).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .problems import ProblemError

JSON_MEDIA_TYPE = "application/json"


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json_bytes(value), status_code=status, headers=headers, media_type=JSON_MEDIA_TYPE)


async def read_json_body(request: Request, limit: int) -> bytes:
    """The raw body of a JSON request: 415 for another media type, 413 past `limit` bytes."""
    require_json_media_type(request.headers.get("content-type"))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def require_json_media_type(content_type: str | None) -> None:
    """`application/json`, with a `charset` parameter allowed as long as it names UTF-8."""
    media_type, _, parameters = (content_type or "").partition(";")
    charset = next(
        (
            value.strip().strip('"').lower()
            for name, _, value in (part.partition("=") for part in parameters.split(";"))
            if name.strip().lower() == "charset"
        ),
        "utf-8",
    )
    if media_type.strip().lower() != JSON_MEDIA_TYPE or charset not in ("utf-8", "utf8"):
        raise ProblemError(415, "unsupported_media_type", "Send the body as 'Content-Type: application/json' (UTF-8).")


def too_large(limit: int) -> ProblemError:
    return ProblemError(413, "payload_too_large", f"The body exceeds {limit} bytes.")
