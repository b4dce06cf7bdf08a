"""The OpenAPI 3.1 document this deployment serves at ``/openapi.json``.

Written by hand to describe exactly what this deployment does: the request schema
states the same rules as ``validation.py``, every status an operation can answer is
declared, errors are problem details, and response objects are open, since they carry
more fields than the contract requires.
"""

from __future__ import annotations

from typing import Any

from tests.independent import validation
from tests.independent.timestamps import PATTERN as TIMESTAMP_PATTERN

BASE = "/api/v1/nyc-hiring"
REF = "#/components/schemas/"
Schema = dict[str, Any]
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
IDEMPOTENCY_KEY_PATTERN = '^("[ !#-\\[\\]-~]{1,255}"|[!#-\\[\\]-~]{1,255})$'


def _ref(name: str) -> Schema:
    return {"$ref": REF + name}


def _nullable(name: str) -> Schema:
    return {"anyOf": [_ref(name), {"type": "null"}]}


def _text(low: int, high: int, nullable: bool = False) -> Schema:
    return {"type": ["string", "null"] if nullable else "string", "minLength": low, "maxLength": high}


FACTOR_REQUEST: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": list(validation.FACTOR_KEYS),
    "properties": {
        "factor": {"type": "string", "maxLength": validation.MAX_FACTOR_NAME, "pattern": validation.FACTOR_PATTERN},
        "value": {"type": ["number", "string", "boolean"], "maxLength": validation.MAX_VALUE_TEXT},
        "weight": {"type": "number", "minimum": 0, "maximum": 1},
        "contribution": {"enum": list(validation.CONTRIBUTIONS)},
    },
}
DECISION_REQUEST: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": list(validation.REQUIRED),
    "properties": {
        "candidateIdRaw": _text(1, 256),
        "jobIdRaw": _text(1, 256),
        "decision": {"enum": list(validation.DECISIONS)},
        "decisionTimestamp": {
            "type": "string",
            "pattern": TIMESTAMP_PATTERN,
            "description": "RFC 3339; without an offset it is read as UTC. At most 5 minutes ahead "
            "(14 hours without an offset).",
        },
        "decisionFactors": {"type": "array", "maxItems": validation.MAX_FACTORS, "items": _ref("FactorRequest")},
        "aedtName": _text(1, 200),
        "aedtVersion": _text(1, 200),
        "requestExplanation": {"type": ["boolean", "null"]},
        "jobTitle": _text(1, validation.MAX_TITLE, nullable=True),
        "candidateLocale": {
            "type": ["string", "null"],
            "minLength": 2,
            "maxLength": validation.MAX_LOCALE,
            "pattern": validation.LOCALE_PATTERN,
        },
        "aedtRole": {"enum": [*validation.ROLES, None]},
    },
}
FACTOR: Schema = {
    "type": "object",
    "required": list(validation.FACTOR_KEYS),
    "properties": {
        "factor": {"type": "string"},
        "value": {"type": ["number", "string", "boolean"]},
        "weight": {"type": "number"},
        "contribution": {"type": "string"},
    },
}
MESSAGE: Schema = {
    "type": "object",
    "required": ["subject", "body", "locale"],
    "properties": {
        "subject": {"type": "string", "maxLength": 120},
        "body": {"type": "string"},
        "locale": {"type": "string"},
    },
}
FLAGS: Schema = {"type": "array", "items": {"type": "string"}}
LINKS: Schema = {"type": "object", "properties": {"decisionEvent": {"type": "string"}, "explanation": NULLABLE_STRING}}
MEMO: Schema = {
    "type": "object",
    "required": [
        "explanationId",
        "decisionEventId",
        "candidateIdHash",
        "jobIdRaw",
        "source",
        "aedtName",
        "aedtVersion",
        "aedtRole",
        "decision",
        "decisionTimestamp",
        "timestampAssumedUtc",
        "decisionFactors",
        "notice",
        "biasAudit",
        "dataPolicy",
        "candidateMessageSha256",
        "complianceFlags",
        "generatedAt",
    ],
    "properties": {
        "explanationId": {"type": "string"},
        "decisionEventId": {"type": "string"},
        "candidateIdHash": {"type": "string"},
        "jobIdRaw": {"type": "string"},
        "source": {"enum": ["api", "greenhouse", "lever", "workday"]},
        "aedtName": {"type": "string"},
        "aedtVersion": {"type": "string"},
        "aedtRole": {"enum": list(validation.ROLES)},
        "decision": {"enum": list(validation.DECISIONS)},
        "decisionTimestamp": {"type": "string"},
        "timestampAssumedUtc": {"type": "boolean"},
        "decisionFactors": {"type": "array", "items": _ref("Factor")},
        "notice": {
            "type": "object",
            "required": ["date", "method"],
            "properties": {
                "date": {"type": "string", "format": "date"},
                "method": {"enum": ["website", "job_posting", "mail", "email"]},
            },
        },
        "biasAudit": {
            "type": "object",
            "required": ["date", "summaryUrl"],
            "properties": {
                "date": {"type": "string", "format": "date"},
                "summaryUrl": {"type": "string", "format": "uri"},
            },
        },
        "dataPolicy": {
            "type": "object",
            "required": ["types", "sources", "retention"],
            "properties": {
                "types": {"type": "array", "items": {"type": "string"}},
                "sources": {"type": "array", "items": {"type": "string"}},
                "retention": {"type": "string"},
            },
        },
        "candidateMessageSha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "complianceFlags": FLAGS,
        "generatedAt": {"type": "string", "format": "date-time"},
    },
}
COMMON_EVENT: Schema = {
    "decisionEventId": {"type": "string"},
    "explanationId": NULLABLE_STRING,
    "environment": {"enum": ["test", "live"]},
    "candidateIdHash": {"type": "string"},
    "receivedAt": {"type": "string", "format": "date-time"},
    "complianceFlags": FLAGS,
    "links": LINKS,
}
CREATED: Schema = {
    "type": "object",
    "required": [
        "decisionEventId",
        "explanationId",
        "environment",
        "candidateIdHash",
        "receivedAt",
        "candidateMessage",
        "internalMemo",
        "complianceFlags",
    ],
    "properties": {
        **COMMON_EVENT,
        "candidateMessage": _nullable("CandidateMessage"),
        "internalMemo": _nullable("InternalMemo"),
        "requestId": NULLABLE_STRING,
    },
}
RECORD: Schema = {
    "type": "object",
    "required": [
        "decisionEventId",
        "explanationId",
        "environment",
        "source",
        "candidateIdHash",
        "receivedAt",
        "complianceFlags",
        "jobIdRaw",
        "decision",
        "decisionTimestamp",
        "decisionFactors",
        "aedtName",
        "aedtVersion",
        "requestExplanation",
        "jobTitle",
        "candidateLocale",
        "aedtRole",
    ],
    "properties": {
        **COMMON_EVENT,
        "source": {"enum": ["api", "greenhouse", "lever", "workday"]},
        "jobIdRaw": {"type": "string"},
        "decision": {"enum": list(validation.DECISIONS)},
        "decisionTimestamp": {"type": "string"},
        "decisionFactors": {"type": "array", "items": _ref("Factor")},
        "aedtName": {"type": "string"},
        "aedtVersion": {"type": "string"},
        "requestExplanation": {"type": ["boolean", "null"]},
        "jobTitle": NULLABLE_STRING,
        "candidateLocale": NULLABLE_STRING,
        "aedtRole": {"enum": [*validation.ROLES, None]},
    },
}
EXPLANATION: Schema = {
    "type": "object",
    "required": ["explanationId", "decisionEventId", "candidateMessage", "internalMemo"],
    "properties": {
        "explanationId": {"type": "string"},
        "decisionEventId": {"type": "string"},
        "candidateMessage": _ref("CandidateMessage"),
        "internalMemo": _ref("InternalMemo"),
        "links": LINKS,
    },
}
ACK: Schema = {
    "type": "object",
    "required": ["decisionEventId", "explanationId", "duplicate", "ignored"],
    "properties": {
        "decisionEventId": NULLABLE_STRING,
        "explanationId": NULLABLE_STRING,
        "duplicate": {"type": "boolean"},
        "ignored": {"type": "boolean"},
        "outcome": {"enum": ["recorded", "redelivery", "not_a_decision"]},
        "source": {"type": "string"},
        "requestId": {"type": "string"},
    },
}
PROBLEM: Schema = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "requestId": {"type": "string"},
        "decisionEventId": {"type": "string"},
        "explanationId": NULLABLE_STRING,
        "violations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
