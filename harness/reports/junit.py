"""junit.xml: the run as CI dashboards read it, one testcase per check, keyed to requirement IDs.

A testcase fails only when the run fails because of it: failures of SHOULD requirements (without
--strict) and known failures from the baseline are reported as skipped with the reason, so a CI job that
gates on JUnit agrees with the harness's exit code. A requirement no check covered still gets a skipped
testcase named after it, so every ID shows up on the dashboard.

CI viewers differ in what they show. Jenkins shows a failure's `message` as the error and its text as the
details; GitLab shows only the text, in a small window; GitHub's test-report actions show both. So the
message is one line in plain words (the requirement's plain title and what the check found), and the text
repeats it before the clause that broke, why the rule matters and the evidence, most useful first.
Testcases are named in words, and each name is unique, as GitLab keeps only the first of a name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..results import CheckResult, RequirementVerdict, RunReport
from .text import check_title, failed_clauses, printable, reason, shown

SUITE_NAME = "nyc-hiring-conformance"
_SEVERITY = {"pass": 0, "skip": 1, "warn": 2, "fail": 3}
WARNING = "a warning: a SHOULD requirement fails the run only under --strict"
KNOWN = "a known failure, listed in the baseline"


@dataclass
class Case:
    """One testcase: a check with every requirement it serves, or a requirement no check covered."""

    check: CheckResult | None
    verdicts: list[RequirementVerdict] = field(default_factory=list)
    incomplete: bool = False  # it could not show a MUST the run needed shown, and the exit code fails for it
    name: str = ""

    @property
    def blocking(self) -> bool:
        """A failure of this check's own step, for a requirement whose failure fails the run."""
        check = self.check
        return check is not None and any(
            v.blocking and check.outcome_for(v.requirement.id)[0] == "failed" for v in self.verdicts
        )

    @property
    def verdict(self) -> RequirementVerdict:
        """The requirement verdict that matters most for this testcase (a blocking failure first)."""
        return max(self.verdicts, key=lambda v: (v.blocking, _SEVERITY[v.verdict]))

    @property
    def failed(self) -> RequirementVerdict:
        """The requirement this check failed: its failing step's, else the one that matters most."""
        check = self.check
        mine = [v for v in self.verdicts if check is not None and check.outcome_for(v.requirement.id)[0] == "failed"]
        return max(mine, key=lambda v: (v.blocking, _SEVERITY[v.verdict])) if mine else self.verdict


def cases(report: RunReport) -> list[Case]:
    """Each check once, even when it serves several requirements, in catalog order of first appearance."""
    by_node: dict[str, Case] = {}
    found: list[Case] = []
    for verdict in report.verdicts:
        if not verdict.checks:
            requirement = verdict.requirement
            found.append(Case(None, [verdict], name=f"{requirement.id}: {requirement.plain_title}"))
        for check in verdict.checks:
            if check.nodeid not in by_node:
                by_node[check.nodeid] = Case(check, name=check_title(check))
                found.append(by_node[check.nodeid])
            by_node[check.nodeid].verdicts.append(verdict)
    _unique_names(found)
    return found


def _unique_names(found: list[Case]) -> None:
    """Two checks whose names read alike in words are numbered, in the order they ran."""
    seen: dict[str, int] = {}
    for case in found:
        seen[case.name] = seen.get(case.name, 0) + 1
        if seen[case.name] > 1:
            case.name = f"{case.name} ({seen[case.name]})"


def not_met(verdict: RequirementVerdict) -> str:
    """`SIG-004 (MUST) not met: <plain title>`: which rule, in words."""
    requirement = verdict.requirement
    return f"{requirement.id} ({requirement.level}) not met: {requirement.plain_title}"


def softened_reason(case: Case) -> str:
    """Why a failed check does not fail the run: a SHOULD warning, a baseline entry, or both."""
    labels = []
    if any(v.known_failure for v in case.verdicts):
        labels.append(KNOWN)
    if any(v.verdict == "warn" for v in case.verdicts):
        labels.append(WARNING)
    why = "; ".join(labels or ["a failure that does not fail the run"])
    return f"{not_met(case.failed)} ({why}). {_found(case)}"


def write_junit(report: RunReport, path: Path) -> Path:
    """Write junit.xml: `<testsuites>` around the one suite, as pytest writes it, which every CI tool reads."""
    all_cases = cases(report)
    if report.status == "incomplete" and report.exit_code != 0:
        for case in all_cases:
            ran = case.check is not None and case.check.outcome != "skipped"
            case.incomplete = not ran and any(v.unchecked and not v.in_baseline for v in case.verdicts)
    root = ET.Element("testsuites", _counts(report, all_cases))
    suite = ET.SubElement(
        root, "testsuite", {"name": SUITE_NAME, **_counts(report, all_cases), "timestamp": printable(report.started_at)}
    )
    _properties(
        suite,
        [
            ("target", report.target),
            ("status", report.status),
            ("exitCode", str(report.exit_code)),
            *((f"version.{name}", value) for name, value in report.versions.items()),
        ],
    )
    for case in all_cases:
        _testcase(suite, case)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path


