"""A user's own project, with packages named like this project's folders: installing the suite beside it
must leave them alone, and the suite's modules must not meet them."""

from __future__ import annotations

from pathlib import Path

OWN_PACKAGES = ("harness", "schemas", "reference_server", "payload_fixtures")

#: Each package says whose it is; the project's conftest imports `harness` before any plugin runs a check.
FILES = {
    **{f"{package}/__init__.py": "OWNER = 'the user'\n" for package in OWN_PACKAGES},
    "conftest.py": "import harness\n",
}


def write_user_project(root: Path, extra: dict[str, str] | None = None) -> set[str]:
    """Write the project under `root`; return the paths written, relative to it."""
    files = {**FILES, **(extra or {})}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return set(files)
