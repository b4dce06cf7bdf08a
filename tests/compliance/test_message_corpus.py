"""The message rules judge the corpus exactly: no false alarm, no miss, clause by clause.

The corpus (tests/compliance/corpus) holds compliant messages written unlike any one generator and
messages that each break one clause subtly; bench/message_precision.py prints the same tally.
"""

from __future__ import annotations

import functools

import pytest

from nyc_hiring.harness.catalog import load_catalog
from nyc_hiring.harness.compliance import MESSAGE_RULES

from .corpus import CORPUS, ClauseTally, Pair, evaluate, message_clauses, uncovered


@functools.cache
def tallies_of(requirement: str) -> dict[Pair, ClauseTally]:
    """One rule over the whole corpus, once per process: judged when a test asks, not while collecting."""
    return evaluate(CORPUS, requirement)


@pytest.mark.parametrize("pair", message_clauses(), ids=lambda pair: f"{pair[0]}-{pair[1]}")
def test_no_false_alarm_and_no_miss(pair: tuple[str, str]) -> None:
    tallies = tallies_of(pair[0])
    tally = tallies[pair]
    assert tally.false_alarms == [], f"false alarms on {pair}: {tally.false_alarms}"
    assert tally.misses == [], f"misses on {pair}: {tally.misses}"
    assert set(tallies) == {clause for clause in message_clauses() if clause[0] == pair[0]}  # nothing foreign


def test_every_message_clause_of_the_catalog_has_a_violating_example() -> None:
    assert uncovered(CORPUS) == []


def test_tallies_cover_exactly_the_catalog_message_clauses() -> None:
    catalog = load_catalog()
    expected = {(r.id, c.id) for r in catalog.values() if r.id.startswith("MSG-") for c in r.clauses}
    assert set(message_clauses()) == expected
    assert set(MESSAGE_RULES) == {requirement for requirement, _ in expected}  # one rule judges each


def test_expected_findings_name_catalog_clauses() -> None:
    clauses = set(message_clauses())
    assert all(pair in clauses for entry in CORPUS for pair in entry.expect)


def test_corpus_is_large_and_mixed() -> None:
    compliant = [entry for entry in CORPUS if entry.compliant]
    assert len(CORPUS) >= 40
    assert len(compliant) >= 15
    assert len(CORPUS) - len(compliant) >= len(message_clauses())
    assert len({entry.id for entry in CORPUS}) == len(CORPUS)


def test_corpus_mixes_decisions_and_sources() -> None:
    assert {entry.decision for entry in CORPUS} == {"reject", "advance", "hire", "hold"}
    assert any(entry.webhook for entry in CORPUS if entry.compliant)
    assert any(not entry.factors for entry in CORPUS if entry.compliant)
    assert any(len(entry.factors) >= 8 for entry in CORPUS if entry.compliant)


def test_memos_carry_only_contract_fields_unless_an_entry_adds_one() -> None:
    section_2 = {
        "explanationId", "decisionEventId", "candidateIdHash", "jobIdRaw", "source", "aedtName", "aedtVersion",
        "aedtRole", "decision", "decisionTimestamp", "timestampAssumedUtc", "decisionFactors", "notice", "biasAudit",
        "dataPolicy", "candidateMessageSha256", "complianceFlags", "generatedAt",
    }  # fmt: skip
    for entry in CORPUS:
        assert set(entry.memo()) - set(entry.memo_extra) == section_2, entry.id
