"""EVT: validation and robustness (contract §§ 1-2 and § 3 EVT).

Each refused request carries one fault, so the expected status is exact. "Nothing was recorded" is
proven by sending the corrected request afterwards: a conforming deployment then answers 201 (or a
recorded webhook acknowledgement), not 409 or a duplicate. A request that gets no answer within the
client timeout fails the check as a hang, never as a harness error.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from harness import payloads
from harness.config import BASE_PATH
from harness.context import Conformance, expect_problem, expect_schema, expect_status, json_object
from harness.replay import Delivery
from harness.signing import greenhouse_headers, lever_sign_body, new_msg_id, standard_webhooks_headers

requirement = pytest.mark.requirement

MAX_BODY = 262_144  # 256 KiB: one byte more is a 413
JSON_TYPE = "application/json"
PROBLEM_TYPE = "application/problem+json"
WEBHOOK_SECRETS = {"greenhouse": "WEBHOOK_SECRET_GREENHOUSE", "lever": "WEBHOOK_SECRET_LEVER",
                   "workday": "WEBHOOK_SECRET_WORKDAY"}
CONTRACT_PATHS = ("/decision-event", "/decision-events/{}", "/explanations/{}", "/webhook/greenhouse",
                  "/webhook/lever", "/webhook/workday", "/health", "/openapi.json")
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
LEAK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a stack trace", re.compile(r"Traceback \(most recent call last\)")),
    ("a source file path", re.compile(r'File "[^"]*\.py", line \d+')),
    ("a source location", re.compile(r"\.py:\d+")),
    ("a database error", re.compile(r"sqlite3\.")),
    ("SQL", re.compile(r"\bSELECT |\bINSERT INTO\b")),
    ("a file path", re.compile(r"/home/|/usr/lib/|site-packages")),
)


# -- helpers ---------------------------------------------------------------------------------------


@contextmanager
def answered(conformance: Conformance) -> Iterator[None]:
    """Turn a timeout or a dropped connection into the one-line failure the report shows."""
    try:
        yield
    except httpx.TimeoutException:
        raise AssertionError(f"{_last_request(conformance)}: no answer within {conformance.run.config.timeout:g} s "
                             "(a hang; expected a 4xx problem)") from None
    except httpx.TransportError as exc:
        raise AssertionError(f"{_last_request(conformance)}: the connection failed ({type(exc).__name__}) "
                             "instead of an HTTP answer") from None


def _last_request(conformance: Conformance) -> str:
    """The request that got no answer (the client keeps failed exchanges too), as the report names it."""
    if not conformance.client.exchanges:
        return "the request"
    exchange = conformance.client.exchanges[-1]
    path = urlsplit(exchange.url).path.removeprefix(urlsplit(conformance.run.base_url).path)
    return f"{exchange.method} {path or '/'} ({len(exchange.request_body)} bytes)"


def expect_media_type(response: httpx.Response, expected: str, doing: str) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != expected:
        raise AssertionError(f"{doing}: expected Content-Type {expected}, got {media_type or 'none'}")


def expect_valid(response: httpx.Response, status: int, schema: str, doing: str) -> dict[str, Any]:
    """Status, media type and body schema of one response (EVT-002)."""
    expect_status(response, status, doing)
    expect_media_type(response, PROBLEM_TYPE if status >= 400 else JSON_TYPE, doing)
    body = json_object(response, doing)
    expect_schema(body, schema, doing)
    return body


def raw(body: Any) -> bytes:
    return json.dumps(body).encode()


def padded(content: bytes) -> bytes:
    """The same JSON object, whitespace-padded to one byte over the limit."""
    grown = content[:-1] + b" " * (MAX_BODY + 1 - len(content)) + content[-1:]
    assert len(grown) == MAX_BODY + 1 and content.endswith(b"}")
    return grown


def unknown_id(prefix: str) -> str:
    """Well-formed (wire-format.md) but never issued, so a 404 is about the ID, not its shape."""
    return prefix + "".join(secrets.choice(ID_ALPHABET) for _ in range(26))


def expect_not_recorded(conformance: Conformance, body: dict[str, Any], doing: str) -> None:
    """Had the refused request been recorded, the corrected one would be its natural-key duplicate."""
    expect_status(conformance.post_decision(body), 201,
                  f"{doing}; then the corrected request (a 409 means the refused one was recorded)")


def post_without_json_type(conformance: Conformance, content: bytes, content_type: str | None) -> httpx.Response:
    """`post_decision` always sends application/json; the media-type checks need another type, or none."""
    headers = {"Content-Type": content_type} if content_type else {}
    return conformance.client.post("/decision-event", key=conformance.key, headers=headers, content=content)


# -- EVT-001 ---------------------------------------------------------------------------------------


@requirement("EVT-001")
def test_malformed_json_is_400_and_records_nothing(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=False)
    content = raw(body)
    candidate = body["candidateIdRaw"].encode()
    cases = [
        ("a truncated body", content[: len(content) // 2]),
        ("non-UTF-8 bytes", content.replace(candidate, candidate + b"\xff\xfe")),
        ("a JSON array", raw([body])),
        ("a bare JSON string", b'"reject"'),
        ("an empty body", b""),
        ("a trailing comma", content[:-1] + b",}"),
        ("single-quoted strings", content.replace(b'"', b"'")),
    ]
    with answered(conformance):
        for label, bad in cases:
            expect_problem(conformance.post_decision(body, content=bad), 400, f"POST /decision-event with {label}")
        expect_not_recorded(conformance, body, "malformed bodies were refused")


@requirement("EVT-001")
def test_wrong_media_type_is_415_and_charset_is_accepted(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=False)
    with answered(conformance):
        for content_type in (None, "text/plain", "application/x-www-form-urlencoded"):
            shown = f"Content-Type: {content_type}" if content_type else "no Content-Type"
            expect_problem(post_without_json_type(conformance, raw(body), content_type), 415,
                           f"POST /decision-event (valid JSON) with {shown}")
        response = post_without_json_type(conformance, raw(body), "application/json; charset=utf-8")
    expect_status(response, 201, "POST /decision-event with Content-Type: application/json; charset=utf-8, after "
                  "the same body was refused under other media types (a 409 means one of those was recorded)")


@requirement("EVT-001")
def test_decision_event_over_256_kib_is_413_and_records_nothing(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=False)
    with answered(conformance):
        response = conformance.post_decision(body, content=padded(raw(body)))
        expect_problem(response, 413, f"POST /decision-event with a valid {MAX_BODY + 1}-byte body")
        expect_not_recorded(conformance, body, f"a {MAX_BODY + 1}-byte body was refused")


def signed_pair(source: str, secret: str) -> tuple[Delivery, Delivery]:
    """(oversized, compact) deliveries of one event: a redelivery of the compact one is a duplicate if the
    oversized one was recorded (same Greenhouse-Event-ID, Lever token and triggeredAt, Workday webhook-id)."""
    path = f"/webhook/{source}"
    if source == "greenhouse":
        compact, event_id = payloads.greenhouse(), payloads.unique("gh-event")
        big = padded(compact)
        return (Delivery(path, greenhouse_headers(secret, big, event_id), big),
                Delivery(path, greenhouse_headers(secret, compact, event_id), compact))
    if source == "lever":
        compact = raw(lever_sign_body(secret, payloads.lever()))
        headers = {"Content-Type": JSON_TYPE}
        return Delivery(path, headers, padded(compact)), Delivery(path, headers, compact)
    compact, msg_id = payloads.workday(), new_msg_id()
    big = padded(compact)
    return (Delivery(path, standard_webhooks_headers(secret, big, msg_id=msg_id), big),
            Delivery(path, standard_webhooks_headers(secret, compact, msg_id=msg_id), compact))


def send(conformance: Conformance, delivery: Delivery) -> httpx.Response:
    return conformance.client.post(delivery.path, headers=delivery.headers, content=delivery.body)


@requirement("EVT-001")
def test_webhook_deliveries_over_256_kib_are_413_and_record_nothing(conformance: Conformance) -> None:
    with answered(conformance):
        for source in ("greenhouse", "lever", "workday"):
            expect_oversized_delivery_refused(conformance, source)


def expect_oversized_delivery_refused(conformance: Conformance, source: str) -> None:
    secret = conformance.run.config.credential(WEBHOOK_SECRETS[source])
    doing = f"POST /webhook/{source} with a {MAX_BODY + 1}-byte body"
    if not secret:  # unsigned too: either fault may be reported
        big = padded(payloads.workday() if source == "workday" else payloads.greenhouse())
        expect_problem(conformance.webhook(source, big, {"Content-Type": JSON_TYPE}), (401, 413), doing)
        return
    oversized, compact = signed_pair(source, secret)
    expect_problem(send(conformance, oversized), 413, f"{doing}, correctly signed")
    response = send(conformance, compact)
    expect_status(response, 200, f"the same {source} event within the limit")
    ack = json_object(response, f"the same {source} event within the limit")
    assert not ack.get("duplicate") and not ack.get("ignored"), (
        f"after a refused {MAX_BODY + 1}-byte {source} delivery, the same event within the limit was answered "
        f"{json.dumps(ack)[:160]}: expected a newly recorded decision (the refused one was recorded)")


def _set_factor(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        body["decisionFactors"][0][field] = value
    return change


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        body[field] = value
    return change


def _future_timestamp() -> str:
    return (datetime.now(UTC) + timedelta(minutes=10)).isoformat(timespec="seconds").replace("+00:00", "Z")


SCHEMA_VIOLATIONS: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("an unknown field (candidateName)", _set("candidateName", "Zoe Porter")),
    ("a factor weight of 1.5", _set_factor("weight", 1.5)),
    ("a factor name not in snake_case (YearsExperience)", _set_factor("factor", "YearsExperience")),
    ("101 decision factors", _set("decisionFactors", [
        {"factor": f"skill_{i}", "value": i, "weight": 0.01, "contribution": "neutral"} for i in range(101)])),
    ("no decisionFactors", lambda body: body.pop("decisionFactors")),
    ('decision "maybe"', _set("decision", "maybe")),
    ('decisionTimestamp "yesterday"', _set("decisionTimestamp", "yesterday")),
    ('an empty candidateIdRaw ""', _set("candidateIdRaw", "")),
    ("a decisionTimestamp 10 minutes in the future", lambda body: body.update(decisionTimestamp=_future_timestamp())),
]


@requirement("EVT-001")
def test_schema_violations_are_422_and_record_nothing(conformance: Conformance) -> None:
    with answered(conformance):
        for label, change in SCHEMA_VIOLATIONS:
            body = payloads.decision_event(requestExplanation=False)
            bad = copy.deepcopy(body)
            change(bad)
            expect_problem(conformance.post_decision(bad), 422, f"POST /decision-event with {label}")
            expect_not_recorded(conformance, body, f"a request with {label} was refused")


# -- EVT-002 ---------------------------------------------------------------------------------------


@requirement("EVT-002")
def test_decision_event_responses_match_the_schemas(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=True)
    with answered(conformance):
        created = expect_valid(conformance.post_decision(body), 201, "decision-event-response",
                               "POST /decision-event with requestExplanation true")
        expect_valid(conformance.post_decision(payloads.decision_event(requestExplanation=False)), 201,
                     "decision-event-response", "POST /decision-event with requestExplanation false")
        expect_valid(conformance.post_decision(body), 409, "problem", "the same decision event again")
        expect_valid(conformance.read_event(created["decisionEventId"]), 200, "decision-event-record",
                     "GET /decision-events/{id}")
        expect_valid(conformance.read_explanation(created["explanationId"]), 200, "explanation",
                     "GET /explanations/{id}")


@requirement("EVT-002")
def test_error_responses_are_problem_details_matching_the_schema(conformance: Conformance) -> None:
    body = payloads.decision_event(requestExplanation=False)
    cases: list[tuple[str, int, Callable[[], httpx.Response]]] = [
        ("POST /decision-event with malformed JSON", 400, lambda: conformance.post_decision(body, content=b"{")),
        ("POST /decision-event without Authorization", 401, lambda: conformance.post_decision(body, key="")),
        ("POST /decision-event over 256 KiB", 413, lambda: conformance.post_decision(body, content=padded(raw(body)))),
        ("POST /decision-event as text/plain", 415,
         lambda: post_without_json_type(conformance, raw(body), "text/plain")),
        ("POST /decision-event with an unknown field", 422, lambda: conformance.post_decision({**body, "extra": 1})),
        ("GET /decision-events/{unknown ID}", 404, lambda: conformance.read_event(unknown_id("de_"))),
        ("GET /explanations/{unknown ID}", 404, lambda: conformance.read_explanation(unknown_id("ex_"))),
        ("POST /webhook/greenhouse with a wrong signature", 401, lambda: conformance.webhook(
            "greenhouse", payloads.greenhouse(), {"Content-Type": JSON_TYPE, "Signature": "sha256 " + "0" * 64})),
    ]
    readonly = conformance.run.config.credential("NYC_HIRING_API_KEY_READONLY")
    if readonly:
        cases.append(("POST /decision-event with a read-only key", 403,
                      lambda: conformance.post_decision(body, key=readonly)))
    with answered(conformance):
        for doing, status, send_request in cases:
            expect_valid(send_request(), status, "problem", doing)


def acknowledged_deliveries(conformance: Conformance) -> list[tuple[str, str, bytes]]:
    """(source, what, body) for each configured ATS: recorded, duplicate and ignored acknowledgements."""
    config = conformance.run.config
    deliveries: list[tuple[str, str, bytes]] = []
    if config.credential("WEBHOOK_SECRET_GREENHOUSE"):
        rejection = payloads.greenhouse()
        ping = raw({"action": "ping", "payload": {"web_hook_id": payloads.unique_number()}})
        deliveries += [("greenhouse", "a rejection", rejection), ("greenhouse", "the same rejection again", rejection),
                       ("greenhouse", "a ping", ping)]
    if config.credential("WEBHOOK_SECRET_LEVER"):
        deliveries.append(("lever", "an archived candidate", raw(payloads.lever())))
    if config.credential("WEBHOOK_SECRET_WORKDAY"):
        deliveries.append(("workday", "a disposition", payloads.workday()))
    return deliveries


@requirement("EVT-002")
def test_webhook_acknowledgements_match_the_schema(conformance: Conformance) -> None:
    deliveries = acknowledged_deliveries(conformance)
    if not deliveries:
        pytest.skip("set WEBHOOK_SECRET_GREENHOUSE, WEBHOOK_SECRET_LEVER or WEBHOOK_SECRET_WORKDAY to run this check")
    with answered(conformance):
        for source, what, body in deliveries:
            expect_valid(conformance.signed_webhook(source, body), 200, "webhook-ack",
                         f"POST /webhook/{source}, correctly signed: {what}")


def _path_shape(path: str) -> str:
    """Template parameter names are the document's choice: `{id}` and `{decisionEventId}` are one path."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def fetch_openapi(conformance: Conformance) -> tuple[str, httpx.Response]:
    """The document under the base path, else at the host root (the contract serves it at both)."""
    response = conformance.client.get("/openapi.json")
    if response.status_code == 200:
        return f"{BASE_PATH}/openapi.json", response
    parts = urlsplit(conformance.run.base_url)
    return "/openapi.json", conformance.client.get(f"{parts.scheme}://{parts.netloc}/openapi.json")