ERROR_TEXT: dict[int, str] = {
    400: "Not a JSON object, or an unusable header value",
    401: "Missing, unknown or revoked credentials",
    403: "The key lacks the scope",
    404: "Unknown, or belongs to the other environment",
    409: "Recorded before (code duplicate_event), or the Idempotency-Key is in flight",
    413: "Body over 262144 bytes",
    415: "Not application/json",
    422: "Schema violation, or an Idempotency-Key reused with another body",
}


def _problems(*statuses: int) -> Schema:
    return {
        str(status): {
            "description": ERROR_TEXT[status],
            "content": {"application/problem+json": {"schema": _ref("Problem")}},
        }
        for status in statuses
    }


def _ok(status: int, schema: str, description: str, headers: Schema | None = None) -> Schema:
    answer: Schema = {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}
    if headers:
        answer["headers"] = headers
    return {str(status): answer}


def _json_body(schema: Schema) -> Schema:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _header(name: str, schema: Schema | None = None, required: bool = True) -> Schema:
    return {"name": name, "in": "header", "required": required, "schema": schema or {"type": "string"}}


def _read(parameter: str, schema: str, summary: str) -> Schema:
    return {
        "get": {
            "operationId": f"read{schema}",
            "summary": summary,
            "security": [{"apiKey": []}],
            "parameters": [{"name": parameter, "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {**_ok(200, schema, summary), **_problems(401, 403, 404)},
        }
    }


def _webhook(source: str, parameters: list[Schema], body: Schema) -> Schema:
    return {
        "post": {
            "operationId": f"{source}Webhook",
            "summary": f"Receive a {source.title()} webhook delivery",
            "security": [],
            "parameters": parameters,
            "requestBody": _json_body(body),
            "responses": {
                **_ok(200, "WebhookAck", "Acknowledged: recorded, a redelivery, or not a decision"),
                **_problems(400, 401, 413, 415),
            },
        }
    }


def _free(operation_id: str, schema: str, summary: str) -> Schema:
    return {
        "get": {"operationId": operation_id, "summary": summary, "security": [], "responses": _ok(200, schema, summary)}
    }


POST_DECISION: Schema = {
    "post": {
        "operationId": "recordDecisionEvent",
        "summary": "Record a hiring decision; optionally explain it",
        "security": [{"apiKey": []}],
        "parameters": [_header("Idempotency-Key", {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN}, False)],
        "requestBody": _json_body(_ref("DecisionEventRequest")),
        "responses": {
            **_ok(
                201, "DecisionEventCreated", "Recorded", {"Location": {"required": True, "schema": {"type": "string"}}}
            ),
            **_problems(400, 401, 403, 409, 413, 415, 422),
        },
    }
}
LEVER_BODY: Schema = {
    "type": "object",
    "required": ["token", "triggeredAt", "signature"],
    "properties": {
        "token": {"type": "string"},
        "triggeredAt": {"type": "integer"},
        "signature": {"type": "string"},
        "event": {"type": "string"},
        "data": {"type": "object"},
    },
}
STANDARD_WEBHOOK_HEADERS = [_header("webhook-id"), _header("webhook-timestamp"), _header("webhook-signature")]

DOCUMENT: Schema = {
    "openapi": "3.1.0",
    "info": {
        "title": "NYC hiring-compliance API",
        "version": "1.0.0",
        "description": "Records hiring decisions an automated employment decision tool took part in, "
        "and explains them to candidates (NYC Local Law 144).",
    },
    "paths": {
        f"{BASE}/decision-event": POST_DECISION,
        f"{BASE}/decision-events/{{decisionEventId}}": _read(
            "decisionEventId", "DecisionEventRecord", "Read a recorded decision"
        ),
        f"{BASE}/explanations/{{explanationId}}": _read(
            "explanationId", "Explanation", "Read a candidate message and its memo"
        ),
        f"{BASE}/webhook/greenhouse": _webhook("greenhouse", [_header("Signature")], {"type": "object"}),
        f"{BASE}/webhook/lever": _webhook("lever", [], LEVER_BODY),
        f"{BASE}/webhook/workday": _webhook("workday", STANDARD_WEBHOOK_HEADERS, {"type": "object"}),
        "/health": _free("health", "Health", "Liveness"),
        f"{BASE}/health": _free("healthUnderBase", "Health", "Liveness"),
        "/openapi.json": _free("openapi", "OpenApiDocument", "This document"),
        f"{BASE}/openapi.json": _free("openapiUnderBase", "OpenApiDocument", "This document"),
    },
    "components": {
        "securitySchemes": {
            "apiKey": {"type": "http", "scheme": "bearer", "description": "haiec_test_… or haiec_live_… keys"}
        },
        "schemas": {
            "DecisionEventRequest": DECISION_REQUEST,
            "FactorRequest": FACTOR_REQUEST,
            "Factor": FACTOR,
            "CandidateMessage": MESSAGE,
            "InternalMemo": MEMO,
            "DecisionEventCreated": CREATED,
            "DecisionEventRecord": RECORD,
            "Explanation": EXPLANATION,
            "WebhookAck": ACK,
            "Problem": PROBLEM,
            "Health": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
            "OpenApiDocument": {"type": "object", "required": ["openapi", "paths"]},
        },
    },
}
