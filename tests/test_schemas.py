"""The API's JSON Schemas and OpenAPI document: the shapes clients, the server and the harness share.

Example bodies come from the integration guide (direct API and Greenhouse) and from Greenhouse's own web
hook documentation (https://developers.greenhouse.io/webhooks.html, reproduced in the reference notes), so
a schema that rejects what real senders send fails here first.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing.exceptions
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

from nyc_hiring import payload_fixtures, schemas

API_SCHEMAS = [
    "candidate-message",
    "decision-event-record",
    "decision-event-request",
    "decision-event-response",
    "decision-factor",
    "definitions",
    "explanation",
    "greenhouse-webhook",
    "internal-memo",
    "lever-webhook",
    "problem",
    "webhook-ack",
    "workday-webhook",
]
BASE = "/api/v1/nyc-hiring"
# The surface table of the contract (§ 1): every operation the document must describe.
CONTRACT_OPERATIONS = {
    ("post", f"{BASE}/decision-event"),
    ("get", f"{BASE}/decision-events/{{decisionEventId}}"),
    ("get", f"{BASE}/explanations/{{explanationId}}"),
    ("post", f"{BASE}/webhook/greenhouse"),
    ("post", f"{BASE}/webhook/lever"),
    ("post", f"{BASE}/webhook/workday"),
    ("get", f"{BASE}/health"),
    ("get", f"{BASE}/openapi.json"),
    ("get", "/health"),
    ("get", "/openapi.json"),
}
WIRE_FORMAT = Path(__file__).resolve().parents[1] / "docs" / "wire-format.md"

DE_ID = "de_" + "abcdefghijklmnopqrstuvwxyz"
EX_ID = "ex_" + "234567abcdefghijklmnopqrst"
HEX64 = "3f" * 32


def guide_body(timestamp: str = "2026-03-02T14:30:00.000Z") -> dict[str, Any]:
    """The guide's direct-API example, with the timestamp its Node or Python client would send."""
    return {
        "candidateIdRaw": "candidate_12345",
        "jobIdRaw": "job_67890",
        "decision": "reject",
        "decisionTimestamp": timestamp,
        "decisionFactors": [
            {"factor": "years_experience", "value": 2, "weight": 0.3, "contribution": "negative"},
            {"factor": "technical_score", "value": 45, "weight": 0.4, "contribution": "negative"},
        ],
        "aedtName": "CustomATS AI",
        "aedtVersion": "1.0",
        "requestExplanation": True,
    }


def errors(name: str, instance: Any) -> list[str]:
    return [error.message for error in schemas.validator(name).iter_errors(instance)]


