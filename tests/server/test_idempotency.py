"""IDEM-001, 002 and 004 in process; IDEM-003 and 005 need a real server (test_live_server.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from nyc_hiring.reference_server.idempotency import fingerprint

from .conftest import KEY_LIVE, Sandbox, decision_body
from .webhooks import greenhouse, greenhouse_body, lever, lever_body, workday, workday_body


def test_idem_001_natural_key_duplicate_is_409_with_original_id(sandbox: Sandbox) -> None:
    body = decision_body()
    first = sandbox.post("/decision-event", json=body)
    assert first.status_code == 201
    second = sandbox.post("/decision-event", json=body)
    assert second.status_code == 409
    problem = second.json()
    assert problem["code"] == "duplicate_event"
    assert problem["decisionEventId"] == first.json()["decisionEventId"]
    assert sandbox.store.count_events() == 1


def test_idem_001_timestamps_compare_as_instants(sandbox: Sandbox) -> None:
    body = decision_body(decisionTimestamp="2026-11-28T10:00:00Z")
    assert sandbox.post("/decision-event", json=body).status_code == 201
    for same in ("2026-11-28T10:00:00+00:00", "2026-11-28T05:00:00-05:00", "2026-11-28T10:00:00.000Z"):
        assert sandbox.post("/decision-event", json={**body, "decisionTimestamp": same}).status_code == 409, same
    # a different AEDT, decision, job or instant is a different event
    for field, value in (
        ("aedtName", "Other AI"),
        ("decision", "hold"),
        ("jobIdRaw", "job_2"),
        ("decisionTimestamp", "2026-11-28T10:00:01Z"),
    ):
        assert sandbox.post("/decision-event", json={**body, field: value}).status_code == 201, field


def test_idem_002_same_key_same_body_replays_the_original(sandbox: Sandbox) -> None:
    body = decision_body()
    headers = {"Idempotency-Key": '"8e03978e-40d5-43e8-bc93-6894a57f9324"'}
    first = sandbox.post("/decision-event", json=body, headers=headers)
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    replay = sandbox.post("/decision-event", content=reordered, headers={**headers, "Content-Type": "application/json"})
    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()
    assert replay.headers["location"] == first.headers["location"]
    assert sandbox.store.count_events() == 1


def test_idem_002_a_malformed_key_is_400_and_records_nothing(sandbox: Sandbox) -> None:
    for malformed in ("two words", 'a"b', '""', "x" * 256, "kl\u00fcssel"):
        response = sandbox.post(
            "/decision-event", json=decision_body(), headers={"Idempotency-Key": malformed.encode()}
        )
        assert response.status_code == 400, malformed
        assert response.json()["code"] == "invalid_idempotency_key"
    assert (
        sandbox.post("/decision-event", json=decision_body(), headers={"Idempotency-Key": '"two words"'}).status_code
        == 201
    )
    assert sandbox.store.count_events() == 1


def test_idem_002_same_key_different_body_is_422(sandbox: Sandbox) -> None:
    headers = {"Idempotency-Key": "key-422"}
    assert sandbox.post("/decision-event", json=decision_body(), headers=headers).status_code == 201
    reused = sandbox.post("/decision-event", json=decision_body(), headers=headers)
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert sandbox.store.count_events() == 1


def test_idem_002_in_flight_key_is_409(sandbox: Sandbox) -> None:
    body = decision_body()
    sandbox.store.claim_idempotency_key("test", "in-flight", fingerprint(body))
    response = sandbox.post("/decision-event", json=body, headers={"Idempotency-Key": "in-flight"})
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_flight"
    assert sandbox.store.count_events() == 0


def test_idem_002_keys_are_scoped_to_the_environment(sandbox: Sandbox) -> None:
    headers = {"Idempotency-Key": "shared-key"}
    body = decision_body()
    assert sandbox.post("/decision-event", json=body, headers=headers).status_code == 201
    live = sandbox.post("/decision-event", json=body, headers=headers, key=KEY_LIVE)
    assert live.status_code == 201 and "idempotent-replayed" not in live.headers


def test_idem_002_a_duplicate_result_is_replayed_and_failures_are_not_stored(sandbox: Sandbox) -> None:
    body = decision_body()
    assert sandbox.post("/decision-event", json=body).status_code == 201
    headers = {"Idempotency-Key": "after-duplicate"}
    assert sandbox.post("/decision-event", json=body, headers=headers).status_code == 409
    replay = sandbox.post("/decision-event", json=body, headers=headers)
    assert replay.status_code == 409 and replay.headers["idempotent-replayed"] == "true"
    # a validation failure does not burn the key: the corrected request goes through
    bad = {**decision_body(), "decision": "maybe"}
    assert sandbox.post("/decision-event", json=bad, headers={"Idempotency-Key": "fixable"}).status_code == 422
    fixed = sandbox.post("/decision-event", json=decision_body(), headers={"Idempotency-Key": "fixable"})
    assert fixed.status_code == 201


def test_idem_002_keys_are_kept_at_least_24_hours(sandbox: Sandbox) -> None:
    headers = {"Idempotency-Key": "kept"}
    body = decision_body()
    assert sandbox.post("/decision-event", json=body, headers=headers).status_code == 201
    now = datetime.now(UTC).timestamp()
    ttl = timedelta(hours=sandbox.settings.idempotency_ttl_hours).total_seconds()
    assert ttl >= 24 * 3600
    sandbox.store.prune(idempotency_before=now - ttl, deliveries_before=0)
    assert sandbox.post("/decision-event", json=body, headers=headers).headers["idempotent-replayed"] == "true"


def test_idem_004_greenhouse_redelivery_is_a_duplicate(sandbox: Sandbox) -> None:
    body = greenhouse_body()
    first = sandbox.post("/webhook/greenhouse", **greenhouse(body, event_id="evt-1"), key=None).json()
    again = sandbox.post("/webhook/greenhouse", **greenhouse(body, event_id="evt-2"), key=None)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert again.json()["decisionEventId"] == first["decisionEventId"]
    assert again.json()["explanationId"] == first["explanationId"]
    by_event_id = sandbox.post("/webhook/greenhouse", **greenhouse(greenhouse_body(), event_id="evt-1"), key=None)
    assert by_event_id.json()["duplicate"] is True
    assert sandbox.store.count_events() == 1


def test_idem_004_lever_same_token_with_new_data_is_a_duplicate(sandbox: Sandbox) -> None:
    delivery = lever(lever_body())
    first = sandbox.post("/webhook/lever", **delivery, key=None).json()
    assert sandbox.post("/webhook/lever", **delivery, key=None).json()["duplicate"] is True
    tampered = json.loads(delivery["content"])
    tampered["data"]["candidateId"] = "someone-else"
    replay = sandbox.post("/webhook/lever", json=tampered, key=None)
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    assert replay.json()["decisionEventId"] == first["decisionEventId"]
    assert sandbox.store.count_events() == 1


def test_idem_004_workday_same_id_resigned_is_a_duplicate(sandbox: Sandbox) -> None:
    body = workday_body()
    first = sandbox.post("/webhook/workday", **workday(body, msg_id="msg_1"), key=None).json()
    resigned = workday(body, msg_id="msg_1", timestamp=int(datetime.now(UTC).timestamp()) + 5)
    again = sandbox.post("/webhook/workday", **resigned, key=None)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["decisionEventId"] == first["decisionEventId"]
    assert sandbox.store.count_events() == 1
