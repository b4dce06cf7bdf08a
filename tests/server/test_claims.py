"""Idempotency-Key claims left by a dead process are taken over promptly: at once when the process is
known to be gone, otherwise when the claim's lease ends; a request outlived by its lease loses its claim."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from starlette.responses import Response

from nyc_hiring.harness.sandbox import SandboxProcess
from nyc_hiring.reference_server.credentials import ensure_credentials
from nyc_hiring.reference_server.idempotency import CLAIM_LEASE_SECONDS, Claimant, IdempotencyKeys, fingerprint
from nyc_hiring.reference_server.problems import ProblemError
from nyc_hiring.reference_server.store import Store

from .conftest import ENVIRONMENT, KEY, MovableClock, Sandbox, decision_body

ROOT = Path(__file__).resolve().parents[2]


def claim_as(sandbox: Sandbox, owner: str, body: dict[str, object], key: str) -> None:
    assert sandbox.store.claim_idempotency_key("test", key, fingerprint(body), owner) is None


def a_pid_that_has_exited() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_claim_of_a_process_gone_from_this_host_is_taken_over_at_once(sandbox: Sandbox) -> None:
    body = decision_body()
    claim_as(sandbox, f"{socket.gethostname()}@{a_pid_that_has_exited()}:0123abcd", body, "orphan")
    response = sandbox.post("/decision-event", json=body, headers={"Idempotency-Key": "orphan"})
    assert response.status_code == 201 and "idempotent-replayed" not in response.headers


def test_a_claim_of_an_earlier_process_with_this_pid_is_taken_over_at_once(sandbox: Sandbox) -> None:
    body = decision_body()
    claim_as(sandbox, f"{socket.gethostname()}@{os.getpid()}:feedface", body, "reused-pid")
    assert sandbox.post("/decision-event", json=body, headers={"Idempotency-Key": "reused-pid"}).status_code == 201


def test_a_claim_out_of_sight_waits_for_its_lease_and_says_when_to_retry(sandbox: Sandbox) -> None:
    body = decision_body()
    claim_as(sandbox, "another-host@4242:0123abcd", body, "far")
    busy = sandbox.post("/decision-event", json=body, headers={"Idempotency-Key": "far"})
    assert busy.status_code == 409 and busy.json()["code"] == "idempotency_key_in_flight"
    assert 1 <= int(busy.headers["retry-after"]) <= CLAIM_LEASE_SECONDS
    sandbox.clock.offset = timedelta(seconds=CLAIM_LEASE_SECONDS + 0.5)
    assert sandbox.post("/decision-event", json=body, headers={"Idempotency-Key": "far"}).status_code == 201
    assert sandbox.store.count_events() == 1


def test_a_request_outlived_by_its_lease_cannot_complete_the_claim_taken_over(tmp_path: Path) -> None:
    with closing(Store(tmp_path / "claims.sqlite3")) as store:
        slow, late_clock = IdempotencyKeys(store, MovableClock()), MovableClock()
        other = IdempotencyKeys(store, late_clock)
        other.claimant = Claimant("another-host", 1, "0123abcd")
        assert slow.claim("test", "k", "f") is None
        late_clock.offset = timedelta(seconds=CLAIM_LEASE_SECONDS + 0.5)
        assert other.claim("test", "k", "f") is None  # taken over
        with pytest.raises(ProblemError) as lost, store.transaction() as db:
            slow.complete(db, "test", "k", Response(b"{}", 201))
        assert lost.value.status == 409
        slow.release("test", "k")  # gives back nothing that is not its own
        with store.transaction() as db:
            other.complete(db, "test", "k", Response(b"{}", 201))
        assert store.claim_idempotency_key("test", "k", "f").state == "completed"  # type: ignore[union-attr]


# -- kill -9 mid-request, on real processes -----------------------------------------------------------


def wait_for_claim(database: Path, key: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            if db.execute("SELECT 1 FROM idempotency_keys WHERE key = ? AND state = 'processing'", (key,)).fetchone():
                return
        time.sleep(0.05)
    raise AssertionError("the request never claimed its key")


def send(url: str, body: dict[str, object], headers: dict[str, str], answers: list[object]) -> None:
    try:
        answers.append(httpx.post(url, json=body, headers=headers, timeout=30).status_code)
    except httpx.HTTPError:
        answers.append("no answer")


def count_events(database: Path) -> int:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT count(*) FROM decision_events").fetchone()[0])


@pytest.mark.slow
def test_a_server_killed_mid_request_leaves_a_claim_its_successor_takes_over_at_once(tmp_path: Path) -> None:
    database = tmp_path / "killed.sqlite3"
    with closing(Store(database)) as store:
        ensure_credentials(store, ENVIRONMENT)
    stalling = subprocess.Popen(
        [sys.executable, "-m", "tests.server.stalling_server", str(database)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert stalling.stdout is not None
        port = int(stalling.stdout.readline().split()[1])
        body, headers = decision_body(), {"Authorization": f"Bearer {KEY}", "Idempotency-Key": "kill-9"}
        url = f"http://127.0.0.1:{port}/api/v1/nyc-hiring/decision-event"
        first = threading.Thread(target=send, args=(url, body, headers, answers := []), daemon=True)
        first.start()
        wait_for_claim(database, "kill-9")
    finally:
        stalling.kill()  # SIGKILL: no shutdown, no release of the claim
        stalling.wait()
    first.join(10)
    assert answers == ["no answer"]

    with SandboxProcess(database, credentials=ENVIRONMENT) as successor:
        started = time.monotonic()
        retry = httpx.post(f"{successor.base_url}/decision-event", json=body, headers=headers)
        assert retry.status_code == 201 and "idempotent-replayed" not in retry.headers, retry.text
        assert time.monotonic() - started < 1.0
        replay = httpx.post(f"{successor.base_url}/decision-event", json=body, headers=headers)
        assert replay.headers["idempotent-replayed"] == "true"
        assert replay.json()["decisionEventId"] == retry.json()["decisionEventId"]
    assert count_events(database) == 1
