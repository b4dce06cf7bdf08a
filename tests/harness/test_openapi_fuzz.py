"""The Schemathesis checks: their mapping to the catalog, the realistic positive data they send, and,
against the sandbox, that they pass on the correct server and fail the right requirement on a broken one."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis.checks
from schemathesis.openapi.checks import AuthScenario

from nyc_hiring import schemas
from nyc_hiring.harness.catalog import load_catalog
from nyc_hiring.harness.client import Exchange
from nyc_hiring.harness.openapi_fuzz import (
    AUTH_SCENARIO_REQUIREMENTS,
    CAMPAIGN_PARTS,
    CHECK_REQUIREMENTS,
    DECISION_EVENT,
    HARNESS_CHECK_REQUIREMENTS,
    READ_OPERATIONS,
    Campaign,
    FuzzFailure,
    FuzzReport,
    FuzzSettings,
    failure_message,
    prepare_generation,
    realistic_decision,
    realistic_timestamp,
    requirements_for,
    revealed,
    unique_candidate,
    unique_idempotency_key,
)
from nyc_hiring.harness.plugin import SUITE_DIR

SUITE_MODULE = SUITE_DIR / "test_openapi.py"  # under the import root, so pytest names it by its import name
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
KEY = "haiec_test_" + "k" * 40
TIMESTAMP = re.compile(schemas.load("definitions")["$defs"]["decisionTimestamp"]["pattern"])
IDEMPOTENCY_KEY = re.compile(
    schemas.openapi_document()["components"]["parameters"]["IdempotencyKey"]["schema"]["pattern"]
)


# -- the mapping -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "scenario", "expected"),
    [
        ("not_a_server_error", None, ("EVT-001", "no-server-error")),
        ("negative_data_rejection", None, ("EVT-001", "schema")),
        ("positive_data_acceptance", None, ("EVT-001", "schema")),
        ("ignored_auth", "no_auth", ("AUTH-001", "status")),
        ("ignored_auth", "invalid_auth", ("AUTH-002", "malformed")),
        ("ignored_auth", "generated_auth", ("AUTH-002", "malformed")),
        ("answered", None, ("EVT-001", "no-server-error")),
        ("unsigned_webhook_refused", None, ("SIG-004", "missing")),
        ("contract_schema", None, ("EVT-002", "contract-schemas")),
        ("served_openapi", None, ("EVT-002", "served-openapi")),
    ],
)
def test_each_check_maps_to_the_requirement_clause_its_failure_breaks(
    check: str, scenario: str | None, expected: tuple[str, str]
) -> None:
    assert requirements_for(check, scenario) == expected


@pytest.mark.parametrize(
    "check",
    [
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ],
)
def test_checks_that_judge_by_the_generating_document_are_not_run(check: str) -> None:
    """Those judge by the reference server's own document; contract § 1 leaves its choices open."""
    with pytest.raises(KeyError):
        requirements_for(check)


def test_a_check_without_a_mapping_is_refused() -> None:
    with pytest.raises(KeyError):
        requirements_for("max_response_time")


def test_every_mapped_name_is_a_schemathesis_check() -> None:
    for name in CHECK_REQUIREMENTS:
        assert getattr(schemathesis.checks, name).__name__ == name


def test_every_auth_scenario_schemathesis_reports_has_a_requirement() -> None:
    assert set(AUTH_SCENARIO_REQUIREMENTS) == {scenario.value for scenario in AuthScenario}


def test_every_mapped_clause_is_in_the_catalog() -> None:
    mapped = {*CHECK_REQUIREMENTS.values(), *HARNESS_CHECK_REQUIREMENTS.values(), *AUTH_SCENARIO_REQUIREMENTS.values()}
    for requirement_id, clause in mapped:
        assert load_catalog()[requirement_id].clause(clause).observable


# -- realistic positive decision events ------------------------------------------------------------


@pytest.mark.parametrize(
    ("generated", "fraction", "offset"),
    [
        ("0000-00-00T00:00:00", "", ""),
        ("9999-13-45T99:99:99.123456789Z", ".123456789", "Z"),
        ("0228-11-65T87:28:54.939-20:25", ".939", "-14:00"),
        ("6472-94-17T88:14:52+61:82", "", "+14:00"),
        ("1000-01-01T00:00:00+05:45", "", "+05:45"),
        ("1000-01-01T00:00:00-03:75", "", "-03:00"),
        ("2026-03-02T14:30:00.5z", ".5", "z"),
    ],
)
def test_realistic_timestamps_keep_the_shape_and_lie_in_the_past(generated: str, fraction: str, offset: str) -> None:
    value = realistic_timestamp(generated, NOW)
    assert TIMESTAMP.fullmatch(value)
    assert value[19:] == fraction + offset
    instant = datetime.fromisoformat(value.replace("z", "+00:00").replace("Z", "+00:00"))
    assert (instant if instant.tzinfo else instant.replace(tzinfo=UTC)) < NOW


