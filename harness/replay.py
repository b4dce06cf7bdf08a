"""Replaying the payload corpus: each fixture is sent as its ATS would send it, and its outcome checked.

A fixture is signed afresh with the deployment's secret (`fresh`), or, for a recorded capture, sent
byte for byte with the headers it was captured with (`recorded`). Every check here works from the
manifest's expectations and the HTTP answers alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

import payload_fixtures

from .client import TargetClient, json_dict
from .signing import greenhouse_headers, lever_sign_body, standard_webhooks_headers

SECRET_VARIABLES = {
    "greenhouse": "WEBHOOK_SECRET_GREENHOUSE",
    "lever": "WEBHOOK_SECRET_LEVER",
    "workday": "WEBHOOK_SECRET_WORKDAY",
}


@dataclass(frozen=True)
class Delivery:
    """One HTTP request, exactly as it goes on the wire."""

    path: str
    headers: dict[str, str]
    body: bytes

    def send(self, client: TargetClient) -> httpx.Response:
        return client.post(self.path, content=self.body, headers=self.headers)


@dataclass
class ReplayResult:
    entry: dict[str, Any]
    delivery: Delivery
    response: httpx.Response
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def build_delivery(
    entry: Mapping[str, Any], credentials: Mapping[str, str], *, recorded: bool | None = None,
    now: datetime | None = None,
) -> Delivery:
    """The request for a manifest entry; `recorded=None` follows the entry's own signing mode."""
    source = entry["source"]
    if recorded if recorded is not None else payload_fixtures.signing_mode(dict(entry)) == "recorded":
        headers, body = payload_fixtures.capture(entry["path"])
        return Delivery(f"/webhook/{source}", headers, body)
    body = payload_fixtures.body_bytes(dict(entry))
    if source == "api":
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {credentials['NYC_HIRING_API_KEY']}"}
        return Delivery("/decision-event", headers, payload_fixtures.fill_timestamps(body, now))
    return sign(source, body, credentials[SECRET_VARIABLES[source]], now)


def sign(source: str, body: bytes, secret: str, now: datetime | None = None) -> Delivery:
    """Sign a webhook body with the source's own scheme (harness.signing, checked against published vectors)."""
    if source == "greenhouse":
        return Delivery("/webhook/greenhouse", greenhouse_headers(secret, body), body)
    if source == "lever":
        moment = now or datetime.now(UTC)
        signed = lever_sign_body(secret, json.loads(body), triggered_at_ms=int(moment.timestamp() * 1000))
        return Delivery("/webhook/lever", {"Content-Type": "application/json"}, json.dumps(signed).encode())
    timestamp = int((now or datetime.now(UTC)).timestamp())
    return Delivery("/webhook/workday", standard_webhooks_headers(secret, body, timestamp=timestamp), body)


def replay(
    client: TargetClient, entry: Mapping[str, Any], credentials: Mapping[str, str], *, recorded: bool | None = None
) -> ReplayResult:
    """Send one fixture and compare what came back with the manifest's expectation."""
    delivery = build_delivery(entry, credentials, recorded=recorded)
    response = delivery.send(client)
    is_recorded = recorded if recorded is not None else payload_fixtures.signing_mode(dict(entry)) == "recorded"
    expected = entry["expected"] if is_recorded else entry.get("expectedFresh", entry["expected"])
    result = ReplayResult(dict(entry), delivery, response)
    result.problems = outcome_problems(expected, response, client, credentials.get("NYC_HIRING_API_KEY"))
    return result


def outcome_problems(
    expected: Mapping[str, Any], response: httpx.Response, client: TargetClient, read_key: str | None
) -> list[str]:
    """What differs between the answer and the expectation; empty when the deployment conforms."""
    if response.status_code != expected["status"]:
        return [f"expected HTTP {expected['status']}, got {response.status_code}: {response.text[:200]}"]
    body = json_dict(response)
    outcome = expected["outcome"]
    if outcome == "rejected":
        code = expected.get("problemCode")
        return [] if code is None or body.get("code") == code else [f"expected problem code {code!r}, got {body}"]
    if outcome in ("ignored", "duplicate"):
        flag = body.get(outcome) is True or (outcome == "duplicate" and body.get("code") == "duplicate_event")
        return [] if flag else [f"expected '{outcome}: true' in the answer, got {body}"]
    event_id = body.get("decisionEventId")
    if not isinstance(event_id, str) or body.get("duplicate") or body.get("ignored"):
        return [f"expected a newly recorded decision event, got {body}"]
    return _record_problems(expected, client, event_id, read_key)


def _record_problems(expected: Mapping[str, Any], client: TargetClient, event_id: str, key: str | None) -> list[str]:
    if key is None:
        return []
    record = client.get(f"/decision-events/{event_id}", headers={"Authorization": f"Bearer {key}"})
    if record.status_code != 200:
        return [f"GET /decision-events/{event_id} answered {record.status_code}"]
    data = json_dict(record)
    problems = []
    if data.get("decision") != expected["decision"]:
        problems.append(f"expected decision {expected['decision']!r}, recorded {data.get('decision')!r}")
    factors = data.get("decisionFactors") or [{}]
    if "factor" in expected and factors[0].get("factor") != expected["factor"]:
        problems.append(f"expected factor {expected['factor']!r}, recorded {factors[0].get('factor')!r}")
    missing = set(expected.get("complianceFlags", ())) - set(data.get("complianceFlags") or ())
    if missing:
        problems.append(f"expected compliance flags {sorted(missing)} among {data.get('complianceFlags')}")
    return problems
