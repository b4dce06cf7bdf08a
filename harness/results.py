"""From check outcomes to per-requirement verdicts, and from verdicts to the exit code CI gates on.

A check's steps name the requirement clause each one tests (harness.steps), so a check reports on every
requirement it touched: the one whose step failed fails, the ones whose steps passed pass, and the ones
it never got to show are left unshown by it. A requirement fails when any check failed it; a SHOULD
requirement then only warns, unless the run is strict. A requirement listed in the baseline still shows
as failed but does not fail the run, so CI fails only on new failures. A requirement no check showed
met is `skip`, never `pass`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .catalog import Clause, Requirement, load_catalog

Outcome = Literal["passed", "failed", "skipped"]
Verdict = Literal["pass", "fail", "warn", "skip"]
ClauseStatus = Literal["failed", "met", "not checked", "not observable"]

#: Exchanges a failed check keeps as evidence: its last few, where the failure shows.
MAX_EVIDENCE = 3

EXIT_COMPLIANT = 0
EXIT_NON_COMPLIANT = 1
EXIT_CANNOT_RUN = 2


@dataclass
class CheckResult:
    """One check's result. `outcome` is the check's as a whole; `outcome_for` is what it shows of one requirement.

    `failed` names the requirement and clause of the step that failed; None when the check passed, was
    skipped, or failed outside any step (then every requirement it is marked with fails).
    """

    nodeid: str
    name: str
    requirements: tuple[str, ...]
    outcome: Outcome
    message: str = ""
    duration: float = 0.0
    evidence: list[dict[str, Any]] = field(default_factory=list)
    failed: tuple[str, str] | None = None
    passed: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def touched(self) -> tuple[str, ...]:
        """Every requirement this check reports on: those it is marked with and those its steps tested."""
        failed = (self.failed[0],) if self.failed else ()
        return tuple(dict.fromkeys((*self.requirements, *self.passed, *failed)))

    def outcome_for(self, requirement_id: str) -> tuple[Outcome, str]:
        """(outcome, message) for one requirement: a failure of another requirement's step leaves it unshown."""
        if self.failed is not None and self.failed[0] == requirement_id:
            return "failed", self.message
        if self.outcome == "failed" and self.failed is None:
            return "failed", self.message
        if requirement_id in self.passed or self.outcome == "passed":
            return "passed", ""
        if self.outcome == "skipped":
            return "skipped", self.message
        assert self.failed is not None
        return "skipped", f"not shown: an earlier step failed {self.failed[0]} ({self.message})"

    def failed_clause(self, requirement_id: str) -> str | None:
        return self.failed[1] if self.failed is not None and self.failed[0] == requirement_id else None


@dataclass
class RequirementVerdict:
    requirement: Requirement
    verdict: Verdict
    reason: str
    checks: list[CheckResult]
    known_failure: bool = False
    in_baseline: bool = False  # listed in --baseline: a failure or an unchecked MUST does not fail the run
    selected: bool = True  # False when --requirement left it out of the run

    @property
    def unchecked(self) -> bool:
        """A MUST this run was asked to check but could not show either way: the run cannot be called compliant."""
        return (
            self.selected
            and self.verdict == "skip"
            and self.requirement.level == "MUST"
            and any(clause.observable for clause in self.requirement.clauses)
        )

    @property
    def blocking(self) -> bool:
        """Does this verdict make the run non-compliant?"""
        return self.verdict == "fail" and not self.known_failure

    def clause_statuses(self) -> list[tuple[Clause, ClauseStatus]]:
        """Each clause of the requirement: failed, met, not checked (this run), or not observable over HTTP."""
        failed = {clause_id for check in self.checks if (clause_id := check.failed_clause(self.requirement.id))}
        met = {clause for check in self.checks for clause in check.passed.get(self.requirement.id, ())}
        statuses: list[tuple[Clause, ClauseStatus]] = []
        for clause in self.requirement.clauses:
            status: ClauseStatus = (
                "not observable"
                if not clause.observable
                else "failed"
                if clause.id in failed
                else "met"
                if clause.id in met
                else "not checked"
            )
            statuses.append((clause, status))
        return statuses


def verdicts(
    results: Iterable[CheckResult],
    *,
    baseline: frozenset[str] = frozenset(),
    strict: bool = False,
    scope: Collection[str] = (),
) -> list[RequirementVerdict]:
    """One verdict per catalog requirement, in catalog order.

    `scope` holds the requirements the run's selected checks cover: when the run was narrowed
    (--requirement, -k, a path), the others are not selected, rather than unchecked. Empty means all.
    """
    by_requirement: dict[str, list[CheckResult]] = {rid: [] for rid in load_catalog()}
    for result in results:
        for rid in result.touched():
            by_requirement.setdefault(rid, []).append(result)
    found = []
    for rid, checks in by_requirement.items():
        if rid not in load_catalog():
            continue
        verdict = _verdict(load_catalog()[rid], checks, rid in baseline, strict)
        verdict.in_baseline = rid in baseline
        if scope and rid not in scope and verdict.verdict == "skip":
            verdict.selected, verdict.reason = False, "not selected: the run was narrowed (--requirement, -k or a path)"
        found.append(verdict)
    return found


def _verdict(requirement: Requirement, checks: list[CheckResult], known: bool, strict: bool) -> RequirementVerdict:
    outcomes = [(check, *check.outcome_for(requirement.id)) for check in checks]
    failed = [(check, message) for check, outcome, message in outcomes if outcome == "failed"]
    if failed:
        verdict: Verdict = "fail" if requirement.level == "MUST" or strict else "warn"
        check, message = failed[0]
        reason = f"{check.name}: {message}" if message else check.name
        return RequirementVerdict(requirement, verdict, reason, checks, known_failure=known and verdict == "fail")
    ran = [check for check, outcome, _ in outcomes if outcome == "passed"]
    if not ran:
        skipped = [message for _, _, message in outcomes if message]
        reason = skipped[0] if skipped else "no check ran"
        return RequirementVerdict(requirement, "skip", reason, checks)
    return RequirementVerdict(requirement, "pass", f"{len(ran)} check(s) passed", checks)


RunStatus = Literal["compliant", "not compliant", "incomplete", "partial"]


def run_status(all_verdicts: Iterable[RequirementVerdict]) -> RunStatus:
    """Not compliant when a requirement fails; incomplete when a MUST could not be checked; partial when
    --requirement checked only some; compliant only when every MUST was shown met."""
    listed = list(all_verdicts)
    if any(v.blocking for v in listed):
        return "not compliant"
    if any(v.unchecked for v in listed):
        return "incomplete"
    if not all(v.selected for v in listed):
        return "partial"
    return "compliant"


def exit_code(all_verdicts: Iterable[RequirementVerdict], allow_incomplete: bool = False) -> int:
    """1 when a requirement fails, or a MUST went unchecked outside the baseline without --allow-incomplete."""
    listed = list(all_verdicts)
    if run_status(listed) == "not compliant":
        return EXIT_NON_COMPLIANT
    held = any(v.unchecked and not v.in_baseline for v in listed)
    return EXIT_NON_COMPLIANT if held and not allow_incomplete else EXIT_COMPLIANT


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
    allow_incomplete: bool = False

    @property
    def status(self) -> RunStatus:
        return run_status(self.verdicts)

    @property
    def unchecked(self) -> list[RequirementVerdict]:
        """MUSTs the run was asked to check and could not (baseline ones included: they are listed, not held)."""
        return [verdict for verdict in self.verdicts if verdict.unchecked]

    @property
    def exit_code(self) -> int:
        return exit_code(self.verdicts, self.allow_incomplete)
