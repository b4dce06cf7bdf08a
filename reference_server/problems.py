"""RFC 9457 problem details: the one shape every error of the API takes.

Clients and the conformance harness branch on `code`, never on `title` or `detail`, so the codes are
a closed list (docs/wire-format.md) and each has one fixed title.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

PROBLEM_MEDIA_TYPE = "application/problem+json"

TITLES: dict[str, str] = {
    "malformed_json": "Malformed JSON body",
    "invalid_idempotency_key": "Invalid Idempotency-Key header",
    "missing_credentials": "Authentication required",
    "invalid_credentials": "Invalid API key",
    "invalid_signature": "Invalid webhook signature",
    "stale_delivery": "Webhook delivery outside the accepted time window",
    "insufficient_scope": "API key lacks the required scope",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "duplicate_event": "Duplicate decision event",
    "idempotency_key_in_flight": "A request is outstanding for this Idempotency-Key",
    "payload_too_large": "Request body too large",
    "request_head_too_large": "Request header fields too large",
    "unsupported_media_type": "Unsupported media type",
    "validation_failed": "Request body failed validation",
    "idempotency_key_reused": "Idempotency-Key is already used with a different body",
    "internal_error": "Internal server error",
}


class ProblemError(Exception):
    """Raised anywhere below a handler to answer with a problem; the app turns it into a response."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions

    def to_response(self) -> Response:
        return problem_response(self.status, self.code, self.detail, headers=self.headers, **self.extensions)


def problem_body(status: int, code: str, detail: str, **extensions: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:nyc-hiring:problem:{code}",
        "title": TITLES[code],
        "status": status,
        "detail": detail,
        "code": code,
    }
    body.update({key: value for key, value in extensions.items() if value is not None})
    return body


def problem_response(
    status: int, code: str, detail: str, *, headers: dict[str, str] | None = None, **extensions: Any
) -> Response:
    content = json.dumps(problem_body(status, code, detail, **extensions), ensure_ascii=False)
    return Response(content.encode(), status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)
