"""The CI workflow works as written: its shell steps, run as GitHub runs them, check the sandbox and leave
the three reports where the upload step looks for them, with the exit code as the gate."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from nyc_hiring.harness.config import load_baseline

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "conformance.yml"
REPORTS = ("reports/conformance.json", "reports/junit.xml", "reports/report.html")


def steps() -> list[dict[str, Any]]:
    document = yaml.safe_load(WORKFLOW.read_text())
    return list(document["jobs"]["conformance"]["steps"])


def named(name: str) -> dict[str, Any]:
    return next(step for step in steps() if step.get("name") == name)


def test_the_workflow_checks_out_installs_gates_and_keeps_every_report() -> None:
    uses = [step.get("uses", "").split("@")[0] for step in steps()]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert named("Install the conformance suite")["run"] == "python -m pip install ."
    check = named("Check the deployment")
    assert "--baseline conformance-baseline.txt" in check["run"] and "continue-on-error" not in check
    assert set(check["env"]) >= {
        "NYC_HIRING_API_KEY",
        "WEBHOOK_SECRET_GREENHOUSE",
        "WEBHOOK_SECRET_LEVER",
        "WEBHOOK_SECRET_WORKDAY",
    }
    keep = named("Keep the reports")
    assert keep["if"] == "always()" and keep["uses"].startswith("actions/upload-artifact@")
    assert keep["with"]["path"].split() == list(REPORTS)


def test_the_baseline_the_workflow_names_is_in_the_repository_and_reads() -> None:
    assert load_baseline(ROOT / "conformance-baseline.txt") == frozenset()


@dataclass
class HandStartedSandbox:
    """`python -m nyc_hiring.reference_server --port 0`, as a staging server runs: its own database and credentials."""

    folder: Path
    process: subprocess.Popen[bytes]
    exports: dict[str, str]

    @property
    def database(self) -> Path:
        return self.folder / "sandbox.sqlite3"

    def stop(self) -> None:
        """Stop whichever process serves the database now: the one started here, or its restarted successor."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(10)
        pid_file = self.database.with_name("sandbox.sqlite3.pid")
        if pid_file.exists():
            os.kill(int(json.loads(pid_file.read_text())["pid"]), signal.SIGTERM)
            deadline = time.monotonic() + 10
            while pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.05)


@pytest.fixture
def hand_started_sandbox(tmp_path: Path) -> Iterator[HandStartedSandbox]:
    folder = tmp_path / "staging"
    folder.mkdir()
    env = {name: value for name, value in os.environ.items() if not name.startswith(("NYC_", "WEBHOOK_SECRET_"))}
    log = (folder / "server.out").open("wb")  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen(
        [sys.executable, "-m", "nyc_hiring.reference_server", "--port", "0", "--db", "sandbox.sqlite3"],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    sandbox = HandStartedSandbox(folder, process, {})
    try:
        deadline = time.monotonic() + 60
        while "Listening on " not in (banner := (folder / "server.out").read_text()):
            assert process.poll() is None and time.monotonic() < deadline, banner
            time.sleep(0.05)
        for line in banner.splitlines():
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").partition("=")
                sandbox.exports[name] = shlex.split(value)[0]
        yield sandbox
    finally:
        sandbox.stop()
        log.close()


@pytest.mark.repeat_runs
def test_the_check_step_passes_three_times_in_a_row_against_one_hand_started_sandbox(
    hand_started_sandbox: HandStartedSandbox, tmp_path: Path
) -> None:
    """What a staging server sees from CI: the workflow's check step, as written, with the sandbox's printed
    exports as the repository's variables and secrets, run after run on the same database."""
    shutil.copy(ROOT / "conformance-baseline.txt", tmp_path)
    step = named("Check the deployment")
    env = {name: value for name, value in os.environ.items() if not name.startswith(("NYC_", "WEBHOOK_SECRET_"))}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    env |= {name: hand_started_sandbox.exports.get(name, "") for name in step["env"]}  # unset ones arrive empty
    env["NYC_HIRING_TARGET"] = hand_started_sandbox.exports["NYC_HIRING_TARGET"]
    assert all(env[name] for name in step["env"]), "the sandbox prints every variable the step passes on"

    verdicts = []
    for run in range(3):
        completed = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert completed.returncode == 0, f"run {run + 1}: {completed.stdout[-3000:]}"
        for report in REPORTS:
            assert (tmp_path / report).is_file()
        document = json.loads((tmp_path / "reports" / "conformance.json").read_text())
        assert document["summary"]["status"] == "compliant"
        verdicts.append({entry["id"]: entry["verdict"] for entry in document["requirements"]})
    assert verdicts[0] == verdicts[1] == verdicts[2]
    assert verdicts[0]["IDEM-005"] == "pass"  # the restart command was read from the environment
