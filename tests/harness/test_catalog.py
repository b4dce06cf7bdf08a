"""The catalog, the checks and the reports agree: every requirement has a check, every check names known
requirements, the reports list every requirement in catalog order, and what the reports say of a requirement
(its level, its group's title, its plain title) is the catalog's alone."""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nyc_hiring.harness.catalog import CATALOG_PATH, CatalogError, load_catalog
from nyc_hiring.harness.items import requirement_ids
from nyc_hiring.harness.plugin import SUITE_DIR
from nyc_hiring.harness.reports import write_reports
from nyc_hiring.harness.reports.console import summary_lines
from nyc_hiring.harness.results import CheckResult, RunReport, verdicts


def _marked_requirements(pytester: pytest.Pytester) -> dict[str, set[str]]:
    """Requirement IDs per collected check, as pytest sees them (parametrized marks included)."""
    items, _ = pytester.inline_genitems(str(SUITE_DIR))
    return {item.nodeid: set(requirement_ids(item)) for item in items}


def test_every_check_names_known_requirements(pytester: pytest.Pytester) -> None:
    checks = _marked_requirements(pytester)
    assert checks
    unmarked = [name for name, ids in checks.items() if not ids]
    assert not unmarked, f"checks without a requirement marker: {unmarked}"
    unknown = {name: ids - set(load_catalog()) for name, ids in checks.items() if ids - set(load_catalog())}
    assert not unknown


def test_every_requirement_has_a_check(pytester: pytest.Pytester) -> None:
    covered = set().union(*_marked_requirements(pytester).values())
    assert set(load_catalog()) - covered == set()


def test_catalog_entries_are_complete() -> None:
    for requirement in load_catalog().values():
        assert requirement.level in ("MUST", "SHOULD")
        assert requirement.title and requirement.plain_title and requirement.rationale and requirement.source


def test_the_report_lists_every_requirement_in_catalog_order() -> None:
    results = [CheckResult("x::t", "t", ("SIG-004",), "failed", "boom")]
    listed = [verdict.requirement.id for verdict in verdicts(results)]
    assert listed == list(load_catalog())


# -- the plain-language titles and the groups -----------------------------------------------------------

# What a compliance officer should not have to decode: wire details, cryptography, status codes.
JARGON = re.compile(
    r"`|\b(HMAC|hex|SHA|SHA-256|base64|JSON|HTTP|header|schema|OpenAPI|endpoint|payload|hash|scope|Bearer|"
    r"token|idempoten\w*|4xx|5xx|200|201|202|204|400|401|403|404|409|413|415|422|500)\b",
    re.IGNORECASE,
)


def test_every_requirement_has_a_plain_title_without_jargon() -> None:
    for requirement in load_catalog().values():
        plain = requirement.plain_title
        assert plain and plain != requirement.title, requirement.id
        assert plain[0].isupper() and not plain.endswith("."), requirement.id
        assert not JARGON.search(plain), (requirement.id, JARGON.search(plain))
    titles = [requirement.plain_title for requirement in load_catalog().values()]
    assert len(set(titles)) == len(titles)


def test_every_group_has_a_title_from_the_catalog() -> None:
    document = tomllib.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    titles = {group["id"]: group["title"] for group in document["group"]}
    assert {requirement.group for requirement in load_catalog().values()} == set(titles)
    for requirement in load_catalog().values():
        assert requirement.group_title == titles[requirement.group]


def test_another_catalog_file_is_read_as_it_is_and_the_shipped_one_once(tmp_path: Path) -> None:
    assert load_catalog() is load_catalog()
    copy = tmp_path / "catalog.toml"
    copy.write_text(CATALOG_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_catalog(copy) == load_catalog() and load_catalog(copy) is not load_catalog()
    copy.write_text(
        _edited(
            copy.read_text(encoding="utf-8"), ('id = "MSG-005"\nlevel = "SHOULD"', 'id = "MSG-005"\nlevel = "MUST"')
        ),
        encoding="utf-8",
    )
    assert load_catalog(copy)["MSG-005"].level == "MUST" and load_catalog()["MSG-005"].level == "SHOULD"


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (('plain_title = "Requests with an unknown', 'not_the_plain_title = "'), "AUTH-002 has no plain_title"),
        (('id = "AUTH-002"\nlevel = "MUST"', 'id = "AUTH-002"\nlevel = "MUST"\nplian_title = "x"'), "plian_title"),
        (('[[group]]\nid = "MEMO"\ntitle = "The internal memo"\n', ""), "MEMO-001 belongs to group MEMO"),
        (('id = "AUTH-002"\nlevel = "MUST"', 'id = "AUTH-002"\nlevel = "MAY"'), "AUTH-002 has level MAY"),
        (('id = "AUTH-002"', 'id = "AUTH-001"'), "requirement AUTH-001 twice"),
    ],
)
def test_a_catalog_the_reports_cannot_use_is_refused_by_name(
    tmp_path: Path, edit: tuple[str, str], complaint: str
) -> None:
    broken = tmp_path / "catalog.toml"
    broken.write_text(_edited(CATALOG_PATH.read_text(encoding="utf-8"), edit), encoding="utf-8")
    with pytest.raises(CatalogError, match=re.escape(complaint)):
        load_catalog(broken)


