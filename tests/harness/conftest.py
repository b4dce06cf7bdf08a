"""Running the harness the way a user does, inside the project's own tests."""

from __future__ import annotations

import json
from typing import Any

import pytest


def run_harness(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str, fault: str | None = None
) -> tuple[Any, dict[str, dict[str, Any]]]:
    """`pytest --target=sandbox ARGS` in process, against a sandbox broken with `fault` if given;
    return the run's result and conformance.json's verdicts by requirement ID."""
    if fault:
        monkeypatch.setenv("NYC_SANDBOX_FAULTS", fault)
    else:
        monkeypatch.delenv("NYC_SANDBOX_FAULTS", raising=False)
    reports = pytester.path / "reports"
    result = pytester.runpytest_inprocess("--target=sandbox", "--report-dir", str(reports), "-p", "no:randomly", *args)
    document = json.loads((reports / "conformance.json").read_text())
    return result, {entry["id"]: entry for entry in document["requirements"]}
