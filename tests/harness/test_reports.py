"""The reports a run leaves behind: conformance.json, junit.xml, report.html and the console summary.

Reports are built from hand-made runs (every verdict kind, evidence recorded through the real client's
`Exchange.as_evidence`, hostile text in messages and bodies), so each writer is judged on what its reader
relies on: the JSON matches its schema, CI's JUnit view agrees with the exit code, the HTML is safe and
self-contained, and the console says what to fix.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import schemas
from harness.catalog import load_catalog
from harness.client import Exchange
from harness.reports import write_reports
from harness.reports.console import summary_lines
from harness.reports.html import write_html
from harness.reports.json_report import ReportSchemaError, report_document, write_json
from harness.reports.junit import write_junit
from harness.results import CheckResult, RunReport, verdicts

CATALOG = load_catalog()
MUSTS = [rid for rid, requirement in CATALOG.items() if requirement.level == "MUST"]
SHOULDS = [rid for rid, requirement in CATALOG.items() if requirement.level == "SHOULD"]
MUST_FAIL, KNOWN, SKIPPED, MULTI_A, MULTI_B = MUSTS[:5]
WARNED = SHOULDS[0]
HOSTILE = 'sent a signed body, expected 401, got 200 <script>alert("x")</script> for Zoë — ☃ 😀'
KEY = "sk_test_reports_0123456789"


def evidence() -> dict[str, Any]:
    exchange = Exchange(
        method="POST",
        url="http://127.0.0.1:8000/api/v1/nyc-hiring/decision-event",
        request_headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
        request_body='{"candidateIdRaw": "Zoë <script>alert(1)</script>"}'.encode(),
        status=200,
        response_headers={"content-type": "application/json"},
        response_body='{"detail": "</pre><script>alert(2)</script> ☃"}'.encode(),
    )
    return exchange.as_evidence({"NYC_HIRING_API_KEY": KEY})


def check(name: str, ids: tuple[str, ...], outcome: str, message: str = "", with_evidence: bool = False) -> CheckResult:
    return CheckResult(
        nodeid=f"harness/suite/test_reports.py::{name}", name=name, requirements=ids, outcome=outcome,  # type: ignore[arg-type]
        message=message, duration=0.125, evidence=[evidence()] if with_evidence else [],
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
        options={"sandbox": False, "strict": strict, "baseline": "known.txt" if baseline else None, "seed": 7,
                 "allowLive": False},
        verdicts=verdicts(results, baseline=baseline, strict=strict),
    )


def compliant_report() -> RunReport:
    return run_report([check(f"test_{rid.lower().replace('-', '_')}_holds", (rid,), "passed") for rid in CATALOG])


def mixed_results() -> list[CheckResult]:
    return [
        check("test_unsigned_writes_are_refused", (MUST_FAIL,), "failed", HOSTILE + "\x1b[31m", with_evidence=True),
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
    results = [check(f"test_{rid.lower().replace('-', '_')}_holds", (rid,), "passed") for rid in CATALOG
               if rid != SKIPPED]
    results.append(check("test_needs_a_read_only_key", (SKIPPED,), "skipped", "set NYC_HIRING_API_KEY_READONLY"))
    report = run_report(results, baseline=baseline)
    return dataclasses.replace(report, allow_incomplete=allow)


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
    report = incomplete_report(allow=why == "allow", baseline=frozenset({SKIPPED}) if why == "baseline" else
                               frozenset())
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
        "status": "not compliant", "compliant": False, "exitCode": 1,
        "counts": {"pass": 2, "fail": 2, "warn": 1, "skip": len(CATALOG) - 5}}
    assert SKIPPED in summary["unchecked"]
    assert (by_id[KNOWN]["verdict"], by_id[KNOWN]["knownFailure"]) == ("fail", True)
    assert by_id[WARNED]["verdict"] == "warn" and by_id[SKIPPED]["verdict"] == "skip"
    failed = by_id[MUST_FAIL]["checks"][0]
    assert failed["evidence"][0]["request"]["headers"]["Authorization"] == "Bearer $NYC_HIRING_API_KEY"
    assert failed["evidence"][0]["curl"].startswith("curl ")
    assert "Zoë — ☃ 😀" in text  # written as UTF-8, not \u escapes


BROKEN = {
    "unknown verdict": lambda doc: doc["requirements"][0].update(verdict="maybe"),
    "malformed id": lambda doc: doc["requirements"][0].update(id="auth-1"),
    "unknown level": lambda doc: doc["requirements"][0].update(level="MAY"),
    "no summary": lambda doc: doc.pop("summary"),
    "compliant with exit 1": lambda doc: doc["summary"].update(compliant=True, exitCode=1),
    "exit code 2": lambda doc: doc["summary"].update(compliant=False, exitCode=2),
    "known failure that passed": lambda doc: doc["requirements"][1].update(verdict="pass", knownFailure=True),
    "not RFC 3339": lambda doc: doc.update(startedAt="28/11/2026 10:00"),
    "negative duration": lambda doc: doc.update(durationSeconds=-1),
    "unknown outcome": lambda doc: doc["requirements"][0]["checks"][0].update(outcome="xfailed"),
    "evidence without curl": lambda doc: doc["requirements"][0]["checks"][0]["evidence"][0].pop("curl"),
    "status out of range": lambda doc: doc["requirements"][0]["checks"][0]["evidence"][0]["response"].update(
        status=999),
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
    expected = {result.name for result in mixed_results()} | (set(CATALOG) - covered)
    assert set(cases(root)) == expected
    every_id = [rid for case in root.iter("testcase") for rid in properties(case, "requirement")]
    assert set(every_id) == set(CATALOG)
    assert properties(cases(root)["test_serves_two_requirements"], "requirement") == [MULTI_A, MULTI_B]
    uncovered = cases(root)[MUSTS[5]]
    assert uncovered.get("classname") == f"conformance.{CATALOG[MUSTS[5]].group}"
    assert uncovered.find("skipped") is not None and properties(uncovered, "verdict") == ["skip"]


def test_junit_fails_only_what_fails_the_run(tmp_path: Path) -> None:
    found = cases(junit(tmp_path, mixed_report()))
    failed = found["test_unsigned_writes_are_refused"]
    failure = failed.find("failure")
    assert failure is not None and "<script>" in failure.get("message", "")
    assert "[31m" not in failure.get("message", "") and "\x1b" not in (failure.text or "")  # colour codes dropped
    assert evidence()["curl"] in (failure.text or "")
    assert failed.get("classname") == f"conformance.{CATALOG[MUST_FAIL].group}"
    assert properties(failed, "level") == ["MUST"] and properties(failed, "verdict") == ["fail"]
    assert [name for name, case in found.items() if case.find("failure") is not None] == [failed.get("name")]
    warned, known = found["test_should_is_met"].find("skipped"), found["test_known_gap"].find("skipped")
    assert warned is not None and "SHOULD" in warned.get("message", "")
    assert known is not None and "baseline" in known.get("message", "")
    skipped = found["test_needs_a_read_only_key"].find("skipped")
    assert skipped is not None and skipped.get("message") == "set NYC_HIRING_READ_ONLY_KEY <ro> to run"
    for name in ("test_must_other_check_passes", "test_serves_two_requirements"):
        assert list(found[name].iter("failure")) == list(found[name].iter("skipped")) == []


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
    assert found["test_should_is_met"].find("failure") is not None
    assert found["test_known_gap"].find("failure") is None


# -- report.html -------------------------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def html_of(tmp_path: Path, report: RunReport) -> str:
    return write_html(report, tmp_path / "report.html").read_text(encoding="utf-8")


def test_html_lists_every_requirement_and_the_overall_verdict(tmp_path: Path) -> None:
    page = html_of(tmp_path, mixed_report())
    assert all(rid in page for rid in CATALOG)
    assert "Not compliant" in page and "Fail (known)" in page and "Warning" in page
    assert CATALOG[MUST_FAIL].rationale.split(".")[0] in page
    assert "Compliant" in html_of(tmp_path, compliant_report()).replace("Not compliant", "")
    assert "Not compliant" not in html_of(tmp_path, compliant_report())


def test_html_escapes_everything_from_the_target_and_the_checks(tmp_path: Path) -> None:
    page = html_of(tmp_path, mixed_report())
    assert "<script" not in page.lower() and "</pre><script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;/pre&gt;&lt;script&gt;alert(2)" in page
    assert "Zoë — ☃ 😀" in page


def test_html_is_self_contained(tmp_path: Path) -> None:
    parser = Tags()
    parser.feed(html_of(tmp_path, mixed_report()))
    names = [tag for tag, _ in parser.tags]
    assert "script" not in names and "link" not in names and "style" in names
    references = [attrs.get(key) or "" for _, attrs in parser.tags for key in ("src", "href") if key in attrs]
    assert references and all(reference.startswith("#") for reference in references)
    anchors = {attrs.get("id") for _, attrs in parser.tags}
    assert all(reference[1:] in anchors for reference in references)


def test_html_shows_the_evidence_of_a_failure(tmp_path: Path) -> None:
    page = html_of(tmp_path, mixed_report())
    item = evidence()
    assert f'<pre class="curl">{escape(item["curl"])}</pre>' in page
    assert "Authorization: Bearer $NYC_HIRING_API_KEY" in page and KEY not in page
    assert "HTTP 200" in page
    sections = [page.index(f'id="req-{rid}"') for rid in (MUST_FAIL, KNOWN, WARNED)]
    assert sections == sorted(sections), "blocking failures first, then known failures, then warnings"
    assert 'id="req-' + SKIPPED + '"' not in page


# -- console and write_reports -----------------------------------------------------------------------


def test_console_gives_the_verdict_what_to_fix_and_the_report_paths(tmp_path: Path) -> None:
    written = write_reports(mixed_report(), tmp_path / "nested" / "reports")
    lines = summary_lines(mixed_report(), written, width=100)
    assert any(line.startswith("NOT COMPLIANT") for line in lines)
    assert [line for line in lines if line.startswith("report: ")] == [f"report: {path}" for path in written]
    block = lines[lines.index("What to fix (3):"):]
    order = [next(i for i, line in enumerate(block) if line.strip().startswith(rid))
             for rid in (MUST_FAIL, KNOWN, WARNED)]
    assert order == sorted(order)
    assert block[order[0] + 1].strip() == evidence()["curl"]
    rows = [line for line in lines if line.split(" ")[0] in CATALOG]
    assert len(rows) >= len(CATALOG) and all(len(line) <= 100 for line in rows)


def test_console_for_a_compliant_run(tmp_path: Path) -> None:
    lines = summary_lines(compliant_report(), [tmp_path / "conformance.json"])
    assert any(line.startswith("COMPLIANT") for line in lines)
    assert not any(line.startswith("What to fix") for line in lines)
    assert f"report: {tmp_path / 'conformance.json'}" in lines


def test_write_reports_writes_all_three_formats(tmp_path: Path) -> None:
    written = write_reports(compliant_report(), tmp_path / "out")
    assert [path.name for path in written] == ["conformance.json", "junit.xml", "report.html"]
    assert all(path.is_file() and path.parent == tmp_path / "out" for path in written)
