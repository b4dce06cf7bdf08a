"""The per-requirement table printed at the end of a run, then what to fix first.

The terminal is where a developer looks first. Every line fits the terminal's width: reasons wrap, never
cut, and a command (a saved case's replay, a curl reproduction) is printed whole on a line of its own, so
it can be copied and run as it is. Payloads stay in the report files the last lines name: a reproduction
that carries one is pointed to, not printed.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from ..results import RequirementVerdict, RunReport, counts
from .text import failed_clauses, first_curl, plural, printable, reason, replay_commands, to_fix

SYMBOLS = {"pass": "PASS", "fail": "FAIL", "warn": "WARN", "skip": "SKIP"}
SHORT_CURL = 200  # longer, and a reproduction carries a payload: only the reports show it
MIN_REASON = 30  # narrower than this beside the row, and a reason goes under it instead
_ID, _LEVEL, _VERDICT = 12, 7, 13
_FIX_INDENT = " " * 6  # under the requirement ID of a numbered line


def terminal_width() -> int:
    """The width pytest writes to (the COLUMNS variable, else the terminal's), 80 when neither says."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return columns if columns >= 40 else 80


def summary_lines(report: RunReport, written: list[Path], width: int | None = None) -> list[str]:
    """Every line of the summary, none wider than `width` (the terminal's by default) but for a command
    longer than the terminal is wide, which is printed whole rather than cut."""
    width = width or terminal_width()
    return [
        *_header(report, width),
        *_table(report, width),
        *_fixes(report, written, width),
        *_footer(report, written, width),
    ]


def _header(report: RunReport, width: int) -> list[str]:
    strict = " strict (SHOULD failures fail)," if report.options.get("strict") else ""
    baseline = report.options.get("baseline")
    known = f" baseline {baseline}," if baseline else ""
    return [
        "",
        *_wrap(f"NYC hiring-compliance conformance: {report.target}", width),
        *_wrap(f"started {report.started_at},{strict}{known} took {report.duration_seconds:.1f} s", width),
        "",
    ]


def label(verdict: RequirementVerdict) -> str:
    return SYMBOLS[verdict.verdict] + (" (known)" if verdict.known_failure else "")


def _table(report: RunReport, width: int) -> list[str]:
    start = f"{'requirement':<{_ID}} {'level':<{_LEVEL}} {'verdict':<{_VERDICT}} "
    lines = [start + "reason" if width - len(start) >= MIN_REASON else start.rstrip()]
    group = None
    for verdict in report.verdicts:
        requirement = verdict.requirement
        if requirement.group != group:
            group = requirement.group
            title = f"-- {group}: {requirement.group_title} "
            lines += [title + "-" * (width - len(title))] if len(title) < width - 3 else _wrap(title, width)
        start = f"{requirement.id:<{_ID}} {requirement.level:<{_LEVEL}} {label(verdict):<{_VERDICT}} "
        lines += _beside(start, reason(verdict), width)
    return lines


def _fixes(report: RunReport, written: list[Path], width: int) -> list[str]:
    """Failures and warnings, most urgent first: the rule in words, the part not met, how to see it again."""
    todo = to_fix(report)
    if not todo:
        return []
    lines = ["", f"What to fix ({len(todo)}), most urgent first:"]
    for number, verdict in enumerate(todo, start=1):
        requirement = verdict.requirement
        heading = f"{requirement.id} ({requirement.level}, {label(verdict).lower()}): {requirement.plain_title}"
        lines += _wrap(heading, width, _FIX_INDENT, first=f"{number:>4}. ")
        for clause in failed_clauses(verdict):
            lines += _wrap(f"not met: {clause.text}", width, _FIX_INDENT)
        lines += _reproduction(verdict, written, width)
    return lines


def _reproduction(verdict: RequirementVerdict, written: list[Path], width: int) -> list[str]:
    """A short curl whole, on its own line; a long one (it carries a payload) is only pointed to."""
    curl = first_curl(verdict)
    if not curl:
        return []
    if len(curl) <= SHORT_CURL:
        return [_FIX_INDENT + printable(curl)]
    where = next((path.name for path in written if path.suffix == ".html"), "report.html")
    return _wrap(
        f"reproduce: the curl command, with its payload, is in {where} under {verdict.requirement.id}",
        width,
        _FIX_INDENT,
    )


def _footer(report: RunReport, written: list[Path], width: int) -> list[str]:
    total = counts(report.verdicts)
    known = sum(1 for verdict in report.verdicts if verdict.known_failure)
    line = (
        f"{status_line(report)}: {total['pass']} pass, {total['fail']} fail"
        f"{f' ({known} known)' if known else ''}, {total['warn']} warn, {total['skip']} skip"
    )
    return ["", *_wrap(line, width), *(f"report: {path}" for path in written)]


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
        shown = ", ".join(checked) if len(checked) <= 6 else plural(len(checked), "requirement")
        return f"PARTIAL (only {shown} checked, and met)"
    return "COMPLIANT"


def _beside(start: str, text: str, width: int) -> list[str]:
    """`start`, then `text` wrapped in the room left beside it; below it when the terminal is too narrow for
    anything but a short text."""
    if width - len(start) < MIN_REASON and len(start) + len(text) > width:
        return [start.rstrip(), *_wrap(text, width, "    ")]
    return _wrap(text, width, " " * len(start), first=start)


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """`text` wrapped to `width` after `first` (else `indent`), then at `indent`. A word longer than a line
    is split over lines, losing nothing; a command the text carries goes on a line of its own, whole."""
    text = " ".join(printable(text).split())
    lines: list[str] = []
    for command in replay_commands(text):
        before, _, text = text.partition(command)
        lines += _prose(before, width, indent, indent if lines else first)
        lines.append((indent if lines else first or indent) + command)
    lines += _prose(text, width, indent, indent if lines else first)
    return lines or [(first or indent).rstrip()]


def _prose(text: str, width: int, indent: str, first: str | None) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
