"""The project's own tests. Their property tests draw the same examples on every run, so a verdict of the
test command never depends on luck; `--hypothesis-profile=explore` draws fresh ones, to hunt for more.
The harness's own draws are seeded by each conformance run and are not affected by either profile."""

import gc
import os
import sys

import pytest
from hypothesis import settings

from nyc_hiring.harness.plugin import rewrite_only

pytest_plugins = ["pytester"]

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")

# The suite starts hundreds of interpreters: servers, conformance runs, worker processes. Where bytecode
# caching is off (PYTHONDONTWRITEBYTECODE, as in some CI images) each compiles the same modules again, and
# each pytest among them rewrites every installed plugin's asserts again: over a second a run. The tests
# cache bytecode as Python does by default (in `__pycache__` folders, which git ignores).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


def pytest_configure(config: pytest.Config) -> None:
    """The tests' own files keep pytest's assertion messages; the installed libraries are not rewritten
    on every run (see `rewrite_only`), which is seconds of each worker's collection."""
    rewrite_only(config.pluginmanager)


@pytest.hookimpl(optionalhook=True)  # xdist's hook: unknown when xdist is not loaded
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per core. Most of the slow tests start a server or a whole conformance run
    in another process and wait on it, so one worker per core leaves the cores idle about a third of the
    time (on 2 cores: 104-120 s with 2 workers, 96-98 s with 4, in the same session)."""
    return 2 * (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the tests imported and collected lives until the session ends; frozen, no collection walks it
    again. In-process conformance runs, property tests and in-process apps allocate without pause, and with
    the default thresholds each worker ran a full collection of its whole heap every 70,000 allocations:
    over the test command, 9.7 s of the workers' CPU went to the collector, and 4.2 s with these settings
    (measured with `gc.callbacks`). The tests' own garbage is still collected, less often."""
    gc.freeze()
    gc.set_threshold(7000, 10, 10)