@requirement("EVT-002")
def test_openapi_document_is_openapi_3_1_listing_the_contract_paths(conformance: Conformance) -> None:
    with answered(conformance):
        where, response = fetch_openapi(conformance)
    expect_status(response, 200, f"GET {where}")
    document = json_object(response, f"GET {where}")
    version = document.get("openapi")
    assert isinstance(version, str) and version.startswith("3.1"), (
        f"GET {where}: expected an OpenAPI 3.1 document, got openapi={version!r}")
    listed = {_path_shape(path).removeprefix(BASE_PATH) for path in document.get("paths") or {}}
    missing = [path for path in CONTRACT_PATHS if path not in listed]
    assert not missing, f"GET {where}: the document does not list {', '.join(missing)}"


# -- EVT-003 ---------------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def hostile_requests(conformance: Conformance) -> list[tuple[str, Callable[[], httpx.Response]]]:
    """(label, send) for inputs that break careless parsers, validators and storage."""
    body = payloads.decision_event(requestExplanation=False)
    text = json.dumps(body)
    wrong_types = [{"factor": {"nested": [1, {"x": None}]}, "value": [1, 2], "weight": "heavy", "contribution": 7}]
    post = conformance.post_decision
    return [
        ("JSON nested 10,000 levels deep", lambda: post(body, content=(text[:-1] + ', "jobTitle": '
                                                                       + _nested(10_000) + "}").encode())),
        ("a 100 KB string value", lambda: post(payloads.decision_event(jobTitle="x" * 100_000))),
        ("a 100 KB factor value", lambda: post(payloads.decision_event(decisionFactors=[
            {"factor": "cover_letter", "value": "y" * 100_000, "weight": 0.5, "contribution": "neutral"}]))),
        ("NUL, bidi and emoji characters in IDs", lambda: post(payloads.decision_event(
            candidateIdRaw=payloads.unique("c\u0000\u202e\U0001f600"), jobIdRaw="job\u0000\u2028"))),
        ("a lone surrogate in an ID", lambda: post(payloads.decision_event(candidateIdRaw="cand\ud800idate"))),
        ("an invalid UTF-8 body", lambda: post(body, content=b'{"candidateIdRaw": "\xc3\x28\xa0\xa1"}')),
        ("a huge number 1e999", lambda: post(body, content=text.replace('"weight": 0.3', '"weight": 1e999').encode())),
        ("wrong-typed nested values", lambda: post(payloads.decision_event(decisionFactors=wrong_types))),
        ("decisionFactors as an object", lambda: post(payloads.decision_event(decisionFactors={"factor": "x"}))),
        ("a quote-laden event ID", lambda: conformance.read_event("de_' OR '1'='1")),
        ("an encoded NUL in an explanation ID", lambda: conformance.read_explanation("ex_%00%22")),
        ("a dot-dot explanation ID", lambda: conformance.read_explanation("..%2F..%2F..%2Fetc%2Fpasswd")),
        ("a Greenhouse body that is not JSON", lambda: conformance.webhook(
            "greenhouse", b"\xff{not json", {"Content-Type": JSON_TYPE, "Signature": "sha256 zz"})),
        *signed_hostile_webhooks(conformance),
    ]


