"""conformance.json: the machine-readable record of a run (schemas/conformance-report.schema.json).

The document is validated before it is written: tools downstream (dashboards, audit archives) rely on the
schema, so a document that does not match it is a harness bug to surface, never a file to leave behind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nyc_hiring import schemas

from ..results import CheckResult, RequirementVerdict, RunReport, counts
from .text import first_failed_clause, readable, reason

SCHEMA_NAME = "conformance-report"


class ReportSchemaError(RuntimeError):
    """The harness built a conformance.json its own schema rejects."""


def report_document(report: RunReport) -> dict[str, Any]:
    """The document as plain JSON data, before validation (tests and tools may inspect it directly)."""
    return {
        "schemaVersion": 1,
        "target": report.target,
        "startedAt": report.started_at,
        "finishedAt": report.finished_at,
        "durationSeconds": report.duration_seconds,
        "versions": report.versions,
        "options": report.options,
        "summary": {
            "status": report.status,
            "compliant": report.status == "compliant",
            "exitCode": report.exit_code,
            "counts": counts(report.verdicts),
            "unchecked": [verdict.requirement.id for verdict in report.unchecked],
        },
        "requirements": [_requirement(verdict) for verdict in report.verdicts],
    }


def _requirement(verdict: RequirementVerdict) -> dict[str, Any]:
    requirement = verdict.requirement
    broke = first_failed_clause(verdict)
    return {
        "id": requirement.id,
        "level": requirement.level,
        "title": requirement.title,
        "plainTitle": requirement.plain_title,
        "groupTitle": requirement.group_title,
        "rationale": requirement.rationale,
        "source": requirement.source,
        "verdict": verdict.verdict,
        "knownFailure": verdict.known_failure,
        "selected": verdict.selected,
        "reason": reason(verdict),
        "failedClause": {"id": broke.id, "text": broke.text} if broke else None,
        "clauses": [
            {"id": clause.id, "text": clause.text, "status": status} for clause, status in verdict.clause_statuses()
        ],
        "checks": [_check(check, requirement.id) for check in verdict.checks],
    }


def _check(check: CheckResult, requirement_id: str) -> dict[str, Any]:
    """One check as it bears on one requirement: a failure of another requirement's step leaves it unshown."""
    outcome, message = check.outcome_for(requirement_id)
    return {
        "name": check.name,
        "nodeid": check.nodeid,
        "outcome": outcome,
        "clause": check.failed_clause(requirement_id),
        "message": readable(message),
        "durationSeconds": check.duration,
        "evidence": check.evidence if outcome == "failed" else [],
    }


def schema_errors(document: dict[str, Any]) -> list[str]:
    """Every mismatch as `location: message`, so a harness bug names the field at fault."""
    found = schemas.validator(SCHEMA_NAME).iter_errors(document)
    return [f"{error.json_path}: {error.message}" for error in sorted(found, key=lambda error: error.json_path)]


def write_json(report: RunReport, path: Path) -> Path:
    """Validate, then write; raises ReportSchemaError (and writes nothing) when the document is off-schema."""
    document = report_document(report)
    problems = schema_errors(document)
    if problems:
        listed = "\n  ".join(problems[:10])
        raise ReportSchemaError(
            f"conformance.json would not match {schemas.path(SCHEMA_NAME).name} "
            f"(a harness bug; nothing written to {path}):\n  {listed}"
        )
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
