"""An in-process reference server per test, with known credentials and a clock the test can move."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from nyc_hiring import schemas
from nyc_hiring.harness.sandbox import SandboxProcess
from nyc_hiring.reference_server.app import create_app
from nyc_hiring.reference_server.config import Settings
from nyc_hiring.reference_server.credentials import ensure_credentials
from nyc_hiring.reference_server.profile import load_profile
from nyc_hiring.reference_server.store import Store

BASE = "/api/v1/nyc-hiring"
ROOT_PATHS = ("/health", "/openapi.json")
KEY = "haiec_test_" + "k" * 40
KEY_READONLY = "haiec_test_" + "r" * 40
KEY_LIVE = "haiec_live_" + "l" * 40
GREENHOUSE_SECRET = "gh_test_secret"
LEVER_SECRET = "lever_sig_token"
WORKDAY_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ENVIRONMENT = {
    "NYC_HIRING_API_KEY": KEY,
    "NYC_HIRING_API_KEY_READONLY": KEY_READONLY,
    "NYC_HIRING_API_KEY_LIVE": KEY_LIVE,
    "WEBHOOK_SECRET_GREENHOUSE": GREENHOUSE_SECRET,
    "WEBHOOK_SECRET_LEVER": LEVER_SECRET,
    "WEBHOOK_SECRET_WORKDAY": WORKDAY_SECRET,
}


@dataclass
class MovableClock:
    offset: timedelta = field(default_factory=timedelta)
    stopped_at: datetime | None = None  # a test at a window's edge stops it: real time would move the edge

    def __call__(self) -> datetime:
        return (self.stopped_at or datetime.now(UTC)) + self.offset


class Sandbox:
    """A synchronous facade over the ASGI app, so tests read as plain request/response steps."""

    def __init__(self, db_path: Path, **settings: Any) -> None:
        self.db_path = db_path
        self.clock = MovableClock()
        self.settings = Settings(db=db_path, **settings)
        with closing(Store(db_path)) as store:
            ensure_credentials(store, ENVIRONMENT)
        self._runner = asyncio.Runner()
        self.validate_responses = True
        self._start()

    def build(self) -> Starlette:
        """The app under test, on a store of its own: the reference."""
        return create_app(self.settings, store=Store(self.db_path), profile=load_profile(), clock=self.clock)

    def _start(self) -> None:
        self.app = self.build()
        self.store: Store = self.app.state.store
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://sandbox.test")

    def restart(self) -> None:
        """What a process restart does: every object dropped, the app built again from the database file."""
        self._runner.run(self.client.aclose())
        self.store.close()
        self._start()

    def request(self, method: str, path: str, *, key: str | None = KEY, **kwargs: Any) -> httpx.Response:
        headers = httpx.Headers(kwargs.pop("headers", None) or {})  # a list of pairs may repeat a name
        if key is not None and "authorization" not in headers:
            headers["Authorization"] = f"Bearer {key}"
        url = path if path.startswith(BASE) or path in ROOT_PATHS else BASE + path
        response = self._runner.run(self.client.request(method, url, headers=headers, **kwargs))
        if self.validate_responses:
            assert_response_matches_schemas(method, url, response)
        return response

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def close(self) -> None:
        self._runner.run(self.client.aclose())
        self._runner.close()
        self.store.close()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    server = Sandbox(tmp_path / "sandbox.sqlite3")
    yield server
    server.close()


def decision_body(**overrides: Any) -> dict[str, Any]:
    """The guide's direct-API example, with a unique candidate so tests never collide."""
    body: dict[str, Any] = {
        "candidateIdRaw": f"candidate_{uuid.uuid4().hex[:12]}",
        "jobIdRaw": "job_67890",
        "decision": "reject",
        "decisionTimestamp": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "decisionFactors": [
            {"factor": "years_experience", "value": 2, "weight": 0.3, "contribution": "negative"},
            {"factor": "technical_score", "value": 45, "weight": 0.4, "contribution": "negative"},
        ],
        "aedtName": "CustomATS AI",
        "aedtVersion": "1.0",
        "requestExplanation": True,
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not ...}


def response_schema(method: str, url: str, status: int) -> str | None:
    """EVT-002: the schema every response of the API must match, by operation and status."""
    if status >= 400:
        return "problem"
    if "/webhook/" in url:
        return "webhook-ack"
    if method == "POST" and url.endswith("/decision-event"):
        return "decision-event-response"
    if "/decision-events/" in url:
        return "decision-event-record"
    if "/explanations/" in url:
        return "explanation"
    return None


def assert_response_matches_schemas(method: str, url: str, response: httpx.Response) -> None:
    name = response_schema(method, url, response.status_code)
    if name is None:
        return
    expected_type = "application/problem+json" if name == "problem" else "application/json"
    assert response.headers["content-type"].startswith(expected_type), response.headers
    errors = sorted(schemas.validator(name).iter_errors(response.json()), key=str)
    assert not errors, f"{method} {url} {response.status_code} does not match {name}: {errors[0].message}"


def output_once(process: SandboxProcess, complete: Callable[[str], bool], timeout: float = 10.0) -> str:
    """The server's output so far, as soon as `complete` holds for it, or when `timeout` has passed.

    A reader thread collects what the server prints, so a line written a moment ago, an access log line
    for a request just answered say, may not have been read yet."""
    deadline = time.monotonic() + timeout
    while True:
        log = "\n".join(process.output)
        if complete(log) or time.monotonic() > deadline:
            return log
        time.sleep(0.02)
