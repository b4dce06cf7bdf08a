"""What every report says alike: the run's verdict in words, a check named in plain words, a requirement's
reason, and messages made fit to show.

The reports are read by people who never saw the suite's code, so nothing here speaks of pytest: a check
is named by its function's name turned into words, never by its node ID, and values that a message
printed as Python literals are shown as JSON, the language of the API being checked.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Any

from ..catalog import Clause
from ..results import CheckResult, RequirementVerdict, RunReport, RunStatus

STATUS_WORDS: dict[RunStatus, str] = {
    "compliant": "Compliant",
    "not compliant": "Not compliant",
    "incomplete": "Incomplete",
    "partial": "Partial run",
}
# Words a check's name spells in lower case that a reader knows in another case.
PROPER = {
    "api": "API",
    "aedt": "AEDT",
    "greenhouse": "Greenhouse",
    "http": "HTTP",
    "id": "ID",
    "ids": "IDs",
    "json": "JSON",
    "lever": "Lever",
    "nyc": "NYC",
    "openapi": "OpenAPI",
    "sql": "SQL",
    "url": "URL",
    "utc": "UTC",
    "workday": "Workday",
    "zip": "ZIP",
}
# Assertion messages can carry terminal colour codes, and XML 1.0 cannot carry the other control characters
# at all (not even as character references): without this a report no parser accepts would be written.
_ANSI = re.compile("\x1b\\[[0-9;?]*[A-Za-z]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# A reproduction a message carries inline, always last (harness.openapi_fuzz writes one).
_INLINE_CURL = re.compile(r";?\s*reproduce: curl .*\Z", re.DOTALL)
_REPLAY = re.compile(r"python -m nyc_hiring.harness replay \S.*?(?=;\s|\Z)", re.DOTALL)
_LONGEST_LITERAL = 20_000


def printable(text: str) -> str:
    """Text safe to put in XML or HTML: colour codes dropped, other control characters made visible."""
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", _ANSI.sub("", text))


def check_title(check: CheckResult) -> str:
    """The check in plain words: `test_revoked_key_is_401[lever]` reads "Revoked key is 401 (lever)"."""
    name, _, case = check.name.partition("[")
    words = [PROPER.get(word, word) for word in name.removeprefix("test_").split("_") if word]
    title = " ".join(words) or check.name
    title = title[:1].upper() + title[1:]
    return f"{title} ({case.removesuffix(']')})" if case else title


def failures(verdict: RequirementVerdict) -> list[tuple[CheckResult, str]]:
    """The checks that failed this requirement, with their messages, in the order they ran."""
    found = []
    for check in verdict.checks:
        outcome, message = check.outcome_for(verdict.requirement.id)
        if outcome == "failed":
            found.append((check, message))
    return found


def reason(verdict: RequirementVerdict) -> str:
    """One line on why the verdict is what it is: the first failing check and what it found, how many
    checks passed, or why nothing could be checked."""
    failed = failures(verdict)
    if verdict.verdict in ("fail", "warn") and failed:
        check, message = failed[0]
        return f"{check_title(check)}: {shown(message, check)}" if message else check_title(check)
    if verdict.verdict == "pass":
        passed = sum(check.outcome_for(verdict.requirement.id)[0] == "passed" for check in verdict.checks)
        return f"{passed} check{'' if passed == 1 else 's'} passed"
    return shown(verdict.reason)


def shown(message: str, check: CheckResult | None = None) -> str:
    """A message as the reports show it: Python literals as JSON; and when `check`'s evidence holds the
    whole curl command, without the copy the message carries inline, which may have been cut to fit."""
    if check is not None and any(item.get("curl") for item in check.evidence):
        message = _INLINE_CURL.sub("", message)
    return readable(message)


def failed_clauses(verdict: RequirementVerdict) -> list[Clause]:
    """The parts of the requirement a check found broken this run."""
    return [clause for clause, status in verdict.clause_statuses() if status == "failed"]


def first_failed_clause(verdict: RequirementVerdict) -> Clause | None:
    """The clause the reason's failure broke (None when that check failed outside any step)."""
    failed = failures(verdict)
    clause_id = failed[0][0].failed_clause(verdict.requirement.id) if failed else None
    return next((clause for clause in verdict.requirement.clauses if clause.id == clause_id), None)


