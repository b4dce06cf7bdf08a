"""One probe per observable clause of the catalog: a few requests that pass against the reference server
and fail (an AssertionError) against a server that breaks that clause.

They prove the deliberate faults of `reference_server.faults`: each fault must fail its own clause's
probe (test_faults.py) and pass the others. The MSG and MEMO probes run the harness's own message
and memo rules over a spread of explanations, and report only the clause they stand for.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx

from nyc_hiring import schemas
from nyc_hiring.harness.compliance import MEMO_RULES, MESSAGE_RULES, CheckContext
from nyc_hiring.harness.signing import (
    greenhouse_headers,
    greenhouse_signature,
    lever_sign_body,
    standard_webhooks_headers,
)
from nyc_hiring.reference_server.auth import ALL_SCOPES, WRITE_SCOPE, generate_key, hash_key, register_key
from nyc_hiring.reference_server.factors import phrase_for

from .conftest import BASE, GREENHOUSE_SECRET, KEY, KEY_LIVE, KEY_READONLY, LEVER_SECRET, WORKDAY_SECRET, Sandbox
from .conftest import decision_body as _decision_body
from .webhooks import greenhouse, greenhouse_body, lever, lever_body, workday, workday_body

Probe = Callable[[Sandbox], None]
Clause = tuple[str, str]
PROBES: dict[Clause, Probe] = {}
# The webhook sources whose correctly signed deliveries a probe relies on: a server that refuses those
# (a broken SIG-001, SIG-002 or SIG-003 `accepted`) cannot show whether it meets the probe's clause.
NEEDS: dict[Clause, tuple[str, ...]] = {}
JSON = {"Content-Type": "application/json"}


def probe(requirement: str, clause: str, needs: tuple[str, ...] = ()) -> Callable[[Probe], Probe]:
    def register(function: Probe) -> Probe:
        PROBES[(requirement, clause)] = function
        NEEDS[(requirement, clause)] = needs
        return function

    return register


def refused(response: httpx.Response) -> bool:
    """A 4xx: a refusal whose consequences (nothing recorded) a probe can then look at."""
    return 400 <= response.status_code < 500


def decision_body(**overrides: Any) -> dict[str, Any]:
    return _decision_body(**{"requestExplanation": False, **overrides})


def created(sandbox: Sandbox, **overrides: Any) -> dict[str, Any]:
    response = sandbox.post("/decision-event", json=decision_body(**overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


def recorded(response: httpx.Response) -> dict[str, Any]:
    """A webhook acknowledgement of a newly recorded decision."""
    assert response.status_code == 200, response.text
    ack = response.json()
    assert ack.get("decisionEventId") and not ack.get("duplicate") and not ack.get("ignored"), ack
    return dict(ack)


def duplicate_of(response: httpx.Response, original: dict[str, Any]) -> None:
    """A redelivery answered as one (whether it names the original is IDEM-004 `original-ids`)."""
    assert response.status_code == 200, response.text
    assert response.json().get("duplicate") is True, response.json()


def webhook(sandbox: Sandbox, source: str, delivery: dict[str, Any]) -> httpx.Response:
    return sandbox.post(f"/webhook/{source}", key=None, **delivery)


def compact_greenhouse(**application: Any) -> bytes:
    """A Greenhouse body as Greenhouse writes it: compact, `<` escaped."""
    app: dict[str, Any] = {
        "id": uuid.uuid4().int % 10**9,
        "candidate_id": uuid.uuid4().int % 10**9,
        "job_id": 111,
        "status": "rejected",
        "rejection_reason": {"name": "Too Junior"},
        **application,
    }
    return json.dumps({"action": "reject_candidate", "payload": {"application": app}}, separators=(",", ":")).encode()


def escaped_greenhouse() -> bytes:
    return (
        compact_greenhouse(jobs=[{"id": 7, "name": "Designer", "notes": "<p>Print</p>"}])
        .replace(b"<", b"\\u003c")
        .replace(b">", b"\\u003e")
    )


def together(sandbox: Sandbox, requests: list[tuple[str, str, dict[str, Any]]]) -> list[httpx.Response]:
    """Requests sent at once, on the sandbox's event loop."""

    async def send_all() -> list[httpx.Response]:
        return list(
            await asyncio.gather(
                *(sandbox.client.request(method, BASE + path, **options) for method, path, options in requests)
            )
        )

    return sandbox._runner.run(send_all())


def register(sandbox: Sandbox, scopes: frozenset[str], *, revoked: bool = False) -> str:
    key = generate_key("test")
    register_key(sandbox.store, key, scopes, "probe")
    if revoked:
        sandbox.store.revoke_api_key(hash_key(key))
    return key


# -- AUTH --------------------------------------------------------------------------------------------


@probe("AUTH-001", "status")
def _(sandbox: Sandbox) -> None:
    response = sandbox.post("/decision-event", json=decision_body(), key=None)
    assert response.status_code == 401, response.status_code
    assert response.headers["content-type"].startswith("application/problem+json")


