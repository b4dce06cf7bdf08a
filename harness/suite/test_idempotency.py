"""IDEM: duplicates and idempotency (contract § 3; IETF Idempotency-Key draft, reference/ats.md § 6).

ATSs retry, so the same decision arrives more than once: as a natural-key duplicate, under one
Idempotency-Key, concurrently, as a webhook redelivery, or after the deployment restarted. Each check
records something fresh (harness.payloads) and then sends it again in one of those ways.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from harness import payloads
from harness.client import Exchange, TargetClient, body_json_dict
from harness.context import (
    Conformance,
    expect_problem,
    expect_status,
    expect_webhook_duplicate,
    expect_webhook_recorded,
    json_object,
)
from harness.signing import greenhouse_headers, lever_sign_body, new_msg_id, standard_webhooks_headers

requirement = pytest.mark.requirement

CONCURRENCY = 24
JSON_HEADERS = {"Content-Type": "application/json"}


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
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("decisionEventId") if isinstance(body, dict) else None


def _expect_duplicate_event(response: httpx.Response, original_id: str, doing: str) -> None:
    problem = expect_problem(response, 409, doing, code="duplicate_event")
    if problem.get("decisionEventId") != original_id:
        raise AssertionError(
            f"{doing}: expected the original decisionEventId {original_id!r}, got {problem.get('decisionEventId')!r}"
        )


def _expect_replay(response: httpx.Response, original: httpx.Response, doing: str) -> None:
    """The draft's replay: the original status and body, flagged so the client knows it is one."""
    expect_status(response, original.status_code, doing)
    if not _replayed(response.headers):
        raise AssertionError(
            f"{doing}: expected 'Idempotent-Replayed: true', got {response.headers.get('idempotent-replayed')!r}"
        )
    if json_object(response, doing) != original.json():
        raise AssertionError(f"{doing}: the replayed body differs from the original: {response.text[:200]!r}")


# -- IDEM-001: natural-key duplicates ------------------------------------------------------------


@requirement("IDEM-001")
def test_same_decision_posted_twice_is_409_with_the_original_id(conformance: Conformance) -> None:
    body, created = conformance.create_event()
    _expect_duplicate_event(
        conformance.post_decision(body),
        created["decisionEventId"],
        "POST /decision-event with a decision already recorded",
    )


@requirement("IDEM-001")
def test_decision_timestamps_are_compared_as_instants(conformance: Conformance) -> None:
    instant = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    new_york = instant.astimezone(timezone(timedelta(hours=-5)))
    body, created = conformance.create_event(decisionTimestamp=instant.strftime("%Y-%m-%dT%H:%M:%SZ"))
    original_id = created["decisionEventId"]
    for written in (instant.strftime("%Y-%m-%dT%H:%M:%S.000+00:00"), new_york.isoformat()):
        _expect_duplicate_event(
            conformance.post_decision({**body, "decisionTimestamp": written}),
            original_id,
            f"the same decision again with decisionTimestamp {written} "
            f"(the same instant as {body['decisionTimestamp']})",
        )
    later = (instant + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    expect_status(
        conformance.post_decision({**body, "decisionTimestamp": later}),
        201,
        f"the same decision one second later ({later}), a different instant",
    )


# -- IDEM-002: Idempotency-Key ----------------------------------------------------------------------


@requirement("IDEM-002")
def test_same_idempotency_key_and_body_replays_the_original_response(conformance: Conformance) -> None:
    body, key = payloads.decision_event(), _new_key()
    original = _post(conformance, body, key)
    expect_status(original, 201, "POST /decision-event with a fresh Idempotency-Key")
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2).encode()
    replay = _post(conformance, body, key, content=reordered)
    _expect_replay(replay, original, "the same Idempotency-Key and body again (keys reordered, whitespace added)")
    location = original.headers.get("location")
    if location is not None and replay.headers.get("location") != location:
        raise AssertionError(f"the replay's Location {replay.headers.get('location')!r} differs from {location!r}")


@requirement("IDEM-002")
def test_same_idempotency_key_with_a_different_body_is_422(conformance: Conformance) -> None:
    key, other = _new_key(), payloads.decision_event()
    expect_status(_post(conformance, payloads.decision_event(), key), 201, "POST /decision-event with a fresh key")
    expect_problem(
        _post(conformance, other, key),
        422,
        "the same Idempotency-Key with a different body",
        code="idempotency_key_reused",
    )
    expect_status(
        _post(conformance, other),
        201,
        "that different body then sent without a key (a 409 means the refused request was recorded)",
    )


