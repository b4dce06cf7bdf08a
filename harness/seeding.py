"""What a `--seed` draws, whatever else the process happens to have loaded.

Hypothesis now and then draws a constant it has lifted from the source of a loaded module outside
site-packages (its "local constants"). In a checkout or an editable install, which is how the README sets
the suite up, the harness's own modules are such modules. Which of them a process has loaded depends on
the checks a run selected and grows as checks import what they need, so one seed drew different cases in
a `--requirement` run, in a worker process and in the pytest process (`--fuzz-workers 1`), and the failure
message's promise that the same seed generates the same cases did not hold.

Every process that draws loads all of them first, so the set is the same in each. Installed from a wheel,
the harness is in site-packages and none of this changes a draw.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from pathlib import Path

#: The packages whose modules Hypothesis would count as local in a checkout. The reference server is
#: never imported by the harness, and stays out.
PACKAGES = ("nyc_hiring.harness", "nyc_hiring.schemas", "nyc_hiring.payload_fixtures")
#: Modules that are not loaded by a run: a command line, the worker warm-up (run once, where workers are
#: forked from) and the corpus generator script. None holds a constant Hypothesis would lift.
NOT_LOADED = frozenset({"__main__", "campaign_preload", "_generate"})


def every_module() -> list[str]:
    """The names of the modules whose constants a draw may use, in a fixed order, found without importing
    them. Test modules (`test_*`) are not among them: Hypothesis leaves their constants out itself."""
    names: list[str] = []
    for package in PACKAGES:
        names += _modules_under(importlib.import_module(package).__path__, package)
    return sorted(names)


def load_every_module() -> None:
    """Import them all, before the process draws its first case (those already loaded cost nothing)."""
    for name in every_module():
        importlib.import_module(name)


def _modules_under(path: Iterable[str], package: str) -> Iterator[str]:
    path = list(path)
    for found in pkgutil.iter_modules(path):
        if found.name in NOT_LOADED or found.name.startswith("test_"):
            continue
        yield f"{package}.{found.name}"
        if found.ispkg:
            yield from _modules_under([str(Path(folder) / found.name) for folder in path], f"{package}.{found.name}")