@probe("AUTH-001", "challenge")
def _(sandbox: Sandbox) -> None:
    response = sandbox.post("/decision-event", json=decision_body(), key=None)
    if response.status_code == 401:
        assert response.headers.get("www-authenticate", "").lower().startswith("bearer"), response.headers


@probe("AUTH-001", "nothing-recorded")
def _(sandbox: Sandbox) -> None:
    body = decision_body()
    if refused(sandbox.post("/decision-event", json=body, key=None)):
        assert sandbox.post("/decision-event", json=body).status_code == 201


@probe("AUTH-002", "unknown")
def _(sandbox: Sandbox) -> None:
    assert sandbox.post("/decision-event", json=decision_body(), key=generate_key("test")).status_code == 401


@probe("AUTH-002", "malformed")
def _(sandbox: Sandbox) -> None:
    for header in (f"Basic {KEY}", "Bearer haiec_test_short", "Bearer", KEY):
        response = sandbox.post("/decision-event", json=decision_body(), key=None, headers={"Authorization": header})
        assert response.status_code == 401, (header, response.status_code)


@probe("AUTH-002", "revoked")
def _(sandbox: Sandbox) -> None:
    revoked = register(sandbox, ALL_SCOPES, revoked=True)
    assert sandbox.post("/decision-event", json=decision_body(), key=revoked).status_code == 401


@probe("AUTH-002", "nothing-recorded")
def _(sandbox: Sandbox) -> None:
    for authorization in ("Bearer haiec_test_short", f"Bearer {generate_key('test')}"):
        body = decision_body()
        headers = {"Authorization": authorization}
        if refused(sandbox.post("/decision-event", json=body, key=None, headers=headers)):
            assert sandbox.post("/decision-event", json=body).status_code == 201, authorization


@probe("AUTH-003", "write-scope")
def _(sandbox: Sandbox) -> None:
    assert sandbox.post("/decision-event", json=decision_body(), key=KEY_READONLY).status_code == 403


@probe("AUTH-003", "read-scope")
def _(sandbox: Sandbox) -> None:
    event = created(sandbox)
    write_only = register(sandbox, frozenset({WRITE_SCOPE}))
    assert sandbox.get(f"/decision-events/{event['decisionEventId']}", key=write_only).status_code == 403


@probe("AUTH-004", "test-hidden-from-live")
def _(sandbox: Sandbox) -> None:
    event = created(sandbox, requestExplanation=True)
    assert sandbox.get(f"/decision-events/{event['decisionEventId']}", key=KEY_LIVE).status_code == 404
    assert sandbox.get(f"/explanations/{event['explanationId']}", key=KEY_LIVE).status_code == 404


@probe("AUTH-004", "live-hidden-from-test")
def _(sandbox: Sandbox) -> None:
    response = sandbox.post("/decision-event", json=decision_body(requestExplanation=True), key=KEY_LIVE)
    event = response.json()
    assert sandbox.get(f"/decision-events/{event['decisionEventId']}").status_code == 404
    assert sandbox.get(f"/explanations/{event['explanationId']}").status_code == 404


def _refusals(sandbox: Sandbox) -> tuple[str, list[httpx.Response]]:
    wrong = generate_key("test")
    return wrong, [
        sandbox.post("/decision-event", json=decision_body(), key=wrong),
        sandbox.post("/decision-event", json={"unexpected": KEY}),
    ]


@probe("AUTH-005", "body")
def _(sandbox: Sandbox) -> None:
    wrong, responses = _refusals(sandbox)
    assert not any(key in response.text for response in responses for key in (wrong, KEY))


@probe("AUTH-005", "headers")
def _(sandbox: Sandbox) -> None:
    wrong, responses = _refusals(sandbox)
    headers = " ".join(value for response in responses for value in response.headers.values())
    assert wrong not in headers and KEY not in headers


# -- SIG ---------------------------------------------------------------------------------------------


@probe("SIG-001", "accepted")
def _(sandbox: Sandbox) -> None:
    ack = recorded(webhook(sandbox, "greenhouse", greenhouse(compact_greenhouse())))
    assert sandbox.get(f"/decision-events/{ack['decisionEventId']}").status_code == 200


@probe("SIG-001", "raw-bytes", needs=("greenhouse",))
def _(sandbox: Sandbox) -> None:
    recorded(webhook(sandbox, "greenhouse", greenhouse(escaped_greenhouse())))


@probe("SIG-002", "accepted")
def _(sandbox: Sandbox) -> None:
    ack = recorded(webhook(sandbox, "lever", lever(lever_body())))
    assert sandbox.get(f"/decision-events/{ack['decisionEventId']}").status_code == 200


@probe("SIG-003", "accepted")
def _(sandbox: Sandbox) -> None:
    ack = recorded(webhook(sandbox, "workday", workday(workday_body())))
    assert sandbox.get(f"/decision-events/{ack['decisionEventId']}").status_code == 200


