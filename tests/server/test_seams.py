"""The seams of `create_app`: every part a deployment may vary is an argument, and what is given is used."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nyc_hiring import schemas
from nyc_hiring.reference_server.app import create_app
from nyc_hiring.reference_server.auth import ALL_SCOPES, Principal
from nyc_hiring.reference_server.explanations import Decision, Explanation, generate_explanation
from nyc_hiring.reference_server.idempotency import IdempotencyKeys
from nyc_hiring.reference_server.problems import ProblemError
from nyc_hiring.reference_server.profile import EmployerProfile, load_profile
from nyc_hiring.reference_server.recording import NewDecision, Recorder
from nyc_hiring.reference_server.store import Store
from nyc_hiring.reference_server.timestamps import parse_timestamp
from nyc_hiring.reference_server.webhooks import SOURCES, VerifiedDelivery, WebhookDecision, WebhookSource
from nyc_hiring.reference_server.webhooks.common import Ignored

from .conftest import BASE, KEY, Sandbox, decision_body
from .webhooks import workday, workday_body


class Seams(Sandbox):
    """A sandbox whose app is built with the given `create_app` arguments."""

    def __init__(self, db_path: Path, **parts: Any) -> None:
        self.parts = parts
        super().__init__(db_path)
        self.validate_responses = False

    def build(self) -> Starlette:
        parts = {"profile": load_profile(), "clock": self.clock, **self.parts}
        store = parts.pop("store_class", Store)(self.db_path)
        if "idempotency_class" in parts:
            parts["idempotency"] = parts.pop("idempotency_class")(store, self.clock)
        return create_app(self.settings, store=store, **parts)


@pytest.fixture
def seams(tmp_path: Path) -> Iterator[Any]:
    built: list[Seams] = []

    def make(**parts: Any) -> Seams:
        built.append(Seams(tmp_path / f"seams{len(built)}.sqlite3", **parts))
        return built[-1]

    yield make
    for sandbox in built:
        sandbox.close()


def test_the_store_is_the_one_given(seams: Any) -> None:
    class Counting(Store):
        inserted = 0

        def insert_event(self, db: sqlite3.Connection, **columns: Any) -> None:
            type(self).inserted += 1
            super().insert_event(db, **columns)

    sandbox = seams(store_class=Counting)
    assert sandbox.post("/decision-event", json=decision_body()).status_code == 201
    assert isinstance(sandbox.store, Counting) and Counting.inserted == 1


def test_the_profile_is_the_one_given(seams: Any) -> None:
    profile = load_profile().model_copy(update={"name": "Acme Widgets"})
    body = seams(profile=profile).post("/decision-event", json=decision_body()).json()
    assert "Acme Widgets" in body["candidateMessage"]["body"]
    assert body["internalMemo"]["employer"]["name"] == "Acme Widgets"


def test_the_authenticator_is_the_one_given(seams: Any) -> None:
    def badge(authorization: str | None, scope: str) -> Principal:
        if authorization != "Badge 42":
            raise ProblemError(401, "missing_credentials", "Show your badge.")
        return Principal("badge-42", "test", ALL_SCOPES)

    sandbox = seams(authenticator=badge)
    created = sandbox.post("/decision-event", json=decision_body(), key=None, headers={"Authorization": "Badge 42"})
    assert created.status_code == 201
    assert sandbox.post("/decision-event", json=decision_body()).status_code == 401  # the API key means nothing here


def test_the_idempotency_protocol_is_the_one_given(seams: Any) -> None:
    claims: list[str] = []

    class Logged(IdempotencyKeys):
        def claim(self, environment: str, key: str, fingerprint: str) -> Any:
            claims.append(key)
            return super().claim(environment, key, fingerprint)

    sandbox = seams(idempotency_class=Logged)
    body = decision_body()
    for _ in range(2):
        sandbox.post("/decision-event", json=body, headers={"Idempotency-Key": "logged"})
    assert claims == ["logged", "logged"]


def test_the_explainer_is_the_one_given(seams: Any) -> None:
    def terse(decision: Decision, profile: EmployerProfile, now: datetime) -> Explanation:
        reference = generate_explanation(decision, profile, now)
        message = {**reference.candidate_message, "subject": "Your application"}
        return Explanation(message, reference.internal_memo, reference.compliance_flags)

    sandbox = seams(explainer=terse)
    created = sandbox.post("/decision-event", json=decision_body()).json()
    assert created["candidateMessage"]["subject"] == "Your application"
    served = sandbox.get(f"/explanations/{created['explanationId']}").json()
    assert served["candidateMessage"]["subject"] == "Your application"


def test_the_webhook_sources_are_the_ones_given(seams: Any) -> None:
    class Holds:
        """Workday's verification, with every decision read as a hold."""

        name = "workday"

        def verify(self, *args: Any) -> VerifiedDelivery:
            return SOURCES["workday"].verify(*args)

        def interpret(self, payload: dict[str, Any]) -> WebhookDecision | Ignored:
            outcome = SOURCES["workday"].interpret(payload)
            return (
                WebhookDecision(**{**outcome.__dict__, "decision": "hold"})
                if isinstance(outcome, WebhookDecision)
                else outcome
            )

    sources: Mapping[str, WebhookSource] = {"workday": Holds()}
    sandbox = seams(sources=sources)
    ack = sandbox.post("/webhook/workday", **workday(workday_body()), key=None).json()
    assert sandbox.get(f"/decision-events/{ack['decisionEventId']}").json()["decision"] == "hold"
    assert sandbox.post("/webhook/greenhouse", content=b"{}", key=None).status_code == 404


