"""The dependency rules of ARCHITECTURE.md: the harness computes its expectations without the server.

The rules are import-linter contracts in pyproject.toml, checked over every module of the project, so an
import added anywhere (a server module in a harness strategy, say) breaks this test.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def loggers_left_enabled() -> Iterator[None]:
    """lint_imports configures logging for itself (dictConfig), which disables every logger that exists and
    that it does not name: the server's own, for every later test in this process."""
    enabled = [logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger)]
    enabled = [logger for logger in enabled if not logger.disabled]
    try:
        yield
    finally:
        for logger in enabled:
            logger.disabled = False


def test_every_module_keeps_the_dependency_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with loggers_left_enabled():
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


#: Where the harness meets pytest; every other harness module is named in the contract that keeps pytest out.
PYTEST_MODULES = {
    "nyc_hiring.harness.plugin",
    "nyc_hiring.harness.items",
    "nyc_hiring.harness.parallel",
    "nyc_hiring.harness.suite",
}


def test_every_other_harness_module_is_kept_free_of_pytest() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = [
        contract
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract.get("forbidden_modules") == ["pytest", "_pytest"]
    ]
    modules = {f"nyc_hiring.harness.{path.stem}" for path in (ROOT / "harness").glob("*.py") if path.stem != "__init__"}
    modules |= {
        f"nyc_hiring.harness.{path.name}" for path in (ROOT / "harness").iterdir() if (path / "__init__.py").exists()
    }
    assert modules - PYTEST_MODULES == set(contract["source_modules"])


HARNESS_MODULES = [f"nyc_hiring.harness.{name}" for name in ("compliance", "signing", "replay", "sandbox")]


def test_importing_the_harness_does_not_load_the_reference_server() -> None:
    code = (
        "import sys\n"
        f"for name in {HARNESS_MODULES!r}: __import__(name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('nyc_hiring.reference_server'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_reference_server_does_not_import_the_harness() -> None:
    code = (
        "import sys, nyc_hiring.reference_server.app, nyc_hiring.reference_server.__main__\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('nyc_hiring.harness'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_reference_server_starts_without_jsonschema() -> None:
    """Validating bodies against the JSON Schemas is the harness's work and the tests'; the server only
    serves the OpenAPI document, and each of its starts is spared importing jsonschema
    (schemas/validation.py is imported on first use)."""
    code = (
        "import sys, nyc_hiring.reference_server.app, nyc_hiring.reference_server.__main__\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'referencing')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
