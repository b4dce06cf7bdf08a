"""junit.xml: the run as CI dashboards read it, one testcase per check, keyed to requirement IDs.

A testcase fails only when the run fails because of it: failures of SHOULD requirements (without
--strict) and known failures from the baseline are reported as skipped with the reason, so a CI job that
gates on JUnit agrees with the harness's exit code. A requirement no check covered still gets a skipped
testcase named after its ID, so every ID shows up on the dashboard.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..results import CheckResult, RequirementVerdict, RunReport

SUITE_NAME = "nyc-hiring-conformance"
# Assertion messages can carry terminal colour codes, and XML 1.0 cannot carry the other control characters
# at all (not even as character references): without this a report no parser accepts would be written.
_ANSI = re.compile("\x1b\\[[0-9;?]*[A-Za-z]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SEVERITY = {"pass": 0, "skip": 1, "warn": 2, "fail": 3}
WARNING = "SHOULD not met (a warning; --strict makes it fail)"
KNOWN = "known failure listed in the baseline"


@dataclass
class Case:
    """One testcase: a check with every requirement it serves, or a requirement no check covered."""

    check: CheckResult | None
    verdicts: list[RequirementVerdict] = field(default_factory=list)
    incomplete: bool = False  # it could not show a MUST the run needed shown, and the exit code fails for it

    @property
    def blocking(self) -> bool:
        """A failure of this check's own step, for a requirement whose failure fails the run."""
        check = self.check
        return check is not None and any(v.blocking and check.outcome_for(v.requirement.id)[0] == "failed"
                                         for v in self.verdicts)

    @property
    def name(self) -> str:
        return self.check.name if self.check else self.verdicts[0].requirement.id

    @property
    def verdict(self) -> RequirementVerdict:
        """The requirement verdict that matters most for this testcase (a blocking failure first)."""
        return max(self.verdicts, key=lambda v: (v.blocking, _SEVERITY[v.verdict]))


def cases(report: RunReport) -> list[Case]:
    """Each check once, even when it serves several requirements, in catalog order of first appearance."""
    by_node: dict[str, Case] = {}
    found: list[Case] = []
    for verdict in report.verdicts:
        if not verdict.checks:
            found.append(Case(None, [verdict]))
        for check in verdict.checks:
            if check.nodeid not in by_node:
                by_node[check.nodeid] = Case(check)
                found.append(by_node[check.nodeid])
            by_node[check.nodeid].verdicts.append(verdict)
    return found


def softened_reason(case: Case) -> str:
    """Why a failed check does not fail the run: a SHOULD warning, a baseline entry, or both."""
    labels = []
    if any(v.known_failure for v in case.verdicts):
        labels.append(KNOWN)
    if any(v.verdict == "warn" for v in case.verdicts):
        labels.append(WARNING)
    message = case.check.message if case.check else ""
    return "; ".join(labels or ["failure that does not fail the run"]) + (f": {message}" if message else "")


def write_junit(report: RunReport, path: Path) -> Path:
    """Write junit.xml: `<testsuites>` around the one suite, as pytest writes it, which every CI tool reads."""
    all_cases = cases(report)
    if report.status == "incomplete" and report.exit_code != 0:
        for case in all_cases:
            shown = case.check is not None and case.check.outcome != "skipped"
            case.incomplete = not shown and any(v.unchecked and not v.in_baseline for v in case.verdicts)
    root = ET.Element("testsuites", _counts(report, all_cases))
    suite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, **_counts(report, all_cases),
                                               "timestamp": printable(report.started_at)})
    _properties(suite, [("target", report.target), ("status", report.status), ("exitCode", str(report.exit_code)),
                        *((f"version.{name}", value) for name, value in report.versions.items())])
    for case in all_cases:
        _testcase(suite, case)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path


def _counts(report: RunReport, all_cases: list[Case]) -> dict[str, str]:
    failures = sum(case.blocking or case.incomplete for case in all_cases)
    passed = sum(1 for case in all_cases if case.check is not None and case.check.outcome == "passed")
    return {"tests": str(len(all_cases)), "failures": str(failures), "errors": "0",
            "skipped": str(len(all_cases) - failures - passed), "time": f"{report.duration_seconds:.3f}"}


def _testcase(suite: ET.Element, case: Case) -> None:
    group = case.verdicts[0].requirement.group
    attributes = {"classname": f"conformance.{group}", "name": printable(case.name)}
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
        reason = check.message if check is not None and check.message else verdict.reason or "no check ran"
        _child(element, "failure", f"{verdict.requirement.id} could not be checked, so the run is incomplete: "
               f"{reason}", "")
    elif check is None:
        _child(element, "skipped", case.verdicts[0].reason or "no check ran", "")
    elif check.outcome == "skipped":
        _child(element, "skipped", check.message or "skipped", "")
    elif case.blocking:
        _child(element, "failure", check.message or "failed", _failure_text(check))
    elif check.outcome == "failed":
        _child(element, "skipped", softened_reason(case), _failure_text(check))


def _failure_text(check: CheckResult) -> str:
    curls = [item["curl"] for item in check.evidence if item.get("curl")]
    text = check.message or "failed"
    if curls:
        text += "\n\nReproduce:\n" + "\n".join(curls)
    return text


def _child(parent: ET.Element, tag: str, message: str, text: str) -> None:
    child = ET.SubElement(parent, tag, {"message": printable(message)})
    if text:
        child.text = printable(text)


def _properties(parent: ET.Element, pairs: list[tuple[str, str]]) -> None:
    holder = ET.SubElement(parent, "properties")
    for name, value in pairs:
        ET.SubElement(holder, "property", {"name": printable(name), "value": printable(value)})


def printable(text: str) -> str:
    """Text safe to put in XML or HTML: colour codes dropped, other control characters made visible."""
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", _ANSI.sub("", text))