def test_the_openapi_document_is_the_one_given(seams: Any) -> None:
    document = {**schemas.openapi_document(), "info": {"title": "Acme's API", "version": "9"}}
    sandbox = seams(openapi=document)
    for path in ("/openapi.json", f"{BASE}/openapi.json"):
        assert sandbox.get(path, key=None).json()["info"]["title"] == "Acme's API"


class Stamp:
    """ASGI middleware adding a header to every answer."""

    def __init__(self, app: ASGIApp, value: str) -> None:
        self.app = app
        self.value = value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], (b"x-stamp", self.value.encode())]}
            await send(message)

        await self.app(scope, receive, stamped)


def test_middleware_wraps_the_routes_inside_the_error_handling(seams: Any) -> None:
    sandbox = seams(middleware=[Middleware(Stamp, value="seen")])
    assert sandbox.post("/decision-event", json=decision_body()).headers["x-stamp"] == "seen"
    problem = sandbox.post("/decision-event", content=b"{", headers={"Content-Type": "application/json"})
    assert problem.status_code == 400 and problem.headers["x-stamp"] == "seen"


def test_behind_a_path_prefix_locations_and_the_document_name_the_prefix(sandbox: Sandbox) -> None:
    async def under_prefix(scope: Scope, receive: Receive, send: Send) -> None:
        await sandbox.app({**scope, "root_path": "/acme"}, receive, send)

    async def requests() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=under_prefix)
        async with httpx.AsyncClient(transport=transport, base_url="http://prefixed.test") as client:
            auth = {"Authorization": f"Bearer {KEY}"}
            created = await client.post(f"/acme{BASE}/decision-event", json=decision_body(), headers=auth)
            read = await client.get(created.headers["location"], headers=auth)
            return created, read, await client.get("/acme/openapi.json")

    created, read, document = sandbox._runner.run(requests())
    assert created.headers["location"] == f"/acme{BASE}/decision-events/{created.json()['decisionEventId']}"
    assert read.status_code == 200
    assert document.json()["servers"] == [{"url": "/acme"}]
    assert "servers" not in sandbox.get("/openapi.json", key=None).json()  # at the root, the document as published


def test_the_recorder_writes_inside_the_callers_transaction(sandbox: Sandbox) -> None:
    recorder: Recorder = sandbox.app.state.recorder
    new = NewDecision(
        environment="test",
        source="api",
        candidate_id_raw="c-1",
        job_id_raw="j-1",
        decision="reject",
        decision_timestamp="2026-11-02T10:00:00Z",
        instant=parse_timestamp("2026-11-02T10:00:00Z"),
        factors=[],
        aedt_name="Tool",
        aedt_version="1",
        aedt_role="assisted",
        job_title=None,
        candidate_locale="en-US",
        request_explanation=True,
    )
    recorded = recorder.prepare(new)
    with pytest.raises(RuntimeError), sandbox.store.transaction() as db:
        recorder.write(db, recorded)
        raise RuntimeError("the caller's next step fails")
    assert sandbox.store.count_events() == 0  # rolled back with the caller's transaction
    with sandbox.store.transaction() as db:
        recorder.write(db, recorded)
    assert sandbox.get(f"/decision-events/{recorded.event_id}").json()["explanationId"] == recorded.explanation_id
