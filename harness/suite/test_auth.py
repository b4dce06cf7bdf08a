"""AUTH: API keys (contract § 3).

"Nothing is recorded" is proven by recording the same body afterwards: a conforming deployment then
answers 201, not 409. Each assertion names the clause it tests; what the refusals look like (problem
details) is EVT-002's, checked in test_validation.py.
"""

from __future__ import annotations

import secrets

import httpx
import pytest

from nyc_hiring.harness import payloads
from nyc_hiring.harness.context import Conformance, expect_status

requirement = pytest.mark.requirement


def _nothing_recorded(conformance: Conformance, body: dict[str, object], requirement_id: str, doing: str) -> None:
    """The same body with a valid key must be new: a 409 means the refused request was recorded."""
    response = conformance.post_decision(body)
    with conformance.step(requirement_id, "nothing-recorded"):
        if response.status_code == 409:
            raise AssertionError(
                f"{doing}; then the same body with a valid key got 409: the refused request was recorded"
            )
    with conformance.needs("recording a valid decision event with the read-write key"):
        expect_status(response, 201, f"{doing}; then the same body with a valid key")


def _refused(response: httpx.Response, status: int, doing: str) -> None:
    expect_status(response, status, doing)


@requirement("AUTH-001")
def test_write_without_authorization_is_401_with_bearer_challenge(conformance: Conformance) -> None:
    body = payloads.decision_event()
    response = conformance.post_decision(body, key="")
    with conformance.step("AUTH-001", "status"):
        _refused(response, 401, "POST /decision-event without Authorization")
    with conformance.step("AUTH-001", "challenge"):
        challenge = response.headers.get("www-authenticate", "")
        assert challenge.lower().startswith("bearer"), (
            f"POST /decision-event without Authorization: expected 'WWW-Authenticate: Bearer ...', got {challenge!r}"
        )
    _nothing_recorded(conformance, body, "AUTH-001", "a write without Authorization was refused")


@requirement("AUTH-002")
def test_unknown_and_malformed_keys_are_401(conformance: Conformance) -> None:
    body = payloads.decision_event()
    unknown = "haiec_test_" + secrets.token_urlsafe(32)
    altered = conformance.key[:-1] + ("A" if conformance.key[-1] != "A" else "B")
    cases = [
        ("unknown", "an unknown key", f"Bearer {unknown}"),
        ("unknown", "the key with one character changed", f"Bearer {altered}"),
        ("malformed", "a malformed key", "Bearer haiec_test_short"),
        ("malformed", "an empty Bearer", "Bearer"),
        ("malformed", "a non-Bearer scheme", f"Basic {conformance.key}"),
    ]
    for clause, label, header in cases:
        response = conformance.post_decision(body, key="", headers={"Authorization": header})
        with conformance.step("AUTH-002", clause):
            _refused(response, 401, f"POST /decision-event with {label}")
    _nothing_recorded(conformance, body, "AUTH-002", "writes with bad keys were refused")


@requirement("AUTH-002")
def test_revoked_key_is_401(conformance: Conformance) -> None:
    revoked = conformance.credential("NYC_HIRING_API_KEY_REVOKED")
    body = payloads.decision_event()
    with conformance.step("AUTH-002", "revoked"):
        _refused(conformance.post_decision(body, key=revoked), 401, "POST /decision-event with a revoked key")
    _nothing_recorded(conformance, body, "AUTH-002", "a write with a revoked key was refused")


@requirement("AUTH-003")
def test_key_without_write_scope_is_403_on_writes(conformance: Conformance) -> None:
    readonly = conformance.credential("NYC_HIRING_API_KEY_READONLY")
    body = payloads.decision_event()
    with conformance.step("AUTH-003", "write-scope"):
        _refused(conformance.post_decision(body, key=readonly), 403, "POST /decision-event with a read-only key")
    response = conformance.post_decision(body)
    with conformance.step("AUTH-003", "write-scope"):
        if response.status_code == 409:
            raise AssertionError(
                "a write with a read-only key was refused; then the same body with a valid key "
                "got 409: the refused write was recorded"
            )
    with conformance.needs("recording a valid decision event with the read-write key"):
        expect_status(response, 201, "the same body with the read-write key")


@requirement("AUTH-003")
def test_key_without_read_scope_is_403_on_reads(conformance: Conformance) -> None:
    write_only = conformance.credential("NYC_HIRING_API_KEY_WRITEONLY")
    with conformance.needs("recording a decision event with an explanation"):
        _, created = conformance.create_event()
    with conformance.step("AUTH-003", "read-scope"):
        _refused(
            conformance.read_event(created["decisionEventId"], key=write_only),
            403,
            "GET /decision-events/{id} with a key lacking nyc:hiring.read",
        )
        _refused(
            conformance.read_explanation(created["explanationId"], key=write_only),
            403,
            "GET /explanations/{id} with a key lacking nyc:hiring.read",
        )


@requirement("AUTH-004")
def test_test_records_are_invisible_to_live_keys(conformance: Conformance) -> None:
    live = conformance.credential("NYC_HIRING_API_KEY_LIVE")
    with conformance.needs("recording a decision event with an explanation"):
        _, created = conformance.create_event()
    with conformance.step("AUTH-004", "test-hidden-from-live"):
        _refused(
            conformance.read_event(created["decisionEventId"], key=live),
            404,
            "GET a test-environment decision event with a live key",
        )
        _refused(
            conformance.read_explanation(created["explanationId"], key=live),
            404,
            "GET a test-environment explanation with a live key",
        )
    with conformance.needs("reading the record back with the test key"):
        expect_status(conformance.read_event(created["decisionEventId"]), 200, "GET it back with the test key")


@requirement("AUTH-004")
def test_live_records_are_invisible_to_test_keys(conformance: Conformance) -> None:
    live = conformance.credential("NYC_HIRING_API_KEY_LIVE")
    if not conformance.run.config.allow_live and not conformance.run.config.is_sandbox:
        pytest.skip("writing with the live key needs --allow-live")
    with conformance.needs("recording a decision event with the live key"):
        response = conformance.post_decision(payloads.decision_event(), key=live)
        expect_status(response, 201, "recording a decision event with the live key")
        event_id = response.json()["decisionEventId"]
    with conformance.step("AUTH-004", "live-hidden-from-test"):
        _refused(conformance.read_event(event_id), 404, "GET a live-environment decision event with a test key")


@requirement("AUTH-005")
def test_keys_are_not_echoed_in_errors(conformance: Conformance) -> None:
    wrong = "haiec_test_" + secrets.token_urlsafe(32)
    probes = [
        conformance.post_decision(payloads.decision_event(), key=wrong),
        conformance.post_decision({"unexpected": conformance.key}),
        conformance.post_decision(payloads.decision_event(), headers={"Content-Type": "text/plain"}),
    ]
    for response in probes:
        for label, value in (("the wrong key sent", wrong), ("the API key", conformance.key)):
            with conformance.step("AUTH-005", "body"):
                assert value not in response.text, f"{label} appears in the body of a {response.status_code} response"
            with conformance.step("AUTH-005", "headers"):
                shown = " ".join(f"{name}: {header}" for name, header in response.headers.items())
                assert value not in shown, f"{label} appears in a header of a {response.status_code} response"
