"""The reports a run leaves behind: conformance.json, junit.xml, report.html and the console summary.

Reports are built from hand-made runs (every verdict kind, evidence recorded through the real client's
`Exchange.as_evidence`, hostile text in messages and bodies), so each writer is judged on what its reader
relies on: the JSON matches its schema, CI's JUnit view agrees with the exit code and reads in words, the
HTML opens with the verdict and puts failures first in plain language, and the console says what to fix
within the terminal's width without cutting a command.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from nyc_hiring import schemas
from nyc_hiring.harness.acks import expect_duplicate_of
from nyc_hiring.harness.catalog import load_catalog
from nyc_hiring.harness.client import Exchange
from nyc_hiring.harness.judge import as_json
from nyc_hiring.harness.reports import write_reports
from nyc_hiring.harness.reports.console import summary_lines
from nyc_hiring.harness.reports.html import write_html
from nyc_hiring.harness.reports.json_report import ReportSchemaError, report_document, write_json
from nyc_hiring.harness.reports.junit import write_junit
from nyc_hiring.harness.reports.text import check_title, readable
from nyc_hiring.harness.results import CheckResult, RunReport, verdicts
from nyc_hiring.harness.steps import StepFailed, Steps

CATALOG = load_catalog()
MUSTS = [rid for rid, requirement in CATALOG.items() if requirement.level == "MUST"]
SHOULDS = [rid for rid, requirement in CATALOG.items() if requirement.level == "SHOULD"]
MUST_FAIL, KNOWN, SKIPPED, MULTI_A, MULTI_B = MUSTS[:5]
WARNED = SHOULDS[0]
HOSTILE = 'sent a signed body, expected 401, got 200 <script>alert("x")</script> for Zoë — ☃ 😀'
KEY = "sk_test_reports_0123456789"
REPLAY = (
    "python -m nyc_hiring.harness replay /tmp/reports/cases/SIG-004-2aee30e3.json"
    ' --target "$NYC_HIRING_TARGET" --resign'
)
PYTHON_LITERAL = "expected at /decision-events/{decisionEventId}: {'duplicate': None, 'ids': ['de_1', True]}"
AS_JSON = '{"duplicate": null, "ids": ["de_1", true]}'


def evidence(body: str = '{"candidateIdRaw": "Zoë <script>alert(1)</script>"}') -> dict[str, Any]:
    exchange = Exchange(
        method="POST",
        url="http://127.0.0.1:8000/api/v1/nyc-hiring/decision-event",
        request_headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
        request_body=body.encode(),
        status=200,
        response_headers={"content-type": "application/json"},
        response_body='{"detail": "</pre><script>alert(2)</script> ☃"}'.encode(),
    )
    return exchange.as_evidence({"NYC_HIRING_API_KEY": KEY})


def check(
    name: str,
    ids: tuple[str, ...],
    outcome: str,
    message: str = "",
    with_evidence: bool = False,
    *,
    clause: str | None = None,
    body: str | None = None,
) -> CheckResult:
    """A check as the plugin records it; `clause` charges a failure to one of the first requirement's clauses."""
    item = evidence() if body is None else evidence(body)
    return CheckResult(
        nodeid=f"harness/suite/test_reports.py::{name}",
        name=name,
        requirements=ids,
        outcome=outcome,  # type: ignore[arg-type]
        message=message,
        duration=0.125,
        evidence=[item] if with_evidence else [],
        failed=(ids[0], clause) if clause else None,
    )


def run_report(
    results: list[CheckResult], *, baseline: frozenset[str] = frozenset(), strict: bool = False
) -> RunReport:
    return RunReport(
        target="http://127.0.0.1:8000/api/v1/nyc-hiring",
        started_at="2026-11-28T10:00:00Z",
        finished_at="2026-11-28T10:00:04Z",
        duration_seconds=4.25,
        versions={"python": "3.11.9", "nyc-hiring-conformance": "0.1.0"},
        options={
            "sandbox": False,
            "strict": strict,
            "baseline": "known.txt" if baseline else None,
            "seed": 7,
            "allowLive": False,
        },
        verdicts=verdicts(results, baseline=baseline, strict=strict),
    )


