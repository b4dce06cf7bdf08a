"""report.html: the run for a reader without tools, such as a compliance officer or an auditor.

One self-contained file: inline CSS, no script, no fonts or images to fetch, so it can be archived,
mailed and opened offline years later and still reads the same. Every verdict is spelled out in words
beside its colour (colour alone fails readers with colour-blindness and black-and-white printouts), and
every value that came from the target or a check is escaped: a deployment's response is untrusted text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from ..results import CheckResult, RequirementVerdict, RunReport, counts
from .junit import printable

# The contract's section titles (§ 3), so the table reads as the contract does.
GROUP_TITLES = {
    "AUTH": "API keys",
    "SIG": "Webhook signatures",
    "IDEM": "Duplicates and idempotency",
    "EVT": "Validation and robustness",
    "EXPL": "Explanation presence",
    "MSG": "The candidate message",
    "MEMO": "The internal memo",
}
LABELS = {"pass": "Pass", "fail": "Fail", "warn": "Warning", "skip": "Not checked"}
LEGEND = [
    ("pass", "Pass", "every check of the requirement ran and none failed."),
    ("fail", "Fail", "the requirement is not met; a failed MUST makes the deployment non-compliant."),
    ("known", "Fail (known)", "not met, but listed in the run's baseline of known failures: it does not fail the run."),
    ("warn", "Warning", "a SHOULD requirement is not met; it fails the run only in strict mode."),
    ("skip", "Not checked", "no check could run (the reason says why, e.g. a missing credential); not a pass."),
]
_CODE = re.compile(r"`([^`]+)`")

CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       background: #fff; margin: 0 auto; padding: 1.5rem; max-width: 72rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; } h2 { margin-top: 2rem; border-bottom: 2px solid #ddd; }
h3 { margin-bottom: .25rem; } h4 { margin: 1rem 0 .25rem; } h5 { font-size: 1rem; margin: .75rem 0 .25rem; }
code, pre { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .5rem; white-space: pre-wrap;
      overflow-wrap: anywhere; margin: .25rem 0 .75rem; }
pre.curl { background: #f0f4ff; border-color: #9bb0e0; user-select: all; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td:first-child, td:nth-child(2) { white-space: nowrap; }
td:last-child { overflow-wrap: anywhere; }
tr.group th { background: #eee; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-weight: 700; white-space: nowrap;
         border: 1px solid; }
.pass { background: #e3f4e5; color: #0b5d1e; border-color: #0b5d1e; }
.fail { background: #fde4e4; color: #8a1010; border-color: #8a1010; }
.known { background: #f3e8fb; color: #5b2a86; border-color: #5b2a86; }
.warn { background: #fff2d6; color: #7a4a00; border-color: #7a4a00; }
.skip { background: #ececec; color: #444; border-color: #666; }
.overall { font-size: 1.3rem; padding: .4rem .8rem; }
article.requirement { border-left: 4px solid #ccc; padding-left: 1rem; margin: 1.5rem 0; }
article.v-fail { border-left-color: #8a1010; } article.v-warn { border-left-color: #7a4a00; }
article.v-known { border-left-color: #5b2a86; }
ul.legend { margin-top: 0; } ul.legend li { margin: .2rem 0; }
section.check { margin-left: .5rem; }
@media print { body { max-width: none; padding: 0; } pre { break-inside: auto; }
               article.requirement { break-inside: avoid-page; } a { color: inherit; text-decoration: none; } }
"""


def write_html(report: RunReport, path: Path) -> Path:
    """Write report.html; UTF-8 declared in the file too, so a browser opening it from disk reads it right."""
    path.write_text(render(report), encoding="utf-8")
    return path


def render(report: RunReport) -> str:
    title = f"NYC hiring-compliance conformance: {report.target}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{CSS}</style></head>",
        "<body>",
        _header(report),
        "<main>",
        _table(report.verdicts),
        _details(report.verdicts),
        "</main>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


STATUS_BADGES = {"compliant": ("pass", "Compliant"), "not compliant": ("fail", "Not compliant"),
                 "incomplete": ("skip", "Incomplete"), "partial": ("skip", "Partial run")}


def _header(report: RunReport) -> str:
    css, label = STATUS_BADGES[report.status]
    overall = f'<p><span class="badge overall {css}">{label}</span> {_counts_text(report)}</p>'
    if report.unchecked:
        listed = ", ".join(verdict.requirement.id for verdict in report.unchecked)
        overall += (f"<p><strong>Incomplete:</strong> these MUST requirements could not be checked, so the "
                    f"deployment is not shown compliant: {_esc(listed)} (the reason is given for each).</p>")
    if report.status == "partial":
        overall += ("<p><strong>Partial run:</strong> only the requirements selected with --requirement were "
                    "checked.</p>")
    meta = [
        ("Target", report.target),
        ("Started", report.started_at),
        ("Finished", report.finished_at),
        ("Duration", f"{report.duration_seconds:.1f} s"),
        ("Options", ", ".join(f"{name}: {_plain(value)}" for name, value in report.options.items()) or "none"),
        ("Versions", ", ".join(f"{name} {value}" for name, value in report.versions.items()) or "unknown"),
    ]
    rows = "".join(f"<dt>{_esc(name)}</dt><dd>{_esc(value)}</dd>" for name, value in meta)
    legend = "".join(f'<li><span class="badge {css}">{_esc(label)}</span> {_esc(text)}</li>'
                     for css, label, text in LEGEND)
    return (f"<header><h1>NYC Local Law 144 hiring-compliance conformance report</h1>{overall}"
            f'<dl class="meta">{rows}</dl><p>What the verdicts mean:</p><ul class="legend">{legend}</ul></header>')


