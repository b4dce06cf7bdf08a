"""AUTH: API keys (contract § 3). "Nothing is recorded" is proven by recording the same body afterwards:
a conforming deployment then answers 201, not 409."""

from __future__ import annotations

import secrets

import pytest

from harness import payloads
from harness.context import Conformance, expect_problem, expect_status

requirement = pytest.mark.requirement


def _not_recorded(conformance: Conformance, body: dict[str, object], doing: str) -> None:
    expect_status(conformance.post_decision(body), 201, f"{doing}; then the same body with a valid key "
                  "(a 409 means the refused request was recorded)")


@requirement("AUTH-001")
def test_write_without_authorization_is_401_with_bearer_challenge(conformance: Conformance) -> None:
    body = payloads.decision_event()
    response = conformance.post_decision(body, key="")
    expect_problem(response, 401, "POST /decision-event without Authorization")
    challenge = response.headers.get("www-authenticate", "")
    assert challenge.lower().startswith("bearer"), f"expected 'WWW-Authenticate: Bearer ...', got {challenge!r}"
    _not_recorded(conformance, body, "a write without Authorization was refused")


@requirement("AUTH-002")
def test_unknown_and_malformed_keys_are_401(conformance: Conformance) -> None:
    body = payloads.decision_event()
    unknown = "haiec_test_" + secrets.token_urlsafe(32)
    altered = conformance.key[:-1] + ("A" if conformance.key[-1] != "A" else "B")
    cases = [("an unknown key", f"Bearer {unknown}"), ("a malformed key", "Bearer haiec_test_short"),
             ("an empty Bearer", "Bearer"), ("a non-Bearer scheme", f"Basic {conformance.key}"),
             ("a key with one character changed", f"Bearer {altered}")]
    for label, header in cases:
        response = conformance.post_decision(body, key="", headers={"Authorization": header})
        expect_problem(response, 401, f"POST /decision-event with {label}")
    _not_recorded(conformance, body, "writes with bad keys were refused")


@requirement("AUTH-002")
def test_revoked_key_is_401(conformance: Conformance) -> None:
    revoked = conformance.credential("NYC_HIRING_API_KEY_REVOKED")
    body = payloads.decision_event()
    expect_problem(conformance.post_decision(body, key=revoked), 401, "POST /decision-event with a revoked key")
    _not_recorded(conformance, body, "a write with a revoked key was refused")


@requirement("AUTH-003")
def test_key_without_write_scope_is_403_on_writes(conformance: Conformance) -> None:
    readonly = conformance.credential("NYC_HIRING_API_KEY_READONLY")
    body = payloads.decision_event()
    expect_problem(conformance.post_decision(body, key=readonly), 403, "POST /decision-event with a read-only key")
    _not_recorded(conformance, body, "a write with a read-only key was refused")


@requirement("AUTH-003")
def test_key_without_read_scope_is_403_on_reads(conformance: Conformance) -> None:
    write_only = conformance.credential("NYC_HIRING_API_KEY_WRITEONLY")
    _, created = conformance.create_event()
    expect_problem(conformance.read_event(created["decisionEventId"], key=write_only), 403,
                   "GET /decision-events/{id} with a key lacking nyc:hiring.read")
    expect_problem(conformance.read_explanation(created["explanationId"], key=write_only), 403,
                   "GET /explanations/{id} with a key lacking nyc:hiring.read")


@requirement("AUTH-004")
def test_test_records_are_invisible_to_live_keys(conformance: Conformance) -> None:
    live = conformance.credential("NYC_HIRING_API_KEY_LIVE")
    _, created = conformance.create_event()
    expect_problem(conformance.read_event(created["decisionEventId"], key=live), 404,
                   "GET a test-environment decision event with a live key")
    expect_problem(conformance.read_explanation(created["explanationId"], key=live), 404,
                   "GET a test-environment explanation with a live key")
    expect_status(conformance.read_event(created["decisionEventId"]), 200, "GET it back with the test key")


@requirement("AUTH-004")
def test_live_records_are_invisible_to_test_keys(conformance: Conformance) -> None:
    live = conformance.credential("NYC_HIRING_API_KEY_LIVE")
    if not conformance.run.config.allow_live and not conformance.run.config.is_sandbox:
        pytest.skip("writing with the live key needs --allow-live")
    response = conformance.post_decision(payloads.decision_event(), key=live)
    expect_status(response, 201, "recording a decision event with the live key")
    expect_problem(conformance.read_event(response.json()["decisionEventId"]), 404,
                   "GET a live-environment decision event with a test key")


@requirement("AUTH-005")
def test_keys_are_not_echoed_in_errors(conformance: Conformance) -> None:
    wrong = "haiec_test_" + secrets.token_urlsafe(32)
    probes = [
        conformance.post_decision(payloads.decision_event(), key=wrong),
        conformance.post_decision({"unexpected": conformance.key}),
        conformance.post_decision(payloads.decision_event(), headers={"Content-Type": "text/plain"}),
    ]
    for response in probes:
        text = response.text + " ".join(f"{name}: {value}" for name, value in response.headers.items())
        for label, value in (("the wrong key sent", wrong), ("the API key", conformance.key)):
            assert value not in text, f"{label} appears in a {response.status_code} response"
