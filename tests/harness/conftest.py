"""Running the harness the way a user does, inside the project's own tests."""

from __future__ import annotations

import json

# pytest's in-process runs (pytester) drop the modules a run imported once it ends. A conformance run
# starts multiprocessing's forkserver (harness.parallel): imported here, before any run, the module and
# its one server outlive every run, instead of each run importing it again and starting another server
# (and another resource tracker) that stays until the tests end.
import multiprocessing.forkserver  # noqa: F401
from collections.abc import Mapping
from typing import Any

import pytest

from nyc_hiring.harness.parallel import prepare_workers
from nyc_hiring.harness.plugin import CAMPAIGN_PRELOAD, SUITE_MODULES


@pytest.fixture(autouse=True, scope="session")
def _fork_server_preloaded_as_a_whole_run_preloads_it() -> None:
    """A process has one forkserver, and it preloads what the first call that started it asked for. Started
    here, as a whole run starts it, every run's workers begin with the suite imported; started first by a
    test's own pool or a narrowed run, it would leave every later run's workers importing the suite again."""
    prepare_workers((*SUITE_MODULES, *CAMPAIGN_PRELOAD))


def run_harness(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str, fault: str | None = None
) -> tuple[Any, dict[str, dict[str, Any]]]:
    """`pytest --target=sandbox ARGS` in process, against a sandbox broken with `fault` if given;
    return the run's result and conformance.json's verdicts by requirement ID."""
    if fault:
        monkeypatch.setenv("NYC_SANDBOX_FAULTS", fault)
    else:
        monkeypatch.delenv("NYC_SANDBOX_FAULTS", raising=False)
    reports = pytester.path / "reports"
    result = pytester.runpytest_inprocess("--target=sandbox", "--report-dir", str(reports), "-p", "no:randomly", *args)
    document = json.loads((reports / "conformance.json").read_text())
    return result, {entry["id"]: entry for entry in document["requirements"]}


def export_credentials(env: pytest.MonkeyPatch, credentials: Mapping[str, str]) -> None:
    """A deployment's credentials in the environment, as a user exports them before a run."""
    for name, value in credentials.items():
        env.setenv(name, value)
