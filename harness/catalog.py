"""The requirement catalog (catalog.toml) as data the checks, the verdicts and the reports share.

The catalog is the one place a requirement's level, wording and group title are written: the reports
read them from the `Requirement` a verdict carries and keep no copy of their own, so an edit to
catalog.toml shows in every report.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

CATALOG_PATH = Path(__file__).with_name("catalog.toml")
Level = Literal["MUST", "SHOULD"]
LEVELS = ("MUST", "SHOULD")


class CatalogError(ValueError):
    """catalog.toml is not a catalog the harness can report by: the message names the entry at fault."""


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
    """One requirement. `title` is the contract's wording, for implementers; `plain_title` says the same
    for a reader who does not build APIs (a compliance officer, an auditor), and leads every report."""

    id: str
    level: Level
    title: str
    rationale: str
    source: str
    clauses: tuple[Clause, ...] = ()
    plain_title: str = ""
    group_title: str = ""  # the title of its group (the ID's prefix), from the catalog's [[group]] table

    @property
    def group(self) -> str:
        return self.id.split("-")[0]

    def clause(self, clause_id: str) -> Clause:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise KeyError(f"{self.id} has no clause {clause_id!r}: not in {CATALOG_PATH.name}")


CATALOG_FIELDS = {field.name for field in fields(Requirement)} - {"group_title"}  # group_title: from [[group]]


def load_catalog(path: Path | None = None) -> dict[str, Requirement]:
    """Every requirement by ID, in catalog order: the shipped catalog (read once), or the file at `path`."""
    return _shipped() if path is None else _read(path)


@cache
def _shipped() -> dict[str, Requirement]:
    return _read(CATALOG_PATH)


def _read(path: Path) -> dict[str, Requirement]:
    """Read and check a catalog file; CatalogError names what is missing or repeated."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    groups = _groups(document.get("group", ()), path)
    catalog: dict[str, Requirement] = {}
    for entry in document.get("requirement", ()):
        requirement = _requirement(entry, groups, path)
        if requirement.id in catalog:
            raise CatalogError(f"{path} lists requirement {requirement.id} twice")
        catalog[requirement.id] = requirement
    if not catalog:
        raise CatalogError(f"{path} lists no [[requirement]]")
    return catalog


def requirement(requirement_id: str) -> Requirement:
    try:
        return load_catalog()[requirement_id]
    except KeyError:
        raise KeyError(f"unknown requirement {requirement_id!r}: not in {CATALOG_PATH.name}") from None


def _groups(entries: Iterable[dict[str, Any]], path: Path) -> dict[str, str]:
    """Group ID to title; every requirement's ID prefix must name one, so no report falls back to a bare ID."""
    groups: dict[str, str] = {}
    for entry in entries:
        if not entry.get("id") or not entry.get("title"):
            raise CatalogError(f"{path}: every [[group]] needs an id and a title, not {entry}")
        if entry["id"] in groups:
            raise CatalogError(f"{path} lists group {entry['id']} twice")
        groups[entry["id"]] = entry["title"]
    return groups


def _requirement(entry: dict[str, Any], groups: dict[str, str], path: Path) -> Requirement:
    ident = entry.get("id", "?")
    missing = [name for name in ("level", "title", "plain_title", "rationale", "source") if not entry.get(name)]
    if missing:
        raise CatalogError(f"{path}: {ident} has no {', '.join(missing)}")
    unknown = sorted(set(entry) - CATALOG_FIELDS)
    if unknown:
        raise CatalogError(f"{path}: {ident} has fields a catalog entry does not have: {', '.join(unknown)}")
    if entry["level"] not in LEVELS:
        raise CatalogError(f"{path}: {ident} has level {entry['level']}, not MUST or SHOULD")
    group = ident.split("-")[0]
    if group not in groups:
        raise CatalogError(f"{path}: {ident} belongs to group {group}, which has no [[group]] entry with its title")
    clauses = tuple(Clause(**clause) for clause in entry.get("clauses", ()))
    return Requirement(**{**entry, "clauses": clauses, "group_title": groups[group]})