def signed_hostile_webhooks(conformance: Conformance) -> list[tuple[str, Callable[[], httpx.Response]]]:
    """Correctly signed, so the deployment gets past verification and has to parse what it got."""
    config = conformance.run.config
    cases: list[tuple[str, str, bytes]] = [
        ("greenhouse", "a signed Greenhouse event with a string application",
         raw({"action": "reject_candidate", "payload": {"application": "x"}})),
        ("greenhouse", "a signed Greenhouse body nested 10,000 levels",
         ('{"action": ' + _nested(10_000) + "}").encode()),
        ("lever", "a signed Lever event with data as a list", raw({"event": "candidateHired", "data": [1]})),
        ("workday", "a signed Workday event with wrong-typed fields",
         raw({"eventType": "JobApplication.Hired", "eventId": 5, "jobApplication": {"candidate": []}})),
    ]
    return [(label, _signed_sender(conformance, source, content)) for source, label, content in cases
            if config.credential(WEBHOOK_SECRETS[source])]


def _signed_sender(conformance: Conformance, source: str, content: bytes) -> Callable[[], httpx.Response]:
    return lambda: conformance.signed_webhook(source, content)


def revealed(response: httpx.Response, secret_values: dict[str, str]) -> str | None:
    """What the response reveals, or None; a secret is named by its variable, never shown."""
    text = response.text + "\n" + "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    for label, pattern in LEAK_PATTERNS:
        match = pattern.search(text)
        if match:
            start = max(match.start() - 30, 0)
            return f"{label}: {' '.join(text[start:match.end() + 30].split())!r}"
    for name, value in secret_values.items():
        if value in text:
            return f"the value of ${name}"
    return None


