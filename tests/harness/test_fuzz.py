"""The generated-case checks can fail: against a server broken in a way only some payloads show, the
property fails, the example is shrunk and saved, and the saved case's own replay command reproduces the
failure against another server broken the same way. (That every property holds against the correct
sandbox, at the `quick` budget and, with `-m budget_runs`, at `standard`, test_fault_proofs.py shows.)"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nyc_hiring.harness.plugin import SUITE_DIR
from nyc_hiring.harness.sandbox import SandboxProcess

from .conftest import run_harness

pytestmark = pytest.mark.slow

FUZZ_MODULE = str(SUITE_DIR / "test_fuzz.py")
SEED = "20261128"


def run_fuzz(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str, fault: str | None = None
) -> tuple[Any, dict[str, dict[str, Any]]]:
    """The fuzz module alone, against a sandbox the plugin starts (broken with `fault`, if given)."""
    return run_harness(pytester, monkeypatch, FUZZ_MODULE, "--seed", SEED, *args, fault=fault)


def saved_case(pytester: pytest.Pytester, requirement: str) -> dict[str, Any]:
    cases = sorted((pytester.path / "reports" / "cases").glob(f"{requirement}-*.json"))
    assert len(cases) == 1, cases
    return json.loads(cases[0].read_text())


def run_replay_command(command: str, server: SandboxProcess, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The case's replay line, verbatim, in a shell where the sandbox's exports are set."""
    assert command.startswith("python -m nyc_hiring.harness replay ")
    env = {**os.environ, **server.credentials, "NYC_HIRING_TARGET": server.base_url}
    env.pop("NYC_SANDBOX_FAULTS", None)
    return subprocess.run(
        ["bash", "-c", sys.executable + command.removeprefix("python")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_greenhouse_verifier_that_reserialises_is_found_shrunk_saved_and_reproduced(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, verdicts = run_fuzz(pytester, monkeypatch, "--requirement", "SIG-001", fault="reserialize_before_verify")
    assert result.ret == 1
    assert verdicts["SIG-001"]["verdict"] == "fail"
    case = saved_case(pytester, "SIG-001")
    reason = verdicts["SIG-001"]["reason"]
    assert case["replay"] in reason and "cases/SIG-001-" in reason and "--resign" in case["replay"]
    body = base64.b64decode(case["request"]["bodyBase64"])
    application = json.loads(body)["payload"]["application"]
    assert application["applied_at"] == "2019-01-01T00:00:00Z"  # shrunk: dates go to the earliest one drawn
    assert json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":")).encode() != body
    assert case["observed"]["status"] == 401 and case["expected"]["status"] == [200]
    assert case["request"]["path"] == "/webhook/greenhouse" and case["seed"] == int(SEED)
    failing = next(check for check in verdicts["SIG-001"]["checks"] if check["outcome"] == "failed")
    assert failing["evidence"][-1]["request"]["body"] == body.decode()  # the evidence is the saved case
    with SandboxProcess(extra_env={"NYC_SANDBOX_FAULTS": "reserialize_before_verify"}) as broken:
        replayed = run_replay_command(case["replay"], broken, pytester.path)
    assert replayed.returncode == 1, replayed.stdout + replayed.stderr
    assert "reproduced: expected HTTP 200, got 401" in replayed.stdout
    assert "re-signed" in replayed.stdout


def test_a_wrong_type_answered_with_500_is_found_and_reproduced_from_the_saved_case(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, verdicts = run_fuzz(pytester, monkeypatch, "--requirement", "EVT-001", fault="wrong_type_500")
    assert result.ret == 1 and verdicts["EVT-001"]["verdict"] == "fail"
    case = saved_case(pytester, "EVT-001")
    assert case["observed"]["status"] == 500 and "as JSON" in case["label"]
    assert case["request"]["headers"]["Authorization"] == "Bearer $NYC_HIRING_API_KEY"
    assert "--resign" not in case["replay"]
    with SandboxProcess(extra_env={"NYC_SANDBOX_FAULTS": "wrong_type_500"}) as broken:
        replayed = run_replay_command(case["replay"], broken, pytester.path)
    assert replayed.returncode == 1, replayed.stdout + replayed.stderr
    assert "byte for byte" in replayed.stdout and "reproduced: expected HTTP 422, got 500" in replayed.stdout


def test_a_long_step_label_is_cut_before_what_went_wrong() -> None:
    """The report keeps one line: a reader needs the observed answer more than the whole step name."""
    from nyc_hiring.harness.suite.test_fuzz import _fitted

    label = "then the same delivery correctly signed (a duplicate means the refused one was recorded)"
    problem = 'expected a recorded acknowledgement, got a duplicate ({"status":"duplicate"})'
    assert _fitted(label, problem, 300) == f"{label}: {problem}"
    cut = _fitted(label, problem, 110)
    assert cut.endswith(problem) and cut.startswith("then the same delivery") and len(cut) <= 110
    assert len(_fitted(label, problem * 4, 110)) <= 110
