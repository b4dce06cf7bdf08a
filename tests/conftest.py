"""The project's own tests. Their property tests draw the same examples on every run, so a verdict of the
test command never depends on luck; `--hypothesis-profile=explore` draws fresh ones, to hunt for more.
The harness's own draws are seeded by each conformance run and are not affected by either profile."""

from hypothesis import settings

pytest_plugins = ["pytester"]

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")