@probe("SIG-003", "any-entry", needs=("workday",))
def _(sandbox: Sandbox) -> None:
    body, msg_id, now = workday_body(), f"msg_{uuid.uuid4().hex}", int(time.time())
    good = standard_webhooks_headers(WORKDAY_SECRET, body, msg_id=msg_id, timestamp=now)
    wrong = standard_webhooks_headers("whsec_" + "QUJD" * 8, body, msg_id=msg_id, timestamp=now)
    listed = f"{wrong['webhook-signature']} {good['webhook-signature']}"
    recorded(webhook(sandbox, "workday", {"content": body, "headers": {**good, "webhook-signature": listed}}))


def _greenhouse_refused(sandbox: Sandbox, signature: str | None) -> None:
    body = compact_greenhouse()
    headers = {**JSON, **({"Signature": signature} if signature is not None else {})}
    response = webhook(sandbox, "greenhouse", {"content": body, "headers": headers})
    assert response.status_code == 401, (signature, response.status_code)


def _good(body: bytes) -> str:
    return greenhouse_signature(GREENHOUSE_SECRET, body)


@probe("SIG-004", "missing")
def _(sandbox: Sandbox) -> None:
    _greenhouse_refused(sandbox, None)
    body = workday_body()
    headers = {k: v for k, v in workday(body)["headers"].items() if k != "webhook-signature"}
    assert webhook(sandbox, "workday", {"content": body, "headers": headers}).status_code == 401


@probe("SIG-004", "malformed")
def _(sandbox: Sandbox) -> None:
    for signature in ("sha256", "sha256 " + "zz" * 32, "not-a-signature"):
        _greenhouse_refused(sandbox, signature)


@probe("SIG-004", "wrong-secret")
def _(sandbox: Sandbox) -> None:
    body = compact_greenhouse()
    for secret in ("another-secret", LEVER_SECRET):
        headers = greenhouse_headers(secret, body)
        assert webhook(sandbox, "greenhouse", {"content": body, "headers": headers}).status_code == 401, secret


@probe("SIG-004", "truncated")
def _(sandbox: Sandbox) -> None:
    body = compact_greenhouse()
    headers = {**JSON, "Signature": _good(body)[:15]}
    assert webhook(sandbox, "greenhouse", {"content": body, "headers": headers}).status_code == 401


@probe("SIG-004", "altered")
def _(sandbox: Sandbox) -> None:
    body = compact_greenhouse()
    good = _good(body)
    for index in (7, len(good) - 1):
        altered = good[:index] + ("0" if good[index] != "0" else "1") + good[index + 1 :]
        response = webhook(sandbox, "greenhouse", {"content": body, "headers": {**JSON, "Signature": altered}})
        assert response.status_code == 401, index


@probe("SIG-004", "nothing-recorded", needs=("greenhouse",))
def _(sandbox: Sandbox) -> None:
    body = compact_greenhouse()
    forged = {"content": body, "headers": {**JSON, "Signature": "sha256 " + "0" * 64}}
    if refused(webhook(sandbox, "greenhouse", forged)):
        recorded(webhook(sandbox, "greenhouse", greenhouse(body)))


@probe("SIG-005", "greenhouse")
def _(sandbox: Sandbox) -> None:
    body = escaped_greenhouse()
    headers = greenhouse(body)["headers"]
    for altered in (body + b"\n", b" " + body, body.replace(b"Too Junior", b"Too Senior")):
        assert webhook(sandbox, "greenhouse", {"content": altered, "headers": headers}).status_code == 401


@probe("SIG-005", "workday")
def _(sandbox: Sandbox) -> None:
    body = workday_body()
    headers = workday(body)["headers"]
    for altered in (body + b"\n", body.replace(b"Insufficient", b"Strong")):
        assert webhook(sandbox, "workday", {"content": altered, "headers": headers}).status_code == 401


@probe("SIG-006", "workday-past")
def _(sandbox: Sandbox) -> None:
    response = webhook(sandbox, "workday", workday(workday_body(), timestamp=int(time.time()) - 400))
    assert response.status_code == 401


@probe("SIG-006", "workday-future")
def _(sandbox: Sandbox) -> None:
    response = webhook(sandbox, "workday", workday(workday_body(), timestamp=int(time.time()) + 400))
    assert response.status_code == 401


@probe("SIG-006", "lever-future")
def _(sandbox: Sandbox) -> None:
    ahead = int(time.time() * 1000) + 6 * 60_000
    assert webhook(sandbox, "lever", lever(lever_body(), triggered_at_ms=ahead)).status_code == 401


@probe("SIG-006", "lever-stale")
def _(sandbox: Sandbox) -> None:
    delivery = lever(lever_body(), triggered_at_ms=int(time.time() * 1000) - 25 * 3_600_000)
    assert webhook(sandbox, "lever", delivery).status_code == 401
    assert webhook(sandbox, "lever", delivery).status_code == 401


@probe("SIG-006", "lever-seen", needs=("lever",))
def _(sandbox: Sandbox) -> None:
    delivery = lever(lever_body(), triggered_at_ms=int(time.time() * 1000) - 23 * 3_600_000)
    ack = recorded(webhook(sandbox, "lever", delivery))
    sandbox.clock.offset += timedelta(hours=2)  # the retry arrives when the delivery is 25 hours old
    try:
        duplicate_of(webhook(sandbox, "lever", delivery), ack)
    finally:
        sandbox.clock.offset -= timedelta(hours=2)


