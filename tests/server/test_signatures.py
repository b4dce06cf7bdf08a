"""SIG-001..008: each ATS's signature scheme, over the raw bytes, against the in-process app."""

from __future__ import annotations

import hmac
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from nyc_hiring.harness.corruption import alter_one_char, truncate
from nyc_hiring.harness.signing import greenhouse_signature

from .conftest import GREENHOUSE_SECRET, Sandbox
from .webhooks import greenhouse, greenhouse_body, lever, lever_body, workday, workday_body

ESCAPED = (
    b'{"action":"reject_candidate","payload":{"application":{"id":9911,"candidate":{"id":4411,'
    b'"first_name":"Zo\\u00eb"},"jobs":[{"id":77,"name":"Designer","notes":"\\u003cp\\u003eDigital'
    b'\\u003c/p\\u003e"}],"status":"rejected","rejection_reason":{"name":"Too Junior"}}}}'
)


def assert_recorded(response: Any, decision: str | None = None) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    ack = response.json()
    assert ack["status"] == "recorded" and not ack["duplicate"] and not ack["ignored"]
    return ack


def test_sig_001_greenhouse_signature_over_raw_bytes(sandbox: Sandbox) -> None:
    ack = assert_recorded(sandbox.post("/webhook/greenhouse", **greenhouse(greenhouse_body()), key=None))
    record = sandbox.get(f"/decision-events/{ack['decisionEventId']}").json()
    assert record["source"] == "greenhouse" and record["decision"] == "reject"
    assert record["decisionFactors"] == [
        {"factor": "insufficient_experience", "value": True, "weight": 1, "contribution": "negative"}
    ]
    escaped = assert_recorded(sandbox.post("/webhook/greenhouse", **greenhouse(ESCAPED), key=None))
    record = sandbox.get(f"/decision-events/{escaped['decisionEventId']}").json()
    assert record["decisionFactors"][0]["factor"] == "too_junior"
    assert record["jobTitle"] == "Designer"


def test_sig_002_lever_signature_over_token_and_triggered_at(sandbox: Sandbox) -> None:
    ack = assert_recorded(sandbox.post("/webhook/lever", **lever(lever_body()), key=None))
    record = sandbox.get(f"/decision-events/{ack['decisionEventId']}").json()
    assert record["source"] == "lever" and record["decision"] == "reject"
    assert record["decisionFactors"][0]["factor"] == "underqualified"
    stage = assert_recorded(sandbox.post("/webhook/lever", **lever(lever_body("candidateStageChange")), key=None))
    assert sandbox.get(f"/decision-events/{stage['decisionEventId']}").json()["decision"] == "advance"


def test_sig_003_workday_standard_webhooks_signature(sandbox: Sandbox) -> None:
    ack = assert_recorded(sandbox.post("/webhook/workday", **workday(workday_body()), key=None))
    record = sandbox.get(f"/decision-events/{ack['decisionEventId']}").json()
    assert (record["source"], record["decision"], record["jobTitle"]) == ("workday", "reject", "Data Analyst")
    # any one matching v1 entry of a space-separated list is accepted; other versions are ignored
    body = workday_body("JobApplication.Hired")
    delivery = workday(body)
    good = delivery["headers"]["webhook-signature"]
    delivery["headers"]["webhook-signature"] = f"v1,{'A' * 43}= v2,whatever {good}"
    assert_recorded(sandbox.post("/webhook/workday", **delivery, key=None))


def _greenhouse_variants(body: bytes) -> dict[str, dict[str, str] | None]:
    good = greenhouse_signature(GREENHOUSE_SECRET, body)
    wrong = greenhouse_signature("another-secret", body)
    return {
        "missing": None,
        "empty": {"Signature": ""},
        "equals": {"Signature": good.replace("sha256 ", "sha256=")},
        "no scheme": {"Signature": good.removeprefix("sha256 ")},
        "uppercase": {"Signature": "sha256 " + good.removeprefix("sha256 ").upper()},
        "wrong secret": {"Signature": wrong},
        "altered": {"Signature": alter_one_char(good)},
        "truncated": {"Signature": truncate(good)},
    }