def test_a_value_outside_the_pattern_is_left_alone() -> None:
    assert realistic_timestamp("yesterday", NOW) == "yesterday"


def test_candidate_ids_are_unique_within_bounds_and_keep_the_generated_text() -> None:
    first, second = unique_candidate("\u0000é"), unique_candidate("\u0000é")
    assert first != second and first.endswith("\u0000é") and second.endswith("\u0000é")
    assert len(unique_candidate("x" * 256)) == 256
    assert unique_candidate(7) == 7


def test_idempotency_keys_are_fresh_and_keep_their_form() -> None:
    quoted, bare = unique_idempotency_key('"0"'), unique_idempotency_key("0")
    assert quoted.startswith('"') and quoted.endswith('"') and not bare.startswith('"')
    assert IDEMPOTENCY_KEY.fullmatch(quoted) and IDEMPOTENCY_KEY.fullmatch(bare)
    assert unique_idempotency_key("0") != bare


def test_a_realistic_decision_changes_only_the_candidate_and_the_timestamp() -> None:
    body = {
        "candidateIdRaw": "0",
        "jobIdRaw": "0",
        "decision": "hire",
        "decisionTimestamp": "0000-00-00T00:00:00",
        "decisionFactors": [],
        "aedtName": "0",
        "aedtVersion": "0",
    }
    changed = realistic_decision(body, NOW)
    assert {name for name in body if body[name] != changed[name]} == {"candidateIdRaw", "decisionTimestamp"}
    assert not any(schemas.validator("decision-event-request").iter_errors(changed))
    assert realistic_decision(["not", "an", "object"], NOW) == ["not", "an", "object"]


# -- failures --------------------------------------------------------------------------------------