def _ping() -> dict[str, Any]:
    return greenhouse(json.dumps({"action": "ping", "payload": {"web_hook_id": uuid.uuid4().int % 10**6}}).encode())


@probe("SIG-007", "exactly-200", needs=("greenhouse", "workday"))
def _(sandbox: Sandbox) -> None:
    assert webhook(sandbox, "greenhouse", _ping()).status_code == 200
    assert webhook(sandbox, "workday", workday(workday_body("JobApplication.Created"))).status_code == 200


@probe("SIG-007", "ignored-flag", needs=("greenhouse",))
def _(sandbox: Sandbox) -> None:
    response = webhook(sandbox, "greenhouse", _ping())
    if response.is_success:
        assert response.json().get("ignored") is True


@probe("SIG-007", "nothing-recorded", needs=("greenhouse",))
def _(sandbox: Sandbox) -> None:
    body = compact_greenhouse(rejected_at="2026-11-01T10:00:00Z")
    job_created = body.replace(b'"action":"reject_candidate"', b'"action":"job_created"')
    if webhook(sandbox, "greenhouse", greenhouse(job_created)).is_success:
        recorded(webhook(sandbox, "greenhouse", greenhouse(body)))


# -- IDEM --------------------------------------------------------------------------------------------


def _twice(sandbox: Sandbox) -> tuple[dict[str, Any], httpx.Response]:
    body = decision_body()
    first = sandbox.post("/decision-event", json=body)
    assert first.status_code == 201
    return first.json(), sandbox.post("/decision-event", json=body)


@probe("IDEM-001", "conflict")
def _(sandbox: Sandbox) -> None:
    assert _twice(sandbox)[1].status_code == 409


@probe("IDEM-001", "code")
def _(sandbox: Sandbox) -> None:
    again = _twice(sandbox)[1]
    if again.status_code == 409:
        assert again.json().get("code") == "duplicate_event"


@probe("IDEM-001", "original-id")
def _(sandbox: Sandbox) -> None:
    original, again = _twice(sandbox)
    if again.status_code == 409:
        assert again.json().get("decisionEventId") == original["decisionEventId"]


@probe("IDEM-001", "instant")
def _(sandbox: Sandbox) -> None:
    body = decision_body(decisionTimestamp="2026-11-02T10:00:00Z")
    assert sandbox.post("/decision-event", json=body).status_code == 201
    if sandbox.post("/decision-event", json=body).status_code != 409:
        return  # no duplicate is recognised at all: that is `conflict`
    for written in ("2026-11-02T10:00:00+00:00", "2026-11-02T05:00:00-05:00"):
        assert sandbox.post("/decision-event", json={**body, "decisionTimestamp": written}).status_code == 409


def _keyed(sandbox: Sandbox, body: dict[str, Any], key: str, content: bytes | None = None) -> httpx.Response:
    sent = content if content is not None else json.dumps(body).encode()
    return sandbox.post("/decision-event", content=sent, headers={"Idempotency-Key": key, **JSON})


@probe("IDEM-002", "replay")
def _(sandbox: Sandbox) -> None:
    body, key = decision_body(), uuid.uuid4().hex
    first, replay = _keyed(sandbox, body, key), _keyed(sandbox, body, key)
    assert replay.status_code == first.status_code == 201
    assert replay.headers.get("idempotent-replayed") == "true"
    assert replay.json() == first.json()


@probe("IDEM-002", "json-values")
def _(sandbox: Sandbox) -> None:
    body, key = decision_body(), uuid.uuid4().hex
    first = _keyed(sandbox, body, key)
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2).encode()
    replay = _keyed(sandbox, body, key, content=reordered)
    assert replay.status_code == 201 and replay.json()["decisionEventId"] == first.json()["decisionEventId"]


@probe("IDEM-002", "different-body")
def _(sandbox: Sandbox) -> None:
    key, other = uuid.uuid4().hex, decision_body()
    _keyed(sandbox, decision_body(), key)
    assert _keyed(sandbox, other, key).status_code == 422
    assert sandbox.post("/decision-event", json=other).status_code == 201


@probe("IDEM-002", "in-flight")
def _(sandbox: Sandbox) -> None:
    """A request whose body is still arriving, and another with its key meanwhile: the second is
    answered 409 (the first is in flight) or processed (the first had claimed nothing yet), never 422."""
    key, body = uuid.uuid4().hex, json.dumps(decision_body()).encode()
    release = asyncio.Event()

    async def slowly() -> AsyncIterator[bytes]:
        yield body[:10]
        await release.wait()
        yield body[10:]

    async def both() -> tuple[httpx.Response, httpx.Response]:
        headers = {"Authorization": f"Bearer {KEY}", "Idempotency-Key": key, **JSON}
        first = asyncio.ensure_future(sandbox.client.post(BASE + "/decision-event", headers=headers, content=slowly()))
        await asyncio.sleep(0.01)
        second = await sandbox.client.post(BASE + "/decision-event", headers=headers, content=body)
        release.set()
        return await first, second

    first, second = sandbox._runner.run(both())
    assert second.status_code in (201, 409), second.status_code
    assert first.status_code in (201, 409)