def compliant_report() -> RunReport:
    return run_report([check(f"test_{rid.lower().replace('-', '_')}_holds", (rid,), "passed") for rid in CATALOG])


def mixed_results() -> list[CheckResult]:
    first = CATALOG[MUST_FAIL].clauses[0].id
    return [
        check("test_unsigned_writes_are_refused", (MUST_FAIL,), "failed", HOSTILE + "\x1b[31m", True, clause=first),
        check("test_must_other_check_passes", (MUST_FAIL,), "passed"),
        check("test_should_is_met", (WARNED,), "failed", "message grade 11.2 > 10", with_evidence=True),
        check("test_known_gap", (KNOWN,), "failed", "expected 404, got 200", with_evidence=True),
        check("test_needs_a_read_only_key", (SKIPPED,), "skipped", "set NYC_HIRING_READ_ONLY_KEY <ro> to run"),
        check("test_serves_two_requirements", (MULTI_A, MULTI_B), "passed"),
    ]


def mixed_report(strict: bool = False) -> RunReport:
    return run_report(mixed_results(), baseline=frozenset({KNOWN}), strict=strict)


def incomplete_report(*, allow: bool = False, baseline: frozenset[str] = frozenset()) -> RunReport:
    """Every requirement met but one MUST that no check could show (its credential was not given)."""
    results = [
        check(f"test_{rid.lower().replace('-', '_')}_holds", (rid,), "passed") for rid in CATALOG if rid != SKIPPED
    ]
    results.append(check("test_needs_a_read_only_key", (SKIPPED,), "skipped", "set NYC_HIRING_API_KEY_READONLY"))
    report = run_report(results, baseline=baseline)
    return dataclasses.replace(report, allow_incomplete=allow)


def failing_report(message: str, *, body: str | None = None) -> RunReport:
    """One MUST failed with `message`, every other requirement met."""
    results = [
        check(f"test_{rid.lower().replace('-', '_')}_holds", (rid,), "passed") for rid in CATALOG if rid != MUST_FAIL
    ]
    results.append(check("test_unsigned_writes_are_refused", (MUST_FAIL,), "failed", message, True, body=body))
    return run_report(results)


def every_report(tmp_path: Path, report: RunReport, width: int = 100) -> dict[str, str]:
    """What each report shows a reader, as text: the console lines, the JSON, the JUnit XML, the HTML page."""
    written = write_reports(report, tmp_path)
    return {
        "console": "\n".join(summary_lines(report, written, width=width)),
        "json": (tmp_path / "conformance.json").read_text(encoding="utf-8"),
        "junit": (tmp_path / "junit.xml").read_text(encoding="utf-8"),
        "html": (tmp_path / "report.html").read_text(encoding="utf-8"),
    }


# -- never green by accident -----------------------------------------------------------------------------


def test_a_must_left_unchecked_makes_the_run_incomplete_in_every_report(tmp_path: Path) -> None:
    report = incomplete_report()
    assert (report.status, report.exit_code) == ("incomplete", 1)
    paths = write_reports(report, tmp_path)
    document = json.loads((tmp_path / "conformance.json").read_text())
    assert document["summary"]["status"] == "incomplete" and document["summary"]["compliant"] is False
    assert document["summary"]["unchecked"] == [SKIPPED]
    suite = ET.parse(tmp_path / "junit.xml").getroot()  # noqa: S314 - a file this test wrote
    assert suite.get("failures") == "1"
    failure = suite.find(".//testcase/failure")
    assert failure is not None and SKIPPED in (failure.get("message") or "")
    assert "READONLY" in (failure.get("message") or "")
    page = (tmp_path / "report.html").read_text()
    assert ">Incomplete</span>" in page and ">Compliant</span>" not in page
    console = "\n".join(summary_lines(report, paths))
    assert f"INCOMPLETE (MUST not checked: {SKIPPED})" in console and "COMPLIANT:" not in console