def exchange(status: int = 500, body: bytes = b'{"code":"internal_error"}') -> Exchange:
    return Exchange(
        "POST",
        "http://127.0.0.1:1/api/v1/nyc-hiring/decision-event",
        {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
        b'{"a":1}',
        status,
        {"content-type": "application/problem+json"},
        body,
    )


def fuzz_failure(check: str, detail: str, operation: str = "POST /decision-event", identity: str = "") -> FuzzFailure:
    return FuzzFailure(operation, check, requirements_for(check), 500, detail, exchange(), identity)


def test_distinct_failures_keep_the_first_of_each_kind_in_order() -> None:
    report = FuzzReport(
        seed=1,
        failures=[
            fuzz_failure("not_a_server_error", "Server error (a)", identity="ST101#0"),
            fuzz_failure("contract_schema", "violates schema at receivedAt", identity="ST108#1"),
            fuzz_failure("not_a_server_error", "Server error (b)", identity="ST101#0"),
            fuzz_failure("not_a_server_error", "Server error", operation="POST /webhook/lever", identity="ST101#2"),
        ],
    )
    assert [f.detail for f in report.distinct("EVT-001")] == ["Server error (a)", "Server error"]
    assert [f.check for f in report.distinct("EVT-002")] == ["contract_schema"]
    assert report.distinct("AUTH-001") == []


def test_the_campaign_parts_cover_every_operation_of_the_document_once() -> None:
    """Split for workers, the campaign still sends every operation (under the base path), and none twice."""
    from nyc_hiring.harness.config import BASE_PATH

    document = schemas.openapi_document()
    operations = [
        f"{method.upper()} {path.removeprefix(BASE_PATH)}"
        for path, item in document["paths"].items()
        if path.startswith(BASE_PATH)
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]
    in_parts = [name for part in CAMPAIGN_PARTS for name in part]
    assert sorted(in_parts) == sorted(operations)


def test_the_reads_come_after_the_decision_event_whose_ids_they_read() -> None:
    part = next(part for part in CAMPAIGN_PARTS if DECISION_EVENT in part)
    assert all(part.index(read) > part.index(DECISION_EVENT) for read in READ_OPERATIONS)


def test_the_parts_merge_into_one_report_in_order() -> None:
    first = FuzzReport(seed=7, requests=3, failures=[fuzz_failure("not_a_server_error", "a")], auth_probed=["A"])
    second = FuzzReport(
        seed=7, requests=2, unsent=1, failures=[fuzz_failure("contract_schema", "b")], auth_probed=["A", "B"]
    )
    whole = FuzzReport.merged([first, second])
    assert (whole.seed, whole.requests, whole.unsent) == (7, 5, 1)
    assert [f.detail for f in whole.failures] == ["a", "b"]
    assert whole.auth_probed == ["A", "B"]


def test_a_failure_line_names_operation_check_status_and_a_masked_curl() -> None:
    line = fuzz_failure("not_a_server_error", "Server error").line({"NYC_HIRING_API_KEY": KEY})
    assert line.startswith("POST /decision-event: not_a_server_error failed (HTTP 500): Server error; reproduce: curl ")
    assert '"Authorization: Bearer $NYC_HIRING_API_KEY"' in line and KEY not in line
    assert "\n" not in line


def test_the_message_has_one_line_per_failure_and_names_the_seed() -> None:
    failures = [fuzz_failure("not_a_server_error", "one"), fuzz_failure("negative_data_rejection", "two")]
    lines = failure_message(failures, {}, 1234).splitlines()
    assert len(lines) == 3 and "not_a_server_error" in lines[0] and "negative_data_rejection" in lines[1]
    assert "--seed 1234" in lines[2]


@pytest.mark.parametrize(
    "body",
    [
        b'Traceback (most recent call last):\n  File "/srv/app.py", line 3, in handler',
        b'{"detail": "sqlite3.OperationalError: no such table"}',
        b'{"detail": "error in /usr/lib/python3.11/json/decoder.py"}',
        f'{{"detail": "bad key {KEY}"}}'.encode(),
    ],
)
def test_internals_and_secrets_in_a_response_are_revealed(body: bytes) -> None:
    assert revealed(exchange(body=body), {"NYC_HIRING_API_KEY": KEY}) is not None


def test_a_plain_problem_reveals_nothing() -> None:
    problem = {
        "type": "urn:nyc-hiring:problem:validation_failed",
        "title": "Validation failed",
        "status": 422,
        "detail": "/decisionTimestamp: the date does not exist",
        "code": "validation_failed",
    }
    assert revealed(exchange(422, json.dumps(problem).encode()), {"NYC_HIRING_API_KEY": KEY}) is None


# -- against the sandbox ---------------------------------------------------------------------------


def run_module(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    examples: int,
    faults: str = "",
) -> tuple[int, dict[str, dict[str, Any]]]:
    monkeypatch.setenv("NYC_SANDBOX_FAULTS", faults)
    reports = pytester.path / "reports"
    result = pytester.runpytest_inprocess(
        "--target=sandbox",
        str(SUITE_MODULE),
        "--report-dir",
        str(reports),
        "--seed",
        "8",
        "--fuzz-examples",
        str(examples),
        "-p",
        "no:randomly",
    )
    document = json.loads((reports / "conformance.json").read_text())
    return result.ret, {entry["id"]: entry for entry in document["requirements"]}


def failed_check(verdict: dict[str, Any]) -> dict[str, Any]:
    return next(check for check in verdict["checks"] if check["outcome"] == "failed")


# That the campaign's checks pass against the correct sandbox is shown by the whole suite's run against it
# (tests/harness/test_fault_proofs.py::test_the_correct_server_passes_every_must).


@pytest.mark.slow
def test_each_fault_fails_the_requirement_it_breaks(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three faults, three requirements: each failure names the check that caught its own fault."""
    status, verdicts = run_module(
        pytester, monkeypatch, examples=25, faults="json_errors_500,received_at_offset,auth_optional"
    )
    expected = {
        "EVT-001": ("not_a_server_error failed (HTTP 500)", "POST /decision-event"),
        "EVT-002": ("served_openapi failed", "+00:00"),
        "AUTH-001": ("ignored_auth failed", "without authentication"),
    }
    for rid, fragments in expected.items():
        assert verdicts[rid]["verdict"] == "fail", verdicts[rid]["reason"]
        check = failed_check(verdicts[rid])
        assert all(fragment in check["message"] for fragment in fragments), check["message"]
        assert check["evidence"] and check["evidence"][-1]["curl"].startswith("curl ")
    probe = failed_check(verdicts["AUTH-001"])["evidence"][-1]["request"]
    assert not any(name.lower() == "authorization" for name in probe["headers"]), probe
    assert verdicts["AUTH-002"]["verdict"] == "pass" and verdicts["EVT-003"]["verdict"] == "pass"
    assert status == 1


def _drawn(seed: int) -> str:
    settings = FuzzSettings(base_url="http://127.0.0.1/api/v1/nyc-hiring", api_key="", max_examples=8, seed=seed)
    campaign = Campaign(settings)
    cases = campaign._generate(campaign.operation(DECISION_EVENT), 8)
    return json.dumps([[case.body, dict(case.headers or {})] for case in cases], default=repr, sort_keys=True)


def test_the_warm_up_workers_are_forked_after_changes_no_case_a_seed_draws() -> None:
    """Workers are forked from a process that drew a case of each operation first (harness.campaign_preload):
    the same seed must still draw the same cases as before that warm-up."""
    before = _drawn(5)
    prepare_generation()
    assert before and _drawn(5) == before
