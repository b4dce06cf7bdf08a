"""The wheel carries its data: an installed harness finds its schemas, fixtures and sandbox profile."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

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
        "schemas/openapi.yaml",
        "schemas/decision-event-request.schema.json",
        "schemas/problem.schema.json",
        "payload_fixtures/manifest.json",
        "payload_fixtures/greenhouse/reject_candidate.documented.json",
        "reference_server/sandbox-profile.toml",
        "harness/compliance/__init__.py",
    }
    assert expected <= names, expected - names
    assert not any(name.startswith(("tests/", "reports/", "bench/")) for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "nyc-hiring-sandbox" in zipfile.ZipFile(wheel).read(entry_points).decode()
