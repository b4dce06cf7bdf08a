"""Every clause can fail, and only its own requirement fails with it.

Each fault of the reference server (reference_server/faults/) breaks one clause of one requirement, the
way real deployments get it wrong. The whole suite runs against a server broken that way: the clause's
requirement must fail, naming that clause, and every other requirement must pass or go unchecked. One
sandbox serves every fault side by side (`NYC_SANDBOX_FAULTS=*`, each under `/faults/<name>`), so the
runs share a process; each run is the harness as a user runs it, `pytest --target=URL`.
"""

from __future__ import annotations

import ast
import json
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nyc_hiring.harness.catalog import load_catalog
from nyc_hiring.harness.plugin import SUITE_DIR
from nyc_hiring.harness.sandbox import SandboxProcess
from nyc_hiring.reference_server.faults import FAULTS

from .conftest import export_credentials, run_harness

pytestmark = pytest.mark.slow


def _pooled_checks(module: Path) -> frozenset[str]:
    """The suite's generated-case properties, read from its source: importing it here would import it
    before the runs do, unrewritten."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(decorator, ast.Name) and decorator.id == "pooled" for decorator in node.decorator_list)
    )


PROPERTIES = _pooled_checks(SUITE_DIR / "test_fuzz.py")
SEED = "7"
# Constant-time comparison cannot be observed over HTTP; its check reports why it is skipped, and the
# reference server's own test (tests/server/test_signatures.py) covers the server.
NOT_TESTABLE_REMOTELY = {"SIG-008"}


@pytest.fixture(scope="module")
def fault_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    server = SandboxProcess(
        tmp_path_factory.mktemp("faults") / "sandbox.sqlite3", extra_env={"NYC_SANDBOX_FAULTS": "*"}
    )
    server.start()
    try:
        yield server
    finally:
        server.close()


def restart_command(url: str) -> str:
    """What a user would pass as --restart-command: a command that restarts the deployment and returns."""
    code = f"import urllib.request as u; u.urlopen(u.Request({url!r}, method='POST'), timeout=30)"
    return shlex.join([sys.executable, "-c", code])


def run_against_fault(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server: SandboxProcess, name: str, *args: str
) -> tuple[Any, dict[str, dict[str, Any]]]:
    """The harness as a user runs it against the fault's app; the verdicts, or {} when the run could not start."""
    root = server.base_url.removesuffix("/api/v1/nyc-hiring") + f"/faults/{name}"
    export_credentials(monkeypatch, server.credentials)
    reports = pytester.path / "reports"
    result = pytester.runpytest_inprocess(
        f"--target={root}",
        "--restart-command",
        restart_command(f"{root}/restart"),
        "--allow-live",
        "--seed",
        SEED,
        "--fuzz-examples",
        "5",
        "--fuzz-workers",
        "1",
        "--report-dir",
        str(reports),
        "-p",
        "no:randomly",
        *args,
    )
    report = Path(reports) / "conformance.json"
    if not report.exists():
        return result, {}
    document = json.loads(report.read_text())
    return result, {entry["id"]: entry for entry in document["requirements"]}


def test_the_sample_names_faults_that_exist() -> None:
    assert set(SAMPLE) <= set(FAULTS)


def test_every_observable_clause_has_a_fault_and_every_fault_a_clause() -> None:
    catalog = load_catalog()
    observable = {
        (rid, clause.id) for rid, requirement in catalog.items() for clause in requirement.clauses if clause.observable
    }
    broken = {(fault.requirement, fault.clause) for fault in FAULTS.values()}
    assert broken <= observable
    assert observable - broken == set()


# A deployment that refuses every correct signature of a source refuses the harness's credential check
# too (a correctly signed event it should ignore): contract § 4 has that reported as a refused credential,
# naming the variable and both possible causes, and the run cannot start (exit 2).
REFUSES_THE_SECRET = {
    ("SIG-001", "accepted"): "WEBHOOK_SECRET_GREENHOUSE",
    ("SIG-002", "accepted"): "WEBHOOK_SECRET_LEVER",
    ("SIG-003", "accepted"): "WEBHOOK_SECRET_WORKDAY",
}