@probe("IDEM-002", "environment")
def _(sandbox: Sandbox) -> None:
    body, key = decision_body(), uuid.uuid4().hex
    first = _keyed(sandbox, body, key)
    live = sandbox.post("/decision-event", json=body, key=KEY_LIVE, headers={"Idempotency-Key": key})
    assert live.status_code == 201 and "idempotent-replayed" not in live.headers
    assert live.json()["decisionEventId"] != first.json()["decisionEventId"]


def _originals(responses: list[httpx.Response]) -> int:
    return sum(1 for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers)


@probe("IDEM-003", "natural-key")
def _(sandbox: Sandbox) -> None:
    if _twice(sandbox)[1].status_code != 409:
        return  # not even a duplicate sent after the first is recognised: that is IDEM-001 `conflict`
    content = json.dumps(decision_body()).encode()
    headers = {"Authorization": f"Bearer {KEY}", **JSON}
    responses = together(sandbox, [("POST", "/decision-event", {"content": content, "headers": headers})] * 8)
    assert _originals(responses) == 1, [r.status_code for r in responses]


@probe("IDEM-003", "idempotency-key")
def _(sandbox: Sandbox) -> None:
    content = json.dumps(decision_body()).encode()
    headers = {"Authorization": f"Bearer {KEY}", "Idempotency-Key": uuid.uuid4().hex, **JSON}
    responses = together(sandbox, [("POST", "/decision-event", {"content": content, "headers": headers})] * 8)
    assert _originals(responses) == 1, [r.status_code for r in responses]


@probe("IDEM-004", "greenhouse-body", needs=("greenhouse",))
def _(sandbox: Sandbox) -> None:
    delivery = greenhouse(compact_greenhouse())
    ack = recorded(webhook(sandbox, "greenhouse", delivery))
    duplicate_of(webhook(sandbox, "greenhouse", delivery), ack)


@probe("IDEM-004", "greenhouse-event-id", needs=("greenhouse",))
def _(sandbox: Sandbox) -> None:
    event_id = uuid.uuid4().hex
    ack = recorded(webhook(sandbox, "greenhouse", greenhouse(compact_greenhouse(), event_id=event_id)))
    duplicate_of(webhook(sandbox, "greenhouse", greenhouse(compact_greenhouse(), event_id=event_id)), ack)


@probe("IDEM-004", "lever-token", needs=("lever",))
def _(sandbox: Sandbox) -> None:
    signed = lever_sign_body(LEVER_SECRET, lever_body())
    ack = recorded(webhook(sandbox, "lever", {"json": signed}))
    altered = {**signed, "data": {**signed["data"], "candidateId": str(uuid.uuid4())}}
    duplicate_of(webhook(sandbox, "lever", {"json": altered}), ack)


@probe("IDEM-004", "workday-id", needs=("workday",))
def _(sandbox: Sandbox) -> None:
    body, msg_id, now = workday_body(), f"msg_{uuid.uuid4().hex}", int(time.time())
    ack = recorded(webhook(sandbox, "workday", workday(body, msg_id=msg_id, timestamp=now - 10)))
    duplicate_of(webhook(sandbox, "workday", workday(body, msg_id=msg_id, timestamp=now)), ack)


@probe("IDEM-004", "original-ids", needs=("workday",))
def _(sandbox: Sandbox) -> None:
    delivery = workday(workday_body())
    ack = recorded(webhook(sandbox, "workday", delivery))
    again = webhook(sandbox, "workday", delivery).json()
    assert (again.get("decisionEventId"), again.get("explanationId")) == (ack["decisionEventId"], ack["explanationId"])


@probe("IDEM-005", "events", needs=("workday",))
def _(sandbox: Sandbox) -> None:
    event = created(sandbox)
    ack = recorded(webhook(sandbox, "workday", delivery := workday(workday_body())))
    sandbox.restart()
    assert sandbox.get(f"/decision-events/{event['decisionEventId']}").status_code == 200
    duplicate_of(webhook(sandbox, "workday", delivery), ack)


@probe("IDEM-005", "idempotency-keys")
def _(sandbox: Sandbox) -> None:
    body, key = decision_body(), uuid.uuid4().hex
    _keyed(sandbox, body, key)
    sandbox.restart()
    assert _keyed(sandbox, body, key).headers.get("idempotent-replayed") == "true"


# -- EVT ---------------------------------------------------------------------------------------------


def not_a_crash(response: httpx.Response) -> bool:
    """A 5xx is EVT-001 `no-server-error`'s to report, whatever else the request was about."""
    return response.status_code < 500


@probe("EVT-001", "malformed-json")
def _(sandbox: Sandbox) -> None:
    for content in (b"{", b'{"a": 1,}', b"\xff\xfe"):
        response = sandbox.post("/decision-event", content=content, headers=JSON)
        assert response.status_code == 400 or not not_a_crash(response), content


