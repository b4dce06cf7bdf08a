"""The project's own tests. Their property tests draw the same examples on every run, so a verdict of the
test command never depends on luck; `--hypothesis-profile=explore` draws fresh ones, to hunt for more.
The harness's own draws are seeded by each conformance run and are not affected by either profile."""

import pytest
from hypothesis import settings

from harness.plugin import rewrite_only

pytest_plugins = ["pytester"]

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")


def pytest_configure(config: pytest.Config) -> None:
    """The tests' own files keep pytest's assertion messages; the installed libraries are not rewritten
    on every run (see `rewrite_only`), which is seconds of each worker's collection."""
    rewrite_only(config.pluginmanager)