# Two faults run with the project's quick tests: a message without its reasons (MSG: a full run that must
# fail one clause and nothing else), and a secret the target refuses (the preflight's exit 2). Every fault
# runs with `pytest -m fault_matrix`, which CI runs after the quick tests, a full conformance run each.
SAMPLE = {
    "msg_no_reasons",
    "workday_raw_secret",
}


def _param(name: str) -> Any:
    return pytest.param(name, marks=() if name in SAMPLE else pytest.mark.fault_matrix)


@pytest.mark.parametrize("name", [_param(name) for name in sorted(FAULTS)])
def test_a_clause_s_fault_fails_that_clause_and_nothing_else(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, fault_server: SandboxProcess, name: str
) -> None:
    fault = FAULTS[name]
    result, verdicts = run_against_fault(pytester, monkeypatch, fault_server, name)
    refused = REFUSES_THE_SECRET.get((fault.requirement, fault.clause))
    if refused is not None:
        shown = result.stdout.str() + result.stderr.str()
        assert result.ret == 2 and f"the target refuses {refused}" in shown and fault.requirement in shown, name
        assert not verdicts  # no report: the run could not start
        return
    broken = verdicts[fault.requirement]
    must = load_catalog()[fault.requirement].level == "MUST"
    assert broken["verdict"] == ("fail" if must else "warn"), (name, broken["reason"])
    failed_clauses = {clause["id"] for clause in broken["clauses"] if clause["status"] == "failed"}
    assert failed_clauses == {fault.clause}, (name, broken["reason"])
    collateral = {
        rid: f"{verdict['verdict']}: {verdict['reason']}"
        for rid, verdict in verdicts.items()
        if rid != fault.requirement and verdict["verdict"] in ("fail", "warn")
    }
    assert not collateral, name
    assert result.ret == (1 if must else 0)


def test_a_should_failure_fails_the_run_under_strict(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, fault_server: SandboxProcess
) -> None:
    """A SHOULD's failure warns, and fails the run under --strict (that it fails nothing else, the fault
    matrix shows)."""
    name = next(name for name, fault in sorted(FAULTS.items()) if fault.requirement == "MSG-013")
    result, verdicts = run_against_fault(
        pytester, monkeypatch, fault_server, name, "--strict", "--requirement", "MSG-013"
    )
    assert verdicts["MSG-013"]["verdict"] == "fail"
    assert result.ret == 1


def test_signature_timing_is_reported_as_not_testable(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, verdicts = run_harness(pytester, monkeypatch, "--requirement", "SIG-008")
    assert verdicts["SIG-008"]["verdict"] == "skip"
    assert "not testable remotely" in verdicts["SIG-008"]["reason"]
    assert result.ret == 0


@pytest.mark.parametrize(
    "budget",
    [
        pytest.param("quick", id="quick"),
        # Four times the cases, outside the quick tests: CI runs it with the fault matrix.
        pytest.param("standard", id="standard", marks=pytest.mark.budget_runs),
    ],
)
def test_the_correct_server_passes_every_must(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, budget: str
) -> None:
    """The whole suite, every generated-case property drawn at the budget: a correct deployment fails
    nothing, however many cases are drawn."""
    result, verdicts = run_harness(pytester, monkeypatch, "--fuzz-examples", budget)
    failing = {rid: v["reason"] for rid, v in verdicts.items() if v["verdict"] in ("fail", "warn")}
    assert not failing
    skipped = {rid for rid, v in verdicts.items() if v["verdict"] == "skip"}
    assert skipped == NOT_TESTABLE_REMOTELY
    assert result.ret == 0
    for name in ("conformance.json", "junit.xml", "report.html"):
        assert (Path(pytester.path) / "reports" / name).is_file()
    generated = [check for verdict in verdicts.values() for check in verdict["checks"] if check["name"] in PROPERTIES]
    assert {check["name"] for check in generated} == PROPERTIES
    assert not (Path(pytester.path) / "reports" / "cases").exists()  # no case saved: nothing failed
