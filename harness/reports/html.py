"""report.html: the run for a reader without tools, such as a compliance officer or an auditor.

The page answers the reader's questions in the order they ask them: is the deployment compliant (the
verdict opens the page), what failed and why it matters (each failure in plain words, most urgent first,
with the part of the rule that broke and the evidence), what could not be checked, and only then every
requirement and the details of the run. Every title and level comes from the catalog the verdicts carry.

One self-contained file: inline CSS, no script, no fonts or images to fetch, so it can be archived,
mailed and opened offline years later and still reads the same. Every verdict is spelled out in words
beside its colour (colour alone fails readers with colour-blindness and black-and-white printouts), and
every value that came from the target or a check is escaped: a deployment's response is untrusted text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from ..results import CheckResult, RequirementVerdict, RunReport, counts
from .text import (
    check_title,
    failed_clauses,
    failures,
    headline,
    plural,
    printable,
    reason,
    replay_commands,
    shown,
    to_fix,
)

LABELS = {"pass": "Pass", "fail": "Fail", "warn": "Warning", "skip": "Not checked"}
LEGEND = [
    ("pass", "Pass", "every check of the requirement ran and none failed."),
    ("fail", "Fail", "the requirement is not met; a failed MUST makes the deployment non-compliant."),
    ("known", "Fail (known)", "not met, but listed in the run's baseline of known failures: it does not fail the run."),
    ("warn", "Warning", "a SHOULD requirement is not met; it fails the run only in strict mode."),
    ("skip", "Not checked", "no check could run (the reason says why, e.g. a missing credential); not a pass."),
]
STATUS_CSS = {
    "compliant": "s-compliant",
    "not compliant": "s-not-compliant",
    "incomplete": "s-incomplete",
    "partial": "s-partial",
}
STATUS_MARKS = {"compliant": "✓", "not compliant": "✗", "incomplete": "!", "partial": "…"}
_CODE = re.compile(r"`([^`]+)`")

CSS = """
:root { color-scheme: light; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a;
       background: #fff; margin: 0 auto; padding: 1.5rem; max-width: 68rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid #ddd; }
h3 { font-size: 1.15rem; margin: .25rem 0 .75rem; line-height: 1.35; }
h4 { margin: 1.25rem 0 .25rem; } h5 { font-size: 1rem; margin: 1rem 0 .25rem; overflow-wrap: anywhere; }
code, pre { font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .5rem; white-space: pre-wrap;
      overflow-wrap: anywhere; margin: .25rem 0 .75rem; }
pre.command { background: #f0f4ff; border-color: #9bb0e0; user-select: all; }
a { color: #0b4f9c; }
.banner { border: 1px solid; border-left-width: .75rem; border-radius: 6px; padding: 1rem 1.5rem 1.25rem;
          -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.banner .eyebrow { margin: 0; font-size: .95rem; color: #333; }
.banner h1 { font-size: 2.4rem; line-height: 1.2; margin: .3rem 0 .5rem; }
.banner .lead { font-size: 1.15rem; margin: .25rem 0 .75rem; max-width: 52rem; }
.banner .checked { margin: 0; color: #333; overflow-wrap: anywhere; }
.s-compliant { background: #e3f4e5; border-color: #0b5d1e; } .s-compliant h1 { color: #0b5d1e; }
.s-not-compliant { background: #fde4e4; border-color: #8a1010; } .s-not-compliant h1 { color: #8a1010; }
.s-incomplete { background: #fff2d6; border-color: #7a4a00; } .s-incomplete h1 { color: #7a4a00; }
.s-partial { background: #ececec; border-color: #444; } .s-partial h1 { color: #333; }
ul.tally { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: 0; margin: .75rem 0 0; }
ul.tally b { font-size: 1.3rem; }
nav.toc { margin: 1rem 0 0; color: #333; } nav.toc a { margin-right: 1rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 3px; font-weight: 700; white-space: nowrap;
         border: 1px solid; font-size: .9rem; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.pass { background: #e3f4e5; color: #0b5d1e; border-color: #0b5d1e; }
.fail { background: #fde4e4; color: #8a1010; border-color: #8a1010; }
.known { background: #f3e8fb; color: #5b2a86; border-color: #5b2a86; }
.warn { background: #fff2d6; color: #7a4a00; border-color: #7a4a00; }
.skip { background: #ececec; color: #444; border-color: #666; }
article.finding { border: 1px solid #ccc; border-left: 6px solid #999; border-radius: 6px; padding: .75rem 1.25rem;
                  margin: 1.25rem 0; }
article.v-fail { border-left-color: #8a1010; } article.v-warn { border-left-color: #7a4a00; }
article.v-known { border-left-color: #5b2a86; } article.v-skip { border-left-color: #666; }
p.tags { margin: 0; color: #444; font-size: .95rem; }
dl.facts { display: grid; grid-template-columns: 14rem 1fr; gap: .4rem 1rem; margin: .5rem 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
dl.facts ul { margin: 0; padding-left: 1.1rem; } dl.facts dd > :first-child { margin-top: 0; }
dl.facts dd > :last-child { margin-bottom: 0; }
p.note { background: #f7f7f7; border-radius: 4px; padding: .35rem .6rem; }
details { margin: .5rem 0; } summary { cursor: pointer; color: #0b4f9c; }
details[open] > summary { margin-bottom: .5rem; }
ul.parts li { margin: .15rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .35rem .55rem; text-align: left; vertical-align: top; }
thead th:first-child { width: 50%; } thead th:nth-child(2) { width: 8rem; } td.verdict { white-space: nowrap; }
td.reason { overflow-wrap: anywhere; font-size: .95rem; }
td .rid { display: block; color: #555; font-size: .85rem; }
tr.group th { background: #eee; }
ul.legend { margin-top: 0; } ul.legend li { margin: .2rem 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .5rem; } }
@media print { body { max-width: none; padding: 0; } pre { break-inside: auto; } nav.toc { display: none; }
               article.finding { break-inside: avoid-page; } a { color: inherit; text-decoration: none; } }
"""


def write_html(report: RunReport, path: Path) -> Path:
    """Write report.html; UTF-8 declared in the file too, so a browser opening it from disk reads it right."""
    path.write_text(render(report), encoding="utf-8")
    return path


def render(report: RunReport) -> str:
    title = f"{headline(report).word}: NYC hiring-compliance conformance of {report.target}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{CSS}</style></head>",
        "<body>",
        _banner(report),
        _contents(report),
        "<main>",
        _failures(report),
        _unchecked(report),
        _table(report.verdicts),
        _about(report),
        "</main>",
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


# -- the verdict ----------------------------------------------------------------------------------------


def _banner(report: RunReport) -> str:
    """The run's verdict, first and largest: a word, a sentence on what it rests on, and the tally."""
    said = headline(report)
    total = counts(report.verdicts)
    tally = [
        (total["pass"], "met"),
        (total["fail"], "not met"),
        (total["warn"], "warning", "warnings"),
        (total["skip"], "not checked"),
    ]
    items = "".join(
        f"<li><b>{count}</b> {_esc(words[0] if count == 1 or len(words) == 1 else words[1])}</li>"
        for count, *words in tally
    )
    return (
        f'<header class="banner {STATUS_CSS[said.status]}">'
        '<p class="eyebrow">NYC Local Law 144 hiring-compliance conformance report</p>'
        f'<h1><span aria-hidden="true">{STATUS_MARKS[said.status]} </span>'
        f'<span class="verdict" id="verdict">{_esc(said.word)}</span></h1>'
        f'<p class="lead">{_esc(said.sentence)}</p>'
        f'<p class="checked">Deployment checked: <code>{_esc(report.target)}</code>, '
        f"{_esc(_when(report.started_at))}, in {report.duration_seconds:.1f} s.</p>"
        f'<ul class="tally" aria-label="Requirements by verdict">{items}</ul></header>'
    )


def _contents(report: RunReport) -> str:
    links = []
    if to_fix(report):
        links.append(("failures", f"What failed ({len(to_fix(report))})"))
    if report.unchecked:
        links.append(("unchecked", f"What could not be checked ({len(report.unchecked)})"))
    links += [("requirements", f"All {len(report.verdicts)} requirements"), ("about", "About this run")]
    anchors = "".join(f'<a href="#{anchor}">{_esc(text)}</a>' for anchor, text in links)
    return f'<nav class="toc" aria-label="On this page">On this page: {anchors}</nav>'


# -- what failed ----------------------------------------------------------------------------------------


def _failures(report: RunReport) -> str:
    todo = to_fix(report)
    if not todo:
        return ""
    cards = "".join(_failure(verdict) for verdict in todo)
    return (
        f'<section id="failures"><h2>What failed, most urgent first</h2>'
        f"<p>Each requirement not met, in plain words, with why it matters, the part of the rule that broke, "
        f"and the evidence a developer needs to reproduce it.</p>{cards}</section>"
    )


def _failure(verdict: RequirementVerdict) -> str:
    requirement = verdict.requirement
    failed = failures(verdict)
    broke = failed_clauses(verdict)
    facts = [
        (
            "Part of the rule not met",
            _list(clause.text for clause in broke)
            if broke
            else "<p>Not tied to one part: the check failed before reaching a step of the rule.</p>",
        ),
        ("What the check found", _found(*failed[0]) if failed else _esc(reason(verdict))),
        ("Why it matters", _prose(requirement.rationale)),
        ("The rule in the contract's words", _prose(requirement.title)),
        ("Source", _prose(requirement.source)),
    ]
    parts = [
        f'<article class="finding v-{_css(verdict)}" id="{_anchor(requirement.id)}">',
        _tags(verdict),
        f"<h3>{_esc(requirement.plain_title)}</h3>",
        _softened(verdict),
        '<dl class="facts">',
        *(f"<dt>{_esc(name)}</dt><dd>{value}</dd>" for name, value in facts),
        "</dl>",
    ]
    if failed:
        parts.append(_evidence_of(failed[0][0]))
    if len(failed) > 1:
        more = "".join(
            f"<section><h5>{_esc(check_title(check))}</h5>{_found(check, message)}{_evidence_of(check)}</section>"
            for check, message in failed[1:]
        )
        parts.append(
            f"<details><summary>{_esc(plural(len(failed) - 1, 'more check'))} failed this requirement"
            f"</summary>{more}</details>"
        )
    parts += [_parts(verdict), _others(verdict), "</article>"]
    return "".join(parts)


def _tags(verdict: RequirementVerdict) -> str:
    requirement = verdict.requirement
    return (
        f'<p class="tags">{badge(verdict)} <strong>{_esc(requirement.id)}</strong> · '
        f"{_esc(requirement.level)} · {_esc(requirement.group_title)}</p>"
    )


def _softened(verdict: RequirementVerdict) -> str:
    if verdict.known_failure:
        return '<p class="note">A known failure, listed in the baseline: it is shown, but does not fail the run.</p>'
    if verdict.verdict == "warn":
        return (
            '<p class="note">A SHOULD requirement: not meeting it is a warning, which fails the run only in '
            "strict mode.</p>"
        )
    return ""


def _found(check: CheckResult, message: str) -> str:
    """What a check found, in words; a saved case's replay command set apart, whole, ready to copy."""
    text = f"{check_title(check)}: {shown(message, check)}" if message else check_title(check)
    commands = replay_commands(text)
    for command in commands:
        text = text.replace(command, "").rstrip("; ")
    blocks = "".join(f'<p>Replay the saved case:</p><pre class="command">{_esc(command)}</pre>' for command in commands)
    return f"<p>{_esc(text)}</p>{blocks}"


def _evidence_of(check: CheckResult) -> str:
    """The exchanges behind a finding, folded away: the developer who needs them opens them, and the reader
    who does not still sees every finding on a screen or two."""
    if not check.evidence:
        return "<p>No exchange with the deployment was recorded for this check.</p>"
    exchanges = "".join(
        _exchange(item, number, len(check.evidence)) for number, item in enumerate(check.evidence, start=1)
    )
    return (
        f'<details class="evidence"><summary>Evidence: what was sent and what came back '
        f"({plural(len(check.evidence), 'exchange')}), and how to reproduce it</summary>"
        "<p>Credentials appear only as the names of the variables holding them.</p>"
        f"{exchanges}</details>"
    )


def _parts(verdict: RequirementVerdict) -> str:
    """What each part of the requirement came to, so a reader sees what broke and what was not shown."""
    rows = "".join(
        f'<li class="c-{status.replace(" ", "-")}"><strong>{_esc(status)}</strong>: {_prose(clause.text)}</li>'
        for clause, status in verdict.clause_statuses()
    )
    if not rows:
        return ""
    return (
        "<details><summary>Every part of this requirement, as this run found it</summary>"
        f'<ul class="parts">{rows}</ul></details>'
    )


def _others(verdict: RequirementVerdict) -> str:
    outcomes = [(check, *check.outcome_for(verdict.requirement.id)) for check in verdict.checks]
    others = [(check, outcome, message) for check, outcome, message in outcomes if outcome != "failed"]
    if not others:
        return ""
    items = "".join(
        f"<li>{_esc(check_title(check))}: {_esc(outcome)}{': ' + _esc(shown(message, check)) if message else ''}</li>"
        for check, outcome, message in others
    )
    return f"<details><summary>Other checks of this requirement ({len(others)})</summary><ul>{items}</ul></details>"


# -- what could not be checked --------------------------------------------------------------------------


def _unchecked(report: RunReport) -> str:
    if not report.unchecked:
        return ""
    cards = "".join(
        f'<article class="finding v-skip" id="{_anchor(verdict.requirement.id)}">{_tags(verdict)}'
        f"<h3>{_esc(verdict.requirement.plain_title)}</h3>"
        f'<dl class="facts"><dt>Why it was not checked</dt><dd>{_esc(reason(verdict))}</dd>'
        f"<dt>Why it matters</dt><dd>{_prose(verdict.requirement.rationale)}</dd></dl></article>"
        for verdict in report.unchecked
    )
    return (
        f'<section id="unchecked"><h2>What could not be checked</h2><p>These MUST requirements were neither '
        f"shown met nor shown broken, so the deployment cannot be called compliant until they are checked."
        f"</p>{cards}</section>"
    )


# -- every requirement ----------------------------------------------------------------------------------


def _table(all_verdicts: list[RequirementVerdict]) -> str:
    rows: list[str] = []
    group = None
    for verdict in all_verdicts:
        requirement = verdict.requirement
        if requirement.group != group:
            group = requirement.group
            rows.append(f'<tr class="group"><th colspan="3">{_esc(requirement.group_title)} ({_esc(group)})</th></tr>')
        ident = _esc(requirement.id)
        if verdict.verdict in ("fail", "warn") or verdict.unchecked:
            ident = f'<a href="#{_anchor(requirement.id)}">{ident}</a>'
        rows.append(
            f'<tr><td><span title="{_esc(requirement.title)}">{_esc(requirement.plain_title)}</span>'
            f'<span class="rid">{ident} · {_esc(requirement.level)}</span></td>'
            f'<td class="verdict">{badge(verdict)}</td><td class="reason">{_esc(reason(verdict))}</td></tr>'
        )
    legend = "".join(
        f'<li><span class="badge {css}">{_esc(label)}</span> {_esc(text)}</li>' for css, label, text in LEGEND
    )
    head = "<tr><th>Requirement</th><th>Verdict</th><th>Reason</th></tr>"
    return (
        f'<section id="requirements"><h2>All requirements</h2><p>What the verdicts mean:</p>'
        f'<ul class="legend">{legend}</ul><table><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
        "</section>"
    )


def badge(verdict: RequirementVerdict) -> str:
    label = "Fail (known)" if verdict.known_failure else LABELS[verdict.verdict]
    return f'<span class="badge {_css(verdict)}">{_esc(label)}</span>'


def _css(verdict: RequirementVerdict) -> str:
    return "known" if verdict.known_failure else verdict.verdict


# -- the run --------------------------------------------------------------------------------------------


def _about(report: RunReport) -> str:
    meta = [
        ("Target", report.target),
        ("Started", report.started_at),
        ("Finished", report.finished_at),
        ("Duration", f"{report.duration_seconds:.1f} s"),
        ("Options", ", ".join(f"{name}: {_plain(value)}" for name, value in report.options.items()) or "none"),
        ("Versions", ", ".join(f"{name} {value}" for name, value in report.versions.items()) or "unknown"),
    ]
    rows = "".join(f"<dt>{_esc(name)}</dt><dd>{_esc(value)}</dd>" for name, value in meta)
    return (
        f'<section id="about"><h2>About this run</h2><dl class="meta">{rows}</dl>'
        "<p>conformance.json beside this page holds the same run for tools, every exchange as sent; "
        "junit.xml holds it for CI dashboards.</p></section>"
    )


def _when(stamp: str) -> str:
    """`2026-11-28T10:00:00Z` as a person writes it; the stamp itself when it is not RFC 3339."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return stamp
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M} UTC"


# -- evidence -------------------------------------------------------------------------------------------


def _exchange(item: dict[str, Any], number: int, total: int) -> str:
    request, response = item.get("request", {}), item.get("response", {})
    status = response.get("status")
    outcome = f"HTTP {status}" if status is not None else f"no response: {response.get('error') or 'unknown error'}"
    parts = [
        f"<h5>Exchange {number} of {total}: {_esc(request.get('method', ''))} "
        f"{_esc(request.get('url', ''))} → {_esc(outcome)}</h5>",
        _message("Request", request),
        _message("Response", response),
    ]
    if item.get("curl"):
        parts += [
            "<p>Reproduce it (in a shell where the credential variables are set):</p>",
            f'<pre class="command">{_esc(item["curl"])}</pre>',
        ]
    return "".join(parts)


def _message(title: str, message: dict[str, Any]) -> str:
    """Headers, blank line, body, as on the wire; JSON bodies are indented so a reader can follow them."""
    body = str(message.get("body", ""))
    try:
        parsed = json.loads(body) if body.lstrip()[:1] in ("{", "[") else None
    except (ValueError, RecursionError):  # a hostile, deeply nested body stays as sent
        parsed = None
    if parsed is not None:
        body = json.dumps(parsed, indent=2, ensure_ascii=False)
        title += " (JSON body indented for reading; conformance.json holds it as sent)"
    return f"<p>{_esc(title)}</p><pre>{_headers(message.get('headers', {}).items())}{_esc(body)}</pre>"


def _headers(pairs: Iterable[tuple[str, Any]]) -> str:
    lines = "".join(f"{_esc(name)}: {_esc(value)}\n" for name, value in pairs)
    return lines + "\n" if lines else ""


# -- text -----------------------------------------------------------------------------------------------


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{_prose(item)}</li>" for item in items) + "</ul>"


def _prose(text: str) -> str:
    """Catalog text marks literals with backticks; show them as code (after escaping, so nothing leaks)."""
    return _CODE.sub(r"<code>\1</code>", _esc(text))


def _esc(value: Any) -> str:
    return escape(printable(str(value)))


def _anchor(requirement_id: str) -> str:
    return "req-" + re.sub(r"[^A-Za-z0-9-]", "-", requirement_id)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
