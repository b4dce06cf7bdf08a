"""Precision of the candidate-message rules (MSG-001 … MSG-013) on the message corpus.

    python bench/message_precision.py

Runs every message rule over tests/compliance/corpus (compliant messages in many voices and
messages that each break one clause) and prints, per requirement and clause, the false alarms (a
finding on a message that does not break that clause) and the misses (a clause a message breaks
that no finding reported), with the message IDs, then a total. Exit code 1 when any false alarm
or miss remains, or when a catalog clause has no violating example.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.compliance.corpus import CORPUS, evaluate, report, uncovered  # noqa: E402


def main() -> int:
    tallies = evaluate(CORPUS)
    compliant = sum(1 for entry in CORPUS if entry.compliant)
    print(f"corpus: {len(CORPUS)} messages ({compliant} compliant, {len(CORPUS) - compliant} violating)")
    for line in report(tallies):
        print(line)
    missing = uncovered(CORPUS)
    for requirement, clause in missing:
        print(f"no violating example: {requirement} {clause}")
    clean = all(tally.clean for tally in tallies.values())
    return 0 if clean and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