def walk(node: Any) -> Iterator[tuple[Any, Any]]:
    """Every (key, value) pair in a JSON document, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def resolve_pointer(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for token in ref.removeprefix("#/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


# -- the files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", API_SCHEMAS)
def test_api_schema_files_carry_their_identity(name: str) -> None:
    schema = schemas.load(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"{name}.schema.json"
    assert schema["title"].strip() and schema["description"].strip()


@pytest.mark.parametrize("name", schemas.names())
def test_every_schema_is_a_valid_2020_12_schema(name: str) -> None:
    schemas.validator(name).check_schema(schemas.load(name))


def test_every_api_schema_is_shipped() -> None:
    assert set(API_SCHEMAS) <= set(schemas.names())


def test_path_accepts_a_bare_name_or_a_file_name() -> None:
    expected = schemas.SCHEMA_DIR / "problem.schema.json"
    assert schemas.path("problem") == schemas.path("problem.schema.json") == expected
    assert schemas.path("openapi.yaml").is_file()
    assert schemas.load("problem") is schemas.load("problem.schema.json")
    with pytest.raises(FileNotFoundError):
        schemas.path("no-such-schema")
    with pytest.raises(FileNotFoundError):
        schemas.path("../payload_fixtures/manifest.json")


def test_registry_resolves_every_schema_by_its_file_name() -> None:
    registry = schemas.registry()
    for name in API_SCHEMAS:
        original = {key: value for key, value in schemas.load(name).items() if key != "$schema"}
        assert registry.contents(f"{name}.schema.json") == original


def test_validator_follows_references_into_other_files() -> None:
    body = guide_body()
    body["decisionFactors"][0]["contribution"] = "sideways"
    (error,) = schemas.validator("decision-event-request").iter_errors(body)
    assert list(error.absolute_path) == ["decisionFactors", 0, "contribution"]
    assert error.validator == "enum" and error.validator_value == ["positive", "negative", "neutral"]
    # The factor's rules live in another file: without the registry they cannot be found at all.
    bare = jsonschema.Draft202012Validator(schemas.load("decision-event-request"))
    with pytest.raises(referencing.exceptions.Unresolvable):
        bare.validate(guide_body())


def test_validator_checks_formats() -> None:
    memo = explanation_memo()
    memo["notice"]["date"] = "2026-02-30"
    assert errors("internal-memo", memo)


# -- the decision-event request ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "timestamp",
    [
        "2026-03-02T14:30:00.000Z",  # new Date().toISOString()
        "2026-03-02T09:30:00.123456",  # datetime.now().isoformat(): no offset, read as UTC
        "2026-03-02T09:30:00-05:00",
        "2026-03-02T14:30:00+00:00",
        "2026-03-02T14:30:00.123456789z",
    ],
)
def test_the_guides_direct_api_example_is_valid(timestamp: str) -> None:
    assert errors("decision-event-request", guide_body(timestamp)) == []


def test_optional_fields_may_be_null_or_set() -> None:
    body = guide_body()
    assert (
        errors(
            "decision-event-request",
            body | dict.fromkeys(["requestExplanation", "jobTitle", "candidateLocale", "aedtRole"]),
        )
        == []
    )
    filled = {"jobTitle": "Data Analyst", "candidateLocale": "es-419", "aedtRole": "weighted_most"}
    assert errors("decision-event-request", body | filled) == []
    assert errors("decision-event-request", body | {"decisionFactors": []}) == []


def factor(name: str = "x", *, value: Any = 1, weight: Any = 0.5, contribution: str = "negative") -> dict[str, Any]:
    return {"factor": name, "value": value, "weight": weight, "contribution": contribution}


def factors(count: int) -> list[dict[str, Any]]:
    return [factor(f"skill_{i}", value=True, weight=0.01, contribution="neutral") for i in range(count)]


INVALID_REQUESTS: dict[str, dict[str, Any]] = {
    "unknown field": {"candidateName": "Ada"},
    "weight above 1": {"decisionFactors": [factor(weight=1.5)]},
    "negative weight": {"decisionFactors": [factor(weight=-0.1)]},
    "weight as a string": {"decisionFactors": [factor(weight="0.5")]},
    "factor not snake_case": {"decisionFactors": [factor("YearsExperience")]},
    "factor with a space": {"decisionFactors": [factor("years experience")]},
    "factor with an extra key": {"decisionFactors": [factor() | {"score": 3}]},
    "factor without weight": {"decisionFactors": [{"factor": "x", "value": 1, "contribution": "neutral"}]},
    "factor value an object": {"decisionFactors": [factor(value={"a": 1})]},
    "factor value null": {"decisionFactors": [factor(value=None)]},
    "factor value over 500 characters": {"decisionFactors": [factor(value="a" * 501)]},
    "unknown contribution": {"decisionFactors": [factor(contribution="mixed")]},
    "101 factors": {"decisionFactors": factors(101)},
    "empty candidateIdRaw": {"candidateIdRaw": ""},
    "candidateIdRaw over 256 characters": {"candidateIdRaw": "c" * 257},
    "timestamp in words": {"decisionTimestamp": "yesterday"},
    "timestamp without seconds": {"decisionTimestamp": "2026-03-02T14:30Z"},
    "timestamp as a number": {"decisionTimestamp": 1772461800},
    "unknown decision": {"decision": "maybe"},
    "unknown aedtRole": {"aedtRole": "advisor"},
    "locale not BCP 47": {"candidateLocale": "english"},
    "requestExplanation as a string": {"requestExplanation": "yes"},
    "empty aedtName": {"aedtName": ""},
}


@pytest.mark.parametrize("change", INVALID_REQUESTS.values(), ids=INVALID_REQUESTS.keys())
def test_invalid_requests_are_rejected(change: dict[str, Any]) -> None:
    assert errors("decision-event-request", guide_body() | change)


def test_the_factor_used_above_is_valid_as_is() -> None:
    # So each invalid case above fails for the one change it makes.
    assert errors("decision-event-request", guide_body() | {"decisionFactors": [factor()]}) == []


@pytest.mark.parametrize(
    "field",
    ["candidateIdRaw", "jobIdRaw", "decision", "decisionTimestamp", "decisionFactors", "aedtName", "aedtVersion"],
)
def test_required_request_fields(field: str) -> None:
    body = guide_body()
    del body[field]
    assert errors("decision-event-request", body)


@pytest.mark.parametrize(
    "change",
    [
        {"decisionTimestamp": "2026-03-02T14:30:00Z\n"},
        {"candidateLocale": "en-US\n"},
        {"decisionFactors": [factor("years_experience\n")]},
    ],
    ids=["timestamp", "locale", "factor"],
)
def test_patterns_anchor_at_the_very_end(change: dict[str, Any]) -> None:
    # JSON Schema patterns are ECMA-262: `$` does not match before a trailing newline as Python's does.
    assert errors("decision-event-request", guide_body() | change)


def test_100_factors_are_accepted() -> None:
    assert errors("decision-event-request", guide_body() | {"decisionFactors": factors(100)}) == []


# -- responses ---------------------------------------------------------------------------------------


def explanation_memo() -> dict[str, Any]:
    body = guide_body()
    return {
        "explanationId": EX_ID,
        "decisionEventId": DE_ID,
        "candidateIdHash": HEX64,
        "jobIdRaw": body["jobIdRaw"],
        "source": "api",
        "aedtName": body["aedtName"],
        "aedtVersion": body["aedtVersion"],
        "aedtRole": "assisted",
        "decision": "reject",
        "decisionTimestamp": body["decisionTimestamp"],
        "timestampAssumedUtc": False,
        "decisionFactors": body["decisionFactors"],
        "notice": {"date": "2026-02-02", "method": "job_posting", "businessDaysBeforeDecision": 20},
        "biasAudit": {"date": "2025-06-01", "summaryUrl": "https://example.com/bias-audit", "ageDays": 274},
        "dataPolicy": {"types": ["resume"], "sources": ["the application"], "retention": "4 years"},
        "candidateMessageSha256": HEX64,
        "complianceFlags": [],
        "generatedAt": "2026-03-02T14:30:01.250Z",
        "employer": {"name": "Example Co", "contactEmail": "hr@example.com", "contactUrl": "https://example.com"},
        "excludedFromMessage": [],
        "generator": {"name": "reference", "version": "0.1.0"},
    }


def created_body(explained: bool = True) -> dict[str, Any]:
    message = {"subject": "Your application for Data Analyst", "body": "Thank you.", "locale": "en-US"}
    return {
        "decisionEventId": DE_ID,
        "explanationId": EX_ID if explained else None,
        "environment": "test",
        "candidateIdHash": HEX64,
        "receivedAt": "2026-03-02T14:30:01.250Z",
        "candidateMessage": message if explained else None,
        "internalMemo": explanation_memo() if explained else None,
        "complianceFlags": [],
    }


def record_body() -> dict[str, Any]:
    body = guide_body()
    del body["candidateIdRaw"]
    return body | {
        "jobTitle": None,
        "candidateLocale": "en-US",
        "aedtRole": "assisted",
        "decisionEventId": DE_ID,
        "explanationId": EX_ID,
        "environment": "test",
        "source": "api",
        "candidateIdHash": HEX64,
        "receivedAt": "2026-03-02T14:30:01Z",
        "complianceFlags": ["notice_too_late"],
    }


@pytest.mark.parametrize("explained", [True, False])
def test_created_response_with_and_without_explanation(explained: bool) -> None:
    assert errors("decision-event-response", created_body(explained)) == []


def test_explanation_fields_are_null_together() -> None:
    half = created_body() | {"internalMemo": None}
    assert errors("decision-event-response", half)
    assert errors("decision-event-response", created_body(False) | {"explanationId": EX_ID})


@pytest.mark.parametrize(
    "change",
    [
        {"candidateIdRaw": "candidate_12345"},
        {"decisionEventId": "de_123"},
        {"candidateIdHash": HEX64.upper()},
        {"receivedAt": "2026-03-02T14:30:01+00:00"},
        {"environment": "staging"},
        {"complianceFlags": ["notice_too_late", "notice_too_late"]},
        {"complianceFlags": ["looks_fine"]},
    ],
)
def test_created_response_rejects_leaks_and_wrong_formats(change: dict[str, Any]) -> None:
    assert errors("decision-event-response", created_body() | change)


def test_memo_is_open_to_extras_but_never_carries_the_raw_candidate_id() -> None:
    assert errors("internal-memo", explanation_memo() | {"reviewer": "hr-team"}) == []
    assert errors("internal-memo", explanation_memo() | {"candidateIdRaw": "candidate_12345"})


@pytest.mark.parametrize(
    "field",
    [
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
)
def test_memo_requires_the_contract_fields(field: str) -> None:
    memo = explanation_memo()
    del memo[field]
    assert errors("internal-memo", memo)


def test_memo_checks_notice_and_audit() -> None:
    memo = explanation_memo()
    memo["notice"]["method"] = "carrier_pigeon"
    assert errors("internal-memo", memo)
    memo = explanation_memo()
    memo["biasAudit"]["summaryUrl"] = "http://example.com/audit"
    assert errors("internal-memo", memo)


def test_candidate_message_limits() -> None:
    message = created_body()["candidateMessage"]
    assert errors("candidate-message", message) == []
    assert errors("candidate-message", message | {"subject": "s" * 121})
    assert errors("candidate-message", message | {"subject": ""})
    assert errors("candidate-message", message | {"body": ""})
    assert errors("candidate-message", {"subject": "Hi", "body": "Text"})


def test_record_and_explanation_bodies() -> None:
    assert errors("decision-event-record", record_body()) == []
    assert errors("decision-event-record", record_body() | {"candidateIdRaw": "candidate_12345"})
    assert errors("decision-event-record", record_body() | {"aedtRole": None})
    missing_default = record_body()
    del missing_default["candidateLocale"]
    assert errors("decision-event-record", missing_default)
    created = created_body()
    explanation = {
        key: created[key] for key in ("explanationId", "decisionEventId", "candidateMessage", "internalMemo")
    }
    assert errors("explanation", explanation) == []
    assert errors("explanation", explanation | {"candidateMessage": None})


ACKS = {
    "recorded": {
        "status": "recorded",
        "duplicate": False,
        "ignored": False,
        "event": "reject_candidate",
        "decisionEventId": DE_ID,
        "explanationId": EX_ID,
        "detail": "Recorded.",
    },
    "duplicate": {
        "status": "duplicate",
        "duplicate": True,
        "ignored": False,
        "event": "candidateHired",
        "decisionEventId": DE_ID,
        "explanationId": None,
        "detail": "Already recorded.",
    },
    "ignored": {
        "status": "ignored",
        "duplicate": False,
        "ignored": True,
        "event": "ping",
        "decisionEventId": None,
        "explanationId": None,
        "detail": "Not a decision.",
    },
}


@pytest.mark.parametrize("status", ACKS)
def test_webhook_acknowledgements(status: str) -> None:
    assert errors("webhook-ack", ACKS[status]) == []


@pytest.mark.parametrize(
    "ack",
    [
        ACKS["ignored"] | {"ignored": False},
        ACKS["ignored"] | {"decisionEventId": DE_ID},
        ACKS["recorded"] | {"duplicate": True},
        ACKS["recorded"] | {"decisionEventId": None},
        ACKS["duplicate"] | {"status": "recorded"},
        ACKS["recorded"] | {"status": "accepted"},
    ],
)
def test_inconsistent_acknowledgements_are_rejected(ack: dict[str, Any]) -> None:
    assert errors("webhook-ack", ack)


# -- problems ----------------------------------------------------------------------------------------


def wire_format_problem_codes() -> dict[str, int]:
    """The `| status | code | when |` table of docs/wire-format.md."""
    rows = re.findall(r"^\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|", WIRE_FORMAT.read_text(), re.MULTILINE)
    return {code: int(status) for status, code in rows}


def problem(code: str, status: int) -> dict[str, Any]:
    return {
        "type": f"urn:nyc-hiring:problem:{code}",
        "title": "A title",
        "status": status,
        "detail": "What happened.",
        "code": code,
    }


def test_every_wire_format_problem_code_is_in_the_schema() -> None:
    codes = wire_format_problem_codes()
    assert len(codes) >= 16
    assert set(schemas.load("problem")["properties"]["code"]["enum"]) == set(codes)


@pytest.mark.parametrize("code,status", sorted(wire_format_problem_codes().items()))
def test_each_problem_code_goes_with_its_status_and_type(code: str, status: int) -> None:
    assert errors("problem", problem(code, status)) == []
    assert errors("problem", problem(code, 599 if status != 599 else 400))
    assert errors("problem", problem(code, status) | {"type": "about:blank"})


def test_problem_extensions() -> None:
    duplicate = problem("duplicate_event", 409) | {
        "decisionEventId": DE_ID,
        "explanationId": None,
        "instance": f"{BASE}/decision-event",
    }
    assert errors("problem", duplicate) == []
    invalid = problem("validation_failed", 422) | {
        "errors": [{"pointer": "/decisionFactors/0/weight", "detail": "must be at most 1"}]
    }
    assert errors("problem", invalid) == []
    assert errors("problem", invalid | {"errors": [{"detail": "no pointer"}]})
    assert errors("problem", problem("teapot", 418))
    assert errors("problem", {"title": "Bad", "status": 400})


# -- webhook payloads --------------------------------------------------------------------------------

# Greenhouse's documented candidate_stage_change and reject_candidate examples
# (https://developers.greenhouse.io/webhooks.html), kept byte for byte in the payload corpus.
GREENHOUSE_STAGE_CHANGE = payload_fixtures.read_bytes("greenhouse/candidate_stage_change.documented.json")
GREENHOUSE_REJECT = payload_fixtures.read_bytes("greenhouse/reject_candidate.documented.json")


# From the integration guide's Greenhouse section.
GUIDE_GREENHOUSE = {
    "action": "candidate_stage_change",
    "payload": {
        "application": {
            "id": 12345,
            "candidate_id": 67890,
            "job_id": 111,
            "status": "rejected",
            "current_stage": {"name": "Rejected"},
            "rejection_reason": {"name": "Insufficient experience", "type": {"name": "Qualifications"}},
        }
    },
}


@pytest.mark.parametrize(
    "body",
    [
        json.loads(GREENHOUSE_STAGE_CHANGE),
        json.loads(GREENHOUSE_REJECT),
        GUIDE_GREENHOUSE,
        GUIDE_GREENHOUSE | {"action": "application_rejected"},
        {"action": "ping", "payload": {"web_hook_id": 1}},
        {"action": "job_created", "payload": {"job": {"id": 1}}},
    ],
    ids=["documented stage change", "documented rejection", "guide", "guide rejected", "ping", "job_created"],
)
def test_greenhouse_deliveries_are_valid(body: dict[str, Any]) -> None:
    assert errors("greenhouse-webhook", body) == []


def without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    trimmed = copy.deepcopy(body)
    application = trimmed["payload"]["application"]
    for key in keys:
        application.pop(key)
    return trimmed


@pytest.mark.parametrize(
    "body",
    [
        {"payload": {}},
        {"action": "reject_candidate"},
        {"action": "reject_candidate", "payload": {}},
        without(GUIDE_GREENHOUSE, "candidate_id"),
        without(GUIDE_GREENHOUSE, "job_id"),
        without(json.loads(GREENHOUSE_REJECT), "jobs"),
        GUIDE_GREENHOUSE | {"action": 7},
    ],
    ids=[
        "no action",
        "no payload",
        "decision without application",
        "no candidate",
        "no job",
        "no jobs",
        "numeric action",
    ],
)
def test_greenhouse_decisions_need_candidate_and_job(body: dict[str, Any]) -> None:
    assert errors("greenhouse-webhook", body)


def lever_body(event: str, **data: Any) -> dict[str, Any]:
    return {
        "event": event,
        "triggeredAt": 1476468488493,
        "token": "a5c5c2b6e2c6c1f2",
        "signature": "d6762c91609e4a47b0c9f34c65457f5938523a17416f527a1c1f77ea88a1f379",
        "data": data,
    }


def test_lever_deliveries() -> None:
    opportunity = {"candidateId": "7ad5a8c4", "contactId": "5d1b0a1e", "opportunityId": "7ad5a8c4"}
    archived = {"archivedAt": 1476468488485, "reason": "63dd55b2"}
    valid = [
        lever_body("candidateStageChange", **opportunity, fromStageId="lead-new", toStageId="applicant-new"),
        lever_body("candidateArchiveChange", **opportunity, fromArchived=None, toArchived=archived),
        lever_body("candidateArchiveChange", **opportunity, fromArchived=archived, toArchived=None),
        lever_body("candidateHired", **opportunity, postingId="f2b4c6d8"),
        lever_body("candidateStageChange"),  # Lever's connection test: signed, names no opportunity
    ]
    for body in valid:
        assert errors("lever-webhook", body) == [], body
    assert errors("lever-webhook", lever_body("candidateHired") | {"triggeredAt": "1476468488493"})
    assert errors("lever-webhook", lever_body("candidateHired") | {"signature": "sha256=abc"})
    assert errors("lever-webhook", {"event": "candidateHired", "data": opportunity})


def workday_body(event_type: str = "JobApplication.Dispositioned") -> dict[str, Any]:
    return {
        "eventType": event_type,
        "eventId": "evt_01JDQ4Z8W3",
        "occurredAt": "2026-11-28T10:00:00Z",
        "tenant": "acme",
        "jobApplication": {
            "id": "JA-67890",
            "candidate": {"id": "C-12345"},
            "jobRequisition": {"id": "JR-11111", "title": "Data Analyst"},
            "stage": {"name": "Screen"},
            "disposition": {"reason": "Insufficient experience", "category": "Qualifications"},
        },
    }


def test_workday_deliveries() -> None:
    assert errors("workday-webhook", workday_body()) == []
    stage_change = workday_body("JobApplication.StageChanged")
    del stage_change["jobApplication"]["disposition"]
    assert errors("workday-webhook", stage_change) == []
    assert errors("workday-webhook", workday_body() | {"integration": "studio"}) == []
    other = workday_body("JobRequisition.Created")
    del other["jobApplication"]
    assert errors("workday-webhook", other) == []
    decision_without_application = dict(other, eventType="JobApplication.Hired")
    assert errors("workday-webhook", decision_without_application)
    no_candidate = workday_body()
    del no_candidate["jobApplication"]["candidate"]
    assert errors("workday-webhook", no_candidate)
    assert errors("workday-webhook", workday_body() | {"eventId": ""})


# -- the OpenAPI document ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    return schemas.openapi_document()


@pytest.fixture(scope="module")
def loaded(bundled: dict[str, Any]) -> Any:
    return schemathesis.openapi.from_dict(copy.deepcopy(bundled))


def test_source_document_points_at_the_schema_files() -> None:
    source = schemas.openapi_document(bundled=False)
    assert source["openapi"] == "3.1.0"
    external = {value for key, value in walk(source) if key == "$ref" and not value.startswith("#")}
    files = {ref.removeprefix("./").partition("#")[0] for ref in external}
    assert files == {f"{name}.schema.json" for name in API_SCHEMAS}
    assert all(ref.startswith("./") for ref in external)


@pytest.mark.parametrize("is_bundled", [True, False], ids=["bundled", "source"])
def test_document_is_valid_openapi_3_1(is_bundled: bool) -> None:
    # The OpenAPI Initiative's 3.1 meta-schema, as schemathesis ships it.
    from schemathesis.specs.openapi.definitions import OPENAPI_31

    document = schemas.openapi_document(bundled=is_bundled)
    assert [error.message for error in jsonschema.Draft202012Validator(OPENAPI_31).iter_errors(document)] == []


def test_bundled_document_is_self_contained(bundled: dict[str, Any]) -> None:
    refs = [value for key, value in walk(bundled) if key == "$ref"]
    assert refs and all(ref.startswith("#/") for ref in refs)
    for ref in refs:
        resolve_pointer(bundled, ref)  # raises KeyError when dangling
    for name, schema in bundled["components"]["schemas"].items():
        assert "$id" not in schema and "$schema" not in schema, name


def test_bundled_components_are_the_schema_files(bundled: dict[str, Any]) -> None:
    components = bundled["components"]["schemas"]
    request = components["DecisionEventRequest"]
    assert request["required"] == schemas.load("decision-event-request")["required"]
    assert request["properties"]["decisionFactors"]["items"] == {"$ref": "#/components/schemas/DecisionFactor"}
    assert components["Problem"]["properties"]["code"] == schemas.load("problem")["properties"]["code"]


def test_openapi_document_returns_a_fresh_copy() -> None:
    first = schemas.openapi_document()
    first["paths"].clear()
    assert schemas.openapi_document()["paths"]


def test_every_contract_operation_is_documented(loaded: Any, bundled: dict[str, Any]) -> None:
    operations = {
        (operation.method, operation.path) for operation in (result.ok() for result in loaded.get_all_operations())
    }
    assert operations == CONTRACT_OPERATIONS
    ids = [operation["operationId"] for _, item in bundled["paths"].items() for operation in item.values()]
    assert len(ids) == len(set(ids)) == len(CONTRACT_OPERATIONS)


def operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    op: dict[str, Any] = document["paths"][path][method]
    return op


def parameter_names(document: dict[str, Any], op: dict[str, Any]) -> set[str]:
    return {
        resolve_pointer(document, p["$ref"])["name"] if "$ref" in p else p["name"] for p in op.get("parameters", [])
    }


def test_security_per_operation(bundled: dict[str, Any]) -> None:
    assert bundled["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    write = operation(bundled, "post", f"{BASE}/decision-event")
    assert write["security"] == [{"bearerAuth": ["nyc:hiring.write"]}]
    for path in (f"{BASE}/decision-events/{{decisionEventId}}", f"{BASE}/explanations/{{explanationId}}"):
        assert operation(bundled, "get", path)["security"] == [{"bearerAuth": ["nyc:hiring.read"]}]
    for method, path in CONTRACT_OPERATIONS:
        if "/webhook/" in path or path.endswith(("/health", "/openapi.json")):
            assert operation(bundled, method, path)["security"] == [], path


def test_decision_event_operation(bundled: dict[str, Any]) -> None:
    write = operation(bundled, "post", f"{BASE}/decision-event")
    assert "Idempotency-Key" in parameter_names(bundled, write)
    responses = write["responses"]
    assert {"201", "400", "401", "403", "409", "413", "415", "422"} <= set(responses)
    assert {"Location", "Idempotent-Replayed"} <= set(responses["201"]["headers"])
    unauthorized = resolve_pointer(bundled, responses["401"]["$ref"])
    assert "WWW-Authenticate" in unauthorized["headers"]
    assert "application/problem+json" in unauthorized["content"]
    example = write["requestBody"]["content"]["application/json"]["example"]
    assert errors("decision-event-request", example) == []
    assert example["decisionTimestamp"].endswith("Z")


@pytest.mark.parametrize(
    "path,headers",
    [
        (f"{BASE}/webhook/greenhouse", {"Signature", "Greenhouse-Event-ID"}),
        (f"{BASE}/webhook/lever", set()),
        (f"{BASE}/webhook/workday", {"webhook-id", "webhook-timestamp", "webhook-signature"}),
    ],
)
def test_webhook_operations(bundled: dict[str, Any], path: str, headers: set[str]) -> None:
    webhook = operation(bundled, "post", path)
    assert parameter_names(bundled, webhook) == headers
    assert {"200", "401"} <= set(webhook["responses"])
    assert "201" not in webhook["responses"]


def response(status: int, body: dict[str, Any], **headers: str) -> schemathesis.Response:
    request = requests.Request("POST", f"http://localhost{BASE}/decision-event").prepare()
    raw = {"content-type": ["application/problem+json" if status >= 400 else "application/json"]}
    raw |= {key: [value] for key, value in headers.items()}
    return schemathesis.Response(status, raw, json.dumps(body).encode(), request, 0.0, True)


def test_schemathesis_validates_responses_through_the_bundled_references(loaded: Any) -> None:
    write = loaded[f"{BASE}/decision-event"]["POST"]
    location = {"Location": f"{BASE}/decision-events/{DE_ID}"}
    assert write.is_valid_response(response(201, created_body(), **location))
    assert not write.is_valid_response(response(201, created_body() | {"candidateIdRaw": "c"}, **location))
    bad_memo = created_body()
    bad_memo["internalMemo"]["decisionFactors"][0]["weight"] = 2
    assert not write.is_valid_response(response(201, bad_memo, **location))
    challenge = {"WWW-Authenticate": "Bearer"}
    assert write.is_valid_response(response(401, problem("missing_credentials", 401), **challenge))
    assert not write.is_valid_response(response(401, problem("missing_credentials", 403), **challenge))


def test_schemathesis_generates_valid_decision_events(loaded: Any) -> None:
    strategy = loaded[f"{BASE}/decision-event"]["POST"].as_strategy()

    @settings(max_examples=8, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def generated_bodies_validate(case: Any) -> None:
        assert errors("decision-event-request", case.body) == []

    generated_bodies_validate()


# -- standalone schemas ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", API_SCHEMAS)
def test_standalone_schemas_have_no_references(name: str) -> None:
    inlined = schemas.standalone(name)
    assert not [value for key, value in walk(inlined) if key == "$ref"]
    schemas.validator(name).check_schema(inlined)


def test_standalone_schemas_validate_like_the_originals() -> None:
    request = jsonschema.Draft202012Validator(schemas.standalone("decision-event-request"))
    assert request.is_valid(guide_body())
    for change in INVALID_REQUESTS.values():
        assert not request.is_valid(guide_body() | change), change
    response = jsonschema.Draft202012Validator(schemas.standalone("decision-event-response"))
    assert response.is_valid(created_body()) and response.is_valid(created_body(False))
    assert not response.is_valid(created_body() | {"internalMemo": None})
    greenhouse = jsonschema.Draft202012Validator(schemas.standalone("greenhouse-webhook"))
    assert greenhouse.is_valid(json.loads(GREENHOUSE_REJECT))
    assert not greenhouse.is_valid(without(GUIDE_GREENHOUSE, "candidate_id"))


def test_the_openapi_document_loads_after_pyyaml_is_imported_again() -> None:
    """pytest's in-process runs (pytester) drop the modules they import, PyYAML and this package among
    them; libyaml's extension stays, bound to the node classes of the first import. The document must
    still load in the next run."""
    script = textwrap.dedent("""
        import sys
        import yaml
        for name in [m for m in sys.modules if m.split(".")[0] == "yaml" or m.startswith("nyc_hiring.schemas")]:
            if name != "yaml._yaml":
                del sys.modules[name]
        from nyc_hiring import schemas
        print(sorted(schemas.openapi_document()["paths"])[0])
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("/")
