"""The per-requirement table printed at the end of a run, then what to fix first.

The terminal is where a developer looks first, so after the full table comes a short list of what failed,
blocking failures first, each with a curl line to reproduce it right away; the full evidence is in the
report files named at the end.
"""

from __future__ import annotations

from pathlib import Path

from ..results import RequirementVerdict, RunReport, counts
from .html import GROUP_TITLES, fix_order
from .junit import printable

SYMBOLS = {"pass": "PASS", "fail": "FAIL", "warn": "WARN", "skip": "SKIP"}
MAX_CURL = 1000
_ID, _LEVEL, _VERDICT = 12, 7, 13


def summary_lines(report: RunReport, written: list[Path], width: int = 100) -> list[str]:
    return [*_header(report), *_table(report, width), *_fixes(report, width), *_footer(report, written)]


def _header(report: RunReport) -> list[str]:
    strict = " strict (SHOULD failures fail)," if report.options.get("strict") else ""
    baseline = report.options.get("baseline")
    known = f" baseline {baseline}," if baseline else ""
    return ["", f"NYC hiring-compliance conformance: {report.target}",
            f"started {report.started_at},{strict}{known} took {report.duration_seconds:.1f} s", ""]


def label(verdict: RequirementVerdict) -> str:
    return SYMBOLS[verdict.verdict] + (" (known)" if verdict.known_failure else "")


def _row(verdict: RequirementVerdict, width: int) -> str:
    start = f"{verdict.requirement.id:<{_ID}} {verdict.requirement.level:<{_LEVEL}} {label(verdict):<{_VERDICT}} "
    return start + _cut(verdict.reason, max(width - len(start), 30))


def _table(report: RunReport, width: int) -> list[str]:
    lines = [f"{'requirement':<{_ID}} {'level':<{_LEVEL}} {'verdict':<{_VERDICT}} reason"]
    group = None
    for verdict in report.verdicts:
        if verdict.requirement.group != group:
            group = verdict.requirement.group
            title = f"-- {group}: {GROUP_TITLES.get(group, group)} "
            lines.append(title + "-" * max(width - len(title), 3))
        lines.append(_row(verdict, width))
    return lines


def _fixes(report: RunReport, width: int) -> list[str]:
    """Failures and warnings, blocking MUSTs first, then blocking SHOULDs, known failures, warnings."""
    todo = [verdict for verdict in report.verdicts if verdict.verdict in ("fail", "warn")]
    if not todo:
        return []
    todo.sort(key=fix_order)
    lines = ["", f"What to fix ({len(todo)}):"]
    for verdict in todo:
        lines.append("  " + _row(verdict, width - 2))
        curl = _first_curl(verdict)
        if curl:
            shown = curl if len(curl) <= MAX_CURL else curl[:MAX_CURL] + " ... (full command in the reports)"
            lines.append(f"      {shown}")
    return lines


def _first_curl(verdict: RequirementVerdict) -> str:
    for check in verdict.checks:
        if check.outcome_for(verdict.requirement.id)[0] == "failed":
            for item in check.evidence:
                if item.get("curl"):
                    return str(item["curl"])
    return ""


def _footer(report: RunReport, written: list[Path]) -> list[str]:
    total = counts(report.verdicts)
    known = sum(1 for verdict in report.verdicts if verdict.known_failure)
    lines = ["", f"{status_line(report)}: {total['pass']} pass, {total['fail']} fail"
             f"{f' ({known} known)' if known else ''}, {total['warn']} warn, {total['skip']} skip"]
    return lines + [f"report: {path}" for path in written]


def status_line(report: RunReport) -> str:
    """The verdict on the whole run, in the words every report uses, with why when it is not compliant."""
    status = report.status
    if status == "not compliant":
        blocking = sum(1 for verdict in report.verdicts if verdict.blocking)
        return f"NOT COMPLIANT ({blocking} failing outside the baseline)"
    if status == "incomplete":
        ids = ", ".join(verdict.requirement.id for verdict in report.unchecked)
        allowed = "; --allow-incomplete: not failing the run" if report.exit_code == 0 else ""
        return f"INCOMPLETE (MUST not checked: {ids}{allowed})"
    if status == "partial":
        checked = [verdict.requirement.id for verdict in report.verdicts if verdict.selected]
        shown = ", ".join(checked) if len(checked) <= 6 else f"{len(checked)} requirements"
        return f"PARTIAL (only {shown} checked, and met)"
    return "COMPLIANT"


def _cut(text: str, room: int) -> str:
    text = " ".join(printable(text).split())
    return text if len(text) <= room else text[: room - 3] + "..."
