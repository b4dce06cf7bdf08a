"""The payload corpus (payload_fixtures/): every fixture replayed as its ATS sends it, with the outcome
its manifest promises. Real traffic is messier than hand-written cases: documented examples byte for
byte, unicode escapes, nulls, bulk rejections, connection tests."""

from __future__ import annotations

import json
from typing import Any

import pytest

import payload_fixtures
from harness.context import Conformance
from harness.replay import SECRET_VARIABLES, replay

ENTRIES = payload_fixtures.manifest()


def _requirements(entry: dict[str, Any]) -> tuple[str, ...]:
    """What a fixture's outcome exercises: the source's signature scheme, ignoring, or validation."""
    expected = entry["expected"]
    if entry["source"] == "api":
        return ("EVT-001",) if expected["outcome"] == "rejected" else ("EVT-004",)
    if expected["outcome"] == "ignored":
        return ("SIG-007",)
    if expected["outcome"] == "rejected":
        return ("SIG-006",) if expected.get("problemCode") == "stale_delivery" else ("SIG-004",)
    return {"greenhouse": ("SIG-001",), "lever": ("SIG-002",), "workday": ("SIG-003",)}[entry["source"]]


def _param(entry: dict[str, Any]) -> Any:
    return pytest.param(entry, id=entry["path"], marks=pytest.mark.requirement(*_requirements(entry)))


@pytest.mark.parametrize("entry", [_param(e) for e in ENTRIES if payload_fixtures.signing_mode(e) == "fresh"])
def test_fixture_replays_with_its_expected_outcome(conformance: Conformance, entry: dict[str, Any]) -> None:
    needed = ["NYC_HIRING_API_KEY"] + ([SECRET_VARIABLES[entry["source"]]] if entry["source"] != "api" else [])
    credentials = {name: conformance.credential(name) for name in needed}
    result = replay(conformance.client, entry, credentials)
    assert result.ok, f"{entry['path']}: {'; '.join(result.problems)}"


@pytest.mark.parametrize("entry", [_param(e) for e in ENTRIES if payload_fixtures.signing_mode(e) == "recorded"])
def test_recorded_capture_replays_byte_for_byte(conformance: Conformance, entry: dict[str, Any]) -> None:
    capture = json.loads(payload_fixtures.read_bytes(entry["path"]))
    secret = conformance.credential(capture["secret_env"])
    if secret != capture["fixture_secret"]:
        pytest.skip(f"the capture was signed with its fixture secret; set {capture['secret_env']} to "
                    f"{capture['fixture_secret']!r} on the deployment to replay it byte for byte")
    result = replay(conformance.client, entry, {"NYC_HIRING_API_KEY": conformance.key}, recorded=True)
    assert result.ok, f"{entry['path']}: {'; '.join(result.problems)}"