@requirement("EVT-003")
def test_no_response_reveals_internals_or_secrets(conformance: Conformance) -> None:
    secret_values = conformance.run.config.secrets()
    with answered(conformance):
        for label, send_request in hostile_requests(conformance):
            response = send_request()
            leak = revealed(response, secret_values)
            assert leak is None, f"{label}: the {response.status_code} response reveals {leak}"
            assert response.status_code < 500, f"{label}: expected a 4xx (or success), got {response.status_code}"


# -- EVT-004 ---------------------------------------------------------------------------------------


def full_request() -> dict[str, Any]:
    """Every field of the request, optional ones at non-default values, factors of every value type."""
    offset = timezone(timedelta(hours=-5))
    return payloads.decision_event(
        decisionTimestamp=datetime.now(offset).isoformat(timespec="milliseconds"),
        decisionFactors=[
            {"factor": "years_experience", "value": 2, "weight": 0.3, "contribution": "negative"},
            {"factor": "assessment_band", "value": "B", "weight": 0.25, "contribution": "neutral"},
            {"factor": "portfolio_reviewed", "value": True, "weight": 0, "contribution": "positive"},
            {"factor": "typing_speed", "value": 61.5, "weight": 1, "contribution": "negative"},
        ],
        requestExplanation=True, jobTitle="Data Analyst", candidateLocale="en-GB", aedtRole="weighted_most",
    )


