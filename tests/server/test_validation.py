"""EVT-001..004: bad input gets a precise 4xx problem, never a 5xx; reads give back what was written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .conftest import ENVIRONMENT, Sandbox, decision_body


def _post_raw(sandbox: Sandbox, content: bytes, content_type: str | None = "application/json") -> Any:
    headers = {"Content-Type": content_type} if content_type else {}
    return sandbox.post("/decision-event", content=content, headers=headers)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"{not json", "malformed_json"),
        (b"", "malformed_json"),
        (b"[]", "malformed_json"),
        (b'{"a": NaN}', "malformed_json"),
        (b'{"a": 1e999}', "malformed_json"),
        (b"\xff\xfe{}", "malformed_json"),
    ],
)
def test_evt_001_malformed_json_is_400(sandbox: Sandbox, content: bytes, code: str) -> None:
    response = _post_raw(sandbox, content)
    assert response.status_code == 400
    assert response.json()["code"] == code


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin-1",
        "application/problem+json",
    ],
)
def test_evt_001_wrong_media_type_is_415(sandbox: Sandbox, content_type: str | None) -> None:
    response = _post_raw(sandbox, json.dumps(decision_body()).encode(), content_type)
    assert response.status_code == 415
    assert sandbox.store.count_events() == 0


def test_evt_001_media_type_parameters_are_allowed(sandbox: Sandbox) -> None:
    response = _post_raw(sandbox, json.dumps(decision_body()).encode(), "Application/JSON; charset=UTF-8")
    assert response.status_code == 201


def test_evt_001_body_over_256_kib_is_413(sandbox: Sandbox) -> None:
    body = decision_body(jobTitle="x")
    padding = 256 * 1024 - len(json.dumps(body))
    at_limit = json.dumps({**body, "jobTitle": "x"}).encode() + b" " * padding
    assert len(at_limit) == 256 * 1024
    assert _post_raw(sandbox, at_limit).status_code == 201
    over = json.dumps(decision_body()).encode() + b" " * (256 * 1024)
    assert _post_raw(sandbox, over).status_code == 413
    for path in ("/webhook/greenhouse", "/webhook/lever", "/webhook/workday"):
        response = sandbox.post(path, content=over, headers={"Content-Type": "application/json"}, key=None)
        assert response.status_code == 413, path


INVALID_BODIES: dict[str, dict[str, Any]] = {
    "unknown field": {"candidateName": "Ada"},
    "empty candidate": {"candidateIdRaw": ""},
    "long candidate": {"candidateIdRaw": "c" * 257},
    "numeric candidate": {"candidateIdRaw": 12345},
    "decision": {"decision": "maybe"},
    "timestamp words": {"decisionTimestamp": "yesterday"},
    "timestamp month 13": {"decisionTimestamp": "2026-13-01T10:00:00Z"},
    "weight above 1": {"decisionFactors": [{"factor": "a", "value": 1, "weight": 1.5, "contribution": "negative"}]},
    "weight as string": {"decisionFactors": [{"factor": "a", "value": 1, "weight": "0.5", "contribution": "neutral"}]},
    "camel factor": {"decisionFactors": [{"factor": "YearsExp", "value": 1, "weight": 0.5, "contribution": "neutral"}]},
    "factor extra key": {
        "decisionFactors": [{"factor": "a", "value": 1, "weight": 0.5, "contribution": "neutral", "note": "x"}]
    },
    "factor null value": {
        "decisionFactors": [{"factor": "a", "value": None, "weight": 0.5, "contribution": "neutral"}]
    },
    "contribution": {"decisionFactors": [{"factor": "a", "value": 1, "weight": 0.5, "contribution": "up"}]},
    "101 factors": {
        "decisionFactors": [
            {"factor": f"f{i}", "value": i, "weight": 0.01, "contribution": "neutral"} for i in range(101)
        ]
    },
    "factors missing": {"decisionFactors": ...},
    "aedt missing": {"aedtName": ...},
    "explanation as string": {"requestExplanation": "yes"},
    "locale": {"candidateLocale": "english please"},
    "role": {"aedtRole": "boss"},
}


@pytest.mark.parametrize("case", sorted(INVALID_BODIES))
def test_evt_001_schema_violations_are_422_with_pointers(sandbox: Sandbox, case: str) -> None:
    response = sandbox.post("/decision-event", json=decision_body(**INVALID_BODIES[case]))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert problem["errors"] and all(error["pointer"].startswith("/") for error in problem["errors"])
    assert sandbox.store.count_events() == 0


def test_evt_001_future_timestamps_are_422(sandbox: Sandbox) -> None:
    now = datetime.now(UTC)
    soon = (now + timedelta(minutes=4)).isoformat()
    later = (now + timedelta(minutes=6)).isoformat()
    assert sandbox.post("/decision-event", json=decision_body(decisionTimestamp=soon)).status_code == 201
    assert sandbox.post("/decision-event", json=decision_body(decisionTimestamp=later)).status_code == 422
    # without an offset the value may be local time anywhere: the bound is 14 hours
    naive_13h = (now + timedelta(hours=13)).replace(tzinfo=None).isoformat()
    naive_15h = (now + timedelta(hours=15)).replace(tzinfo=None).isoformat()
    assert sandbox.post("/decision-event", json=decision_body(decisionTimestamp=naive_13h)).status_code == 201
    assert sandbox.post("/decision-event", json=decision_body(decisionTimestamp=naive_15h)).status_code == 422


def test_evt_001_unknown_paths_and_methods_are_problems(sandbox: Sandbox) -> None:
    assert sandbox.get("/nothing-here").status_code == 404
    response = sandbox.request("PUT", "/decision-event", json=decision_body())
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")


def test_evt_002_openapi_document_is_served_and_matches_the_schemas(sandbox: Sandbox) -> None:
    from nyc_hiring import schemas

    for path in ("/openapi.json", "/api/v1/nyc-hiring/openapi.json"):
        response = sandbox.get(path, key=None)
        assert response.status_code == 200
        assert response.json() == schemas.openapi_document()
    assert sandbox.get("/health", key=None).json()["status"] == "ok"


def test_evt_003_errors_reveal_no_trace_path_sql_or_secret(sandbox: Sandbox, monkeypatch: Any) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("SELECT * FROM decision_events /work/secret/path.py")

    monkeypatch.setattr(sandbox.app.state.recorder, "prepare", explode)
    response = sandbox.post("/decision-event", json=decision_body())
    assert response.status_code == 500
    problem = response.json()
    assert problem["code"] == "internal_error" and problem["instance"].startswith("urn:uuid:")
    for leak in ("Traceback", "SELECT", "/work/", ".py", *ENVIRONMENT.values()):
        assert leak not in response.text


def test_evt_004_recorded_event_reads_back_without_the_raw_id(sandbox: Sandbox) -> None:
    body = decision_body(
        jobTitle="Data Analyst",
        candidateLocale="en-GB",
        aedtRole="weighted_most",
        decisionFactors=[
            {"factor": "years_experience", "value": 2, "weight": 1, "contribution": "negative"},
            {"factor": "remote_ok", "value": True, "weight": 0, "contribution": "neutral"},
        ],
    )
    created = sandbox.post("/decision-event", json=body).json()
    record = sandbox.get(f"/decision-events/{created['decisionEventId']}").json()
    for field, value in body.items():
        if field != "candidateIdRaw":
            assert record[field] == value, field
    assert json.dumps(record["decisionFactors"]) == json.dumps(body["decisionFactors"])  # 2 stays 2, 1 stays 1
    assert body["candidateIdRaw"] not in json.dumps(record)
    assert body["candidateIdRaw"] not in json.dumps(created)
    assert record["candidateIdHash"] == created["candidateIdHash"]
    assert record["source"] == "api" and record["environment"] == "test"


def test_evt_004_optional_fields_read_back_with_their_defaults(sandbox: Sandbox) -> None:
    body = decision_body(requestExplanation=..., jobTitle=None)
    created = sandbox.post("/decision-event", json=body).json()
    record = sandbox.get(f"/decision-events/{created['decisionEventId']}").json()
    assert (record["requestExplanation"], record["jobTitle"], record["candidateLocale"], record["aedtRole"]) == (
        False,
        None,
        "en-US",
        "assisted",
    )


@pytest.mark.parametrize("timestamp", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_evt_001_instants_outside_the_representable_range_are_422(sandbox: Sandbox, timestamp: str) -> None:
    response = sandbox.post("/decision-event", json=decision_body(decisionTimestamp=timestamp))
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/decisionTimestamp"