def fix_order(verdict: RequirementVerdict) -> tuple[bool, bool, bool]:
    """Sort key for what to fix first: failures that fail the run (MUSTs first), known failures, warnings."""
    return (not verdict.blocking, verdict.requirement.level != "MUST", verdict.verdict == "warn")


def to_fix(report: RunReport) -> list[RequirementVerdict]:
    """Failures and warnings, most urgent first."""
    return sorted((verdict for verdict in report.verdicts if verdict.verdict in ("fail", "warn")), key=fix_order)


def first_curl(verdict: RequirementVerdict) -> str:
    """The reproduction of the first failing check's exchange that has one."""
    for check, _ in failures(verdict):
        for item in check.evidence:
            if item.get("curl"):
                return str(item["curl"])
    return ""


def replay_commands(message: str) -> list[str]:
    """The `python -m nyc_hiring.harness replay ...` commands a message carries: a fix hint no report may cut."""
    return [match.group(0).rstrip() for match in _REPLAY.finditer(message)]


def plural(count: int, noun: str, many: str = "") -> str:
    return f"{count} {noun if count == 1 else many or noun + 's'}"


# -- Python literals to JSON ---------------------------------------------------------------------------


def readable(text: str) -> str:
    """Dicts and lists printed as Python literals (`{'a': None}`) shown as JSON (`{"a": null}`).

    Only a bracketed span that Python reads as a literal and JSON does not is rewritten, so prose, JSON
    already in a message and a path such as `/decision-events/{decisionEventId}` stay as they are.
    """
    parts: list[str] = []
    start = index = 0
    while index < len(text):
        end = _closing(text, index) if text[index] in "{[" else None
        converted = _as_json(text[index : end + 1]) if end is not None else None
        if end is not None and converted is not None:
            parts += [text[start:index], converted]
            start = index = end + 1
        else:
            index += 1
    return "".join([*parts, text[start:]])


def _closing(text: str, start: int) -> int | None:
    """Where the bracket opened at `start` closes, skipping quoted strings; None when it never does."""
    depth, quote, index = 0, "", start
    limit = min(len(text), start + _LONGEST_LITERAL)
    while index < limit:
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _as_json(span: str) -> str | None:
    try:
        json.loads(span)
        return None  # already JSON
    except (ValueError, RecursionError):
        pass
    try:
        value: Any = ast.literal_eval(span)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if not isinstance(value, dict | list | tuple | set):
        return None
    try:
        return json.dumps(_plain(value), ensure_ascii=False)
    except (TypeError, ValueError):
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key if isinstance(key, str) else json.dumps(_plain(key)): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=repr)
    return value


@dataclass(frozen=True)
class Headline:
    """The run's verdict as every report opens with it: the word, and a sentence on what it rests on."""

    status: RunStatus
    word: str
    sentence: str


def headline(report: RunReport) -> Headline:
    status = report.status
    blocking = sum(verdict.blocking for verdict in report.verdicts)
    unchecked = len(report.unchecked)
    if status == "not compliant":
        sentence = (
            f"{plural(blocking, 'requirement')} {'is' if blocking == 1 else 'are'} not met, so the "
            "deployment is not compliant."
        )
    elif status == "incomplete":
        sentence = (
            f"No requirement failed, but {plural(unchecked, 'MUST requirement')} could not be checked, "
            "so the deployment cannot be shown compliant."
        )
        if report.exit_code == 0:
            sentence += " The run was allowed to pass incomplete (--allow-incomplete or the baseline)."
    elif status == "partial":
        sentence = (
            "Only some requirements were selected for this run, and every one checked was met. "
            "Run the whole suite to judge compliance."
        )
    else:
        sentence = "Every MUST requirement was checked and met."
    return Headline(status, STATUS_WORDS[status], sentence + _asides(report))


def _asides(report: RunReport) -> str:
    warned = sum(verdict.verdict == "warn" for verdict in report.verdicts)
    known = sum(verdict.known_failure for verdict in report.verdicts)
    words = ""
    if warned:
        words += (
            f" {plural(warned, 'SHOULD requirement')} {'is' if warned == 1 else 'are'} not met: "
            "a warning, which fails the run only in strict mode."
        )
    if known:
        words += (
            f" {plural(known, 'known failure')} from the baseline {'is' if known == 1 else 'are'} "
            f"listed, but {'does' if known == 1 else 'do'} not fail the run."
        )
    return words
