"""pytest items as the catalog sees them: which requirements a check tests, and what it found.

A check failing only SHOULD requirements (without --strict), or only requirements listed in the
baseline, is reported to pytest as xfailed: the run's exit status then follows the verdicts, not the
raw test outcomes, and the console still shows the failure for what it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .catalog import load_catalog
from .results import MAX_EVIDENCE, CheckResult
from .steps import StepFailed

if TYPE_CHECKING:
    from .context import Conformance
    from .session import Run


def requirement_ids(item: pytest.Item) -> tuple[str, ...]:
    ids: list[str] = []
    for marker in item.iter_markers("requirement"):
        ids.extend(str(arg) for arg in marker.args)
    return tuple(dict.fromkeys(ids))


def select(items: list[pytest.Item], wanted: tuple[str, ...]) -> tuple[list[pytest.Item], list[pytest.Item]]:
    """Keep the checks of the wanted requirements (all when none is named; IDs checked with the options)."""
    if not wanted:
        return items, []
    keep = [item for item in items if set(requirement_ids(item)) & set(wanted)]
    return keep, [item for item in items if item not in keep]


def record(
    run: Run, item: pytest.Item, report: pytest.TestReport, call: pytest.CallInfo[None], check: Conformance | None
) -> None:
    """Turn one phase's report into a CheckResult (once per check) and soften non-blocking failures."""
    ids = requirement_ids(item)
    if not ids or not _decisive(report):
        return
    outcome = "failed" if report.failed else "skipped" if report.skipped else "passed"
    evidence = evidence_of(check, run.config.secrets()) if outcome == "failed" else []
    message = _message(report, call) if outcome != "passed" else ""
    failure = call.excinfo.value if call.excinfo is not None else None
    failed = (failure.requirement, failure.clause) if isinstance(failure, StepFailed) and outcome == "failed" else None
    passed = {rid: tuple(sorted(clauses)) for rid, clauses in check.steps.passed.items()} if check else {}
    result = CheckResult(
        nodeid=item.nodeid,
        name=item.name,
        requirements=ids,
        outcome=outcome,  # type: ignore[arg-type]
        message=message,
        duration=round(report.duration, 3),
        evidence=evidence,
        failed=failed,
        passed=passed,
    )
    run.results.append(result)
    if outcome == "failed":
        _soften(run, (failed[0],) if failed else ids, report, message)


def record_unrecordable(run: Run, item: pytest.Item, report: pytest.TestReport, exc: Exception) -> None:
    """The result `record` could not make (evidence too odd to read, say): a failure that says why, so that
    no check passes by accident and the run goes on to its reports."""
    if not _decisive(report):
        return
    message = f"the harness could not record this check's result ({type(exc).__name__}: {exc})"[:300]
    run.results = [result for result in run.results if result.nodeid != item.nodeid]
    run.results.append(
        CheckResult(
            nodeid=item.nodeid,
            name=item.name,
            requirements=requirement_ids(item),
            outcome="failed",
            message=message,
            duration=round(report.duration, 3),
        )
    )
    report.outcome, report.longrepr = "failed", message


def _decisive(report: pytest.TestReport) -> bool:
    """The call phase, or an earlier phase that already settled the outcome (a skip or an error)."""
    return report.when == "call" or (report.when == "setup" and not report.passed)


def _message(report: pytest.TestReport, call: pytest.CallInfo[None]) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    if call.excinfo is not None:
        value = call.excinfo.value
        text = (value.message if isinstance(value, StepFailed) else str(value)).strip() or call.excinfo.typename
        return text.splitlines()[0][:300]
    return str(report.longrepr).strip().splitlines()[-1][:300] if report.longrepr else "failed"


def _soften(run: Run, ids: tuple[str, ...], report: pytest.TestReport, message: str) -> None:
    catalog = load_catalog()
    if not run.config.strict and all(catalog[rid].level == "SHOULD" for rid in ids):
        report.outcome = "skipped"
        report.wasxfail = f"SHOULD not met (a warning; --strict makes it fail): {message}"
    elif all(rid in run.config.known_failures for rid in ids):
        report.outcome = "skipped"
        report.wasxfail = f"known failure listed in the baseline: {message}"


def evidence_of(check: Conformance | None, secrets: dict[str, str]) -> list[dict[str, Any]]:
    return [] if check is None else [e.as_evidence(secrets) for e in check.client.exchanges[-MAX_EVIDENCE:]]
