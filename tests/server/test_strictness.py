"""Input read one way only: no repeated JSON keys, one Authorization header, well-formed timestamps; and
no key in any log line."""

from __future__ import annotations

import collections
import json
import logging
import sys
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from nyc_hiring import schemas
from nyc_hiring.harness.sandbox import SandboxProcess
from nyc_hiring.reference_server.logs import Redact, mask
from nyc_hiring.reference_server.models import TIMESTAMP_PATTERN

from .conftest import BASE, ENVIRONMENT, KEY, KEY_READONLY, Sandbox, decision_body, output_once
from .webhooks import greenhouse

# -- repeated keys ---------------------------------------------------------------------------------


def with_repeated(body: dict[str, object], name: str, first: object) -> str:
    """`body` as JSON with `name` written twice: `first`, then its own value."""
    text = json.dumps(body)
    return text.replace(f'"{name}":', f'"{name}": {json.dumps(first)}, "{name}":', 1)


def test_a_repeated_key_is_a_400_and_records_nothing(sandbox: Sandbox) -> None:
    body = decision_body()
    for content in (
        with_repeated(body, "decision", "banana"),
        with_repeated(body, "decisionFactors", []),
        json.dumps(body).replace('"weight": 0.3', '"weight": 0.3, "weight": 0.9'),
    ):
        response = sandbox.post("/decision-event", content=content, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, content
        assert response.json()["code"] == "malformed_json" and "repeats the key" in response.json()["detail"]
    assert sandbox.store.count_events() == 0
    assert sandbox.post("/decision-event", json=body).status_code == 201


def test_a_signed_webhook_with_a_repeated_key_is_a_400(sandbox: Sandbox) -> None:
    content = b'{"action": "hire_candidate", "action": "reject_candidate", "payload": {"application": {}}}'
    response = sandbox.post("/webhook/greenhouse", **greenhouse(content), key=None)
    assert response.status_code == 400 and response.json()["code"] == "malformed_json"
    assert sandbox.store.count_events() == 0


# -- Authorization -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "credentials",
    [(KEY, KEY), (KEY, "haiec_test_" + "z" * 40), ("haiec_test_" + "z" * 40, KEY), (KEY_READONLY, KEY)],
)
def test_more_than_one_authorization_header_is_a_401(sandbox: Sandbox, credentials: tuple[str, str]) -> None:
    headers = [("Authorization", f"Bearer {key}") for key in credentials]
    response = sandbox.post("/decision-event", json=decision_body(), headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "invalid_credentials"
    assert sandbox.get("/decision-events/de_" + "a" * 26, headers=headers).status_code == 401
    assert sandbox.store.count_events() == 0


# -- timestamps ------------------------------------------------------------------------------------

PATTERN = schemas.load("definitions")["$defs"]["decisionTimestamp"]["pattern"]
WELL_FORMED = [
    "2026-03-02T14:30:00.000Z",
    "2026-03-02T09:30:00-05:00",
    "2026-03-02T14:30:00.123456",
    "0001-01-01T00:00:00Z",
    "2026-12-31T23:59:59+14:00",
    "2026-02-31T10:00:00Z",
]
MALFORMED = [
    "2026-13-02T14:30:00Z",
    "2026-00-10T14:30:00Z",
    "2026-03-32T14:30:00Z",
    "2026-03-00T14:30:00Z",
    "2026-03-02T24:00:00Z",
    "2026-03-02T14:60:00Z",
    "2026-03-02T14:30:60Z",
    "2026-03-02T14:30:00+24:00",
    "2026-03-02T14:30:00+05:60",
    "0000-03-02T14:30:00Z",
]


def test_the_server_validates_timestamps_with_the_schemas_own_pattern() -> None:
    assert TIMESTAMP_PATTERN == PATTERN


def test_the_timestamp_pattern_admits_only_well_formed_dates() -> None:
    assert [value for value in WELL_FORMED if not schemas.pattern_matches(PATTERN, value)] == []
    assert [value for value in MALFORMED if schemas.pattern_matches(PATTERN, value)] == []


@pytest.mark.parametrize("timestamp", [*MALFORMED, "2026-02-31T10:00:00Z", "2025-02-29T10:00:00Z"])
def test_a_timestamp_that_is_no_date_is_a_422(sandbox: Sandbox, timestamp: str) -> None:
    response = sandbox.post("/decision-event", json=decision_body(decisionTimestamp=timestamp))
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/decisionTimestamp"


def test_most_generated_decision_events_reach_the_success_path(sandbox: Sandbox) -> None:
    """Schemathesis, generating from the OpenAPI document as any client of it would: a request it
    calls valid is refused only for what no pattern can say (a future instant, 31 February) or for
    repeating an earlier one (the same generated body, the same Idempotency-Key)."""
    sandbox.validate_responses = False
    # Literal values lifted from the app's own source would make generation depend on how the server is
    # written, not on its document; and schemathesis 4.32 can wrap one in a value it cannot hash.
    config = schemathesis.Config.from_dict(
        {
            "generation": {"mode": "positive", "with-security-parameters": False},
            "analysis": {"constants": {"enabled": False}},
        }
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", sandbox.app, config=config)
    operation = schema[f"{BASE}/decision-event"]["POST"]
    statuses: collections.Counter[int] = collections.Counter()

    @settings(
        max_examples=100,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def send(case: schemathesis.Case) -> None:
        statuses[case.call(headers={"Authorization": f"Bearer {KEY}"}).status_code] += 1

    send()
    total = sum(statuses.values())
    assert total >= 90 and not any(status >= 500 for status in statuses)
    assert statuses[201] >= 0.2 * total, statuses


# -- logs ------------------------------------------------------------------------------------------


def test_credentials_are_masked_in_messages_and_tracebacks() -> None:
    assert KEY not in mask(f"GET /health?api_key={KEY}") and "api_key=[redacted]" in mask(f"?api_key={KEY}")
    assert mask("Authorization: Bearer abc.def") == "Authorization: [redacted]"
    assert mask("(b'authorization', b'Basic dXNlcjpwYXNz')") == "(b'authorization', b'[redacted]')"
    try:
        raise ValueError(f"unexpected key {KEY}")
    except ValueError:
        record = logging.LogRecord("reference_server", logging.ERROR, __file__, 1, "failed %s", (KEY,), sys.exc_info())
    Redact().filter(record)
    text = logging.Formatter().format(record)
    assert KEY not in text and "haiec_test_[redacted]" in text and "ValueError" in text


@pytest.fixture(scope="module")
def logging_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    database = tmp_path_factory.mktemp("logs") / "logs.sqlite3"
    with SandboxProcess(database, credentials=ENVIRONMENT, extra_args=("--log-level", "debug")) as process:
        yield process


@pytest.mark.slow
def test_no_key_reaches_the_access_log(logging_server: SandboxProcess) -> None:
    root = logging_server.base_url.split("/api/")[0]
    assert httpx.get(f"{root}/health", params={"api_key": KEY}).status_code == 200
    url = f"{logging_server.base_url}/decision-event?access_token={KEY_READONLY}"
    assert httpx.post(url, json=decision_body(), headers={"Authorization": f"Bearer {KEY}"}).status_code == 201
    health = '"GET /health?[redacted] HTTP/1.1" 200'
    recorded = '"POST /api/v1/nyc-hiring/decision-event?[redacted] HTTP/1.1" 201'
    log = output_once(logging_server, lambda log: health in log and recorded in log)
    assert health in log
    assert recorded in log
    assert KEY[11:] not in log and KEY_READONLY[11:] not in log
