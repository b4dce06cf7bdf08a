"""Generate the Greenhouse bulk-rejection set: 50 ``reject_candidate`` deliveries.

Greenhouse fires one webhook per candidate when a recruiter rejects in bulk (docs/sources.md#greenhouse), so a
receiver sees a burst of near-identical bodies that differ only in IDs. Fifty hand-written copies
would drift apart; this script is the single source of those files and of their manifest entries.
It is deterministic (no clock, no randomness): re-running it rewrites the same bytes.

Run from the repository root: ``python -m payload_fixtures._generate``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

FIXTURE_DIR = Path(__file__).resolve().parent
BULK_DIR = "greenhouse/bulk_reject"
BULK_SIZE = 50
BULK_TAG = "bulk"

_FIRST_NAMES = ("Amara", "Bruno", "Chiara", "Dmitri", "Esi", "Farah", "Goran", "Hana", "Ines", "Jonas")
_LAST_NAMES = ("Okafor", "Silva", "Rossi", "Volkov", "Mensah")
# (rejection reason, reason type, factor the contract derives); None is a reject without a reason.
_REASONS: tuple[tuple[str, str, str] | None, ...] = (
    ("Too Junior", "Wrong skill set", "too_junior"),
    ("Insufficient experience", "Qualifications", "insufficient_experience"),
    ("Position filled", "Other", "position_filled"),
    None,
)


def greenhouse_json(document: Any) -> bytes:
    """Serialise the way Greenhouse does: ``<``, ``>`` and ``&`` escaped as ``\\u003c`` and so on.

    Those characters only ever occur inside JSON strings, so replacing them after encoding is safe;
    the escapes are what a receiver that re-serialises before verifying gets wrong (docs/sources.md#greenhouse).
    """
    text = json.dumps(document, indent=2, ensure_ascii=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.encode("ascii")


def _rejection(index: int) -> tuple[dict[str, Any] | None, str]:
    reason = _REASONS[index % len(_REASONS)]
    if reason is None:
        return None, "rejection_reason_unspecified"
    name, type_name, factor = reason
    return {"id": 14 + index % 3, "name": name, "type": {"id": 3, "name": type_name}}, factor


def _rejection_details(reason: dict[str, Any] | None) -> dict[str, Any]:
    if reason is None:
        return {"custom_fields": {}}
    note_html = "<p>Bulk rejection after the phone screen</p>"
    note = {"name": "Rejection note", "type": "long_text", "value": note_html}
    return {"custom_fields": {"rejection_note": note}}


def _candidate(index: int, candidate_id: int) -> dict[str, Any]:
    first = _FIRST_NAMES[index % len(_FIRST_NAMES)]
    last = _LAST_NAMES[index % len(_LAST_NAMES)]
    email = f"{first}.{last}.{candidate_id}@example.com".lower()
    return {
        "id": candidate_id,
        "first_name": first,
        "last_name": last,
        "title": None,
        "company": None,
        "created_at": "2026-10-05T09:12:00Z",
        "external_id": None,
        "photo_url": None,
        "is_private": False,
        "can_email": True,
        "phone_numbers": [],
        "email_addresses": [{"value": email, "type": "personal"}],
        "addresses": [],
        "website_addresses": [],
        "social_media_addresses": [],
        "educations": [],
        "employments": [],
        "recruiter": None,
        "coordinator": None,
        "attachments": [],
        "tags": ["Bulk screen"],
        "custom_fields": {},
    }


def _job() -> dict[str, Any]:
    return {
        "id": 371420,
        "name": "Data Analyst",
        "requisition_id": "REQ-2026-114",
        "notes": "<p>Analytics & reporting</p>",
        "confidential": False,
        "job_post_id": 554100,
        "status": "open",
        "created_by_id": 273555,
        "created_at": "2026-09-14T15:00:00Z",
        "opened_at": "2026-09-15T09:00:00Z",
        "closed_at": None,
        "departments": [{"id": 240, "name": "Analytics", "external_id": "ex-dept-4"}],
        "offices": [{"id": 54, "name": "New York", "location": "New York, NY", "external_id": "ex-office-1"}],
        "custom_fields": {},
    }


def bulk_body(index: int) -> dict[str, Any]:
    """The ``index``-th (0-based) delivery of the bulk rejection."""
    application_id, candidate_id = 270001 + index, 280001 + index
    reason, _ = _rejection(index)
    rejected_at = f"2026-11-27T16:05:{index % 60:02d}Z"
    application = {
        "id": application_id,
        "rejected_at": rejected_at,
        "prospect": False,
        "status": "rejected",
        "applied_at": "2026-10-05T09:12:00Z",
        "last_activity_at": rejected_at,
        "url": f"https://app.greenhouse.io/people/{candidate_id}?application_id={application_id}",
        "source": {"id": 27, "public_name": "LinkedIn"},
        "credited_to": None,
        "rejection_reason": reason,
        "rejection_details": _rejection_details(reason),
        "current_stage": {"id": 2708700, "name": "Phone Screen", "interviews": []},
        "custom_fields": {},
        "candidate": _candidate(index, candidate_id),
        "jobs": [_job()],
    }
    return {"action": "reject_candidate", "payload": {"application": application}}


def bulk_path(index: int) -> str:
    return f"{BULK_DIR}/reject_candidate_{index + 1:03d}.json"


def bulk_files() -> dict[str, bytes]:
    """Relative path → exact bytes of every bulk fixture."""
    return {bulk_path(i): greenhouse_json(bulk_body(i)) for i in range(BULK_SIZE)}


def bulk_manifest_entries() -> list[dict[str, Any]]:
    """Manifest entries of the bulk set, in file order."""
    entries = []
    for index in range(BULK_SIZE):
        _, factor = _rejection(index)
        entries.append(
            {
                "path": bulk_path(index),
                "source": "greenhouse",
                "event": "reject_candidate",
                "description": f"Bulk rejection {index + 1}/{BULK_SIZE}: one webhook per candidate.",
                "expected": {"status": 200, "outcome": "recorded", "decision": "reject", "factor": factor},
                "signing": "fresh",
                "tags": [BULK_TAG, "escaped"],
            }
        )
    return entries


def dump_manifest(manifest: dict[str, Any]) -> bytes:
    """The manifest's on-disk form, shared with anything else that rewrites it."""
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def merge_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """Replace the bulk entries of ``manifest`` by freshly generated ones, keeping their position."""
    fixtures = manifest["fixtures"]
    positions = [i for i, entry in enumerate(fixtures) if BULK_TAG in entry.get("tags", [])]
    kept = [entry for entry in fixtures if BULK_TAG not in entry.get("tags", [])]
    at = positions[0] if positions else len(kept)
    return {**manifest, "fixtures": kept[:at] + bulk_manifest_entries() + kept[at:]}


def write(root: Path) -> None:
    """Write the bulk files under ``root`` and, when ``root`` has a manifest, refresh its bulk entries."""
    for relative, data in bulk_files().items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    manifest_path = root / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_bytes())
        manifest_path.write_bytes(dump_manifest(merge_manifest(manifest)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=FIXTURE_DIR, help="fixture folder to write into")
    write(parser.parse_args(argv).root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
