"""Replaying the payload corpus: each fixture is sent as its ATS would send it, and its outcome checked.

A fixture is signed afresh with the deployment's secret (`fresh`), or, for a recorded capture, sent
byte for byte with the headers it was captured with (`recorded`). Every check here works from the
manifest's expectations and the HTTP answers alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from nyc_hiring import payload_fixtures

from .client import TargetClient, json_dict
from .judge import Expectation, Observation, Problem, judge
from .wire import WEBHOOK_SECRETS, WireRequest, sign


@dataclass
class ReplayResult:
    entry: dict[str, Any]
    delivery: WireRequest
    response: httpx.Response
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def build_delivery(
    entry: Mapping[str, Any],
    credentials: Mapping[str, str],
    *,
    recorded: bool | None = None,
    now: datetime | None = None,
) -> WireRequest:
    """The request for a manifest entry; `recorded=None` follows the entry's own signing mode."""
    source = entry["source"]
    if recorded if recorded is not None else payload_fixtures.signing_mode(dict(entry)) == "recorded":
        headers, body = payload_fixtures.capture(entry["path"])
        return WireRequest(f"/webhook/{source}", headers, body)
    body = payload_fixtures.body_bytes(dict(entry))
    if source == "api":
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {credentials['NYC_HIRING_API_KEY']}"}
        return WireRequest("/decision-event", headers, payload_fixtures.fill_timestamps(body, now))
    return sign(source, body, credentials[WEBHOOK_SECRETS[source]], now)


ACCEPTING = {"greenhouse": "SIG-001", "lever": "SIG-002", "workday": "SIG-003"}


def expectation(entry: Mapping[str, Any], expected: Mapping[str, Any]) -> Expectation:
    """The manifest's expectation as the judge reads it, charged to the requirement clause it tests.

    Problem codes are the deployment's choice (contract § 1), so the manifest's are not judged; JSON that
    is not an object may get 400 or 422. A fixture's IDs are fixed, so against a deployment that has seen
    an earlier run its decision may already be recorded (a Greenhouse body is byte for byte a
    redelivery; another source's event may be the same decision): the duplicate of that first delivery
    is an answer too, and the record it names is read back all the same.
    """
    source, outcome, status = entry["source"], expected["outcome"], int(expected["status"])
    if source == "api":
        if outcome != "rejected":
            return Expectation((status,), "EVT-001", "schema", "decision-event-created")
        clause = "malformed-json" if status == 400 else "schema"
        statuses = (400, 422) if "not_object" in entry["path"] else (status,)
        return Expectation(statuses, "EVT-001", clause, "problem")
    signed = (ACCEPTING[source], accepting_clause(source, payload_fixtures.body_bytes(dict(entry))))
    if outcome == "ignored":
        return Expectation((status,), "SIG-007", "exactly-200", "webhook-ack", ack="ignored", refused_as=signed)
    if outcome == "rejected":
        stale = {"lever": "lever-stale", "workday": "workday-past"}
        if expected.get("problemCode") == "stale_delivery" and source in stale:
            return Expectation((status,), "SIG-006", stale[source], "problem")
        return Expectation((status,), "SIG-004", "wrong-secret", "problem")
    return Expectation((status,), *signed, "webhook-ack", ack="recorded-or-duplicate")


def accepting_clause(source: str, body: bytes) -> str:
    """A Greenhouse body with `\\u` escapes verifies only over its raw bytes (SIG-001 raw-bytes)."""
    return "raw-bytes" if source == "greenhouse" and b"\\u" in body else "accepted"


def replay(
    client: TargetClient, entry: Mapping[str, Any], credentials: Mapping[str, str], *, recorded: bool | None = None
) -> ReplayResult:
    """Send one fixture and compare what came back with the manifest's expectation."""
    delivery = build_delivery(entry, credentials, recorded=recorded)
    response = delivery.send(client)
    is_recorded = recorded if recorded is not None else payload_fixtures.signing_mode(dict(entry)) == "recorded"
    expected = entry["expected"] if is_recorded else entry.get("expectedFresh", entry["expected"])
    wanted = expectation(entry, expected)
    result = ReplayResult(dict(entry), delivery, response)
    result.problems = judge(wanted, Observation.of(response))
    event_id = json_dict(response).get("decisionEventId")
    if not result.problems and expected["outcome"] == "recorded" and isinstance(event_id, str):
        result.problems = _record_problems(expected, wanted, client, event_id, credentials.get("NYC_HIRING_API_KEY"))
    return result


def _record_problems(
    expected: Mapping[str, Any], wanted: Expectation, client: TargetClient, event_id: str, key: str | None
) -> list[Problem]:
    """The record reads back with the decision, factor and flags the fixture should have produced."""
    if key is None:
        return []
    requirement, clause = (
        ("EVT-004", "fields") if wanted.requirement == "EVT-001" else (wanted.requirement, wanted.clause)
    )
    record = client.get(f"/decision-events/{event_id}", headers={"Authorization": f"Bearer {key}"})
    if record.status_code != 200:
        return [Problem(requirement, clause, f"GET /decision-events/{event_id} answered {record.status_code}")]
    data = json_dict(record)
    messages = []
    if data.get("decision") != expected["decision"]:
        messages.append(
            f"expected decision {json.dumps(expected['decision'])}, recorded {json.dumps(data.get('decision'))}"
        )
    recorded_factors = data.get("decisionFactors")
    factors = recorded_factors if isinstance(recorded_factors, list) else []
    first = factors[0] if factors and isinstance(factors[0], dict) else {}
    if "factor" in expected and first.get("factor") != expected["factor"]:
        messages.append(f"expected factor {json.dumps(expected['factor'])}, recorded {json.dumps(first.get('factor'))}")
    recorded_flags = data.get("complianceFlags")
    flags = recorded_flags if isinstance(recorded_flags, list) else []
    missing = set(expected.get("complianceFlags", ())) - set(flags)
    if missing:
        messages.append(f"expected compliance flags {json.dumps(sorted(missing))} among {json.dumps(flags)}")
    return [Problem(requirement, clause, message) for message in messages]
