"""The CI workflow works as written: its shell steps, run as GitHub runs them, check the sandbox and leave
the three reports where the upload step looks for them, with the exit code as the gate."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.config import load_baseline

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
    assert set(check["env"]) >= {"NYC_HIRING_API_KEY", "WEBHOOK_SECRET_GREENHOUSE", "WEBHOOK_SECRET_LEVER",
                                 "WEBHOOK_SECRET_WORKDAY"}
    keep = named("Keep the reports")
    assert keep["if"] == "always()" and keep["uses"].startswith("actions/upload-artifact@")
    assert keep["with"]["path"].split() == list(REPORTS)


def test_the_baseline_the_workflow_names_is_in_the_repository_and_reads() -> None:
    assert load_baseline(ROOT / "conformance-baseline.txt") == frozenset()


@pytest.mark.slow
def test_the_check_step_run_as_written_passes_against_the_sandbox(tmp_path: Path) -> None:
    shutil.copy(ROOT / "conformance-baseline.txt", tmp_path)
    env = {name: value for name, value in os.environ.items() if not name.startswith(("NYC_", "WEBHOOK_SECRET_"))}
    env.update({"NYC_HIRING_TARGET": "sandbox", "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '')}"})
    env.update({name: "" for name in named("Check the deployment")["env"]})  # unset secrets arrive empty
    completed = subprocess.run(["bash", "-e", "-c", named("Check the deployment")["run"]], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout[-3000:]
    for report in REPORTS:
        assert (tmp_path / report).is_file()
