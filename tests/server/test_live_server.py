"""A real uvicorn process: concurrency (IDEM-003), restarts (IDEM-005) and the start-up experience."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from nyc_hiring.harness.sandbox import SandboxProcess

from .conftest import decision_body
from .webhooks import greenhouse, greenhouse_body

pytestmark = pytest.mark.slow
CONCURRENCY = 32


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    from .conftest import ENVIRONMENT

    process = SandboxProcess(tmp_path_factory.mktemp("live") / "live.sqlite3", credentials=ENVIRONMENT)
    process.start()
    yield process
    process.close()


def _auth(server: SandboxProcess) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.credentials['NYC_HIRING_API_KEY']}"}


def _concurrently(server: SandboxProcess, body: dict[str, Any], headers: dict[str, str]) -> list[httpx.Response]:
    """N threads, each with its own client, released together: the way to get real overlap here."""
    clients = [httpx.Client(base_url=server.base_url, headers=_auth(server), timeout=30) for _ in range(CONCURRENCY)]
    try:
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            return list(pool.map(lambda c: c.post("/decision-event", json=body, headers=headers), clients))
    finally:
        for client in clients:
            client.close()


def test_idem_003_concurrent_duplicates_record_exactly_one_event(server: SandboxProcess) -> None:
    body = decision_body()
    responses = _concurrently(server, body, {})
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * (CONCURRENCY - 1)
    created = next(r.json() for r in responses if r.status_code == 201)
    assert {r.json()["decisionEventId"] for r in responses if r.status_code == 409} == {created["decisionEventId"]}


def test_idem_003_concurrent_requests_under_one_idempotency_key(server: SandboxProcess) -> None:
    body = decision_body()
    responses = _concurrently(server, body, {"Idempotency-Key": "concurrent-key"})
    created = [r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers]
    others = [r for r in responses if r not in created]
    assert len(created) == 1
    assert all(r.status_code == 409 or r.headers.get("idempotent-replayed") == "true" for r in others)
    replayed_ids = {r.json()["decisionEventId"] for r in others if r.status_code == 201}
    assert replayed_ids <= {created[0].json()["decisionEventId"]}


def test_idem_005_events_and_keys_survive_a_restart(server: SandboxProcess) -> None:
    auth = _auth(server)
    body = decision_body()
    first = httpx.post(f"{server.base_url}/decision-event", json=body, headers={**auth, "Idempotency-Key": "k5"})
    assert first.status_code == 201
    delivery = greenhouse(greenhouse_body())
    from nyc_hiring.harness.signing import greenhouse_headers

    from .conftest import GREENHOUSE_SECRET

    delivery["headers"] = greenhouse_headers(GREENHOUSE_SECRET, delivery["content"])
    hook = httpx.post(f"{server.base_url}/webhook/greenhouse", **delivery).json()
    old, port = server._process, server.port

    server.restart()

    assert old is not None and old.poll() is not None, "the old process has exited when restart() returns"
    assert server.port == port

    event_id = first.json()["decisionEventId"]
    assert httpx.get(f"{server.base_url}/decision-events/{event_id}", headers=auth).status_code == 200
    explanation = httpx.get(f"{server.base_url}/explanations/{first.json()['explanationId']}", headers=auth)
    assert explanation.status_code == 200
    replay = httpx.post(f"{server.base_url}/decision-event", json=body, headers={**auth, "Idempotency-Key": "k5"})
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()
    assert httpx.post(f"{server.base_url}/decision-event", json=body, headers=auth).status_code == 409
    again = httpx.post(f"{server.base_url}/webhook/greenhouse", **delivery).json()
    assert again["duplicate"] is True and again["decisionEventId"] == hook["decisionEventId"]


def test_a_new_process_that_cannot_start_beside_the_old_one_is_started_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new process starts while the old one shuts down; one that fails then (the port still taken, say)
    is started again once the old one has gone."""
    from .conftest import ENVIRONMENT

    with SandboxProcess(tmp_path / "retry.sqlite3", credentials=ENVIRONMENT) as process:
        old = process._process
        launch = process.launch
        launches: list[tuple[str, ...]] = []

        def failing_once(timeout: float = 30.0) -> None:
            saved = process.extra_args
            if not launches:
                process.extra_args = ("--log-level", "not-a-level")  # exits 2 at once, as a taken port does
            launches.append(process.extra_args)
            try:
                launch(timeout)
            finally:
                process.extra_args = saved

        monkeypatch.setattr(process, "launch", failing_once)
        process.restart()
        assert len(launches) == 2 and old is not None and old.poll() is not None
        assert httpx.get(f"{process.base_url}/health").status_code == 200


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NYC_HIRING", "WEBHOOK_SECRET"))}
    return subprocess.run(
        [sys.executable, "-m", "nyc_hiring.reference_server", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_first_start_creates_and_prints_sandbox_credentials(tmp_path: Path) -> None:
    names = [
        "NYC_HIRING_API_KEY",
        "NYC_HIRING_API_KEY_READONLY",
        "NYC_HIRING_API_KEY_LIVE",
        "WEBHOOK_SECRET_GREENHOUSE",
        "WEBHOOK_SECRET_LEVER",
        "WEBHOOK_SECRET_WORKDAY",
    ]
    process = SandboxProcess(tmp_path / "first.sqlite3", credentials={name: "" for name in names})
    process.start()
    try:
        printed = dict(
            line.removeprefix("export ").split("=", 1) for line in process.output if line.startswith("export ")
        )
        assert printed["NYC_HIRING_TARGET"] == process.base_url
        assert printed["NYC_HIRING_API_KEY"].startswith("haiec_test_")
        assert printed["NYC_HIRING_API_KEY_READONLY"].startswith("haiec_test_")
        assert printed["NYC_HIRING_API_KEY_LIVE"].startswith("haiec_live_")
        assert printed["WEBHOOK_SECRET_WORKDAY"].startswith("whsec_")
        key = printed["NYC_HIRING_API_KEY"]
        created = httpx.post(
            f"{process.base_url}/decision-event", json=decision_body(), headers={"Authorization": f"Bearer {key}"}
        )
        assert created.status_code == 201
        saved = (tmp_path / "first.sqlite3.credentials.env").read_text()
        assert f"export NYC_HIRING_API_KEY={key}" in saved
        assert oct((tmp_path / "first.sqlite3.credentials.env").stat().st_mode & 0o777) == "0o600"
        with sqlite3.connect(tmp_path / "first.sqlite3") as db:  # keys are stored hashed only
            dump = "\n".join(db.iterdump())
        assert key not in dump
        process.restart()
        assert not any(line.startswith("export NYC_HIRING_API_KEY=") for line in process.output)
        assert any("created on an earlier start" in line for line in process.output)
    finally:
        process.close()


def test_credentials_from_the_environment_are_used(tmp_path: Path) -> None:
    from .conftest import ENVIRONMENT

    with SandboxProcess(tmp_path / "env.sqlite3", credentials=ENVIRONMENT) as process:
        assert not any(line.startswith("export NYC_HIRING_API_KEY=") for line in process.output)
        response = httpx.post(
            f"{process.base_url}/decision-event",
            json=decision_body(),
            headers={"Authorization": f"Bearer {ENVIRONMENT['NYC_HIRING_API_KEY']}"},
        )
        assert response.status_code == 201


def test_unwritable_database_is_a_clear_error(tmp_path: Path) -> None:
    result = _run(["--port", "0", "--db", str(tmp_path / "missing" / "x.sqlite3")], tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot open database") and "Traceback" not in result.stderr
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o500)
    if os.geteuid() != 0:  # root writes anywhere, so only a non-root run can see this refusal
        result = _run(["--port", "0", "--db", str(read_only / "x.sqlite3")], tmp_path)
        assert result.returncode == 2 and "cannot open database" in result.stderr


def test_bad_environment_credentials_and_busy_ports_are_clear_errors(tmp_path: Path) -> None:
    result = _run(["--port", "0", "--db", str(tmp_path / "a.sqlite3")], tmp_path, {"NYC_HIRING_API_KEY": "oops"})
    assert result.returncode == 2 and "NYC_HIRING_API_KEY" in result.stderr
    with SandboxProcess(tmp_path / "busy.sqlite3") as process:
        result = _run(["--port", str(process.port), "--db", str(tmp_path / "b.sqlite3")], tmp_path)
        assert result.returncode == 2 and "cannot listen" in result.stderr


def test_keys_command_creates_and_revokes_keys(tmp_path: Path) -> None:
    db = str(tmp_path / "keys.sqlite3")
    created = _run(["keys", "create", "--db", db, "--scopes", "read"], tmp_path)
    key = created.stdout.strip()
    assert created.returncode == 0 and key.startswith("haiec_test_")
    listing = _run(["keys", "list", "--db", db], tmp_path).stdout
    assert "nyc:hiring.read" in listing and key not in listing
    assert _run(["keys", "revoke", key, "--db", db], tmp_path).returncode == 0
    assert "revoked" in _run(["keys", "list", "--db", db], tmp_path).stdout