@probe("EVT-001", "media-type")
def _(sandbox: Sandbox) -> None:
    body = decision_body()
    for content_type in ("text/plain", None):
        headers = {"Content-Type": content_type} if content_type else {}
        response = sandbox.post("/decision-event", content=json.dumps(body).encode(), headers=headers)
        assert response.status_code == 415, content_type
    charset = {"Content-Type": "application/json; charset=utf-8"}
    assert sandbox.post("/decision-event", content=json.dumps(body).encode(), headers=charset).status_code == 201


@probe("EVT-001", "too-large")
def _(sandbox: Sandbox) -> None:
    content = json.dumps(decision_body()).encode()
    padded = content[:-1] + b" " * (256 * 1024 + 1 - len(content)) + b"}"
    assert sandbox.post("/decision-event", content=padded, headers=JSON).status_code == 413


@probe("EVT-001", "schema")
def _(sandbox: Sandbox) -> None:
    for bad in ({"candidateName": "Zoe"}, {"decision": "maybe"}, {"decisionFactors": None}):
        response = sandbox.post("/decision-event", json={**decision_body(), **bad})
        assert response.status_code == 422 or not not_a_crash(response), bad


@probe("EVT-001", "problem-details")
def _(sandbox: Sandbox) -> None:
    for content, headers in ((b"{", JSON), (b"{}", {"Content-Type": "text/plain"}), (b"{}", JSON)):
        response = sandbox.post("/decision-event", content=content, headers=headers)
        assert response.headers["content-type"].startswith("application/problem+json"), response.status_code


@probe("EVT-001", "no-server-error")
def _(sandbox: Sandbox) -> None:
    wrong_type = {**decision_body(), "decisionFactors": [{"factor": 1, "value": [], "weight": "x", "contribution": 2}]}
    for options in ({"content": b"{", "headers": JSON}, {"content": b"\xff", "headers": JSON}, {"json": wrong_type}):
        assert sandbox.post("/decision-event", **options).status_code < 500, options


def served_errors(sandbox: Sandbox, component: str, instance: Any) -> list[str]:
    """What the OpenAPI document the sandbox serves says is wrong with `instance` as `component`."""
    document = sandbox.get("/openapi.json", key=None).json()
    validator = schemas.ecma_validator({**document, "$ref": f"#/components/schemas/{component}"}, schemas.registry())
    return [error.message for error in validator.iter_errors(instance)]


@probe("EVT-002", "contract-schemas")
def _(sandbox: Sandbox) -> None:
    from nyc_hiring.schemas import contract

    event = created(sandbox, decisionFactors=[])
    assert contract.first_error("decision-event-created", event) is None
    record = sandbox.get(f"/decision-events/{event['decisionEventId']}").json()
    assert contract.first_error("decision-event-record", record) is None


@probe("EVT-002", "served-openapi", needs=("workday",))
def _(sandbox: Sandbox) -> None:
    def posted(**options: Any) -> tuple[str, Any]:
        response = sandbox.post("/decision-event", **options)
        return ("Problem" if response.status_code >= 400 else "DecisionEventResponse"), response.json()

    body = decision_body(requestExplanation=True, decisionFactors=[])
    event = sandbox.post("/decision-event", json=body).json()
    answers = [
        ("DecisionEventResponse", event),
        posted(json=decision_body()),
        ("DecisionEventRecord", sandbox.get(f"/decision-events/{event['decisionEventId']}").json()),
        ("Explanation", sandbox.get(f"/explanations/{event['explanationId']}").json()),
        posted(json=body),
        posted(content=b"{", headers=JSON),
        posted(json=decision_body(), headers={"Authorization": "Basic x"}),
        ("Problem", webhook(sandbox, "greenhouse", {"content": b"{}", "headers": {**JSON, "Signature": "sha"}}).json()),
    ]
    delivery = workday(workday_body())
    answers += [("WebhookAck", webhook(sandbox, "workday", delivery).json()) for _ in range(2)]
    answers.append(("WebhookAck", webhook(sandbox, "workday", workday(workday_body("JobApplication.Created"))).json()))
    for component, answer in answers:
        errors = served_errors(sandbox, component, answer)
        assert not errors, (component, errors[:2])


def _leaks(sandbox: Sandbox) -> str:
    responses = [
        sandbox.post("/decision-event", content=b"{", headers=JSON),
        sandbox.get("/decision-events/de_' OR '1'='1"),
        sandbox.get("/explanations/ex_missing"),
        webhook(sandbox, "greenhouse", {"content": b"{}", "headers": {**JSON, "Signature": "sha256 zz"}}),
    ]
    return "\n".join(r.text + " ".join(r.headers.values()) for r in responses)


@probe("EVT-003", "stack-trace")
def _(sandbox: Sandbox) -> None:
    assert "Traceback" not in _leaks(sandbox)


@probe("EVT-003", "file-path")
def _(sandbox: Sandbox) -> None:
    text = _leaks(sandbox)
    assert ".py:" not in text and "/reference_server/" not in text


@probe("EVT-003", "sql")
def _(sandbox: Sandbox) -> None:
    text = _leaks(sandbox)
    assert "SELECT " not in text and "sqlite3." not in text


