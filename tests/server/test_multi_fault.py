"""Every fault in one server: the correct app at the root, each fault's app under `/faults/<name>`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from nyc_hiring.harness.sandbox import SandboxProcess
from nyc_hiring.reference_server.config import Settings
from nyc_hiring.reference_server.credentials import ensure_credentials
from nyc_hiring.reference_server.faults import FAULTS
from nyc_hiring.reference_server.faults.multi import FaultServer
from nyc_hiring.reference_server.profile import load_profile
from nyc_hiring.reference_server.store import Store

from .conftest import BASE, ENVIRONMENT, KEY, decision_body
from .webhooks import workday, workday_body

AUTH = {"Authorization": f"Bearer {KEY}"}


class Client:
    """Synchronous requests to an ASGI app, on one event loop."""

    def __init__(self, app: Any) -> None:
        self.runner = asyncio.Runner()
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://faults.test")

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        return self.runner.run(self.client.request(method, url, **options))

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[FaultServer, Client]]:
    database = tmp_path / "sandbox.sqlite3"
    store = Store(database)
    ensure_credentials(store, ENVIRONMENT)
    app = FaultServer(Settings(db=database, faults="*"), store=store, profile=load_profile())
    client = Client(app)
    yield app, client
    client.close()
    app.close()


def test_the_root_serves_the_correct_app(server: tuple[FaultServer, Client]) -> None:
    _, client = server
    body = decision_body()
    assert client.request("POST", f"{BASE}/decision-event", json=body, headers=AUTH).status_code == 201
    assert client.request("POST", f"{BASE}/decision-event", json=body, headers=AUTH).status_code == 409


def test_each_fault_is_served_under_its_prefix_on_its_own_database(
    server: tuple[FaultServer, Client], tmp_path: Path
) -> None:
    app, client = server
    prefix = "/faults/no_dedup"
    assert not app.database("no_dedup").exists()  # created on first use
    assert client.request("GET", f"{prefix}/health").json()["status"] == "ok"
    assert app.database("no_dedup") == tmp_path / "sandbox.no_dedup.sqlite3" and app.database("no_dedup").exists()
    body = decision_body()
    first = client.request("POST", f"{prefix}{BASE}/decision-event", json=body, headers=AUTH)
    again = client.request("POST", f"{prefix}{BASE}/decision-event", json=body, headers=AUTH)
    assert (first.status_code, again.status_code) == (201, 201)  # the fault: no duplicate check
    location = first.headers["location"]
    assert location == f"{prefix}{BASE}/decision-events/{first.json()['decisionEventId']}"
    assert client.request("GET", location, headers=AUTH).status_code == 200
    assert (
        client.request("GET", f"{BASE}/decision-events/{first.json()['decisionEventId']}", headers=AUTH).status_code
        == 404
    )  # the root's database is another


def test_a_faults_app_serves_its_document_naming_its_prefix(server: tuple[FaultServer, Client]) -> None:
    _, client = server
    for path in ("/faults/ignored_202/openapi.json", f"/faults/ignored_202{BASE}/openapi.json"):
        document = client.request("GET", path).json()
        assert document["servers"] == [{"url": "/faults/ignored_202"}]
        assert "202" in document["paths"][f"{BASE}/webhook/workday"]["post"]["responses"]
    assert "servers" not in client.request("GET", "/openapi.json").json()


def test_the_faults_apps_share_the_main_credentials(server: tuple[FaultServer, Client]) -> None:
    _, client = server
    ack = client.request("POST", f"/faults/ignored_202{BASE}/webhook/workday", **workday(workday_body()))
    assert ack.status_code == 200 and ack.json()["status"] == "recorded"
    readonly = {"Authorization": f"Bearer {ENVIRONMENT['NYC_HIRING_API_KEY_READONLY']}"}
    response = client.request(
        "POST", f"/faults/ignored_202{BASE}/decision-event", json=decision_body(), headers=readonly
    )
    assert response.status_code == 403


def test_the_faults_are_listed_and_unknown_ones_are_404(server: tuple[FaultServer, Client]) -> None:
    _, client = server
    listed = client.request("GET", "/faults").json()
    assert set(listed) == set(FAULTS)
    assert listed["msg_no_reasons"] == {
        "requirement": "MSG-011",
        "clause": "reasons",
        "description": FAULTS["msg_no_reasons"].description,
    }
    missing = client.request("GET", f"/faults/no_such_fault{BASE}/health")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_a_restart_rebuilds_the_app_from_its_database(server: tuple[FaultServer, Client]) -> None:
    app, client = server
    kept, lost = "/faults/no_dedup", "/faults/events_in_memory"
    events = {
        prefix: client.request("POST", f"{prefix}{BASE}/decision-event", json=decision_body(), headers=AUTH).json()[
            "decisionEventId"
        ]
        for prefix in (kept, lost)
    }
    before = app.apps["events_in_memory"]
    for prefix in (kept, lost):
        restarted = client.request("POST", f"{prefix}/restart")
        assert restarted.status_code == 200 and restarted.json()["status"] == "restarted"
    assert app.apps["events_in_memory"] is not before
    assert client.request("GET", f"{kept}{BASE}/decision-events/{events[kept]}", headers=AUTH).status_code == 200
    # what the fault kept in memory is gone, exactly as after a process restart
    assert client.request("GET", f"{lost}{BASE}/decision-events/{events[lost]}", headers=AUTH).status_code == 404
    assert client.request("GET", f"{kept}/restart").status_code == 404  # POST only


def test_lifespan_closes_every_database(server: tuple[FaultServer, Client]) -> None:
    app, client = server
    client.request("GET", "/faults/no_dedup/health")

    async def lifespan() -> None:
        messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
        sent: list[str] = []

        async def receive() -> dict[str, str]:
            return next(messages)

        async def send(message: dict[str, str]) -> None:
            sent.append(message["type"])

        await app({"type": "lifespan"}, receive, send)
        assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]

    client.runner.run(lifespan())
    assert app.apps == {}


@pytest.mark.slow
def test_the_server_process_serves_every_fault_and_restarts_one(tmp_path: Path) -> None:
    with SandboxProcess(
        tmp_path / "all.sqlite3", credentials=ENVIRONMENT, extra_env={"NYC_SANDBOX_FAULTS": "*"}
    ) as process:
        root = process.base_url.removesuffix(BASE)
        assert any(f"{root}/faults/<name>" in line for line in process.output)
        fault = f"{root}/faults/idempotency_keys_in_memory"
        body, headers = decision_body(), {**AUTH, "Idempotency-Key": "restart-me"}
        assert httpx.get(f"{fault}{BASE}/health").status_code == 200
        assert httpx.post(f"{fault}{BASE}/decision-event", json=body, headers=headers).status_code == 201
        replay = httpx.post(f"{fault}{BASE}/decision-event", json=body, headers=headers)
        assert replay.headers.get("idempotent-replayed") == "true"
        assert httpx.post(f"{fault}/restart").json() == {"status": "restarted", "fault": "idempotency_keys_in_memory"}
        after = httpx.post(f"{fault}{BASE}/decision-event", json=body, headers=headers)
        assert after.status_code == 409 and after.json()["code"] == "duplicate_event"  # the key is gone
        assert (tmp_path / "all.idempotency_keys_in_memory.sqlite3").exists()


@pytest.mark.slow
def test_a_single_fault_breaks_the_whole_server(tmp_path: Path) -> None:
    with SandboxProcess(
        tmp_path / "one.sqlite3", credentials=ENVIRONMENT, extra_env={"NYC_SANDBOX_FAULTS": "events_in_memory"}
    ) as process:
        assert any("deliberately broken" in line for line in process.output)
        created = httpx.post(f"{process.base_url}/decision-event", json=decision_body(), headers=AUTH).json()
        assert (
            httpx.get(f"{process.base_url}/decision-events/{created['decisionEventId']}", headers=AUTH).status_code
            == 200
        )
        process.restart()
        assert (
            httpx.get(f"{process.base_url}/decision-events/{created['decisionEventId']}", headers=AUTH).status_code
            == 404
        )


def test_an_unknown_fault_stops_the_server_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from nyc_hiring.reference_server.__main__ import main

    monkeypatch.setenv("NYC_SANDBOX_FAULTS", "no_such_fault")
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    assert main(["serve", "--db", str(tmp_path / "x.sqlite3"), "--port", "0"]) == 2
    assert "unknown fault(s) no_such_fault" in capsys.readouterr().err
    assert not (tmp_path / "x.sqlite3").exists()