@pytest.mark.parametrize("why", ["allow", "baseline"])
def test_an_unchecked_must_may_be_accepted_on_purpose_and_is_still_reported(why: str, tmp_path: Path) -> None:
    report = incomplete_report(
        allow=why == "allow", baseline=frozenset({SKIPPED}) if why == "baseline" else frozenset()
    )
    assert report.exit_code == 0
    write_reports(report, tmp_path)
    summary = json.loads((tmp_path / "conformance.json").read_text())["summary"]
    assert summary["exitCode"] == 0 and summary["compliant"] is False
    assert ET.parse(tmp_path / "junit.xml").getroot().get("failures") == "0"  # noqa: S314


def test_a_run_narrowed_by_requirement_is_partial_not_compliant() -> None:
    results = [check("test_auth_001_holds", ("AUTH-001",), "passed")]
    report = dataclasses.replace(run_report(results), verdicts=verdicts(results, scope=("AUTH-001",)))
    assert (report.status, report.exit_code) == ("partial", 0)
    assert not any(verdict.unchecked for verdict in report.verdicts)


# -- words, not code ---------------------------------------------------------------------------------


def test_a_check_is_named_in_words() -> None:
    def named(name: str) -> str:
        return check_title(check(name, ("AUTH-001",), "passed"))

    assert named("test_revoked_key_is_401") == "Revoked key is 401"
    assert named("test_fixture_replays[greenhouse/ping.json]") == "Fixture replays (greenhouse/ping.json)"
    assert named("test_openapi_responses_match_the_served_document") == "OpenAPI responses match the served document"
    assert named("test_test_records_are_invisible_to_live_keys") == "Test records are invisible to live keys"


def test_no_report_names_a_check_by_its_node_id(tmp_path: Path) -> None:
    shown = every_report(tmp_path, mixed_report())
    for name, text in shown.items():
        if name == "json":  # the machine record keeps the node ID in its own field, to rerun a check alone
            document = json.loads(text)
            text = json.dumps([{**entry, "checks": []} for entry in document["requirements"]])
        assert "::" not in text and "test_unsigned_writes_are_refused" not in text, name
        assert "Unsigned writes are refused" in unescape(text), name


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("got {'a': None, 'b': [True, 1.5]}", 'got {"a": null, "b": [true, 1.5]}'),
        ("flags ['x', 'y'] among []", 'flags ["x", "y"] among []'),
        ('already JSON: {"a": null}', 'already JSON: {"a": null}'),
        ("GET /decision-events/{decisionEventId} answered 500", "GET /decision-events/{decisionEventId} answered 500"),
        ("[body: 'Your score'] and {'k': \"it's\"}", '[body: \'Your score\'] and {"k": "it\'s"}'),
        ("unbalanced {'a': 1", "unbalanced {'a': 1"),
        ("a set {'b', 'a'}", 'a set ["a", "b"]'),
        ("nested {'a': {'b': [None]}} twice {'c': False}", 'nested {"a": {"b": [null]}} twice {"c": false}'),
    ],
)
def test_python_literals_in_messages_read_as_json(text: str, shown: str) -> None:
    assert readable(text) == shown


def test_every_report_shows_a_message_s_python_literals_as_json(tmp_path: Path) -> None:
    for name, text in every_report(tmp_path, failing_report(PYTHON_LITERAL)).items():
        text = " ".join((unescape(text) if name in ("html", "junit") else text).split())  # lines unwrapped
        assert (json.dumps(AS_JSON)[1:-1] if name == "json" else AS_JSON) in text, name
        assert "{'duplicate'" not in text and "/decision-events/{decisionEventId}" in text, name


def test_a_message_s_inline_curl_gives_way_to_the_evidence_s_whole_one(tmp_path: Path) -> None:
    cut = "POST /decision-event: not_a_server_error failed (HTTP 500); reproduce: curl -sS -i -X POST http://127.0.0.1"
    shown = every_report(tmp_path, failing_report(cut))
    assert "reproduce: curl" not in shown["console"] and "reproduce: curl" not in unescape(shown["junit"])
    assert "(HTTP 500); reproduce" not in shown["html"] and escape(evidence()["curl"]) in shown["html"]
    assert cut in json.loads(shown["json"])["requirements"][0]["checks"][0]["message"]  # the record keeps it
    unproven = failing_report(cut)
    unproven.verdicts[0].checks[0].evidence = []  # no exchange to point to: the message's copy is all there is
    assert "reproduce: curl" in every_report(tmp_path / "bare", unproven)["html"]


