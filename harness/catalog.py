"""The requirement catalog (catalog.toml) as data the checks, the verdicts and the reports share."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

CATALOG_PATH = Path(__file__).with_name("catalog.toml")
Level = Literal["MUST", "SHOULD"]


@dataclass(frozen=True)
class Clause:
    """One separately breakable part of a requirement: each has its own deliberate fault in the tests.

    A clause that cannot be observed over HTTP says why; the harness reports it as not testable remotely.
    """

    id: str
    text: str
    observable: bool = True
    why: str = ""


@dataclass(frozen=True)
class Requirement:
    id: str
    level: Level
    title: str
    rationale: str
    source: str
    clauses: tuple[Clause, ...] = ()

    @property
    def group(self) -> str:
        return self.id.split("-")[0]

    def clause(self, clause_id: str) -> Clause:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise KeyError(f"{self.id} has no clause {clause_id!r}: not in {CATALOG_PATH.name}")


@cache
def load_catalog() -> dict[str, Requirement]:
    """Every requirement by ID, in catalog order."""
    entries = tomllib.loads(CATALOG_PATH.read_text(encoding="utf-8"))["requirement"]
    catalog = {entry["id"]: _requirement(entry) for entry in entries}
    if len(catalog) != len(entries):
        raise ValueError(f"{CATALOG_PATH} lists a requirement ID twice")
    return catalog


def requirement(requirement_id: str) -> Requirement:
    try:
        return load_catalog()[requirement_id]
    except KeyError:
        raise KeyError(f"unknown requirement {requirement_id!r}: not in {CATALOG_PATH.name}") from None


def _requirement(entry: dict[str, Any]) -> Requirement:
    clauses = tuple(Clause(**clause) for clause in entry.get("clauses", ()))
    return Requirement(**{**entry, "clauses": clauses})
