"""The payload corpus (payload_fixtures/): every fixture replayed as its ATS sends it, with the outcome
its manifest promises. Real traffic is messier than hand-written cases: documented examples byte for
byte, unicode escapes, nulls, bulk rejections, connection tests."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nyc_hiring import payload_fixtures
from nyc_hiring.harness.context import Conformance
from nyc_hiring.harness.replay import ReplayResult, expectation, replay
from nyc_hiring.harness.wire import WEBHOOK_SECRETS

ENTRIES = payload_fixtures.manifest()


def _param(entry: dict[str, Any], recorded: bool) -> Any:
    expected = entry["expected"] if recorded else entry.get("expectedFresh", entry["expected"])
    tested = expectation(entry, expected).requirement
    return pytest.param(entry, id=entry["path"], marks=pytest.mark.requirement(tested))


def _judged(conformance: Conformance, result: ReplayResult) -> None:
    """Each difference fails the clause it breaks; with none, the fixture's own clause is met."""
    path = result.entry["path"]
    for problem in result.problems:
        with conformance.step(problem.requirement, problem.clause):
            raise AssertionError(f"{path}: {problem.message}")
    expected = expectation(result.entry, result.entry.get("expectedFresh", result.entry["expected"]))
    with conformance.step(expected.requirement, expected.clause):
        pass


@pytest.mark.parametrize("entry", [_param(e, False) for e in ENTRIES if payload_fixtures.signing_mode(e) == "fresh"])
def test_fixture_replays_with_its_expected_outcome(conformance: Conformance, entry: dict[str, Any]) -> None:
    needed = ["NYC_HIRING_API_KEY"] + ([WEBHOOK_SECRETS[entry["source"]]] if entry["source"] != "api" else [])
    credentials = {name: conformance.credential(name) for name in needed}
    _judged(conformance, replay(conformance.client, entry, credentials))


@pytest.mark.parametrize("entry", [_param(e, True) for e in ENTRIES if payload_fixtures.signing_mode(e) == "recorded"])
def test_recorded_capture_replays_byte_for_byte(conformance: Conformance, entry: dict[str, Any]) -> None:
    capture = json.loads(payload_fixtures.read_bytes(entry["path"]))
    secret = conformance.credential(capture["secret_env"])
    if secret != capture["fixture_secret"]:
        pytest.skip(
            f"the capture was signed with its fixture secret; set {capture['secret_env']} to "
            f"{capture['fixture_secret']!r} on the deployment to replay it byte for byte"
        )
    result = replay(conformance.client, entry, {"NYC_HIRING_API_KEY": conformance.key}, recorded=True)
    for problem in result.problems:
        with conformance.step(problem.requirement, problem.clause):
            raise AssertionError(f"{entry['path']}: {problem.message}")
