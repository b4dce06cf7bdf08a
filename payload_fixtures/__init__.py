"""ATS webhook and direct-API payloads, each with the outcome a conforming deployment gives.

The files hold the exact bytes a sender puts on the wire, so they are read as bytes and never
re-serialised: a Greenhouse body with ``\\u003c`` escapes only verifies byte for byte. The manifest
(``manifest.json``, validated by ``schemas/fixture-manifest.schema.json``) says what each file is
and what to expect; this module is the one way the harness reaches them, so it keeps working
from an installed wheel as well as from a checkout.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __name__ != "nyc_hiring.payload_fixtures":  # a second copy under the folder's name would split module state
    raise ImportError(f"import this package as nyc_hiring.payload_fixtures, not {__name__!r}")

FIXTURE_DIR = Path(__file__).resolve().parent
MANIFEST_PATH = FIXTURE_DIR / "manifest.json"
SOURCES = ("greenhouse", "lever", "workday", "api")

# decisionTimestamp placeholders in api bodies: a body with a fixed time would be a natural-key
# duplicate (IDEM-001) the second time a persistent deployment sees it.
TIMESTAMP_PLACEHOLDER = "REPLACED_AT_REPLAY"
NAIVE_TIMESTAMP_PLACEHOLDER = "REPLACED_AT_REPLAY_NO_OFFSET"
# Lever bodies carry this token (with triggeredAt 0 and signature "") until lever_sign_body() gives
# them a fresh token, time and signature.
LEVER_PLACEHOLDER = "REPLACED_AT_REPLAY"

_TIMESTAMP_FIELD = re.compile(rb'("decisionTimestamp"\s*:\s*)"(REPLACED_AT_REPLAY(?:_NO_OFFSET)?)"')


def manifest() -> list[dict[str, Any]]:
    """Every manifest entry, in manifest order (read afresh, so callers may mutate the result)."""
    entries: list[dict[str, Any]] = json.loads(MANIFEST_PATH.read_bytes())["fixtures"]
    return entries


def fixture_path(path: str) -> Path:
    """Absolute path of a manifest ``path``; refuses anything that would leave the fixture folder."""
    target = (FIXTURE_DIR / path).resolve()
    if not target.is_relative_to(FIXTURE_DIR) or target == FIXTURE_DIR:
        raise ValueError(f"not a fixture path: {path!r}")
    return target


def read_bytes(path: str) -> bytes:
    """The exact bytes of a fixture file (for a recorded capture, the capture document itself)."""
    return fixture_path(path).read_bytes()


def fixtures(source: str | None = None, tags: str | Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Manifest entries from ``source`` (any when None) that carry every tag in ``tags``."""
    if source is not None and source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {SOURCES}")
    wanted = {tags} if isinstance(tags, str) else set(tags or ())
    return [
        entry
        for entry in manifest()
        if (source is None or entry["source"] == source) and wanted <= set(entry.get("tags", ()))
    ]


def signing_mode(entry: dict[str, Any]) -> str:
    """``fresh`` or ``recorded``; the manifest may omit the default."""
    mode: str = entry.get("signing", "fresh")
    return mode


def capture(path: str) -> tuple[dict[str, str], bytes]:
    """Headers and exact body bytes of a recorded capture (``$defs/capture`` of the manifest schema)."""
    document = json.loads(read_bytes(path))
    if "body_base64" in document:
        body = base64.b64decode(document["body_base64"], validate=True)
    else:
        body = document["body"].encode("utf-8")
    return dict(document["headers"]), body


def body_bytes(entry: dict[str, Any]) -> bytes:
    """The payload an entry delivers: the file itself, or the body inside a recorded capture."""
    if signing_mode(entry) == "recorded":
        return capture(entry["path"])[1]
    return read_bytes(entry["path"])


def utc_timestamp(now: datetime) -> str:
    """``now`` the way JavaScript's ``toISOString()`` writes it (the guide's Node.js example)."""
    return now.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def naive_timestamp(now: datetime) -> str:
    """``now`` as local time without offset, the way the guide's ``datetime.now().isoformat()`` writes it."""
    return now.astimezone().replace(tzinfo=None).isoformat()


def fill_timestamps(body: bytes, now: datetime | None = None) -> bytes:
    """Replace decisionTimestamp placeholders in an api body, leaving every other byte as it is."""
    moment = datetime.now(UTC) if now is None else now
    values = {
        TIMESTAMP_PLACEHOLDER: utc_timestamp(moment),
        NAIVE_TIMESTAMP_PLACEHOLDER: naive_timestamp(moment),
    }

    def replace(match: re.Match[bytes]) -> bytes:
        return match.group(1) + b'"' + values[match.group(2).decode("ascii")].encode("ascii") + b'"'

    return _TIMESTAMP_FIELD.sub(replace, body)