def test_schema_mismatches_and_acknowledgements_are_worded_in_json() -> None:
    validator = jsonschema.Draft202012Validator({"properties": {"flags": {"type": "array"}}, "required": ["id"]})
    worded = sorted(as_json(error) for error in validator.iter_errors({"flags": None}))
    assert worded == ['"id" is a required property', 'null is not of type "array"']
    answer = httpx.Response(200, json={"duplicate": True, "decisionEventId": None})
    with pytest.raises(StepFailed) as failed:
        expect_duplicate_of(Steps(), answer, {"decisionEventId": "de_1"}, "greenhouse-body", "a redelivery")
    assert 'expected the original decisionEventId "de_1", got null' in failed.value.message


# -- conformance.json --------------------------------------------------------------------------------


def test_the_schema_is_a_2020_12_schema_named_after_its_file() -> None:
    schema = schemas.load("conformance-report")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "conformance-report.schema.json"
    schemas.validator("conformance-report").check_schema(schema)


@pytest.mark.parametrize("report", [compliant_report(), mixed_report(), mixed_report(strict=True)])
def test_conformance_json_validates_and_keeps_catalog_order(tmp_path: Path, report: RunReport) -> None:
    document = json.loads(write_json(report, tmp_path / "conformance.json").read_text(encoding="utf-8"))
    assert list(schemas.validator("conformance-report").iter_errors(document)) == []
    assert [entry["id"] for entry in document["requirements"]] == list(CATALOG)
    assert document["summary"]["exitCode"] == report.exit_code
    assert document["summary"]["compliant"] is (report.status == "compliant")


def test_conformance_json_records_verdicts_and_evidence(tmp_path: Path) -> None:
    text = write_json(mixed_report(), tmp_path / "conformance.json").read_text(encoding="utf-8")
    document = json.loads(text)
    by_id = {entry["id"]: entry for entry in document["requirements"]}
    summary = document["summary"]
    assert {name: summary[name] for name in ("status", "compliant", "exitCode", "counts")} == {
        "status": "not compliant",
        "compliant": False,
        "exitCode": 1,
        "counts": {"pass": 2, "fail": 2, "warn": 1, "skip": len(CATALOG) - 5},
    }
    assert SKIPPED in summary["unchecked"]
    assert (by_id[KNOWN]["verdict"], by_id[KNOWN]["knownFailure"]) == ("fail", True)
    assert by_id[WARNED]["verdict"] == "warn" and by_id[SKIPPED]["verdict"] == "skip"
    failed = by_id[MUST_FAIL]["checks"][0]
    assert failed["evidence"][0]["request"]["headers"]["Authorization"] == "Bearer $NYC_HIRING_API_KEY"
    assert failed["evidence"][0]["curl"].startswith("curl ")
    assert "Zoë — ☃ 😀" in text  # written as UTF-8, not \u escapes


def test_conformance_json_says_each_rule_in_plain_words_and_which_part_broke(tmp_path: Path) -> None:
    document = json.loads(write_json(mixed_report(), tmp_path / "conformance.json").read_text(encoding="utf-8"))
    by_id = {entry["id"]: entry for entry in document["requirements"]}
    for rid, requirement in CATALOG.items():
        assert by_id[rid]["plainTitle"] == requirement.plain_title
        assert by_id[rid]["groupTitle"] == requirement.group_title
    clause = CATALOG[MUST_FAIL].clauses[0]
    assert by_id[MUST_FAIL]["failedClause"] == {"id": clause.id, "text": clause.text}
    assert by_id[MUST_FAIL]["reason"].startswith("Unsigned writes are refused: sent a signed body")
    assert by_id[KNOWN]["failedClause"] is None  # its check failed outside any step
    assert by_id[MULTI_A]["failedClause"] is None and by_id[MULTI_A]["reason"] == "1 check passed"


