"""EXPL: an explanation is generated exactly when asked for (contract § 2 and § 3 EXPL).

An integrator sends the candidate message from the create response, so presence is checked there and
again through `GET /explanations/{id}`, which must serve the same message and memo. Webhook decisions
carry no `requestExplanation`: the deployment's configuration decides (`--webhook-explanations`, yes by
default, the integration guide's flow).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from nyc_hiring.harness import payloads
from nyc_hiring.harness.acks import expect_recorded
from nyc_hiring.harness.context import Conformance, expect_status, json_object

if TYPE_CHECKING:
    from nyc_hiring.harness.suite.conftest import ExplanationSamples

requirement = pytest.mark.requirement
EXPLANATION_FIELDS = ("explanationId", "candidateMessage", "internalMemo")
VALID_EVENT = "recording a valid decision event (EVT-004)"


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def expect_explanation(body: dict[str, Any], doing: str) -> None:
    """explanationId, a subject, a body and a memo, all there; a subject that is there but blank is
    MSG-010's (`non-empty`), so that one fault fails one requirement."""
    message = body.get("candidateMessage")
    missing = [
        name
        for name, ok in (
            ("explanationId", _text(body.get("explanationId"))),
            ("candidateMessage.subject", isinstance(message, dict) and isinstance(message.get("subject"), str)),
            ("candidateMessage.body", isinstance(message, dict) and _text(message.get("body"))),
            ("internalMemo", isinstance(body.get("internalMemo"), dict) and bool(body.get("internalMemo"))),
        )
        if not ok
    ]
    if missing:
        raise AssertionError(
            f"{doing}: expected non-empty {', '.join(missing)}, got "
            + ", ".join(f"{name}={json.dumps(body.get(name))[:60]}" for name in EXPLANATION_FIELDS)
        )


def first_difference(served: Any, created: Any, path: str) -> str:
    """Where two JSON values first differ, so a one-line failure points at the field, not the whole memo."""
    if isinstance(served, dict) and isinstance(created, dict):
        for key in sorted(set(served) | set(created)):
            if served.get(key) != created.get(key):
                return first_difference(served.get(key), created.get(key), f"{path}.{key}")
    return f"{path} ({json.dumps(served)[:60]} served, {json.dumps(created)[:60]} created)"


@requirement("EXPL-001")
def test_requested_explanation_is_returned_and_served_again(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=True, jobTitle="Data Analyst")
    response = conformance.post_decision(body)
    with conformance.needs(VALID_EVENT):
        expect_status(response, 201, "POST /decision-event with requestExplanation true")
        created = json_object(response, "POST /decision-event")
    with conformance.step("EXPL-001", "present"):
        expect_explanation(created, "POST /decision-event with requestExplanation true")
    explanation_id = created["explanationId"]
    with conformance.step("EXPL-001", "served-same"):
        read = conformance.read_explanation(explanation_id)
        expect_status(read, 200, f"GET /explanations/{explanation_id}")
        served = json_object(read, f"GET /explanations/{explanation_id}")
        for name in ("explanationId", "decisionEventId", "candidateMessage", "internalMemo"):
            assert served.get(name) == created.get(name), (
                f"GET /explanations/{explanation_id}: differs from the create response at "
                f"{first_difference(served.get(name), created.get(name), name)}"
            )


@requirement("EXPL-001")
def test_every_kind_of_decision_gets_its_explanation(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    """Each sample request (every decision kind, protected, zero and thirty factors, ...) asked for one."""
    if not explanation_samples.samples and not explanation_samples.problems:
        pytest.skip("no sample explanation could be requested")
    for problem in explanation_samples.problems:
        with conformance.step(problem.requirement, problem.clause):
            conformance.client.exchanges.extend(problem.exchanges)
            raise AssertionError(problem.message)
    for sample in explanation_samples.samples:
        with conformance.step("EXPL-001", "present"):
            expect_explanation(
                {
                    "explanationId": sample.explanation_id,
                    "candidateMessage": sample.message,
                    "internalMemo": sample.memo,
                },
                f"sample '{sample.label}'",
            )


@requirement("EXPL-002")
def test_no_explanation_unless_requested(conformance: Conformance) -> None:
    for setting, value in (("false", False), ("absent", ...), ("null", None)):
        expect_no_explanation(conformance, setting, value)


def expect_no_explanation(conformance: Conformance, setting: str, value: Any) -> None:
    doing = f"POST /decision-event with requestExplanation {setting}"
    response = conformance.post_decision(payloads.decision_event(requestExplanation=value))
    with conformance.needs(VALID_EVENT):
        expect_status(response, 201, doing)
        created = json_object(response, doing)
        event_id = created.get("decisionEventId")
        assert isinstance(event_id, str), f"{doing}: expected a decisionEventId, got {json.dumps(created)[:160]}"
    with conformance.step("EXPL-002", "null"):
        present = {name: created.get(name) for name in EXPLANATION_FIELDS if created.get(name) is not None}
        assert not present, f"{doing}: expected {', '.join(EXPLANATION_FIELDS)} null, got {json.dumps(present)[:160]}"
    with conformance.needs(f"reading the event back (GET /decision-events/{event_id})"):
        event = conformance.read_event(event_id)
        expect_status(event, 200, f"GET /decision-events/{event_id}")
        recorded = json_object(event, "GET /decision-events/{id}").get("explanationId")
    with conformance.step("EXPL-002", "nothing-generated"):
        assert recorded is None, f"{doing}: the recorded event has explanationId {recorded!r}, expected null"


def expect_webhook_explanation(conformance: Conformance, source: str, body: bytes) -> None:
    if not conformance.run.config.webhook_explanations:
        pytest.skip(
            "--webhook-explanations no: the deployment is not configured to explain webhook decisions "
            "(contract EXPL-003 asks for them only then)"
        )
    doing = f"a correctly signed {source} decision"
    response = conformance.signed_webhook(source, body)
    with conformance.needs(f"{doing} being recorded"):
        ack = expect_recorded(response, doing)
    with conformance.step("EXPL-003", "generated"):
        assert _text(ack.get("explanationId")), (
            f"{doing}: the acknowledgement names no explanationId (got {json.dumps(ack)[:160]}); the deployment "
            "should explain webhook decisions (if it is configured not to, run with --webhook-explanations no)"
        )
    explanation_id = str(ack["explanationId"])
    with conformance.step("EXPL-003", "retrievable"):
        read = conformance.read_explanation(explanation_id)
        expect_status(read, 200, f"GET /explanations/{explanation_id} after {doing}")
        served = json_object(read, f"GET /explanations/{explanation_id}")
        expect_explanation(served, f"GET /explanations/{explanation_id} after {doing}")
        assert served.get("decisionEventId") == ack["decisionEventId"], (
            f"GET /explanations/{explanation_id}: decisionEventId {served.get('decisionEventId')!r}, "
            f"the webhook acknowledged {ack['decisionEventId']!r}"
        )


@requirement("EXPL-003")
def test_greenhouse_rejection_has_a_retrievable_explanation(conformance: Conformance) -> None:
    expect_webhook_explanation(conformance, "greenhouse", payloads.greenhouse())


@requirement("EXPL-003")
def test_lever_archive_has_a_retrievable_explanation(conformance: Conformance) -> None:
    expect_webhook_explanation(conformance, "lever", json.dumps(payloads.lever()).encode())


@requirement("EXPL-003")
def test_workday_disposition_has_a_retrievable_explanation(conformance: Conformance) -> None:
    expect_webhook_explanation(conformance, "workday", payloads.workday())
