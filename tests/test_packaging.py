"""The wheel carries its data: an installed harness finds its schemas, fixtures and sandbox profile."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .user_project import write_user_project

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_schemas_fixtures_and_the_sandbox_profile(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "nyc_hiring/__init__.py",
        "nyc_hiring/schemas/openapi.yaml",
        "nyc_hiring/schemas/decision-event-request.schema.json",
        "nyc_hiring/schemas/problem.schema.json",
        "nyc_hiring/payload_fixtures/manifest.json",
        "nyc_hiring/payload_fixtures/greenhouse/reject_candidate.documented.json",
        "nyc_hiring/reference_server/sandbox-profile.toml",
        "nyc_hiring/harness/catalog.toml",
        "nyc_hiring/harness/compliance/__init__.py",
        "nyc_hiring/harness/suite/conftest.py",
    }
    assert expected <= names, expected - names
    top_level = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert top_level == {"nyc_hiring"}  # nothing a project's own `harness` or `schemas` could collide with
    entry_points = zipfile.ZipFile(wheel).read(next(name for name in names if name.endswith("entry_points.txt")))
    assert "nyc_hiring_conformance = nyc_hiring.harness.plugin" in entry_points.decode()
    assert "nyc-hiring-sandbox = nyc_hiring.reference_server.__main__:main" in entry_points.decode()


OWN_TEST = (
    "import harness, payload_fixtures, reference_server, schemas\n"
    "def test_own_packages():\n"
    "    assert {m.OWNER for m in (harness, schemas, reference_server, payload_fixtures)} == {'the user'}\n"
)


def test_a_project_with_its_own_harness_package_keeps_it(tmp_path: Path) -> None:
    """`python -m pytest` puts the project first on the path: its `harness` must not hide the plugin's.
    (The suite itself runs in such a project in tests/harness/test_plugin.py.)"""
    write_user_project(tmp_path, {"test_own.py": OWN_TEST})
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