def expect_read_back(conformance: Conformance, body: dict[str, Any]) -> None:
    with answered(conformance):
        posted = conformance.post_decision(body)
        expect_status(posted, 201, "recording a valid decision event")
        created = json_object(posted, "POST /decision-event")
        event_id = created.get("decisionEventId")
        assert isinstance(event_id, str), f"POST /decision-event: expected a decisionEventId, got {posted.text[:160]}"
        response = conformance.read_event(event_id)
    expect_status(response, 200, f"GET /decision-events/{event_id} right after recording it")
    record = json_object(response, f"GET /decision-events/{event_id}")
    doing = f"GET /decision-events/{event_id}"
    assert "candidateIdRaw" not in record and body["candidateIdRaw"] not in response.text, (
        f"{doing}: the raw candidate ID appears in the response")
    for name, sent in body.items():
        if name == "candidateIdRaw":
            continue
        got = json.dumps(record[name], sort_keys=True) if name in record else "(absent)"
        expected = json.dumps(sent, sort_keys=True)
        assert got == expected, f"{doing}: {name} reads back as {got[:120]}, sent {expected[:120]}"
    assert record.get("candidateIdHash") == created.get("candidateIdHash"), (
        f"{doing}: candidateIdHash {record.get('candidateIdHash')!r}, the create response gave "
        f"{created.get('candidateIdHash')!r}")


@requirement("EVT-004")
def test_recorded_event_reads_back_with_every_field_as_sent(conformance: Conformance) -> None:
    expect_read_back(conformance, full_request())


@requirement("EVT-004")
def test_guide_example_reads_back_as_sent(conformance: Conformance) -> None:
    expect_read_back(conformance, payloads.decision_event())
