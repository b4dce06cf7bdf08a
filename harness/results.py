"""From check outcomes to per-requirement verdicts, and from verdicts to the exit code CI gates on.

A requirement fails when any of its checks fails; a SHOULD requirement then only warns, unless the run
is strict. A requirement listed in the baseline still shows as failed but does not fail the run, so CI
fails only on new failures. A requirement whose checks were all skipped is `skip`, never `pass`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .catalog import Requirement, load_catalog

Outcome = Literal["passed", "failed", "skipped"]
Verdict = Literal["pass", "fail", "warn", "skip"]

EXIT_COMPLIANT = 0
EXIT_NON_COMPLIANT = 1
EXIT_CANNOT_RUN = 2


@dataclass
class CheckResult:
    nodeid: str
    name: str
    requirements: tuple[str, ...]
    outcome: Outcome
    message: str = ""
    duration: float = 0.0
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RequirementVerdict:
    requirement: Requirement
    verdict: Verdict
    reason: str
    checks: list[CheckResult]
    known_failure: bool = False

    @property
    def blocking(self) -> bool:
        """Does this verdict make the run non-compliant?"""
        return self.verdict == "fail" and not self.known_failure


def verdicts(
    results: Iterable[CheckResult], *, baseline: frozenset[str] = frozenset(), strict: bool = False
) -> list[RequirementVerdict]:
    """One verdict per catalog requirement, in catalog order."""
    by_requirement: dict[str, list[CheckResult]] = {rid: [] for rid in load_catalog()}
    for result in results:
        for rid in result.requirements:
            by_requirement.setdefault(rid, []).append(result)
    return [_verdict(load_catalog()[rid], checks, rid in baseline, strict) for rid, checks in by_requirement.items()
            if rid in load_catalog()]


def _verdict(requirement: Requirement, checks: list[CheckResult], known: bool, strict: bool) -> RequirementVerdict:
    failed = [check for check in checks if check.outcome == "failed"]
    if failed:
        verdict: Verdict = "fail" if requirement.level == "MUST" or strict else "warn"
        reason = f"{failed[0].name}: {failed[0].message}" if failed[0].message else failed[0].name
        return RequirementVerdict(requirement, verdict, reason, checks, known_failure=known and verdict == "fail")
    ran = [check for check in checks if check.outcome == "passed"]
    if not ran:
        skipped = [check.message for check in checks if check.message]
        reason = skipped[0] if skipped else "no check ran"
        return RequirementVerdict(requirement, "skip", reason, checks)
    return RequirementVerdict(requirement, "pass", f"{len(ran)} check(s) passed", checks)


def exit_code(all_verdicts: Iterable[RequirementVerdict]) -> int:
    return EXIT_NON_COMPLIANT if any(v.blocking for v in all_verdicts) else EXIT_COMPLIANT


def counts(all_verdicts: Iterable[RequirementVerdict]) -> dict[str, int]:
    totals = {"pass": 0, "fail": 0, "warn": 0, "skip": 0}
    for verdict in all_verdicts:
        totals[verdict.verdict] += 1
    return totals


@dataclass
class RunReport:
    """Everything the report writers need, produced once at the end of a run."""

    target: str
    started_at: str  # RFC 3339, UTC
    finished_at: str
    duration_seconds: float
    versions: dict[str, str]
    options: dict[str, Any]
    verdicts: list[RequirementVerdict]

    @property
    def exit_code(self) -> int:
        return exit_code(self.verdicts)