def _counts_text(report: RunReport) -> str:
    total = counts(report.verdicts)
    known = sum(1 for verdict in report.verdicts if verdict.known_failure)
    text = (f"{len(report.verdicts)} requirements: {total['pass']} pass, {total['fail']} fail"
            f"{f' ({known} known)' if known else ''}, {total['warn']} warning, {total['skip']} not checked")
    return _esc(text)


def _table(all_verdicts: list[RequirementVerdict]) -> str:
    rows: list[str] = []
    group = None
    for verdict in all_verdicts:
        requirement = verdict.requirement
        if requirement.group != group:
            group = requirement.group
            name = GROUP_TITLES.get(group, group)
            rows.append(f'<tr class="group"><th colspan="5">{_esc(group)}: {_esc(name)}</th></tr>')
        ident = _esc(requirement.id)
        if _detailed(verdict):
            ident = f'<a href="#{_anchor(requirement.id)}">{ident}</a>'
        rows.append(f"<tr><td>{ident}</td><td>{_esc(requirement.level)}</td><td>{_prose(requirement.title)}</td>"
                    f"<td>{badge(verdict)}</td><td>{_esc(verdict.reason)}</td></tr>")
    head = "<tr><th>ID</th><th>Level</th><th>Requirement</th><th>Verdict</th><th>Reason</th></tr>"
    return f"<section><h2>Requirements</h2><table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></section>"


def badge(verdict: RequirementVerdict) -> str:
    css = "known" if verdict.known_failure else verdict.verdict
    label = "Fail (known)" if verdict.known_failure else LABELS[verdict.verdict]
    return f'<span class="badge {css}">{_esc(label)}</span>'


def _detailed(verdict: RequirementVerdict) -> bool:
    return verdict.verdict in ("fail", "warn")


def fix_order(verdict: RequirementVerdict) -> tuple[bool, bool, bool]:
    """Sort key for what to fix first: failures that fail the run (MUSTs first), known failures, warnings."""
    return (not verdict.blocking, verdict.requirement.level != "MUST", verdict.verdict == "warn")


def _details(all_verdicts: list[RequirementVerdict]) -> str:
    shown = [verdict for verdict in all_verdicts if _detailed(verdict)]
    if not shown:
        return "<section><h2>Failures and warnings</h2><p>No requirement failed or warned.</p></section>"
    shown.sort(key=fix_order)
    articles = "".join(_requirement_section(verdict) for verdict in shown)
    return f"<section><h2>Failures and warnings, with evidence</h2>{articles}</section>"


def _requirement_section(verdict: RequirementVerdict) -> str:
    requirement = verdict.requirement
    css = "known" if verdict.known_failure else verdict.verdict
    outcomes = [(check, *check.outcome_for(requirement.id)) for check in verdict.checks]
    failed = [check for check, outcome, _ in outcomes if outcome == "failed"]
    others = [(check, outcome, message) for check, outcome, message in outcomes if outcome != "failed"]
    parts = [
        f'<article class="requirement v-{css}" id="{_anchor(requirement.id)}">',
        f"<h3>{_esc(requirement.id)} ({_esc(requirement.level)}) {badge(verdict)}</h3>",
        f"<p>{_prose(requirement.title)}</p>",
        f"<p><strong>Why it matters:</strong> {_prose(requirement.rationale)}</p>",
        f"<p><strong>Source:</strong> {_prose(requirement.source)}</p>",
        _clauses(verdict),
        *(_check_section(check) for check in failed),
    ]
    if others:
        listed = "".join(f"<li>{_esc(check.name)}: {_esc(outcome)}"
                         f"{': ' + _esc(message) if message else ''}</li>" for check, outcome, message in others)
        parts.append(f"<h4>Other checks of this requirement</h4><ul>{listed}</ul>")
    parts.append("</article>")
    return "".join(parts)


def _clauses(verdict: RequirementVerdict) -> str:
    """What each part of the requirement came to, so a reader sees what broke and what was not shown."""
    rows = "".join(f'<li class="clause c-{status.replace(" ", "-")}"><strong>{_esc(status)}</strong>: '
                   f"{_prose(clause.text)}</li>" for clause, status in verdict.clause_statuses())
    return f"<h4>Its parts</h4><ul>{rows}</ul>" if rows else ""


def _check_section(check: CheckResult) -> str:
    parts = [
        '<section class="check">',
        f"<h4>Check failed: {_esc(check.name)}</h4>",
        f"<p><code>{_esc(check.nodeid)}</code></p>",
        f"<pre>{_esc(check.message or 'failed')}</pre>",
    ]
    if not check.evidence:
        parts.append("<p>No HTTP exchange was recorded for this check.</p>")
    for number, item in enumerate(check.evidence, start=1):
        parts.append(_evidence(item, number, len(check.evidence)))
    parts.append("</section>")
    return "".join(parts)


def _evidence(item: dict[str, Any], number: int, total: int) -> str:
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
        parts += ["<p>Reproduce (run in a shell where the credential variables are set):</p>",
                  f'<pre class="curl">{_esc(item["curl"])}</pre>']
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


def _prose(text: str) -> str:
    """Catalog text marks literals with backticks; show them as code (after escaping, so nothing leaks)."""
    return _CODE.sub(r"<code>\1</code>", _esc(text))


def _esc(value: Any) -> str:
    return escape(printable(str(value)))


def _anchor(requirement_id: str) -> str:
    return "req-" + re.sub(r"[^A-Za-z0-9-]", "-", requirement_id)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