@probe("EVT-003", "secret")
def _(sandbox: Sandbox) -> None:
    text = _leaks(sandbox)
    hash_key = sandbox.app.state.keyring.candidate_hash_key.hex()
    server_secrets = (GREENHOUSE_SECRET, LEVER_SECRET, WORKDAY_SECRET, hash_key)
    assert not any(secret in text for secret in server_secrets)


@probe("EVT-004", "fields")
def _(sandbox: Sandbox) -> None:
    body = decision_body(jobTitle="Analyst", candidateLocale="en-GB", aedtRole="sole")
    event = sandbox.post("/decision-event", json=body).json()
    record = sandbox.get(f"/decision-events/{event['decisionEventId']}").json()
    for name, sent in body.items():
        if name != "candidateIdRaw":
            assert json.dumps(record.get(name), sort_keys=True) == json.dumps(sent, sort_keys=True), name


@probe("EVT-004", "no-raw-id")
def _(sandbox: Sandbox) -> None:
    body = decision_body()
    event = sandbox.post("/decision-event", json=body).json()
    response = sandbox.get(f"/decision-events/{event['decisionEventId']}")
    assert "candidateIdRaw" not in response.json() and body["candidateIdRaw"] not in response.text


# -- EXPL --------------------------------------------------------------------------------------------


@probe("EXPL-001", "present")
def _(sandbox: Sandbox) -> None:
    event = created(sandbox, requestExplanation=True, jobTitle="Data Analyst")
    message = event["candidateMessage"] or {}
    assert event["explanationId"] and message.get("subject") and message.get("body") and event["internalMemo"]


@probe("EXPL-001", "served-same")
def _(sandbox: Sandbox) -> None:
    event = created(sandbox, requestExplanation=True)
    served = sandbox.get(f"/explanations/{event['explanationId']}").json()
    assert served["candidateMessage"] == event["candidateMessage"]
    assert not event["internalMemo"] or served["internalMemo"] == event["internalMemo"]


@probe("EXPL-002", "null")
def _(sandbox: Sandbox) -> None:
    event = created(sandbox)
    assert (event["explanationId"], event["candidateMessage"], event["internalMemo"]) == (None, None, None)


@probe("EXPL-002", "nothing-generated")
def _(sandbox: Sandbox) -> None:
    event = created(sandbox)
    assert sandbox.get(f"/decision-events/{event['decisionEventId']}").json()["explanationId"] is None


@probe("EXPL-003", "generated", needs=("workday",))
def _(sandbox: Sandbox) -> None:
    assert recorded(webhook(sandbox, "workday", workday(workday_body())))["explanationId"]


@probe("EXPL-003", "retrievable", needs=("workday",))
def _(sandbox: Sandbox) -> None:
    ack = recorded(webhook(sandbox, "workday", workday(workday_body())))
    if ack["explanationId"]:
        assert sandbox.get(f"/explanations/{ack['explanationId']}").status_code == 200


# -- MSG and MEMO: the harness's rules over a spread of explanations ----------------------------------

# Decisions around the sandbox profile's dates: notice 2026-01-05 (ten business days later is
# 2026-01-20, as 2026-01-19 is Martin Luther King Jr. Day) and bias audit 2026-06-01.
BOUNDARY_DATES = (
    "2026-01-16T15:00:00Z",
    "2026-01-19T15:00:00Z",
    "2026-01-20T15:00:00Z",
    "2026-05-29T15:00:00Z",
    "2026-06-02T15:00:00Z",
)
MANY_FACTORS = [
    {"factor": name, "value": value, "weight": weight, "contribution": contribution}
    for name, value, weight, contribution in (
        ("years_experience", 3, 0.05, "negative"),
        ("technical_score", 0.82, 0.3, "positive"),
        ("python_proficiency", "advanced", 1, "neutral"),
        ("communication_skills", True, 0, "negative"),
        ("team_leadership", 57, 0.07, "positive"),
        ("english_fluency", "B2", 0.25, "neutral"),
        ("typing_speed", 61.5, 0.6, "negative"),
        ("portfolio_review", False, 0.9, "positive"),
    )
]


def sample_requests() -> list[dict[str, Any]]:
    protected = [
        {"factor": "age", "value": 52, "weight": 0.2, "contribution": "negative"},
        {"factor": "zip_code", "value": "10027", "weight": 0.1, "contribution": "negative"},
        {"factor": "years_experience", "value": 2, "weight": 0.7, "contribution": "negative"},
    ]
    naive = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    bodies = [
        {},
        {"decision": "advance", "jobTitle": "Data Analyst"},
        {"decision": "hire", "jobTitle": "Product Designer"},
        {"decision": "hold", "jobTitle": "Warehouse Associate"},
        {"decisionFactors": protected},
        {"decisionFactors": [], "jobTitle": "Accountant"},
        {"decisionFactors": MANY_FACTORS, "jobTitle": "Engineer"},
        {"decisionTimestamp": naive},
        *({"decisionTimestamp": stamp} for stamp in BOUNDARY_DATES),
    ]
    return [_decision_body(**overrides) for overrides in bodies]


Sample = tuple[dict[str, Any] | None, dict[str, Any], dict[str, Any], list[str] | None]