def test_sig_004_bad_greenhouse_signatures_are_401_and_record_nothing(sandbox: Sandbox) -> None:
    body = greenhouse_body()
    for name, headers in _greenhouse_variants(body).items():
        response = sandbox.post(
            "/webhook/greenhouse",
            content=body,
            headers={"Content-Type": "application/json", **(headers or {})},
            key=None,
        )
        assert response.status_code == 401, name
        assert response.json()["code"] == "invalid_signature", name
    assert sandbox.store.count_events() == 0


def test_sig_004_bad_lever_signatures_are_401_and_record_nothing(sandbox: Sandbox) -> None:
    signed = json.loads(lever(lever_body())["content"])
    wrong = json.loads(lever(lever_body(), secret="another-token")["content"])
    variants = {
        "missing": {k: v for k, v in signed.items() if k != "signature"},
        "wrong secret": {**signed, "signature": wrong["signature"]},
        "altered": {**signed, "signature": alter_one_char(signed["signature"])},
        "truncated": {**signed, "signature": truncate(signed["signature"])},
        "token changed": {**signed, "token": signed["token"] + "x"},
        "triggeredAt as string": {**signed, "triggeredAt": str(signed["triggeredAt"])},
    }
    for name, body in variants.items():
        response = sandbox.post("/webhook/lever", json=body, key=None)
        assert response.status_code == 401, name
    assert sandbox.store.count_events() == 0


def test_sig_004_bad_workday_signatures_are_401_and_record_nothing(sandbox: Sandbox) -> None:
    body = workday_body()
    good = workday(body)["headers"]
    wrong = workday(body, secret="whsec_" + "QUJD" * 8)["headers"]
    variants = {
        "missing signature": {k: v for k, v in good.items() if k != "webhook-signature"},
        "missing id": {k: v for k, v in good.items() if k != "webhook-id"},
        "missing timestamp": {k: v for k, v in good.items() if k != "webhook-timestamp"},
        "non-numeric timestamp": {**good, "webhook-timestamp": "hello"},
        "wrong secret": {**good, "webhook-signature": wrong["webhook-signature"]},
        "altered": {**good, "webhook-signature": alter_one_char(good["webhook-signature"])},
        "truncated": {**good, "webhook-signature": truncate(good["webhook-signature"])},
        "empty v1": {**good, "webhook-signature": "v1,"},
        "only v2": {**good, "webhook-signature": good["webhook-signature"].replace("v1,", "v2,")},
        "other id": {**good, "webhook-id": good["webhook-id"] + "x"},
    }
    for name, headers in variants.items():
        response = sandbox.post("/webhook/workday", content=body, headers=headers, key=None)
        assert response.status_code == 401, name
    assert sandbox.store.count_events() == 0


def test_sig_005_body_altered_after_signing_is_401(sandbox: Sandbox) -> None:
    signature = greenhouse(ESCAPED)["headers"]
    reserialised = json.dumps(json.loads(ESCAPED), ensure_ascii=False).encode()
    assert b"<p>" in reserialised
    response = sandbox.post("/webhook/greenhouse", content=reserialised, headers=signature, key=None)
    assert response.status_code == 401
    spaced = json.dumps(json.loads(ESCAPED), indent=1).encode()
    assert sandbox.post("/webhook/greenhouse", content=spaced, headers=signature, key=None).status_code == 401

    body = workday_body()
    headers = workday(body)["headers"]
    altered = body.replace(b"Insufficient experience", b"Strong experience")
    assert sandbox.post("/webhook/workday", content=altered, headers=headers, key=None).status_code == 401
    reformatted = json.dumps(json.loads(body), indent=2).encode()
    assert sandbox.post("/webhook/workday", content=reformatted, headers=headers, key=None).status_code == 401
    assert sandbox.store.count_events() == 0


def test_sig_006_workday_timestamps_outside_five_minutes_are_401(sandbox: Sandbox) -> None:
    now = int(time.time())
    sandbox.clock.stopped_at = datetime.fromtimestamp(now, UTC)  # a second late, now + 301 would be inside
    for offset in (-301, 301, -86400):
        body = workday_body()
        response = sandbox.post("/webhook/workday", **workday(body, timestamp=now + offset), key=None)
        assert response.status_code == 401, offset
        assert response.json()["code"] == "stale_delivery"
    assert_recorded(sandbox.post("/webhook/workday", **workday(workday_body(), timestamp=now - 250), key=None))
    assert sandbox.store.count_events() == 1