BROKEN = {
    "unknown verdict": lambda doc: doc["requirements"][0].update(verdict="maybe"),
    "malformed id": lambda doc: doc["requirements"][0].update(id="auth-1"),
    "unknown level": lambda doc: doc["requirements"][0].update(level="MAY"),
    "no plain title": lambda doc: doc["requirements"][0].pop("plainTitle"),
    "failed clause without text": lambda doc: doc["requirements"][0].update(failedClause={"id": "status"}),
    "no summary": lambda doc: doc.pop("summary"),
    "compliant with exit 1": lambda doc: doc["summary"].update(compliant=True, exitCode=1),
    "exit code 2": lambda doc: doc["summary"].update(compliant=False, exitCode=2),
    "known failure that passed": lambda doc: doc["requirements"][1].update(verdict="pass", knownFailure=True),
    "not RFC 3339": lambda doc: doc.update(startedAt="28/11/2026 10:00"),
    "negative duration": lambda doc: doc.update(durationSeconds=-1),
    "unknown outcome": lambda doc: doc["requirements"][0]["checks"][0].update(outcome="xfailed"),
    "evidence without curl": lambda doc: doc["requirements"][0]["checks"][0]["evidence"][0].pop("curl"),
    "status out of range": lambda doc: doc["requirements"][0]["checks"][0]["evidence"][0]["response"].update(
        status=999
    ),
    "unexpected field": lambda doc: doc.update(extra=True),
    "missing count": lambda doc: doc["summary"]["counts"].pop("warn"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_the_schema_rejects_a_broken_document(name: str) -> None:
    document = copy.deepcopy(report_document(mixed_report()))
    assert schemas.validator("conformance-report").is_valid(document)
    BROKEN[name](document)
    assert not schemas.validator("conformance-report").is_valid(document)


def test_a_document_that_breaks_the_schema_is_never_written(tmp_path: Path) -> None:
    report = mixed_report()
    report.verdicts[0].requirement = dataclasses.replace(report.verdicts[0].requirement, id="auth 1")
    target = tmp_path / "conformance.json"
    with pytest.raises(ReportSchemaError, match=r"\$\.requirements\[0\]\.id"):
        write_json(report, target)
    assert not target.exists()


# -- junit.xml ---------------------------------------------------------------------------------------


def junit(tmp_path: Path, report: RunReport) -> ET.Element:
    # The file was just written by the harness itself, not received from anyone.
    return ET.parse(write_junit(report, tmp_path / "junit.xml")).getroot()  # noqa: S314


def cases(root: ET.Element) -> dict[str, ET.Element]:
    found = {case.get("name", ""): case for case in root.iter("testcase")}
    assert len(found) == len(list(root.iter("testcase"))), "testcase names repeat"
    return found


def properties(case: ET.Element, name: str) -> list[str]:
    return [prop.get("value", "") for prop in case.findall("properties/property") if prop.get("name") == name]


def test_junit_has_a_testcase_per_check_and_per_uncovered_requirement(tmp_path: Path) -> None:
    root = junit(tmp_path, mixed_report())
    suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
    assert [suite.get("name") for suite in suites] == ["nyc-hiring-conformance"]
    covered = {rid for result in mixed_results() for rid in result.requirements}
    uncovered = [rid for rid in CATALOG if rid not in covered]
    expected = {check_title(result) for result in mixed_results()}
    expected |= {f"{rid}: {CATALOG[rid].plain_title}" for rid in uncovered}
    assert set(cases(root)) == expected
    every_id = [rid for case in root.iter("testcase") for rid in properties(case, "requirement")]
    assert set(every_id) == set(CATALOG)
    assert properties(cases(root)["Serves two requirements"], "requirement") == [MULTI_A, MULTI_B]
    first = CATALOG[uncovered[0]]
    case = cases(root)[f"{first.id}: {first.plain_title}"]
    assert case.get("classname") == f"conformance.{first.group}: {first.group_title}"
    assert case.find("skipped") is not None and properties(case, "verdict") == ["skip"]


def test_junit_fails_only_what_fails_the_run(tmp_path: Path) -> None:
    found = cases(junit(tmp_path, mixed_report()))
    failed = found["Unsigned writes are refused"]
    failure = failed.find("failure")
    assert failure is not None and "<script>" in failure.get("message", "")
    assert "[31m" not in failure.get("message", "") and "\x1b" not in (failure.text or "")  # colour codes dropped
    assert evidence()["curl"] in (failure.text or "")
    assert failed.get("classname") == f"conformance.{CATALOG[MUST_FAIL].group}: {CATALOG[MUST_FAIL].group_title}"
    assert properties(failed, "level") == ["MUST"] and properties(failed, "verdict") == ["fail"]
    assert [name for name, case in found.items() if case.find("failure") is not None] == [failed.get("name")]
    warned, known = found["Should is met"].find("skipped"), found["Known gap"].find("skipped")
    assert warned is not None and "SHOULD" in warned.get("message", "")
    assert known is not None and "baseline" in known.get("message", "")
    skipped = found["Needs a read only key"].find("skipped")
    assert skipped is not None and skipped.get("message") == "set NYC_HIRING_READ_ONLY_KEY <ro> to run"
    for name in ("Must other check passes", "Serves two requirements"):
        assert list(found[name].iter("failure")) == list(found[name].iter("skipped")) == []


def test_junit_failures_read_in_plain_words_with_the_evidence_in_the_body(tmp_path: Path) -> None:
    requirement = CATALOG[MUST_FAIL]
    failure = cases(junit(tmp_path, mixed_report()))["Unsigned writes are refused"].find("failure")
    assert failure is not None
    message, body = failure.get("message", ""), failure.text or ""
    assert message.startswith(f"{MUST_FAIL} (MUST) not met: {requirement.plain_title}. Unsigned writes are refused: ")
    assert HOSTILE in message and "\n" not in message
    assert body.startswith(message)  # GitLab shows only the body
    for shown in (requirement.clauses[0].text, requirement.rationale, requirement.title, "> Authorization: Bearer"):
        assert shown in body
    assert body.index(requirement.rationale) < body.index(evidence()["curl"])


@pytest.mark.parametrize("report", [compliant_report(), mixed_report(), mixed_report(strict=True)])
def test_junit_counts_agree_with_the_cases_and_the_exit_code(tmp_path: Path, report: RunReport) -> None:
    root = junit(tmp_path, report)
    suite = root.find("testsuite") if root.tag == "testsuites" else root
    assert suite is not None
    testcases = list(suite.iter("testcase"))
    failures = sum(case.find("failure") is not None for case in testcases)
    skipped = sum(case.find("skipped") is not None for case in testcases)
    assert suite.get("tests") == str(len(testcases))
    assert (suite.get("failures"), suite.get("skipped"), suite.get("errors")) == (str(failures), str(skipped), "0")
    assert (failures > 0) == (report.exit_code == 1)


def test_strict_runs_fail_should_checks_in_junit(tmp_path: Path) -> None:
    found = cases(junit(tmp_path, mixed_report(strict=True)))
    assert found["Should is met"].find("failure") is not None
    assert found["Known gap"].find("failure") is None


def test_junit_names_stay_unique_when_two_checks_read_alike(tmp_path: Path) -> None:
    alike = [check("test_a_b", ("AUTH-001",), "passed"), check("test_a__b", ("AUTH-001",), "passed")]
    assert {"A b", "A b (2)"} <= set(cases(junit(tmp_path, run_report(alike))))


# -- report.html -------------------------------------------------------------------------------------


class Page(HTMLParser):
    """The tags of a page and its text in reading order, as a screen reader would meet it."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.words: list[str] = []
        self._skip = 0
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.words.append(" ".join(data.split()))

    @property
    def text(self) -> str:
        return " ".join(self.words)


def html_of(tmp_path: Path, report: RunReport) -> str:
    return write_html(report, tmp_path / "report.html").read_text(encoding="utf-8")


def test_html_lists_every_requirement_and_the_overall_verdict(tmp_path: Path) -> None:
    page = html_of(tmp_path, mixed_report())
    assert all(rid in page for rid in CATALOG)
    assert all(escape(requirement.plain_title) in page for requirement in CATALOG.values())
    assert "Not compliant" in page and "Fail (known)" in page and "Warning" in page
    assert CATALOG[MUST_FAIL].rationale.split(".")[0] in page
    assert "Compliant" in html_of(tmp_path, compliant_report()).replace("Not compliant", "")
    assert "Not compliant" not in html_of(tmp_path, compliant_report())


@pytest.mark.parametrize(
    ("report", "word"),
    [
        (compliant_report(), "Compliant"),
        (mixed_report(), "Not compliant"),
        (incomplete_report(), "Incomplete"),
        (
            dataclasses.replace(
                compliant_report(),
                verdicts=verdicts([check("test_auth_001_holds", ("AUTH-001",), "passed")], scope=("AUTH-001",)),
            ),
            "Partial run",
        ),
    ],
)
def test_html_opens_with_the_verdict(tmp_path: Path, report: RunReport, word: str) -> None:
    page = Page(html_of(tmp_path, report))
    assert page.words[:3] == ["NYC Local Law 144 hiring-compliance conformance report", page.words[1], word]
    assert page.tags[page.tags.index(("h1", {})) + 2] == ("span", {"class": "verdict", "id": "verdict"})


def test_html_lists_failures_first_in_plain_words(tmp_path: Path) -> None:
    text = Page(html_of(tmp_path, mixed_report())).text
    requirement = CATALOG[MUST_FAIL]
    card = text[text.index(f"{MUST_FAIL} · MUST") : text.index("All requirements")]
    for shown in (
        f"{MUST_FAIL} · MUST · {requirement.group_title}",
        f"Part of the rule not met {requirement.clauses[0].text.replace('`', '')}",  # backticks: <code>
        f"What the check found Unsigned writes are refused: {HOSTILE}",
        f"Why it matters {requirement.rationale}",
        "Evidence: what was sent and what came back (1 exchange)",
        evidence()["curl"],
    ):
        assert " ".join(shown.split()) in card
    titles = [text.index(CATALOG[rid].plain_title) for rid in (MUST_FAIL, KNOWN, WARNED, SKIPPED)]
    assert titles == sorted(titles), "blocking failures, known failures, warnings, then what was not checked"
    assert titles[-1] < text.index("All requirements") < text.index("Pass every check")


def test_html_escapes_everything_from_the_target_and_the_checks(tmp_path: Path) -> None:
    page = html_of(tmp_path, mixed_report())
    assert "<script" not in page.lower() and "</pre><script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;/pre&gt;&lt;script&gt;alert(2)" in page
    assert "Zoë — ☃ 😀" in page


def test_html_is_self_contained(tmp_path: Path) -> None:
    page = Page(html_of(tmp_path, mixed_report()))
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "link" not in names and "style" in names
    references = [attrs.get(key) or "" for _, attrs in page.tags for key in ("src", "href") if key in attrs]
    assert references and all(reference.startswith("#") for reference in references)
    anchors = {attrs.get("id") for _, attrs in page.tags}
    assert all(reference[1:] in anchors for reference in references)


def test_html_shows_the_evidence_of_a_failure(tmp_path: Path) -> None:
    page = html_of(tmp_path, mixed_report())
    item = evidence()
    assert f'<pre class="command">{escape(item["curl"])}</pre>' in page
    assert "Authorization: Bearer $NYC_HIRING_API_KEY" in page and KEY not in page
    assert "HTTP 200" in page
    sections = [page.index(f'id="req-{rid}"') for rid in (MUST_FAIL, KNOWN, WARNED, SKIPPED)]
    assert sections == sorted(sections), "blocking failures, known failures, warnings, then what was not checked"
    assert f'id="req-{MULTI_A}"' not in page


def test_html_sets_a_saved_case_s_replay_command_apart(tmp_path: Path) -> None:
    page = html_of(tmp_path, failing_report(f"expected HTTP 401, got 200; case saved: {REPLAY}"))
    assert f'<pre class="command">{escape(REPLAY)}</pre>' in page


# -- console and write_reports -----------------------------------------------------------------------


def commands_and_paths(line: str) -> bool:
    """Lines printed whole whatever the width: a command to copy, a path to open."""
    return line.strip().startswith(("python -m nyc_hiring.harness replay", "curl ", "report: "))


def test_console_gives_the_verdict_what_to_fix_and_the_report_paths(tmp_path: Path) -> None:
    written = write_reports(mixed_report(), tmp_path / "nested" / "reports")
    lines = summary_lines(mixed_report(), written, width=100)
    assert any(line.startswith("NOT COMPLIANT") for line in lines)
    assert [line for line in lines if line.startswith("report: ")] == [f"report: {path}" for path in written]
    block = lines[lines.index("What to fix (3), most urgent first:") :]
    order = [next(i for i, line in enumerate(block) if f". {rid} (" in line) for rid in (MUST_FAIL, KNOWN, WARNED)]
    assert order == sorted(order)
    requirement = CATALOG[MUST_FAIL]
    assert block[order[0]].startswith(f"   1. {MUST_FAIL} (MUST, fail): ")
    assert requirement.plain_title in " ".join(line.strip() for line in block[order[0] : order[1]])
    assert f"      not met: {requirement.clauses[0].text}" in block
    rows = [line for line in lines if line.split(" ")[0] in CATALOG]
    assert len(rows) == len(CATALOG) and all(len(line) <= 100 for line in lines if not commands_and_paths(line))


@pytest.mark.parametrize("width", [40, 60, 80, 132])
def test_console_fits_the_width_and_wraps_reasons_rather_than_cutting_them(tmp_path: Path, width: int) -> None:
    message = " ".join(f"word{number}" for number in range(80)) + f"; case saved: {REPLAY}"
    report = failing_report(message)
    lines = summary_lines(report, write_reports(report, tmp_path), width=width)
    assert all(len(line) <= width for line in lines if not commands_and_paths(line)), width
    shown = " ".join(" ".join(lines).split())
    assert f"Unsigned writes are refused: {' '.join(f'word{n}' for n in range(80))}; case saved:" in shown
    assert sum(line.strip() == REPLAY for line in lines) == 1, "the replay command whole, on a line of its own"
    assert not any("..." in line for line in lines)


def test_console_width_is_the_terminal_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = failing_report(" ".join(["a long reason"] * 40))
    for columns in (64, 150):
        monkeypatch.setenv("COLUMNS", str(columns))
        lines = summary_lines(report, [])
        assert max(len(line) for line in lines if not commands_and_paths(line)) == columns


def test_console_shows_a_short_curl_and_points_to_a_long_one(tmp_path: Path) -> None:
    short = failing_report("expected 401", body="{}")
    written = write_reports(short, tmp_path)
    curl = short.verdicts[0].checks[-1].evidence[0]["curl"]
    assert curl in [line.strip() for line in summary_lines(short, written, width=80)]
    payload = json.dumps({"decisionFactors": [{"factor": f"factor_{n}", "weight": 0.5} for n in range(20)]})
    long = failing_report("expected 401", body=payload)
    lines = summary_lines(long, written, width=80)
    assert "factor_19" not in "\n".join(lines)
    shown = " ".join(" ".join(lines).split())
    assert f"reproduce: the curl command, with its payload, is in report.html under {MUST_FAIL}" in shown


def test_console_for_a_compliant_run(tmp_path: Path) -> None:
    lines = summary_lines(compliant_report(), [tmp_path / "conformance.json"])
    assert any(line.startswith("COMPLIANT") for line in lines)
    assert not any(line.startswith("What to fix") for line in lines)
    assert f"report: {tmp_path / 'conformance.json'}" in lines


def test_write_reports_writes_all_three_formats(tmp_path: Path) -> None:
    written = write_reports(compliant_report(), tmp_path / "out")
    assert [path.name for path in written] == ["conformance.json", "junit.xml", "report.html"]
    assert all(path.is_file() and path.parent == tmp_path / "out" for path in written)


def test_every_line_of_every_report_is_free_of_ansi_and_reprs(tmp_path: Path) -> None:
    for name, text in every_report(tmp_path, mixed_report()).items():
        assert "\x1b" not in text and not re.search(r"\{'[a-z]", text), name
