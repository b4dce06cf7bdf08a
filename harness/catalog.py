"""The requirement catalog (catalog.toml) as data the checks, the verdicts and the reports share."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

CATALOG_PATH = Path(__file__).with_name("catalog.toml")
Level = Literal["MUST", "SHOULD"]


@dataclass(frozen=True)
class Requirement:
    id: str
    level: Level
    title: str
    rationale: str
    source: str

    @property
    def group(self) -> str:
        return self.id.split("-")[0]


@cache
def load_catalog() -> dict[str, Requirement]:
    """Every requirement by ID, in catalog order."""
    entries = tomllib.loads(CATALOG_PATH.read_text(encoding="utf-8"))["requirement"]
    catalog = {entry["id"]: Requirement(**entry) for entry in entries}
    if len(catalog) != len(entries):
        raise ValueError(f"{CATALOG_PATH} lists a requirement ID twice")
    return catalog


def requirement(requirement_id: str) -> Requirement:
    try:
        return load_catalog()[requirement_id]
    except KeyError:
        raise KeyError(f"unknown requirement {requirement_id!r}: not in {CATALOG_PATH.name}") from None
