"""IDEM: duplicates and idempotency (contract § 3; IETF Idempotency-Key draft, docs/sources.md#http-standards).

ATSs retry, so the same decision arrives more than once: as a natural-key duplicate, under one
Idempotency-Key, concurrently, as a webhook redelivery, or after the deployment restarted. Each check
records something fresh (harness.payloads) and then sends it again in one of those ways. Recording the
first one is other requirements' business (a valid event is recorded, a valid signature accepted): when
it fails, the check shows nothing and fails nothing.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from nyc_hiring.harness import payloads
from nyc_hiring.harness.acks import expect_duplicate_of, expect_recorded
from nyc_hiring.harness.client import Exchange, TargetClient, body_json_dict, json_dict
from nyc_hiring.harness.context import Conformance, expect_status
from nyc_hiring.harness.signing import greenhouse_headers, lever_sign_body, new_msg_id, standard_webhooks_headers

requirement = pytest.mark.requirement

CONCURRENCY = 24
HOLD_SECONDS = 1.0  # how long a request in flight waits for the others at most (IDEM-002 in-flight)
JSON_HEADERS = {"Content-Type": "application/json"}
VALID_EVENT = "recording a valid decision event"


# -- shared helpers --------------------------------------------------------------------------------


def _new_key() -> str:
    return payloads.unique("idem-key")


def _post(
    conformance: Conformance,
    body: dict[str, Any],
    key: str | None = None,
    *,
    api_key: str | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return conformance.post_decision(body, key=api_key, headers=headers, content=content)


def _replayed(headers: httpx.Headers | dict[str, str]) -> bool:
    return {name.lower(): value for name, value in headers.items()}.get("idempotent-replayed", "").lower() == "true"


def _event_id(response: httpx.Response) -> Any:
    return json_dict(response).get("decisionEventId")


def _created(conformance: Conformance, response: httpx.Response, doing: str) -> str:
    """The new event's ID from a 201, or the check shows nothing (recording valid events is EVT-004's)."""
    with conformance.needs(VALID_EVENT):
        expect_status(response, 201, doing)
        event_id = _event_id(response)
        assert isinstance(event_id, str), f"{doing}: the 201 names no decisionEventId"
        return event_id


def _expect_duplicate_event(
    conformance: Conformance, response: httpx.Response, original_id: str, doing: str, clause: str = "conflict"
) -> None:
    """409 (`clause`: conflict, or instant when the repeat is written differently), duplicate_event, the original."""
    with conformance.step("IDEM-001", clause):
        expect_status(response, 409, doing)
    problem = json_dict(response)
    with conformance.step("IDEM-001", "code"):
        assert problem.get("code") == "duplicate_event", (
            f"{doing}: expected problem code 'duplicate_event', got {problem.get('code')!r}"
        )
    with conformance.step("IDEM-001", "original-id"):
        assert problem.get("decisionEventId") == original_id, (
            f"{doing}: expected the original decisionEventId {original_id!r} in the 409, "
            f"got {problem.get('decisionEventId')!r}"
        )


def _duplicates_refused(conformance: Conformance, body: dict[str, Any]) -> None:
    """What these checks build on: the very same decision sent again is refused (IDEM-001 `conflict`)."""
    with conformance.needs("the same decision sent again being refused with 409 (IDEM-001)"):
        expect_status(conformance.post_decision(body), 409, "the same decision sent again")


def _expect_replay(
    conformance: Conformance, response: httpx.Response, original: httpx.Response, clause: str, doing: str
) -> None:
    with conformance.step("IDEM-002", clause):
        expect_status(response, original.status_code, doing)
        assert _replayed(response.headers), (
            f"{doing}: expected 'Idempotent-Replayed: true', got {response.headers.get('idempotent-replayed')!r}"
        )
        assert json_dict(response) == json_dict(original), (
            f"{doing}: the replayed body differs from the original: {response.text[:200]!r}"
        )


# -- IDEM-001: natural-key duplicates ------------------------------------------------------------


@requirement("IDEM-001")
def test_same_decision_posted_twice_is_409_with_the_original_id(conformance: Conformance) -> None:
    body = payloads.decision_event()
    original = _created(conformance, conformance.post_decision(body), VALID_EVENT)
    _expect_duplicate_event(
        conformance, conformance.post_decision(body), original, "POST /decision-event with a decision already recorded"
    )


@requirement("IDEM-001")
def test_decision_timestamps_are_compared_as_instants(conformance: Conformance) -> None:
    instant = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    new_york = instant.astimezone(timezone(timedelta(hours=-5)))
    body = payloads.decision_event(decisionTimestamp=instant.strftime("%Y-%m-%dT%H:%M:%SZ"))
    original = _created(conformance, conformance.post_decision(body), VALID_EVENT)
    _duplicates_refused(conformance, body)
    for written in (instant.strftime("%Y-%m-%dT%H:%M:%S.000+00:00"), new_york.isoformat()):
        _expect_duplicate_event(
            conformance,
            conformance.post_decision({**body, "decisionTimestamp": written}),
            original,
            f"the same decision again with decisionTimestamp {written} (the same instant as "
            f"{body['decisionTimestamp']})",
            clause="instant",
        )
    later = (instant + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = conformance.post_decision({**body, "decisionTimestamp": later})
    with conformance.step("IDEM-001", "instant"):
        assert response.status_code != 409, (
            f"the same decision one second later ({later}), a different instant, got 409: instants one second "
            "apart were taken as one"
        )
    with conformance.needs(VALID_EVENT):
        expect_status(response, 201, f"the same decision one second later ({later})")


# -- IDEM-002: Idempotency-Key ----------------------------------------------------------------------


@requirement("IDEM-002")
def test_same_idempotency_key_and_body_replays_the_original_response(conformance: Conformance) -> None:
    body, key = payloads.decision_event(), _new_key()
    original = _post(conformance, body, key)
    _created(conformance, original, "POST /decision-event with a fresh Idempotency-Key")
    replay = _post(conformance, body, key)
    _expect_replay(conformance, replay, original, "replay", "the same Idempotency-Key and the same bytes again")
    with conformance.step("IDEM-002", "replay"):
        location = original.headers.get("location")
        if location is not None and replay.headers.get("location") != location:
            raise AssertionError(f"the replay's Location {replay.headers.get('location')!r} differs from {location!r}")
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2).encode()
    _expect_replay(
        conformance,
        _post(conformance, body, key, content=reordered),
        original,
        "json-values",
        "the same Idempotency-Key and body with its keys reordered and whitespace added",
    )


@requirement("IDEM-002")
def test_same_idempotency_key_with_a_different_body_is_422(conformance: Conformance) -> None:
    key, other = _new_key(), payloads.decision_event()
    _created(conformance, _post(conformance, payloads.decision_event(), key), "POST /decision-event with a fresh key")
    with conformance.step("IDEM-002", "different-body"):
        expect_status(_post(conformance, other, key), 422, "the same Idempotency-Key with a different body")
    response = _post(conformance, other)
    with conformance.step("IDEM-002", "different-body"):
        assert response.status_code != 409, (
            "that different body then sent without a key got 409: the request refused for its reused key was recorded"
        )
    _created(conformance, response, "that different body then sent without a key")


@requirement("IDEM-002")
def test_idempotency_keys_are_scoped_to_the_environment(conformance: Conformance) -> None:
    live = conformance.credential("NYC_HIRING_API_KEY_LIVE")
    if not conformance.run.config.allow_live and not conformance.run.config.is_sandbox:
        pytest.skip("writing with the live key needs --allow-live")
    body, key = payloads.decision_event(), _new_key()
    first = _post(conformance, body, key)
    test_id = _created(conformance, first, "POST /decision-event with a fresh Idempotency-Key and the test key")
    other = _post(conformance, body, key, api_key=live)
    doing = "the same Idempotency-Key and body with the live key"
    with conformance.step("IDEM-002", "environment"):
        expect_status(other, 201, doing)
        if _replayed(other.headers) or _event_id(other) == test_id:
            raise AssertionError(
                f"{doing}: expected a new live record, got a replay of the test environment's {test_id!r}"
            )


# -- IDEM-003: concurrency -------------------------------------------------------------------------


@dataclass
class _Sent:
    """One concurrent request: its exchange (for evidence) or what went wrong on the wire."""

    exchange: Exchange | None
    error: str | None = None

    @property
    def status(self) -> int | None:
        return self.exchange.status if self.exchange else None

    @property
    def replayed(self) -> bool:
        return self.exchange is not None and _replayed(self.exchange.response_headers)

    def json(self) -> dict[str, Any]:
        return body_json_dict(self.exchange.response_body) if self.exchange else {}

    def label(self) -> str:
        if self.exchange is None:
            return f"error ({self.error})"
        replayed = " replayed" if self.replayed else ""
        code = self.json().get("code")
        return f"{self.status}{replayed}{f' {code}' if code else ''}"


def _post_together(
    conformance: Conformance, content: bytes, headers: dict[str, str], *, first_in_flight: bool = False
) -> list[_Sent]:
    """CONCURRENCY threads, one client each, connected first and released together by a barrier.

    With `first_in_flight`, the first thread sends the head of its request and half its body, and the rest
    only once the others have been answered (HOLD_SECONDS at most): the others then arrive while a request
    with their key is in flight, however the machine schedules the threads. Released together alone, they
    may each be answered before the next arrives, on a loaded machine or a fast target.
    """
    barrier = threading.Barrier(CONCURRENCY)
    released, answered = threading.Event(), threading.Semaphore(0)
    if not first_in_flight:
        released.set()
    hold = min(HOLD_SECONDS, conformance.run.config.timeout / 4)
    sent: list[_Sent] = [_Sent(None, "no answer")] * CONCURRENCY

    def hold_the_rest() -> None:
        released.set()
        deadline = time.monotonic() + hold
        for _ in range(CONCURRENCY - 1):
            if not answered.acquire(timeout=max(deadline - time.monotonic(), 0)):
                return

    def send(index: int) -> None:
        client = TargetClient(conformance.run.base_url, conformance.run.config.timeout)
        held = first_in_flight and index == 0
        try:
            client.get("/health")  # open the connection now, so the barrier releases requests, not handshakes
            barrier.wait(timeout=30)
            if held:
                client.post_in_two_parts("/decision-event", headers=headers, content=content, between=hold_the_rest)
            else:
                released.wait(timeout=30)
                client.post("/decision-event", headers=headers, content=content)
            sent[index] = _Sent(client.exchanges[-1])
        except (httpx.HTTPError, threading.BrokenBarrierError) as exc:
            barrier.abort()
            sent[index] = _Sent(None, f"{type(exc).__name__}: {exc}")
        finally:
            client.close()
            released.set()  # a first request that failed early keeps no one waiting
            if not held:
                answered.release()

    threads = [threading.Thread(target=send, args=(index,), daemon=True) for index in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=conformance.run.config.timeout + 35)
    return sent


def _tally(sent: list[_Sent]) -> str:
    return ", ".join(f"{label} × {count}" for label, count in sorted(Counter(s.label() for s in sent).items()))


def _originals(sent: list[_Sent]) -> list[_Sent]:
    return [s for s in sent if s.status == 201 and not s.replayed]


def _keep_evidence(conformance: Conformance, sent: _Sent | None) -> None:
    if sent is not None and sent.exchange is not None:
        conformance.client.exchanges.append(sent.exchange)


def _exactly_one(conformance: Conformance, sent: list[_Sent], clause: str, doing: str, rest: str) -> str:
    """The one original 201's event ID; more than one original is IDEM-003's failure."""
    originals = _originals(sent)
    if len(originals) > 1:
        _keep_evidence(conformance, originals[1])
    with conformance.step("IDEM-003", clause):
        assert len(originals) <= 1, f"{doing}: expected exactly one original 201 and {rest}, got {_tally(sent)}"
    with conformance.needs(VALID_EVENT):
        found = originals[0].json().get("decisionEventId") if originals else None
        assert isinstance(found, str), f"{doing}: no request was recorded, got {_tally(sent)}"
    return found


@requirement("IDEM-003")
def test_concurrent_identical_requests_record_exactly_one_event(conformance: Conformance) -> None:
    earlier = payloads.decision_event()
    _created(conformance, conformance.post_decision(earlier), VALID_EVENT)
    _duplicates_refused(conformance, earlier)
    body = payloads.decision_event()
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {conformance.key}"}
    doing = f"{CONCURRENCY} identical POST /decision-event at once, no Idempotency-Key"
    sent = _post_together(conformance, json.dumps(body).encode(), headers)
    event_id = _exactly_one(conformance, sent, "natural-key", doing, f"{CONCURRENCY - 1} × 409")
    odd = next((s for s in sent if s.status != 409 and s not in _originals(sent)), None)
    _keep_evidence(conformance, odd)
    with conformance.step("IDEM-003", "natural-key"):
        assert odd is None, f"{doing}: expected one 201 and {CONCURRENCY - 1} × 409, got {_tally(sent)}"
    with conformance.step("IDEM-003", "natural-key"):
        expect_status(conformance.read_event(event_id), 200, f"GET /decision-events/{event_id} afterwards")


@requirement("IDEM-003")
def test_concurrent_requests_under_one_idempotency_key_record_exactly_one_event(conformance: Conformance) -> None:
    earlier, earlier_key = payloads.decision_event(), _new_key()
    first = _post(conformance, earlier, earlier_key)
    _created(conformance, first, VALID_EVENT)
    with conformance.needs("the same Idempotency-Key and body sent again being replayed (IDEM-002)"):
        again = _post(conformance, earlier, earlier_key)
        assert again.status_code == 201 and _replayed(again.headers), f"got {again.status_code}"
    body, key = payloads.decision_event(), _new_key()
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {conformance.key}", "Idempotency-Key": key}
    doing = f"{CONCURRENCY} identical POST /decision-event at once under one Idempotency-Key"
    sent = _post_together(conformance, json.dumps(body).encode(), headers, first_in_flight=True)
    event_id = _exactly_one(conformance, sent, "idempotency-key", doing, "the rest 409 or replays")

    def fits(one: _Sent) -> bool:  # a replay of the original, or a 409 while it was in flight (or a duplicate)
        found = one.json().get("decisionEventId")
        return (one.status == 201 and found == event_id) or (one.status == 409 and found in (None, event_id))

    odd = next((s for s in sent if not fits(s)), None)
    _keep_evidence(conformance, odd)
    with conformance.step("IDEM-002", "in-flight"):
        assert odd is None, (
            f"{doing}: expected the requests behind the first to get 409 while it was in flight "
            f"or a replay of it, got {_tally(sent)}"
        )
    replay = _post(conformance, body, key)
    with conformance.step("IDEM-002", "replay"):
        if not _replayed(replay.headers) or _event_id(replay) != event_id:
            raise AssertionError(
                f"the same key and body once more afterwards: expected a replay of {event_id}, "
                f"got {replay.status_code} {replay.text[:160]}"
            )


# -- IDEM-004: webhook redelivery -------------------------------------------------------------------


def _first_delivery(conformance: Conformance, source: str, response: httpx.Response, doing: str) -> dict[str, Any]:
    with conformance.needs(f"a correctly signed {source} delivery being recorded"):
        return expect_recorded(response, doing)


@requirement("IDEM-004")
def test_greenhouse_redelivery_of_identical_bytes_is_a_duplicate(conformance: Conformance) -> None:
    body = payloads.greenhouse()
    headers = greenhouse_headers(conformance.secret("greenhouse"), body)
    ack = _first_delivery(
        conformance, "greenhouse", conformance.webhook("greenhouse", body, headers), "POST /webhook/greenhouse"
    )
    expect_duplicate_of(
        conformance.steps,
        conformance.webhook("greenhouse", body, headers),
        ack,
        "greenhouse-body",
        "the identical Greenhouse delivery again (a retry resends the same bytes)",
    )


@requirement("IDEM-004")
def test_greenhouse_repeated_event_id_is_a_duplicate(conformance: Conformance) -> None:
    secret, event_id = conformance.secret("greenhouse"), payloads.unique("gh-event")
    first = payloads.greenhouse()
    ack = _first_delivery(
        conformance,
        "greenhouse",
        conformance.webhook("greenhouse", first, greenhouse_headers(secret, first, event_id)),
        "POST /webhook/greenhouse with a Greenhouse-Event-ID",
    )
    second = payloads.greenhouse()
    expect_duplicate_of(
        conformance.steps,
        conformance.webhook("greenhouse", second, greenhouse_headers(secret, second, event_id)),
        ack,
        "greenhouse-event-id",
        "another correctly signed body with the same Greenhouse-Event-ID",
    )


@requirement("IDEM-004")
def test_lever_same_token_and_triggered_at_is_a_duplicate_even_with_altered_data(conformance: Conformance) -> None:
    secret, token, triggered_at = conformance.secret("lever"), secrets.token_hex(16), time.time_ns() // 1_000_000
    signed = lever_sign_body(secret, payloads.lever(), token=token, triggered_at_ms=triggered_at)
    ack = _first_delivery(
        conformance,
        "lever",
        conformance.webhook("lever", json.dumps(signed).encode(), JSON_HEADERS),
        "POST /webhook/lever",
    )
    expect_duplicate_of(
        conformance.steps,
        conformance.webhook("lever", json.dumps(signed).encode(), JSON_HEADERS),
        ack,
        "lever-token",
        "the same Lever delivery again (same token and triggeredAt)",
    )
    other = payloads.unique("lever-other")
    altered = {**signed, "data": {**signed["data"], "candidateId": other, "opportunityId": other}}
    expect_duplicate_of(
        conformance.steps,
        conformance.webhook("lever", json.dumps(altered).encode(), JSON_HEADERS),
        ack,
        "lever-token",
        "the same token and triggeredAt with altered data (Lever does not sign data)",
    )


@requirement("IDEM-004")
def test_workday_same_webhook_id_re_signed_later_is_a_duplicate(conformance: Conformance) -> None:
    secret, body, msg_id, now = conformance.secret("workday"), payloads.workday(), new_msg_id(), int(time.time())
    first = standard_webhooks_headers(secret, body, msg_id=msg_id, timestamp=now - 10)
    ack = _first_delivery(conformance, "workday", conformance.webhook("workday", body, first), "POST /webhook/workday")
    again = standard_webhooks_headers(secret, body, msg_id=msg_id, timestamp=now)
    expect_duplicate_of(
        conformance.steps,
        conformance.webhook("workday", body, again),
        ack,
        "workday-id",
        "the same webhook-id re-signed with a new webhook-timestamp (a Standard Webhooks retry)",
    )


# -- IDEM-005: durability ----------------------------------------------------------------------------


@requirement("IDEM-005")
@pytest.mark.restarts_the_deployment
def test_records_and_keys_survive_a_restart(conformance: Conformance) -> None:
    """The webhook part runs when a Greenhouse secret is configured; the API part needs only the key."""
    body, key = payloads.decision_event(), _new_key()
    original = _post(conformance, body, key)
    event_id = _created(conformance, original, "POST /decision-event with an Idempotency-Key")
    with conformance.needs("the same Idempotency-Key and body being replayed before the restart (IDEM-002)"):
        before = _post(conformance, body, key)
        assert before.status_code == original.status_code and _replayed(before.headers), f"got {before.status_code}"
    _duplicates_refused(conformance, body)
    secret = conformance.run.config.credential("WEBHOOK_SECRET_GREENHOUSE")
    delivery = payloads.greenhouse()
    headers = greenhouse_headers(secret, delivery) if secret else {}
    if secret:
        _first_delivery(
            conformance, "greenhouse", conformance.webhook("greenhouse", delivery, headers), "POST /webhook/greenhouse"
        )
        with conformance.needs("the same Greenhouse delivery being a duplicate before the restart (IDEM-004)"):
            again = conformance.webhook("greenhouse", delivery, headers)
            assert json_dict(again).get("duplicate") is True, f"got {again.status_code} {again.text[:120]}"
    conformance.restart()
    with conformance.step("IDEM-005", "events"):
        expect_status(conformance.read_event(event_id), 200, f"GET /decision-events/{event_id} after a restart")
        duplicate = conformance.post_decision(body)
        expect_status(duplicate, 409, "the same decision, no key, after a restart")
    replay = _post(conformance, body, key)
    with conformance.step("IDEM-005", "idempotency-keys"):
        assert replay.status_code == original.status_code and _replayed(replay.headers), (
            f"the same Idempotency-Key and body after a restart: expected a replay of the original 201, got "
            f"{replay.status_code} (Idempotent-Replayed: {replay.headers.get('idempotent-replayed')!r})"
        )
    if secret:
        again = conformance.webhook("greenhouse", delivery, headers)
        with conformance.step("IDEM-005", "events"):
            assert again.status_code == 200 and json_dict(again).get("duplicate") is True, (
                f"the same Greenhouse delivery after a restart: expected a duplicate, got {again.status_code} "
                f"{again.text[:160]}"
            )  # which IDs a duplicate names is IDEM-004's
