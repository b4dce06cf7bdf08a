"""Report writers: one module per format, all fed the same RunReport once at the end of a run."""

from __future__ import annotations

from pathlib import Path

from ..results import RunReport
from .html import write_html
from .json_report import write_json
from .junit import write_junit

__all__ = ["write_html", "write_json", "write_junit", "write_reports"]


def write_reports(report: RunReport, directory: Path) -> list[Path]:
    """Write conformance.json, junit.xml and report.html into `directory` (created if needed).

    conformance.json comes first: it is validated against its schema, so a harness bug stops the run
    before any report is left behind that disagrees with the others.
    """
    directory.mkdir(parents=True, exist_ok=True)
    return [
        write_json(report, directory / "conformance.json"),
        write_junit(report, directory / "junit.xml"),
        write_html(report, directory / "report.html"),
    ]
