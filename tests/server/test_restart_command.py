"""A sandbox started by hand is restarted by the command its banner prints: same port, same data."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import ENVIRONMENT, KEY, decision_body

pytestmark = pytest.mark.slow


def started_by_hand(folder: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """`python -m nyc_hiring.reference_server --port 0 --db sandbox.sqlite3`, as typed in `folder`; its exports."""
    process = subprocess.Popen(
        [sys.executable, "-m", "nyc_hiring.reference_server", "--port", "0", "--db", "sandbox.sqlite3"],
        cwd=folder,
        env={**os.environ, **ENVIRONMENT},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    exports: dict[str, str] = {}
    for line in process.stdout:
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").rstrip("\n").partition("=")
            exports[name] = shlex.split(value)[0]
        if line.startswith("Listening on "):
            return process, exports
    raise AssertionError(f"the sandbox did not start (status {process.wait()})")


def recorded_pid(database: Path) -> int:
    return int(json.loads(database.with_name(database.name + ".pid").read_text())["pid"])


def test_the_printed_restart_command_restarts_the_sandbox_on_its_port_with_its_data(tmp_path: Path) -> None:
    folder, elsewhere = tmp_path / "sandbox", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    database = folder / "sandbox.sqlite3"
    first, exports = started_by_hand(folder)
    restarted_pid = None
    try:
        target, command = exports["NYC_HIRING_TARGET"], exports["NYC_HIRING_RESTART_COMMAND"]
        assert command == shlex.join(
            [sys.executable, "-m", "nyc_hiring.reference_server", "restart", "--db", str(database)]
        )
        assert database.with_name("sandbox.sqlite3.pid").stat().st_mode & 0o777 == 0o600
        auth = {"Authorization": f"Bearer {KEY}"}
        created = httpx.post(f"{target}/decision-event", json=decision_body(), headers=auth).json()

        restarted = subprocess.run(command, shell=True, cwd=elsewhere, capture_output=True, text=True, timeout=60)  # noqa: S602
        assert restarted.returncode == 0, restarted.stderr
        assert first.wait(5) is not None  # stopped, by SIGTERM
        restarted_pid = recorded_pid(database)
        assert restarted_pid != first.pid

        again = httpx.get(f"{target}/decision-events/{created['decisionEventId']}", headers=auth)
        assert again.status_code == 200 and again.json()["candidateIdHash"] == created["candidateIdHash"]
        assert database.with_name("sandbox.sqlite3.log").stat().st_mode & 0o777 == 0o600
        assert "Listening on " + target in database.with_name("sandbox.sqlite3.log").read_text()
    finally:
        if first.poll() is None:
            first.kill()
        first.wait()
        if restarted_pid is not None:
            os.kill(restarted_pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while database.with_name("sandbox.sqlite3.pid").exists() and time.monotonic() < deadline:
                time.sleep(0.05)


def test_restarting_what_never_ran_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nyc_hiring.reference_server", "restart", "--db", str(tmp_path / "none.sqlite3")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot restart the sandbox") and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