def test_sig_006_lever_future_and_old_unseen_deliveries_are_401(sandbox: Sandbox) -> None:
    now_ms = int(time.time() * 1000)
    future = sandbox.post("/webhook/lever", **lever(lever_body(), triggered_at_ms=now_ms + 6 * 60_000), key=None)
    assert future.status_code == 401
    old = sandbox.post("/webhook/lever", **lever(lever_body(), triggered_at_ms=now_ms - 25 * 3_600_000), key=None)
    assert old.status_code == 401
    assert sandbox.store.count_events() == 0
    recent = lever(lever_body(), triggered_at_ms=now_ms - 23 * 3_600_000)
    original = assert_recorded(sandbox.post("/webhook/lever", **recent, key=None))
    # the same delivery retried days later keeps its triggeredAt: still a duplicate, not stale
    sandbox.clock.offset = timedelta(days=3)
    retry = sandbox.post("/webhook/lever", **recent, key=None)
    assert retry.status_code == 200 and retry.json()["duplicate"] is True
    assert retry.json()["decisionEventId"] == original["decisionEventId"]


@pytest.mark.parametrize(
    ("path", "delivery"),
    [
        ("greenhouse", lambda: greenhouse(b'{"action":"ping","payload":{"web_hook_id":1}}')),
        ("greenhouse", lambda: greenhouse(b'{"action":"job_created","payload":{"job":{"id":1}}}')),
        ("lever", lambda: lever({"event": "contactCreated", "data": {"contactId": "c1"}})),
        ("lever", lambda: lever(lever_body(toArchived=None, fromArchived={"archivedAt": 1, "reason": "x"}))),
        ("lever", lambda: lever({"event": "candidateStageChange", "data": {}})),
        ("workday", lambda: workday(b'{"eventType":"JobApplication.Created","jobApplication":{}}')),
    ],
)
def test_sig_007_unsupported_events_get_200_ignored(sandbox: Sandbox, path: str, delivery: Any) -> None:
    response = sandbox.post(f"/webhook/{path}", **delivery(), key=None)
    assert response.status_code == 200
    assert response.json()["ignored"] is True and response.json()["decisionEventId"] is None
    assert sandbox.store.count_events() == 0


def test_sig_008_signatures_are_compared_in_constant_time(sandbox: Sandbox, monkeypatch: Any) -> None:
    calls: list[int] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    sandbox.post("/webhook/greenhouse", **greenhouse(greenhouse_body()), key=None)
    sandbox.post("/webhook/lever", **lever(lever_body()), key=None)
    sandbox.post("/webhook/workday", **workday(workday_body()), key=None)
    assert len(calls) >= 3


@pytest.mark.parametrize(
    ("secret", "msg_id", "timestamp", "payload", "signature"),
    [  # the published Standard Webhooks test vectors (docs/sources.md#standard-webhooks)
        (
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            b'{"test": 2432232314}',
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ),
        (
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            b'{"email":"test@example.com","username":"test_user"}',
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
        ),
    ],
)
def test_sig_003_published_standard_webhooks_vectors_verify(
    secret: str, msg_id: str, timestamp: int, payload: bytes, signature: str
) -> None:
    from datetime import UTC, datetime

    from nyc_hiring.reference_server.config import Settings
    from nyc_hiring.reference_server.problems import ProblemError
    from nyc_hiring.reference_server.webhooks import SOURCES

    headers = {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}
    at_signing = datetime.fromtimestamp(timestamp, UTC)
    verified = SOURCES["workday"].verify(headers, payload, secret, at_signing, Settings())
    assert verified.dedup_keys == [f"webhook-id:{msg_id}"]
    off_by_one = signature[:-2] + ("A" if signature[-2] != "A" else "B") + "="
    with pytest.raises(ProblemError):
        SOURCES["workday"].verify({**headers, "webhook-signature": off_by_one}, payload, secret, at_signing, Settings())


def test_sig_001_unrepresentable_greenhouse_timestamps_fall_back_to_receipt(sandbox: Sandbox) -> None:
    body = greenhouse_body(rejected_at="0001-01-01T00:00:00+01:00")
    assert_recorded(sandbox.post("/webhook/greenhouse", **greenhouse(body), key=None))
