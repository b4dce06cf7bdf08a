"""The catalog, the checks and the report agree: every requirement has a check, every check names known
requirements, and the report lists every requirement in catalog order."""

from __future__ import annotations

import pytest

from harness.catalog import load_catalog
from harness.checks import requirement_ids
from harness.plugin import SUITE_DIR
from harness.results import CheckResult, verdicts


def _marked_requirements(pytester: pytest.Pytester) -> dict[str, set[str]]:
    """Requirement IDs per collected check, as pytest sees them (parametrized marks included)."""
    items, _ = pytester.inline_genitems(str(SUITE_DIR))
    return {item.nodeid: set(requirement_ids(item)) for item in items}


def test_every_check_names_known_requirements(pytester: pytest.Pytester) -> None:
    checks = _marked_requirements(pytester)
    assert checks
    unmarked = [name for name, ids in checks.items() if not ids]
    assert not unmarked, f"checks without a requirement marker: {unmarked}"
    unknown = {name: ids - set(load_catalog()) for name, ids in checks.items() if ids - set(load_catalog())}
    assert not unknown


def test_every_requirement_has_a_check(pytester: pytest.Pytester) -> None:
    covered = set().union(*_marked_requirements(pytester).values())
    assert set(load_catalog()) - covered == set()


def test_catalog_entries_are_complete() -> None:
    for requirement in load_catalog().values():
        assert requirement.level in ("MUST", "SHOULD")
        assert requirement.title and requirement.rationale and requirement.source


def test_the_report_lists_every_requirement_in_catalog_order() -> None:
    results = [CheckResult("x::t", "t", ("SIG-004",), "failed", "boom")]
    listed = [verdict.requirement.id for verdict in verdicts(results)]
    assert listed == list(load_catalog())
