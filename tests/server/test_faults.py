"""The deliberate faults: one for every observable clause of the catalog, each breaking its clause and
no other, applied at the reference server's seams with no switch inside the reference itself."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from nyc_hiring import reference_server
from nyc_hiring.reference_server.faults import FAULTS, UnknownFault, parse

from .clauses import NEEDS, PROBES, Clause
from .conftest import Sandbox
from .faulty import FaultSandbox

ROOT = Path(__file__).parents[2]
CATALOG = tomllib.loads((ROOT / "harness" / "catalog.toml").read_text(encoding="utf-8"))
OBSERVABLE: set[Clause] = {
    (requirement["id"], clause["id"])
    for requirement in CATALOG["requirement"]
    for clause in requirement["clauses"]
    if clause.get("observable", True)
}
SERVER = Path(reference_server.__file__).parent
# The settings and the command line may name the faults setting; nothing else of the server may.
MAY_NAME_FAULTS = {SERVER / "config.py", SERVER / "__main__.py"}


def test_every_observable_clause_has_a_fault() -> None:
    assert OBSERVABLE - {fault.breaks for fault in FAULTS.values()} == set()


def test_every_fault_names_an_observable_clause_and_says_what_it_does() -> None:
    for name, fault in FAULTS.items():
        assert fault.breaks in OBSERVABLE, name
        assert fault.name == name and fault.description and "\n" not in fault.description


def test_every_observable_clause_has_a_probe() -> None:
    assert set(PROBES) == OBSERVABLE


def reference_modules() -> Iterator[Path]:
    for path in sorted(SERVER.rglob("*.py")):
        if "faults" not in path.relative_to(SERVER).parts:
            yield path


def test_the_reference_modules_hold_no_fault_switch() -> None:
    for path in reference_modules():
        source = path.read_text(encoding="utf-8")
        assert "faults.on(" not in source and not re.search(r"^(from|import) .*\bfaults\b", source, re.M), path
        if path not in MAY_NAME_FAULTS:
            assert not re.search(r"\bfaults?\b", source, re.IGNORECASE), f"{path} speaks of faults"


def test_the_faults_are_loaded_only_when_asked_for() -> None:
    code = (
        "import sys, nyc_hiring.reference_server.app, nyc_hiring.reference_server.__main__\n"
        "print([m for m in sys.modules if m.startswith('nyc_hiring.reference_server.faults')])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_fault_names_are_parsed_and_checked() -> None:
    assert parse("no_dedup, memo_wrong_hash") == {"no_dedup", "memo_wrong_hash"}
    assert parse("*") == parse("all") == set(FAULTS)
    assert parse("") == set()
    with pytest.raises(UnknownFault, match="no_such_fault"):
        parse("no_dedup,no_such_fault")


def test_the_reference_passes_every_probe(sandbox: Sandbox) -> None:
    for clause, check in PROBES.items():
        try:
            check(sandbox)
        except AssertionError as exc:
            raise AssertionError(f"the reference fails the probe of {clause}: {exc}") from None


@pytest.fixture
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FaultSandbox]:
    server = FaultSandbox(tmp_path / "broken.sqlite3", [request.param])
    yield server
    server.close()


@pytest.mark.parametrize("broken", sorted(FAULTS), indirect=True)
def test_each_fault_breaks_its_clause(broken: FaultSandbox) -> None:
    (name,) = broken.names
    with pytest.raises(AssertionError):
        PROBES[FAULTS[name].breaks](broken)


# A fault that refuses every correctly signed delivery of a source cannot show anything else about it.
REFUSES_VALID_DELIVERIES = {
    ("SIG-001", "accepted"): "greenhouse",
    ("SIG-002", "accepted"): "lever",
    ("SIG-003", "accepted"): "workday",
}
# Where the contract itself overlaps: a protected factor named in the message names a protected
# characteristic (MSG-007) as surely as it fails to keep the factor out (MEMO-005).
OVERLAPS: dict[Clause, set[Clause]] = {("MEMO-005", "kept-out"): {("MSG-007", "protected"), ("MSG-007", "zip-code")}}


def also_failing(clause: Clause) -> set[Clause]:
    """The other clauses a fault breaking `clause` cannot help failing."""
    source = REFUSES_VALID_DELIVERIES.get(clause)
    needing = {other for other, sources in NEEDS.items() if source in sources} if source else set()
    return needing | OVERLAPS.get(clause, set())


@pytest.mark.fault_matrix  # every probe against every fault: CI's second step, beside the harness's fault runs
@pytest.mark.parametrize("broken", sorted(FAULTS), indirect=True)
def test_each_fault_breaks_no_other_clause(broken: FaultSandbox) -> None:
    (name,) = broken.names
    own = FAULTS[name].breaks
    failing = []
    for clause, check in PROBES.items():
        if clause != own and clause not in also_failing(own):
            try:
                check(broken)
            except AssertionError as exc:
                failing.append(f"{clause}: {str(exc)[:120]}")
    assert not failing, f"{name} breaks {own} and also " + "; ".join(failing)