def samples(sandbox: Sandbox) -> list[Sample]:
    """(request or None, message, memo, the response's complianceFlags) of every sample; made once per sandbox."""
    cached: list[Sample] | None = getattr(sandbox, "_samples", None)
    if cached is not None:
        return cached
    found: list[Sample] = []
    for body in sample_requests():
        event = sandbox.post("/decision-event", json=body).json()
        found.append(
            (body, event.get("candidateMessage") or {}, event.get("internalMemo") or {}, event.get("complianceFlags"))
        )
    for source, delivery in (("greenhouse", greenhouse(greenhouse_body())), ("workday", workday(workday_body()))):
        explanation_id = webhook(sandbox, source, delivery).json().get("explanationId")
        served = sandbox.get(f"/explanations/{explanation_id}").json() if explanation_id else {}
        if served.get("internalMemo"):
            found.append((None, served["candidateMessage"], served["internalMemo"], None))
    sandbox._samples = found  # type: ignore[attr-defined]
    return found


def findings(sandbox: Sandbox, requirement: str) -> set[Clause]:
    """Every (requirement, clause) the harness's rule for one requirement finds in the samples.

    One rule, not all of them: a rule reports its own requirement only (test_message_corpus checks that
    nothing foreign is found), and a fault's sandbox is probed for one clause: every rule there is wasted.
    """
    cache: dict[str, set[Clause]] = sandbox.__dict__.setdefault("_findings", {})
    if requirement in cache:
        return cache[requirement]
    context = CheckContext()
    message_rule, memo_rule = MESSAGE_RULES.get(requirement), MEMO_RULES.get(requirement)
    found: set[Clause] = set()
    for request, message, memo, _ in samples(sandbox):
        if not message or not memo:
            continue  # an explanation left out is EXPL-001's; the rules judge the ones written
        if message_rule is not None:
            found.update((f.requirement, f.clause) for f in message_rule(message, memo, request, context))
        if memo_rule is not None:
            found.update((f.requirement, f.clause) for f in memo_rule(memo, request, message, context))
    cache[requirement] = found
    return found


def _by_rules(requirement: str, clause: str) -> Probe:
    def check(sandbox: Sandbox) -> None:
        assert (requirement, clause) not in findings(sandbox, requirement), (
            f"the harness's rules find {requirement} {clause}"
        )

    return check


def _assessed(body: str) -> list[str]:
    """The qualifications the message lists as assessed, without their possessive ("your ...")."""
    paragraph = next((p for p in body.split("\n\n") if p.startswith("The tool looked at these things")), "")
    return [_unowned(line[2:].rstrip(".")) for line in paragraph.split("\n")[1:]]


def _unowned(phrase: str) -> str:
    return phrase.lower().removeprefix("your ").removeprefix("the applicant's ")


def traceable(sandbox: Sandbox) -> None:
    """Every qualification the message lists as assessed is the plain-words phrase of a factor."""
    for request, message, memo, _ in samples(sandbox):
        factors = (request or memo).get("decisionFactors") or []
        phrases = {_unowned(phrase_for(f["factor"])) for f in factors}
        phrases |= {f["factor"].replace("_", " ") for f in factors}
        untraced = [line for line in _assessed(message.get("body", "")) if line not in phrases]
        assert not untraced, untraced


def response_flags(sandbox: Sandbox) -> None:
    """The memo's timing flags are in the response's complianceFlags too."""
    for _, _, memo, flags in samples(sandbox):
        if flags is not None:
            timing = {"notice_too_late", "bias_audit_expired"} & set(memo.get("complianceFlags") or ())
            assert timing <= set(flags), (timing, flags)


OWN_PROBES = {("MSG-002", "traceable"): traceable, ("MEMO-003", "response-flags"): response_flags}


def _register_rules(catalog: dict[str, list[str]]) -> None:
    for requirement, clauses in catalog.items():
        for clause in clauses:
            PROBES[(requirement, clause)] = OWN_PROBES.get((requirement, clause)) or _by_rules(requirement, clause)


_register_rules(
    {
        "MSG-001": ["phrase", "before-acronym"],
        "MSG-002": ["named", "traceable"],
        "MSG-003": ["instructions", "contact"],
        "MSG-004": ["data-types", "data-source", "retention"],
        "MSG-005": ["audit-link"],
        "MSG-006": ["scores", "factor-numbers", "internals"],
        "MSG-007": ["protected", "zip-code"],
        "MSG-008": ["raw-id", "internal-ids"],
        "MSG-009": ["residue"],
        "MSG-010": ["non-empty", "length", "names"],
        "MSG-011": ["outcome", "reasons", "review"],
        "MSG-012": ["grade", "sentences", "you"],
        "MSG-013": ["claims"],
        "MEMO-001": ["every-factor", "exact"],
        "MEMO-002": ["fields", "values"],
        "MEMO-003": [
            "notice",
            "audit",
            "notice-too-late",
            "holidays",
            "audit-too-old",
            "audit-after-decision",
            "response-flags",
        ],
        "MEMO-004": ["message-hash"],
        "MEMO-005": ["flagged", "kept-out"],
    }
)
