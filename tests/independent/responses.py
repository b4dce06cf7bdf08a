"""HTTP answers as plain values, and RFC 9457 problem details.

Problem codes and type URIs are this deployment's own; only ``duplicate_event`` is
fixed by the contract. A problem never carries a request header, path or body value,
so no key, secret, file path or SQL can leak through one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.independent.jsonbody import dump

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://errors.hiring-records.example/problems/"


@dataclass
class Response:
    """What a handler answers: the server writes it out as it is."""

    status: int
    body: bytes = b""
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, document: object, headers: dict[str, str] | None = None) -> Response:
    return Response(status, dump(document), JSON, dict(headers or {}))


@dataclass
class Problem(Exception):
    """A refusal, raised anywhere below a handler and answered as problem details."""

    status: int
    code: str
    title: str
    detail: str
    extras: dict[str, object] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def to_response(self, request_id: str) -> Response:
        document: dict[str, object] = {
            "type": PROBLEM_BASE + self.code.lower().replace("_", "-"),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
            "instance": f"urn:uuid:{request_id}",
            "requestId": request_id,
        }
        document.update(self.extras)
        return Response(self.status, dump(document), PROBLEM_JSON, dict(self.headers))


def malformed(detail: str) -> Problem:
    return Problem(400, "BODY_NOT_JSON", "The body could not be read", detail)


def not_an_object() -> Problem:
    return Problem(400, "BODY_NOT_OBJECT", "The body must be a JSON object", "The body is JSON, but not an object.")


def bad_request(code: str, detail: str) -> Problem:
    return Problem(400, code, "The request could not be understood", detail)


def unauthenticated(detail: str, key_sent: bool) -> Problem:
    challenge = 'Bearer realm="nyc-hiring"'
    if key_sent:
        challenge += ', error="invalid_token"'
    code = "CREDENTIALS_REJECTED" if key_sent else "CREDENTIALS_MISSING"
    return Problem(401, code, "Authentication is required", detail, headers={"WWW-Authenticate": challenge})


def forbidden(scope: str) -> Problem:
    challenge = f'Bearer realm="nyc-hiring", error="insufficient_scope", scope="{scope}"'
    detail = f"This key does not carry the scope {scope}."
    return Problem(403, "SCOPE_MISSING", "The key may not do this", detail, headers={"WWW-Authenticate": challenge})


def signature_rejected(detail: str) -> Problem:
    return Problem(401, "SIGNATURE_REJECTED", "The delivery could not be authenticated", detail)


def outside_window(detail: str) -> Problem:
    return Problem(401, "DELIVERY_OUTSIDE_WINDOW", "The delivery is too old or too new", detail)


def not_found() -> Problem:
    return Problem(404, "RESOURCE_UNKNOWN", "Nothing is here", "No such resource is visible to this key.")


def method_not_allowed(allowed: str) -> Problem:
    detail = f"This resource answers {allowed} only."
    return Problem(405, "METHOD_UNSUPPORTED", "Method not allowed", detail, headers={"Allow": allowed})


def duplicate(decision_event_id: str, explanation_id: str | None) -> Problem:
    extras: dict[str, object] = {"decisionEventId": decision_event_id, "explanationId": explanation_id}
    detail = "This decision event was recorded before; the original is decisionEventId."
    return Problem(409, "duplicate_event", "Decision event already recorded", detail, extras)


def in_flight() -> Problem:
    detail = "A request with this Idempotency-Key is still being processed; retry later."
    return Problem(409, "IDEMPOTENCY_IN_PROGRESS", "A request is outstanding for this Idempotency-Key", detail)


def key_reused() -> Problem:
    detail = "This Idempotency-Key was used before with a different body."
    return Problem(422, "IDEMPOTENCY_KEY_MISMATCH", "Idempotency-Key is already used", detail)


def too_large(limit: int) -> Problem:
    return Problem(413, "BODY_TOO_LARGE", "The body is too large", f"Bodies are limited to {limit} bytes.")


def unsupported_media_type() -> Problem:
    detail = "Send the body as application/json."
    return Problem(415, "MEDIA_TYPE_UNSUPPORTED", "Unsupported media type", detail, headers={"Accept-Post": JSON})


def invalid(violations: list[dict[str, str]]) -> Problem:
    detail = "; ".join(f"{item['field']}: {item['message']}" for item in violations[:5])
    title = "The decision event does not meet the schema"
    return Problem(422, "FIELD_INVALID", title, detail, {"violations": violations})


def unexpected(request_id: str) -> Response:
    """The answer to a fault of this server: a correlation ID, nothing else."""
    problem = Problem(500, "UNEXPECTED_CONDITION", "Unexpected condition", "Quote the requestId when you report this.")
    return problem.to_response(request_id)
