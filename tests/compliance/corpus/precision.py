"""Precision of the message rules on the corpus: false alarms and misses, clause by clause.

A false alarm blocks a compliant employer as surely as a miss lets a harmful message through, so
both are counted, per (requirement, clause) of the catalog, with the entries behind each count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from nyc_hiring.harness.catalog import load_catalog
from nyc_hiring.harness.compliance import MESSAGE_RULES

from .model import Entry, Pair


@dataclass
class ClauseTally:
    """What the rules did for one clause over the whole corpus."""

    expected: int = 0
    false_alarms: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.false_alarms and not self.misses


def message_clauses() -> list[Pair]:
    """Every clause of every MSG requirement, in catalog order."""
    return [
        (requirement.id, clause.id)
        for requirement in load_catalog().values()
        if requirement.id.startswith("MSG-")
        for clause in requirement.clauses
    ]


def found_pairs(entry: Entry, requirement: str | None = None) -> set[Pair]:
    """The (requirement, clause) pairs the rules report for one entry: every rule's, or one requirement's."""
    message, memo, request, context = entry.message(), entry.memo(), entry.request(), entry.context()
    rules = MESSAGE_RULES.values() if requirement is None else [MESSAGE_RULES[requirement]]
    return {
        (finding.requirement, finding.clause) for rule in rules for finding in rule(message, memo, request, context)
    }


def evaluate(corpus: Iterable[Entry], requirement: str | None = None) -> dict[Pair, ClauseTally]:
    """Per clause: how many entries expect a finding, and which entries got a false alarm or a miss.

    With a requirement, only its rule runs and only its clauses are tallied (a finding its rule reports
    for any other clause still counts, as a false alarm), so the tests can judge one rule at a time."""
    tallies = {pair: ClauseTally() for pair in message_clauses() if requirement in (None, pair[0])}
    for entry in corpus:
        found = found_pairs(entry, requirement)
        expect = {pair for pair in entry.expect if requirement in (None, pair[0])}
        for pair in expect:
            tallies.setdefault(pair, ClauseTally()).expected += 1
        for pair in sorted(found - expect):
            tallies.setdefault(pair, ClauseTally()).false_alarms.append(entry.id)
        for pair in sorted(expect - found):
            tallies[pair].misses.append(entry.id)
    return tallies


def uncovered(corpus: Iterable[Entry]) -> list[Pair]:
    """Catalog clauses that no entry is expected to break."""
    expected = {pair for entry in corpus for pair in entry.expect}
    return [pair for pair in message_clauses() if pair not in expected]


def report(tallies: dict[Pair, ClauseTally]) -> list[str]:
    """One line per clause, then a total line."""
    lines = []
    for (requirement, clause), tally in tallies.items():
        status = "ok" if tally.clean else "FAIL"
        line = f"{status:4} {requirement} {clause:<16} violations={tally.expected:<2}"
        line += f" false_alarms={len(tally.false_alarms)} misses={len(tally.misses)}"
        if tally.false_alarms:
            line += f"\n       false alarms: {', '.join(tally.false_alarms)}"
        if tally.misses:
            line += f"\n       misses: {', '.join(tally.misses)}"
        lines.append(line)
    alarms = sum(len(t.false_alarms) for t in tallies.values())
    misses = sum(len(t.misses) for t in tallies.values())
    lines.append(f"total: {alarms} false alarms, {misses} misses over {len(tallies)} clauses")
    return lines