@requirement("IDEM-002")
def test_idempotency_keys_are_scoped_to_the_environment(conformance: Conformance) -> None:
    live = conformance.credential("NYC_HIRING_API_KEY_LIVE")
    if not conformance.run.config.allow_live and not conformance.run.config.is_sandbox:
        pytest.skip("writing with the live key needs --allow-live")
    body, key = payloads.decision_event(), _new_key()
    first = _post(conformance, body, key)
    expect_status(first, 201, "POST /decision-event with a fresh Idempotency-Key and the test key")
    other = _post(conformance, body, key, api_key=live)
    doing = "the same Idempotency-Key and body with the live key"
    expect_status(other, 201, doing)
    if _replayed(other.headers) or _event_id(other) == _event_id(first):
        raise AssertionError(
            f"{doing}: expected a new live record, got a replay of the test environment's {_event_id(first)!r}"
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


def _post_together(conformance: Conformance, content: bytes, headers: dict[str, str]) -> list[_Sent]:
    """CONCURRENCY threads, one client each, connected first and released together by a barrier."""
    barrier = threading.Barrier(CONCURRENCY)
    sent: list[_Sent] = [_Sent(None, "no answer")] * CONCURRENCY

    def send(index: int) -> None:
        client = TargetClient(conformance.run.base_url, conformance.run.config.timeout)
        try:
            client.get("/health")  # open the connection now, so the barrier releases requests, not handshakes
            barrier.wait(timeout=30)
            client.post("/decision-event", headers=headers, content=content)
            sent[index] = _Sent(client.exchanges[-1])
        except (httpx.HTTPError, threading.BrokenBarrierError) as exc:
            barrier.abort()
            sent[index] = _Sent(None, f"{type(exc).__name__}: {exc}")
        finally:
            client.close()

    threads = [threading.Thread(target=send, args=(index,), daemon=True) for index in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=conformance.run.config.timeout + 35)
    return sent


def _tally(sent: list[_Sent]) -> str:
    return ", ".join(f"{label} × {count}" for label, count in sorted(Counter(s.label() for s in sent).items()))


Fits = Callable[[_Sent, str], bool]


def _judge(sent: list[_Sent], doing: str, rest: str, fits: Fits) -> tuple[str | None, _Sent | None, str | None]:
    """(the recorded event's ID, the first answer that does not fit, the failure message or None)."""
    originals = [s for s in sent if s.status == 201 and not s.replayed]
    found = originals[0].json().get("decisionEventId") if originals else None
    event_id = found if isinstance(found, str) else None
    expected = f"{doing}: expected exactly one original 201 and {rest}"
    if len(originals) != 1 or event_id is None:
        odd = originals[1] if len(originals) > 1 else next((s for s in sent if s.status != 409), None)
        return event_id, odd, f"{expected}, got {_tally(sent)}"
    odd = next((s for s in sent if s is not originals[0] and not fits(s, event_id)), None)
    return event_id, odd, f"{expected} (of {event_id}), got {_tally(sent)}" if odd else None


def _keep_evidence(conformance: Conformance, sent: _Sent | None, event_id: str | None) -> httpx.Response | None:
    """The odd answer joins the check's evidence, followed by a read-back over the check's own client."""
    if sent is not None and sent.exchange is not None:
        conformance.client.exchanges.append(sent.exchange)
    return conformance.read_event(event_id) if event_id else None


def _duplicate_of(sent: _Sent, event_id: str) -> bool:
    return sent.status == 409 and sent.json().get("decisionEventId") == event_id


def _duplicate_or_replay_of(sent: _Sent, event_id: str) -> bool:
    """Under one key the draft allows a replay, an in-flight 409 (no ID yet), or a duplicate_event 409."""
    found = sent.json().get("decisionEventId")
    return (sent.status == 201 and sent.replayed and found == event_id) or (
        sent.status == 409 and found in (None, event_id)
    )


@requirement("IDEM-003")
def test_concurrent_identical_requests_record_exactly_one_event(conformance: Conformance) -> None:
    body = payloads.decision_event()
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {conformance.key}"}
    doing = f"{CONCURRENCY} identical POST /decision-event at once, no Idempotency-Key"
    sent = _post_together(conformance, json.dumps(body).encode(), headers)
    event_id, odd, problem = _judge(sent, doing, f"{CONCURRENCY - 1} × 409 duplicate_event", _duplicate_of)
    read = _keep_evidence(conformance, odd, event_id)
    if problem or event_id is None or read is None:
        raise AssertionError(problem)
    expect_status(read, 200, f"GET /decision-events/{event_id} afterwards")
    _expect_duplicate_event(conformance.post_decision(body), event_id, "the same decision once more afterwards")


@requirement("IDEM-003")
def test_concurrent_requests_under_one_idempotency_key_record_exactly_one_event(conformance: Conformance) -> None:
    body, key = payloads.decision_event(), _new_key()
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {conformance.key}", "Idempotency-Key": key}
    doing = f"{CONCURRENCY} identical POST /decision-event at once under one Idempotency-Key"
    sent = _post_together(conformance, json.dumps(body).encode(), headers)
    event_id, odd, problem = _judge(sent, doing, "the rest 409 or replays", _duplicate_or_replay_of)
    read = _keep_evidence(conformance, odd, event_id)
    if problem or event_id is None or read is None:
        raise AssertionError(problem)
    expect_status(read, 200, f"GET /decision-events/{event_id} afterwards")
    replay = _post(conformance, body, key)
    if not _replayed(replay.headers) or _event_id(replay) != event_id:
        raise AssertionError(
            f"the same key and body once more afterwards: expected a replay of {event_id}, "
            f"got {replay.status_code} {replay.text[:160]}"
        )


# -- IDEM-004: webhook redelivery -------------------------------------------------------------------


@requirement("IDEM-004")
def test_greenhouse_redelivery_of_identical_bytes_is_a_duplicate(conformance: Conformance) -> None:
    body = payloads.greenhouse()
    headers = greenhouse_headers(conformance.secret("greenhouse"), body)
    ack = expect_webhook_recorded(conformance.webhook("greenhouse", body, headers), "POST /webhook/greenhouse")
    expect_webhook_duplicate(
        conformance.webhook("greenhouse", body, headers),
        ack,
        "the identical Greenhouse delivery again (a retry resends the same bytes)",
    )


@requirement("IDEM-004")
def test_greenhouse_repeated_event_id_is_a_duplicate(conformance: Conformance) -> None:
    secret, event_id = conformance.secret("greenhouse"), payloads.unique("gh-event")
    first = payloads.greenhouse()
    ack = expect_webhook_recorded(
        conformance.webhook("greenhouse", first, greenhouse_headers(secret, first, event_id)),
        "POST /webhook/greenhouse with a Greenhouse-Event-ID",
    )
    second = payloads.greenhouse()
    expect_webhook_duplicate(
        conformance.webhook("greenhouse", second, greenhouse_headers(secret, second, event_id)),
        ack,
        "another correctly signed body with the same Greenhouse-Event-ID",
    )


@requirement("IDEM-004")
def test_lever_same_token_and_triggered_at_is_a_duplicate_even_with_altered_data(conformance: Conformance) -> None:
    secret, token, triggered_at = conformance.secret("lever"), secrets.token_hex(16), time.time_ns() // 1_000_000
    body = payloads.lever()
    signed = lever_sign_body(secret, body, token=token, triggered_at_ms=triggered_at)
    ack = expect_webhook_recorded(
        conformance.webhook("lever", json.dumps(signed).encode(), JSON_HEADERS), "POST /webhook/lever"
    )
    expect_webhook_duplicate(
        conformance.webhook("lever", json.dumps(signed).encode(), JSON_HEADERS),
        ack,
        "the same Lever delivery again (same token and triggeredAt)",
    )
    altered = {
        **signed,
        "data": {
            **signed["data"],
            "candidateId": payloads.unique("lever-other"),
            "opportunityId": payloads.unique("lever-other"),
        },
    }
    expect_webhook_duplicate(
        conformance.webhook("lever", json.dumps(altered).encode(), JSON_HEADERS),
        ack,
        "the same token and triggeredAt with altered data (Lever does not sign data)",
    )


@requirement("IDEM-004")
def test_workday_same_webhook_id_re_signed_later_is_a_duplicate(conformance: Conformance) -> None:
    secret, body, msg_id, now = conformance.secret("workday"), payloads.workday(), new_msg_id(), int(time.time())
    first = standard_webhooks_headers(secret, body, msg_id=msg_id, timestamp=now - 10)
    ack = expect_webhook_recorded(conformance.webhook("workday", body, first), "POST /webhook/workday")
    again = standard_webhooks_headers(secret, body, msg_id=msg_id, timestamp=now)
    expect_webhook_duplicate(
        conformance.webhook("workday", body, again),
        ack,
        "the same webhook-id re-signed with a new webhook-timestamp (a Standard Webhooks retry)",
    )


# -- IDEM-005: durability ----------------------------------------------------------------------------


@requirement("IDEM-005")
def test_records_and_keys_survive_a_restart(conformance: Conformance) -> None:
    """The webhook part runs when a Greenhouse secret is configured; the API part needs only the key."""
    body, key = payloads.decision_event(), _new_key()
    original = _post(conformance, body, key)
    expect_status(original, 201, "POST /decision-event with an Idempotency-Key")
    event_id = original.json()["decisionEventId"]
    secret = conformance.run.config.credential("WEBHOOK_SECRET_GREENHOUSE")
    delivery = payloads.greenhouse()
    headers = greenhouse_headers(secret, delivery) if secret else {}
    ack = (
        expect_webhook_recorded(conformance.webhook("greenhouse", delivery, headers), "POST /webhook/greenhouse")
        if secret
        else {}
    )
    conformance.restart()
    expect_status(conformance.read_event(event_id), 200, f"GET /decision-events/{event_id} after a restart")
    _expect_replay(_post(conformance, body, key), original, "the same Idempotency-Key and body after a restart")
    _expect_duplicate_event(conformance.post_decision(body), event_id, "the same decision, no key, after a restart")
    if secret:
        expect_webhook_duplicate(
            conformance.webhook("greenhouse", delivery, headers), ack, "the same Greenhouse delivery after a restart"
        )
