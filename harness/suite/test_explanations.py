"""EXPL: an explanation is generated exactly when asked for (contract § 2 and § 3 EXPL).

An integrator sends the candidate message from the create response, so presence is checked there and
again through `GET /explanations/{id}`, which must serve the same message and memo. Webhook decisions
carry no `requestExplanation`: the deployment's configuration decides, and the contract only requires
a retrievable explanation when generation is on.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import payloads
from harness.context import Conformance, expect_status, json_object

requirement = pytest.mark.requirement
EXPLANATION_FIELDS = ("explanationId", "candidateMessage", "internalMemo")
NOT_CONFIGURED = "the deployment does not generate webhook explanations (contract: only when configured)"


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def expect_explanation(body: dict[str, Any], doing: str) -> None:
    """explanationId, a subject, a body and a memo, all non-empty."""
    message = body.get("candidateMessage")
    missing = [name for name, ok in (
        ("explanationId", _text(body.get("explanationId"))),
        ("candidateMessage.subject", isinstance(message, dict) and _text(message.get("subject"))),
        ("candidateMessage.body", isinstance(message, dict) and _text(message.get("body"))),
        ("internalMemo", isinstance(body.get("internalMemo"), dict) and bool(body.get("internalMemo"))),
    ) if not ok]
    if missing:
        raise AssertionError(f"{doing}: expected non-empty {', '.join(missing)}, got "
                             + ", ".join(f"{name}={json.dumps(body.get(name))[:60]}" for name in EXPLANATION_FIELDS))


def first_difference(served: Any, created: Any, path: str) -> str:
    """Where two JSON values first differ, so a one-line failure points at the field, not the whole memo."""
    if isinstance(served, dict) and isinstance(created, dict):
        for key in sorted(set(served) | set(created)):
            if served.get(key) != created.get(key):
                return first_difference(served.get(key), created.get(key), f"{path}.{key}")
    return f"{path} ({json.dumps(served)[:60]} served, {json.dumps(created)[:60]} created)"


def read_explanation(conformance: Conformance, explanation_id: str, doing: str) -> dict[str, Any]:
    response = conformance.read_explanation(explanation_id)
    expect_status(response, 200, f"{doing}: GET /explanations/{explanation_id}")
    return json_object(response, f"GET /explanations/{explanation_id}")


@requirement("EXPL-001")
def test_requested_explanation_is_returned_and_served_again(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=True, jobTitle="Data Analyst")
    response = conformance.post_decision(body)
    expect_status(response, 201, "POST /decision-event with requestExplanation true")
    created = json_object(response, "POST /decision-event")
    expect_explanation(created, "POST /decision-event with requestExplanation true")
    served = read_explanation(conformance, created["explanationId"], "an explanation was generated")
    for name in ("explanationId", "decisionEventId", "candidateMessage", "internalMemo"):
        assert served.get(name) == created.get(name), (
            f"GET /explanations/{created['explanationId']}: differs from the create response at "
            f"{first_difference(served.get(name), created.get(name), name)}")


@requirement("EXPL-002")
def test_no_explanation_unless_requested(conformance: Conformance) -> None:
    for setting, value in (("false", False), ("absent", ...), ("null", None)):
        expect_no_explanation(conformance, setting, value)


def expect_no_explanation(conformance: Conformance, setting: str, value: Any) -> None:
    doing = f"POST /decision-event with requestExplanation {setting}"
    response = conformance.post_decision(payloads.decision_event(requestExplanation=value))
    expect_status(response, 201, doing)
    created = json_object(response, doing)
    present = {name: created.get(name) for name in EXPLANATION_FIELDS if created.get(name) is not None}
    assert not present, f"{doing}: expected {', '.join(EXPLANATION_FIELDS)} null, got {json.dumps(present)[:160]}"
    event_id = created.get("decisionEventId")
    assert isinstance(event_id, str), f"{doing}: expected a decisionEventId, got {json.dumps(created)[:160]}"
    event = conformance.read_event(event_id)
    expect_status(event, 200, f"GET /decision-events/{event_id}")
    recorded = json_object(event, "GET /decision-events/{id}").get("explanationId")
    assert recorded is None, f"{doing}: the recorded event has explanationId {recorded!r}, expected null"


def expect_webhook_explanation(conformance: Conformance, source: str, body: bytes) -> None:
    doing = f"a correctly signed {source} decision"
    response = conformance.signed_webhook(source, body)
    expect_status(response, 200, doing)
    ack = json_object(response, doing)
    if ack.get("duplicate") or ack.get("ignored") or not isinstance(ack.get("decisionEventId"), str):
        raise AssertionError(f"{doing}: expected a recorded decision, got {json.dumps(ack)[:200]}")
    if ack.get("explanationId") is None:
        pytest.skip(NOT_CONFIGURED)
    served = read_explanation(conformance, str(ack["explanationId"]), f"{doing} returned an explanationId")
    expect_explanation(served, f"GET /explanations/{ack['explanationId']} after {doing}")
    assert served.get("decisionEventId") == ack["decisionEventId"], (
        f"GET /explanations/{ack['explanationId']}: decisionEventId {served.get('decisionEventId')!r}, "
        f"the webhook acknowledged {ack['decisionEventId']!r}")


@requirement("EXPL-003")
def test_greenhouse_rejection_has_a_retrievable_explanation(conformance: Conformance) -> None:
    expect_webhook_explanation(conformance, "greenhouse", payloads.greenhouse())


@requirement("EXPL-003")
def test_lever_archive_has_a_retrievable_explanation(conformance: Conformance) -> None:
    expect_webhook_explanation(conformance, "lever", json.dumps(payloads.lever()).encode())


@requirement("EXPL-003")
def test_workday_disposition_has_a_retrievable_explanation(conformance: Conformance) -> None:
    expect_webhook_explanation(conformance, "workday", payloads.workday())