# -- the catalog is the reports' only source --------------------------------------------------------------

EDITED_GROUP = "Messages sent to candidates"
EDITED_PLAIN = "Every candidate message points to where the latest bias audit is published"


def test_an_edited_catalog_shows_in_every_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MSG-005 made a MUST, its group retitled and its plain title rewritten in a copy of catalog.toml: every
    report built from that catalog says so, and none keeps a word of its own."""
    edited = tmp_path / "catalog.toml"
    edited.write_text(
        _edited(
            CATALOG_PATH.read_text(encoding="utf-8"),
            ('id = "MSG-005"\nlevel = "SHOULD"', 'id = "MSG-005"\nlevel = "MUST"'),
            ('id = "MSG"\ntitle = "The candidate message"', f'id = "MSG"\ntitle = "{EDITED_GROUP}"'),
            (f'plain_title = "{load_catalog()["MSG-005"].plain_title}"', f'plain_title = "{EDITED_PLAIN}"'),
        ),
        encoding="utf-8",
    )
    assert _verdict_of_msg_005(_run()) == "warn"  # the shipped catalog: a SHOULD, so a warning
    catalog = load_catalog(edited)
    monkeypatch.setattr("nyc_hiring.harness.results.load_catalog", lambda: catalog)  # the run reads the edited catalog
    report = _run()
    assert (_verdict_of_msg_005(report), report.status) == ("fail", "not compliant")
    written = write_reports(report, tmp_path / "reports")

    console = "\n".join(summary_lines(report, written, width=120))
    assert re.search(r"^MSG-005 +MUST +FAIL ", console, re.MULTILINE)
    assert f"-- MSG: {EDITED_GROUP} --" in console and EDITED_PLAIN in " ".join(console.split())

    entry = next(entry for entry in json.loads(written[0].read_text())["requirements"] if entry["id"] == "MSG-005")
    assert (entry["level"], entry["verdict"]) == ("MUST", "fail")
    assert (entry["groupTitle"], entry["plainTitle"]) == (EDITED_GROUP, EDITED_PLAIN)

    junit = ET.parse(written[1])  # noqa: S314 - a file this test wrote
    case = next(case for case in junit.iter("testcase") if case.get("name") == "Messages link audit")
    failure = case.find("failure")
    assert failure is not None and failure.get("message", "").startswith(f"MSG-005 (MUST) not met: {EDITED_PLAIN}.")
    assert case.get("classname") == f"conformance.MSG: {EDITED_GROUP}"

    page = written[2].read_text(encoding="utf-8")
    assert f"<strong>MSG-005</strong> · MUST · {EDITED_GROUP}" in page
    assert f"<h3>{EDITED_PLAIN}</h3>" in page and f"{EDITED_GROUP} (MSG)</th>" in page
    assert "The candidate message (MSG)" not in page and load_catalog()["MSG-005"].plain_title not in page


def _run() -> RunReport:
    """MSG-005's check fails its one clause; every other requirement passes."""
    results = [
        CheckResult(f"suite::test_{rid}", f"test_{rid}", (rid,), "passed") for rid in load_catalog() if rid != "MSG-005"
    ]
    results.append(
        CheckResult(
            "suite::test_messages_link_audit",
            "test_messages_link_audit",
            ("MSG-005",),
            "failed",
            "no link to the bias-audit summary",
            failed=("MSG-005", "audit-link"),
        )
    )
    return RunReport(
        "http://127.0.0.1:8000/api/v1/nyc-hiring",
        "2026-11-28T10:00:00Z",
        "2026-11-28T10:00:04Z",
        4.0,
        {},
        {},
        verdicts(results),
    )


def _verdict_of_msg_005(report: RunReport) -> str:
    return next(verdict.verdict for verdict in report.verdicts if verdict.requirement.id == "MSG-005")


def _edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text
