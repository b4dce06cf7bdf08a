"""A corpus of candidate messages with the verdict each deserves, and the measure of the rules on it."""

from __future__ import annotations

from .compliant import COMPLIANT
from .model import Entry, Pair
from .precision import ClauseTally, evaluate, found_pairs, message_clauses, report, uncovered
from .violating import VIOLATING

CORPUS: tuple[Entry, ...] = COMPLIANT + VIOLATING

__all__ = [
    "CORPUS",
    "ClauseTally",
    "Entry",
    "Pair",
    "evaluate",
    "found_pairs",
    "message_clauses",
    "report",
    "uncovered",
]
