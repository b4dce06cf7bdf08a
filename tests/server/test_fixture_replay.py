"""The payload corpus against a real sandbox: every fixture gets the outcome its manifest promises.

This is the proof behind the guide's examples being accepted verbatim and the documented Greenhouse
examples verifying with their escapes intact (they are fixtures tagged `documented` / `guide`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from nyc_hiring import payload_fixtures
from nyc_hiring.harness.replay import replay
from nyc_hiring.harness.sandbox import SandboxProcess, fresh_credentials

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxProcess, httpx.Client]]:
    with (
        SandboxProcess(tmp_path_factory.mktemp("replay") / "replay.sqlite3") as process,
        httpx.Client(base_url=process.base_url, timeout=10) as client,
    ):
        yield process, client


def test_every_fixture_replays_with_its_expected_outcome(fresh_sandbox: tuple[SandboxProcess, httpx.Client]) -> None:
    process, client = fresh_sandbox
    entries = [entry for entry in payload_fixtures.manifest() if payload_fixtures.signing_mode(entry) == "fresh"]
    assert len(entries) >= 90
    failures = {}
    for entry in entries:
        result = replay(client, entry, process.credentials)
        if not result.ok:
            failures[entry["path"]] = result.problems
    assert not failures, json.dumps(failures, indent=1)


def test_recorded_captures_replay_byte_for_byte(tmp_path: Path) -> None:
    recorded = [entry for entry in payload_fixtures.manifest() if payload_fixtures.signing_mode(entry) == "recorded"]
    secrets = {}
    for entry in recorded:
        document = json.loads(payload_fixtures.read_bytes(entry["path"]))
        secrets[document["secret_env"]] = document["fixture_secret"]
    credentials = {**fresh_credentials(), **secrets}
    with (
        SandboxProcess(tmp_path / "recorded.sqlite3", credentials=credentials) as process,
        httpx.Client(base_url=process.base_url, timeout=10) as client,
    ):
        for entry in recorded:
            result = replay(client, entry, process.credentials)
            assert result.ok, (entry["path"], result.problems)
            resent = replay(client, entry, process.credentials, recorded=False)
            if entry["source"] == "greenhouse" and result.response.status_code == 200:
                # Greenhouse signs no timestamp: the same bytes again are a retry, answered as one
                assert resent.response.json()["status"] in ("duplicate", "ignored"), entry["path"]
            else:  # the stale captures verify and record once re-signed now
                assert resent.ok, (entry["path"], "re-signed", resent.problems)


def test_guide_and_documented_examples_are_in_the_corpus() -> None:
    tags = {tag for entry in payload_fixtures.manifest() for tag in entry["tags"]}
    assert {"documented", "guide"} <= tags
    documented = payload_fixtures.fixtures("greenhouse", "documented")
    assert {entry["event"] for entry in documented} >= {"candidate_stage_change", "reject_candidate"}
    assert any(b"\\u003c" in payload_fixtures.body_bytes(entry) for entry in payload_fixtures.fixtures("greenhouse"))