def _counts(report: RunReport, all_cases: list[Case]) -> dict[str, str]:
    failures = sum(case.blocking or case.incomplete for case in all_cases)
    passed = sum(1 for case in all_cases if case.check is not None and case.check.outcome == "passed")
    return {
        "tests": str(len(all_cases)),
        "failures": str(failures),
        "errors": "0",
        "skipped": str(len(all_cases) - failures - passed),
        "time": f"{report.duration_seconds:.3f}",
    }


def _testcase(suite: ET.Element, case: Case) -> None:
    """classname `conformance.<group>: <group title>`: Jenkins lists it as a class of the package."""
    requirement = case.verdicts[0].requirement
    attributes = {
        "classname": printable(f"conformance.{requirement.group}: {requirement.group_title}"),
        "name": printable(case.name),
    }
    attributes["time"] = f"{case.check.duration:.3f}" if case.check else "0.000"
    element = ET.SubElement(suite, "testcase", attributes)
    levels = {v.requirement.level for v in case.verdicts}
    properties = [("requirement", v.requirement.id) for v in case.verdicts]
    properties += [("level", "MUST" if "MUST" in levels else "SHOULD"), ("verdict", case.verdict.verdict)]
    if case.verdict.known_failure:
        properties.append(("knownFailure", "true"))
    _properties(element, properties)
    _outcome(element, case)


def _outcome(element: ET.Element, case: Case) -> None:
    check = case.check
    if case.incomplete:
        verdict = next(v for v in case.verdicts if v.unchecked)
        why = shown(check.message, check) if check is not None and check.message else reason(verdict) or "no check ran"
        message = (
            f"{verdict.requirement.id} (MUST) could not be checked, so the run is incomplete: "
            f"{verdict.requirement.plain_title}. Why: {why}"
        )
        _child(element, "failure", message, _details(message, verdict, check))
    elif check is None:
        _child(element, "skipped", reason(case.verdicts[0]) or "no check ran")
    elif check.outcome == "skipped":
        _child(element, "skipped", shown(check.message, check) or "skipped")
    elif case.blocking:
        message = f"{not_met(case.failed)}. {_found(case)}"
        _child(element, "failure", message, _details(message, case.failed, check), kind=case.failed.requirement.id)
    elif check.outcome == "failed":
        message = softened_reason(case)
        _child(element, "skipped", message, _details(message, case.failed, check))


def _found(case: Case) -> str:
    """What the check found, in words: its plain name and its message."""
    assert case.check is not None
    message = shown(case.check.message, case.check)
    return f"{case.name}: {message}" if message else case.name


def _details(message: str, verdict: RequirementVerdict, check: CheckResult | None) -> str:
    """The failure's text: the message again (GitLab shows only this), then the rule and the evidence."""
    requirement = verdict.requirement
    lines = [message, ""]
    lines += [f"Part of the rule not met: {clause.text}" for clause in failed_clauses(verdict)]
    lines += [
        f"Requirement {requirement.id} ({requirement.level}), {requirement.group_title}: {requirement.plain_title}",
        f"The contract's words: {requirement.title}",
        f"Why it matters: {requirement.rationale}",
    ]
    evidence = check.evidence if check is not None else []
    for number, item in enumerate(evidence, start=1):
        lines += ["", *_exchange(item, number, len(evidence))]
    return "\n".join(lines)


def _exchange(item: dict[str, Any], number: int, total: int) -> list[str]:
    request, response = item.get("request", {}), item.get("response", {})
    status = response.get("status")
    answer = f"HTTP {status}" if status is not None else f"no answer: {response.get('error') or 'unknown error'}"
    lines = [
        f"Exchange {number} of {total}: {request.get('method', '')} {request.get('url', '')} -> {answer}",
        *_message(">", request),
        *_message("<", response),
    ]
    if item.get("curl"):
        lines += ["Reproduce:", str(item["curl"])]
    return lines


def _message(mark: str, message: dict[str, Any]) -> list[str]:
    """Headers, then the body, each line marked as curl -v marks what was sent (>) and received (<)."""
    lines = [f"{name}: {value}" for name, value in message.get("headers", {}).items()]
    body = str(message.get("body") or "")
    if body:
        lines += ["", *body.splitlines()]
    return [f"{mark} {line}".rstrip() for line in lines]


def _child(parent: ET.Element, tag: str, message: str, text: str = "", kind: str = "") -> None:
    attributes = {"message": printable(message)}
    if kind:
        attributes["type"] = printable(kind)
    child = ET.SubElement(parent, tag, attributes)
    if text:
        child.text = printable(text)


def _properties(parent: ET.Element, pairs: list[tuple[str, str]]) -> None:
    holder = ET.SubElement(parent, "properties")
    for name, value in pairs:
        ET.SubElement(holder, "property", {"name": printable(name), "value": printable(value)})
