"""The payload corpus is complete, byte-exact where it copies a source, and follows the contract."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import nyc_hiring.payload_fixtures as pf
from nyc_hiring.harness import signing
from nyc_hiring.payload_fixtures import _generate

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = REPO_ROOT / "schemas" / "fixture-manifest.schema.json"
NOT_FIXTURES = {"manifest.json", "_generate.py", "__init__.py"}
# docs/wire-format.md, decisionTimestamp pattern.
TIMESTAMP_PATTERN = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})?$"
)


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_bytes())


def _validator(root_ref: str | None = None) -> jsonschema.Draft202012Validator:
    schema = _schema()
    if root_ref is not None:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": root_ref}
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def _entry(path: str) -> dict[str, Any]:
    return next(entry for entry in pf.manifest() if entry["path"] == path)


def _fresh_expectation(entry: dict[str, Any]) -> dict[str, Any]:
    return entry.get("expectedFresh", entry["expected"])


def _webhook_entries() -> list[dict[str, Any]]:
    return [entry for entry in pf.manifest() if entry["source"] != "api"]


# --- manifest and schema ----------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(_schema())


def test_manifest_validates_against_its_schema() -> None:
    document = json.loads(pf.MANIFEST_PATH.read_bytes())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize(
    "change",
    [
        {"outcome": "ignored"},  # an ignored delivery cannot carry a decision
        {"status": 201, "outcome": "rejected", "decision": None, "factor": "too_junior"},
        {"decision": "maybe"},
    ],
)
def test_schema_rejects_inconsistent_expectations(change: dict[str, Any]) -> None:
    document = json.loads(pf.MANIFEST_PATH.read_bytes())
    document["fixtures"][0]["expected"].update(change)
    assert not _validator().is_valid(document)


def test_every_file_is_listed_and_every_listed_path_exists() -> None:
    on_disk = {
        path.relative_to(pf.FIXTURE_DIR).as_posix()
        for path in pf.FIXTURE_DIR.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.name not in NOT_FIXTURES
    }
    listed = [entry["path"] for entry in pf.manifest()]
    assert len(listed) == len(set(listed)), "a path is listed twice"
    assert sorted(on_disk - set(listed)) == [], "files missing from the manifest"
    assert sorted(set(listed) - on_disk) == [], "manifest paths without a file"


def test_every_json_fixture_parses_as_utf8_json() -> None:
    json_files = [entry["path"] for entry in pf.manifest() if entry["path"].endswith(".json")]
    assert len(json_files) >= 100
    for path in json_files:
        json.loads(pf.read_bytes(path).decode("utf-8"))


def test_raw_fixtures_are_not_json_and_expect_400() -> None:
    raw = [entry for entry in pf.manifest() if not entry["path"].endswith(".json")]
    assert raw, "the malformed-body cases are missing"
    for entry in raw:
        with pytest.raises(ValueError):
            json.loads(pf.read_bytes(entry["path"]).decode("utf-8"))
        assert entry["expected"]["status"] == 400
        assert entry["expected"]["problemCode"] == "malformed_json"


# --- byte-exact copies of the sources -----------------------------------------------------------


#: SHA-256 of each published example, taken from its source: Greenhouse's web hook documentation
#: (docs/sources.md#greenhouse) and the example payload of the API's ATS integration guide. A fixture
#: that drifts from the published bytes (an editor normalising whitespace, a "fixed" typo) fails here.
PUBLISHED_EXAMPLES = {
    "greenhouse/candidate_stage_change.documented.json": (
        "cd2629261b8c32b61d2f4ad15c814817006935dc12820ee1846787b928ef9943"
    ),
    "greenhouse/reject_candidate.documented.json": "c9d5065868aea541f67dad6d8d35dc1ae80b39e50520c628d4a39d16a14fd794",
    "greenhouse/guide_candidate_stage_change_rejected.json": (
        "eab1b532af93b1c3b9e4cb4627c362386404ddfeeb0e56432d6684ef3304d0ca"
    ),
}


@pytest.mark.parametrize("path", sorted(PUBLISHED_EXAMPLES))
def test_published_examples_are_kept_byte_for_byte(path: str) -> None:
    assert hashlib.sha256(pf.read_bytes(path)).hexdigest() == PUBLISHED_EXAMPLES[path]


def test_documented_stage_change_keeps_the_upstream_typo() -> None:
    assert b"application_id= 265277" in pf.read_bytes("greenhouse/candidate_stage_change.documented.json")


def test_escaped_fixtures_carry_literal_escapes() -> None:
    escaped = pf.fixtures(source="greenhouse", tags="escaped")
    paths = {entry["path"] for entry in escaped}
    assert {
        "greenhouse/candidate_stage_change.escaped.json",
        "greenhouse/reject_candidate.escaped.json",
    } <= paths
    for entry in escaped:
        body = pf.body_bytes(entry)
        assert b"\\u003c" in body, entry["path"]
        assert b"<" not in body, entry["path"]
        reserialised = json.dumps(json.loads(body), ensure_ascii=False).encode()
        assert b"<" in reserialised


def test_interview_kit_content_is_escaped() -> None:
    body = json.loads(pf.read_bytes("greenhouse/candidate_stage_change.escaped.json"))
    kit = body["payload"]["application"]["current_stage"]["interviews"][0]["interview_kit"]
    assert kit["content"] == "<p>Assess their skills</p>"


def test_unicode_name_travels_raw_and_escaped() -> None:
    raw = pf.read_bytes("greenhouse/unicode_candidate.json")
    escaped = pf.read_bytes("greenhouse/unicode_candidate_escaped.json")
    assert "Zoë Ðặng 李".encode() not in raw  # first and last name are separate fields
    assert "Ðặng 李".encode() in raw
    assert escaped.isascii()
    for body in (raw, escaped):
        candidate = json.loads(body)["payload"]["application"]["candidate"]
        assert f"{candidate['first_name']} {candidate['last_name']}" == "Zoë Ðặng 李"


# --- the bulk generator -----------------------------------------------------------------------


def test_bulk_files_on_disk_are_what_the_generator_writes() -> None:
    generated = _generate.bulk_files()
    assert len(generated) == 50
    for relative, data in generated.items():
        assert pf.read_bytes(relative) == data, relative


def test_bulk_generator_is_deterministic(tmp_path: Path) -> None:
    committed_manifest = pf.MANIFEST_PATH.read_bytes()
    shutil.copyfile(pf.MANIFEST_PATH, tmp_path / "manifest.json")
    _generate.main(["--root", str(tmp_path)])
    first = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    _generate.main(["--root", str(tmp_path)])
    second = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert first == second
    assert (tmp_path / "manifest.json").read_bytes() == committed_manifest


def test_bulk_set_rejects_fifty_different_candidates() -> None:
    bulk = pf.fixtures(source="greenhouse", tags="bulk")
    assert len(bulk) == 50
    bodies = [json.loads(pf.read_bytes(e["path"])) for e in bulk]
    assert len({body["payload"]["application"]["candidate"]["id"] for body in bodies}) == 50
    assert {body["action"] for body in bodies} == {"reject_candidate"}


# --- recorded captures ------------------------------------------------------------------------


def _recorded() -> list[dict[str, Any]]:
    return [entry for entry in pf.manifest() if pf.signing_mode(entry) == "recorded"]


def test_recorded_captures_follow_the_capture_format() -> None:
    validator = _validator("#/$defs/capture")
    recorded = _recorded()
    assert {entry["source"] for entry in recorded} >= {"greenhouse"}
    for entry in recorded:
        document = json.loads(pf.read_bytes(entry["path"]))
        assert list(validator.iter_errors(document)) == [], entry["path"]
        assert document["path"].endswith("/" + entry["source"])


def _recorded_signature_holds(source: str, secret: str, headers: dict[str, str], body: bytes) -> bool:
    if source == "greenhouse":
        return headers["Signature"] == signing.greenhouse_signature(secret, body)
    if source == "workday":
        expected = signing.standard_webhooks_signature(
            secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body
        )
        return expected in headers["webhook-signature"].split(" ")
    document = json.loads(body)
    expected = signing.lever_signature(secret, document["token"], document["triggeredAt"])
    return document["signature"] == expected


def test_recorded_signatures_verify_with_the_fixture_secret() -> None:
    for entry in _recorded():
        document = json.loads(pf.read_bytes(entry["path"]))
        headers, body = pf.capture(entry["path"])
        source, secret = entry["source"], document["fixture_secret"]
        assert _recorded_signature_holds(source, secret, headers, body), entry["path"]
        assert not _recorded_signature_holds(source, signing.generate_whsec(), headers, body)


def test_greenhouse_captures_use_the_documented_fixture_secret() -> None:
    for entry in pf.fixtures(source="greenhouse", tags="recorded"):
        document = json.loads(pf.read_bytes(entry["path"]))
        assert document["fixture_secret"] == "gh_fixture_secret"
        assert document["secret_env"] == "WEBHOOK_SECRET_GREENHOUSE"


def test_stale_captures_are_outside_every_freshness_window() -> None:
    stale = pf.fixtures(tags=["recorded", "stale"])
    assert {entry["source"] for entry in stale} == {"lever", "workday"}
    now = time.time()
    for entry in stale:
        headers, body = pf.capture(entry["path"])
        if entry["source"] == "workday":
            assert abs(now - int(headers["webhook-timestamp"])) > 300
        else:
            assert now - json.loads(body)["triggeredAt"] / 1000 > 24 * 3600
        assert entry["expected"]["status"] == 401
        assert entry["expectedFresh"]["outcome"] == "recorded"


# --- expectations follow the contract (§ 3, event → decision mapping) -------------------------


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _greenhouse_decision(document: dict[str, Any]) -> tuple[str | None, str | None]:
    application = document.get("payload", {}).get("application") or {}
    action = document["action"]
    rejected = action in ("reject_candidate", "application_rejected") or (
        action == "candidate_stage_change" and application["status"] == "rejected"
    )
    if rejected:
        reason = application.get("rejection_reason")
        return "reject", _snake(reason["name"]) if reason else "rejection_reason_unspecified"
    decision = {"candidate_stage_change": "advance", "hire_candidate": "hire"}.get(action)
    return decision, None if decision is None else "application_review"


def _lever_decision(document: dict[str, Any]) -> tuple[str | None, str | None]:
    data, event = document["data"], document["event"]
    if not (data.get("opportunityId") or data.get("candidateId")):
        return None, None
    if event in ("candidateArchiveChange", "candidateArchived"):
        return ("reject", None) if data.get("toArchived") else (None, None)
    decision = {"candidateStageChange": "advance", "candidateHired": "hire"}.get(event)
    return decision, None if decision is None else "application_review"


def _workday_decision(document: dict[str, Any]) -> tuple[str | None, str | None]:
    decision = {
        "JobApplication.Dispositioned": "reject",
        "JobApplication.StageChanged": "advance",
        "JobApplication.Hired": "hire",
    }.get(document["eventType"])
    if decision == "reject":
        return decision, _snake(document["jobApplication"]["disposition"]["reason"])
    return decision, None if decision is None else "application_review"


DECIDERS = {"greenhouse": _greenhouse_decision, "lever": _lever_decision, "workday": _workday_decision}


@pytest.mark.parametrize("source", ["greenhouse", "lever", "workday"])
def test_webhook_expectations_follow_the_event_mapping(source: str) -> None:
    for entry in pf.fixtures(source=source):
        document = json.loads(pf.body_bytes(entry))
        decision, factor = DECIDERS[source](document)
        expected = _fresh_expectation(entry)
        assert expected["decision"] == decision, entry["path"]
        assert expected["outcome"] == ("ignored" if decision is None else "recorded"), entry["path"]
        assert expected["status"] == 200, entry["path"]
        if factor is not None or "factor" in expected:
            assert expected.get("factor") == factor, entry["path"]
        event = document.get("action") or document.get("event") or document.get("eventType")
        assert entry["event"] == event, entry["path"]


def test_documented_factors() -> None:
    assert _entry("greenhouse/reject_candidate.documented.json")["expected"]["factor"] == "too_junior"
    guide = _entry("greenhouse/guide_candidate_stage_change_rejected.json")["expected"]
    assert (guide["decision"], guide["factor"]) == ("reject", "insufficient_experience")
    null_reason = _entry("greenhouse/reject_null_reason.json")["expected"]
    assert null_reason["factor"] == "rejection_reason_unspecified"


def test_every_webhook_body_is_distinct() -> None:
    # Identical bytes would make the second a Greenhouse redelivery (IDEM-004), not the case it claims to be.
    digests = [hashlib.sha256(pf.body_bytes(entry)).hexdigest() for entry in _webhook_entries()]
    assert len(digests) == len(set(digests))


def _webhook_ids(source: str, document: dict[str, Any]) -> tuple[Any, Any]:
    if source == "greenhouse":
        application = document["payload"]["application"]
        job = application["jobs"][0]["id"] if application.get("jobs") else application["job_id"]
        return application.get("candidate", {}).get("id", application.get("candidate_id")), job
    if source == "lever":
        return document["data"].get("candidateId"), document["data"].get("postingId")
    return document["jobApplication"]["candidate"]["id"], document["jobApplication"]["jobRequisition"]["id"]


def test_recorded_webhook_decisions_concern_different_candidates() -> None:
    keys = []
    for entry in _webhook_entries():
        if _fresh_expectation(entry)["outcome"] == "recorded":
            keys.append((entry["source"], *_webhook_ids(entry["source"], json.loads(pf.body_bytes(entry)))))
    assert len(keys) == len(set(keys))


# --- Lever and api placeholders ---------------------------------------------------------------


def test_fresh_lever_fixtures_carry_the_documented_placeholders() -> None:
    fresh = [entry for entry in pf.fixtures(source="lever") if pf.signing_mode(entry) == "fresh"]
    assert len(fresh) >= 7
    for entry in fresh:
        document = json.loads(pf.read_bytes(entry["path"]))
        assert set(document) == {"data", "event", "signature", "token", "triggeredAt"}, entry["path"]
        placeholders = (document["token"], document["triggeredAt"], document["signature"])
        assert placeholders == (pf.LEVER_PLACEHOLDER, 0, "")
        signed = signing.lever_sign_body("tok", document)
        assert signed["data"] == document["data"]


def test_api_bodies_that_should_record_use_timestamp_placeholders() -> None:
    for entry in pf.fixtures(source="api"):
        body = pf.read_bytes(entry["path"])
        has_placeholder = b'"REPLACED_AT_REPLAY' in body
        assert has_placeholder == (entry["expected"]["outcome"] == "recorded"), entry["path"]
        assert ("placeholder-timestamp" in entry["tags"]) == has_placeholder, entry["path"]


def test_fill_timestamps_writes_valid_times_and_nothing_else() -> None:
    for entry in pf.fixtures(source="api", tags="placeholder-timestamp"):
        raw = pf.read_bytes(entry["path"])
        filled = pf.fill_timestamps(raw)
        before, after = json.loads(raw), json.loads(filled)
        stamp = after.pop("decisionTimestamp")
        before.pop("decisionTimestamp")
        assert before == after
        assert TIMESTAMP_PATTERN.match(stamp), stamp
        naive = "no-offset" in entry["tags"]
        assert stamp.endswith("Z") != naive, (entry["path"], stamp)


def test_fill_timestamps_forms() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 28, 10, 0, 0, 123456, tzinfo=UTC)
    body = b'{"decisionTimestamp": "REPLACED_AT_REPLAY", "note": "REPLACED_AT_REPLAY"}'
    assert pf.fill_timestamps(body, moment) == (
        b'{"decisionTimestamp": "2026-11-28T10:00:00.123Z", "note": "REPLACED_AT_REPLAY"}'
    )
    naive = pf.fill_timestamps(b'{"decisionTimestamp":"REPLACED_AT_REPLAY_NO_OFFSET"}', moment)
    stamp = json.loads(naive)["decisionTimestamp"]
    assert TIMESTAMP_PATTERN.match(stamp)
    assert not stamp.endswith("Z")
    assert "+" not in stamp


def test_api_decision_kinds_and_protected_factors_are_covered() -> None:
    decisions = {e["expected"]["decision"] for e in pf.fixtures(source="api", tags="decision-kind")}
    assert decisions == {"reject", "advance", "hire", "hold"}
    for entry in pf.fixtures(source="api", tags="protected"):
        factors = {f["factor"] for f in json.loads(pf.read_bytes(entry["path"]))["decisionFactors"]}
        assert factors & {"age", "zip_code"}
        assert entry["expected"]["complianceFlags"] == ["protected_characteristic_factor"]


def test_hundred_factors_is_exactly_the_limit() -> None:
    assert len(json.loads(pf.read_bytes("api/hundred_factors.json"))["decisionFactors"]) == 100
    assert len(json.loads(pf.read_bytes("api/invalid_101_factors.json"))["decisionFactors"]) == 101


# --- the package helpers ----------------------------------------------------------------------


def test_fixture_selection() -> None:
    assert {e["source"] for e in pf.fixtures(source="lever")} == {"lever"}
    assert len(pf.fixtures(tags="bulk")) == 50
    assert all({"recorded", "stale"} <= set(e["tags"]) for e in pf.fixtures(tags=["recorded", "stale"]))
    assert len(pf.fixtures()) == len(pf.manifest())
    with pytest.raises(ValueError):
        pf.fixtures(source="ashby")


@pytest.mark.parametrize("path", ["../pyproject.toml", "/etc/hostname", "", "greenhouse/../../README.md"])
def test_read_bytes_stays_inside_the_fixture_folder(path: str) -> None:
    with pytest.raises(ValueError):
        pf.read_bytes(path)


def test_capture_decodes_base64_and_text_bodies() -> None:
    for path in (
        "greenhouse/recorded/candidate_stage_change.capture.json",
        "greenhouse/recorded/reject_candidate_escaped.capture.json",
    ):
        headers, body = pf.capture(path)
        assert json.loads(body)["action"] in {"candidate_stage_change", "reject_candidate"}
        assert headers["Signature"].startswith("sha256 ")
