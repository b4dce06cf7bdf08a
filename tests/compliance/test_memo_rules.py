"""The memo rules hold the record to the request, the calendar and the message it describes."""

from __future__ import annotations

import copy
import hashlib
from datetime import date
from typing import Any

import pytest

from nyc_hiring.harness.compliance import MEMO_RULES, CheckContext, Finding, check_memo, message_sha256
from nyc_hiring.harness.compliance import calendar as cal

from .builders import factor, make_request

MESSAGE = {
    "subject": "Your application for Data Analyst at Example Corp",
    "body": "We are not moving forward with your application. You can ask a person to review it.",
    "locale": "en-US",
}


def make_memo(**overrides: Any) -> dict[str, Any]:
    request = make_request()
    memo = {
        "explanationId": "ex_" + "b" * 26,
        "decisionEventId": "de_" + "a" * 26,
        "candidateIdHash": "c" * 64,
        "jobIdRaw": request["jobIdRaw"],
        "source": "api",
        "aedtName": request["aedtName"],
        "aedtVersion": request["aedtVersion"],
        "aedtRole": "assisted",
        "decision": "reject",
        "decisionTimestamp": request["decisionTimestamp"],
        "timestampAssumedUtc": False,
        "decisionFactors": copy.deepcopy(request["decisionFactors"]),
        "notice": {"date": "2026-06-01", "method": "website"},
        "biasAudit": {"date": "2026-06-01", "summaryUrl": "https://careers.example.com/bias-audit"},
        "dataPolicy": {"types": ["application"], "sources": ["candidate"], "retention": "4 years"},
        "candidateMessageSha256": message_sha256(MESSAGE),
        "complianceFlags": [],
        "generatedAt": "2026-06-22T14:00:01Z",
    }
    memo.update(overrides)
    return memo


DEFAULT = CheckContext()


def run(
    rule: str,
    memo: dict[str, Any],
    request: dict[str, Any] | None = None,
    message: Any = MESSAGE,
    context: CheckContext = DEFAULT,
) -> list[Finding]:
    return MEMO_RULES[rule](memo, request, message, context)


def fields(findings: list[Finding]) -> list[str | None]:
    return [f.field for f in findings]


def test_compliant_memo_has_no_findings() -> None:
    assert check_memo(make_memo(), make_request(), MESSAGE) == []


def test_compliant_memo_without_request_or_message_has_no_findings() -> None:
    assert check_memo(make_memo()) == []


def test_malformed_memo_is_reported_not_raised() -> None:
    findings = check_memo({"decisionFactors": "x", "notice": 3, "complianceFlags": None})
    assert {f.requirement for f in findings} == {"MEMO-001", "MEMO-002", "MEMO-003", "MEMO-004"}


# --- MEMO-001 ---------------------------------------------------------------------------------------


def test_memo_001_changed_value_is_reported() -> None:
    memo = make_memo()
    memo["decisionFactors"][1]["value"] = 46
    findings = run("MEMO-001", memo, make_request())
    assert fields(findings) == ["memo.decisionFactors[1]"]
    assert "value" in findings[0].message


def test_memo_001_missing_factor_is_reported() -> None:
    memo = make_memo()
    memo["decisionFactors"].pop()
    assert len(run("MEMO-001", memo, make_request())) == 1


def test_memo_001_reordered_factors_are_reported() -> None:
    memo = make_memo()
    memo["decisionFactors"].reverse()
    assert run("MEMO-001", memo, make_request())


def test_memo_001_int_and_float_are_equal_but_bool_is_not_a_number() -> None:
    memo = make_memo()
    memo["decisionFactors"][0]["value"] = 2.0
    assert run("MEMO-001", memo, make_request()) == []
    request = make_request(decisionFactors=[factor("portfolio", True, 1), factor("technical_score", 45, 0.4)])
    memo["decisionFactors"][0] = factor("portfolio", 1, 1)
    assert "value" in run("MEMO-001", memo, request)[0].message


def test_memo_001_extra_key_is_welcome() -> None:
    """Contract § 1: every object is open, a memo's factors included."""
    memo = make_memo()
    memo["decisionFactors"][0]["note"] = "x"
    assert run("MEMO-001", memo, make_request()) == []


def test_memo_001_shape_is_checked_without_request() -> None:
    memo = make_memo(decisionFactors=[{"factor": "Tech Score", "value": None, "weight": 2, "contribution": "big"}])
    messages = " ".join(f.message for f in run("MEMO-001", memo))
    for problem in ("snake_case", "value None", "weight 2", "contribution 'big'"):
        assert problem in messages


# --- MEMO-002 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "aedtName",
        "aedtVersion",
        "aedtRole",
        "decision",
        "decisionTimestamp",
        "decisionEventId",
        "explanationId",
        "candidateIdHash",
        "jobIdRaw",
        "source",
    ],
)
def test_memo_002_missing_field_is_reported(key: str) -> None:
    memo = make_memo()
    del memo[key]
    assert f"memo.{key}" in fields(run("MEMO-002", memo))


def test_memo_002_unparseable_timestamp_is_reported() -> None:
    assert fields(run("MEMO-002", make_memo(decisionTimestamp="22/06/2026 14:00"))) == ["memo.decisionTimestamp"]


def test_memo_002_unknown_source_is_reported() -> None:
    assert fields(run("MEMO-002", make_memo(source="bamboohr"))) == ["memo.source"]


def test_memo_002_fields_must_match_request() -> None:
    findings = run("MEMO-002", make_memo(aedtVersion="3.2", jobIdRaw="JR-2"), make_request())
    assert fields(findings) == ["memo.aedtVersion", "memo.jobIdRaw"]


def test_memo_002_aedt_role_defaults_to_assisted() -> None:
    assert fields(run("MEMO-002", make_memo(aedtRole="sole"), make_request())) == ["memo.aedtRole"]
    assert run("MEMO-002", make_memo(aedtRole="sole"), make_request(aedtRole="sole")) == []


def test_memo_002_timestamp_compared_as_an_instant() -> None:
    memo = make_memo(decisionTimestamp="2026-06-22T10:00:00-04:00")
    assert run("MEMO-002", memo, make_request()) == []
    memo = make_memo(decisionTimestamp="2026-06-22T10:00:00Z")
    assert fields(run("MEMO-002", memo, make_request())) == ["memo.decisionTimestamp"]


# --- MEMO-003 and the calendar -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notice", "decided", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 16), 10),  # two plain weeks
        (date(2026, 1, 5), date(2026, 1, 19), 9),  # 19 January 2026 is Martin Luther King Jr. Day
        (date(2026, 6, 5), date(2026, 6, 19), 9),  # Juneteenth
        (date(2026, 11, 13), date(2026, 11, 27), 9),  # Thanksgiving, 26 November 2026
        (date(2026, 1, 9), date(2026, 1, 12), 1),  # Friday to Monday: the weekend does not count
        (date(2026, 1, 10), date(2026, 1, 11), 0),  # Saturday to Sunday
        (date(2026, 3, 16), date(2026, 3, 16), 0),  # same day
        (date(2026, 3, 16), date(2026, 3, 2), 0),  # notice after the decision
        (date(2025, 12, 19), date(2026, 1, 2), 8),  # across New Year (and Christmas)
    ],
)
def test_business_days_between_known_dates(notice: date, decided: date, expected: int) -> None:
    assert cal.business_days_between(notice, decided, "US") == expected


def test_business_days_between_honours_extra_holidays() -> None:
    assert cal.business_days_between(date(2026, 3, 2), date(2026, 3, 16), "US", (date(2026, 3, 10),)) == 9


@pytest.mark.parametrize(
    ("timestamp", "expected"),
    [
        ("2026-01-20T03:00:00Z", date(2026, 1, 19)),  # 22:00 the day before in New York (EST)
        ("2026-01-20T03:00:00", date(2026, 1, 19)),  # no offset: read as UTC
        ("2026-07-01T03:30:00+00:00", date(2026, 6, 30)),  # EDT
        ("2026-01-19T23:30:00-05:00", date(2026, 1, 19)),
        ("2026-01-20T06:00:00.123456789z", date(2026, 1, 20)),
    ],
)
def test_decision_date_is_the_new_york_date(timestamp: str, expected: date) -> None:
    assert cal.decision_date(timestamp) == expected


def test_decision_date_rejects_invalid_timestamps() -> None:
    for bad in ("2026-13-01T00:00:00Z", "yesterday", "2026-01-01"):
        with pytest.raises(ValueError):
            cal.decision_date(bad)


def test_bias_audit_year_handles_leap_day() -> None:
    assert cal.one_year_after(date(2024, 2, 29)) == date(2025, 2, 28)
    assert not cal.bias_audit_expired(date(2024, 2, 29), date(2025, 2, 28))
    assert cal.bias_audit_expired(date(2024, 2, 29), date(2025, 3, 1))
    assert cal.bias_audit_expired(date(2026, 6, 2), date(2026, 6, 1))


def test_memo_003_missing_notice_and_audit_are_reported() -> None:
    memo = make_memo()
    del memo["notice"], memo["biasAudit"]
    assert fields(run("MEMO-003", memo)) == ["memo.notice", "memo.biasAudit"]


def test_memo_003_invalid_notice_and_audit_values_are_reported() -> None:
    memo = make_memo(
        notice={"date": "06/01/2026", "method": "billboard"},
        biasAudit={"date": "2026-06-01", "summaryUrl": "http://example.com/audit"},
    )
    assert fields(run("MEMO-003", memo)) == [
        "memo.notice.date",
        "memo.notice.method",
        "memo.biasAudit.summaryUrl",
    ]


def test_memo_003_late_notice_must_be_flagged() -> None:
    memo = make_memo(
        decisionTimestamp="2026-01-19T15:00:00Z",
        notice={"date": "2026-01-05", "method": "email"},
        biasAudit={"date": "2025-06-01", "summaryUrl": "https://example.com/a"},
    )
    findings = run("MEMO-003", memo)
    assert len(findings) == 1
    assert "notice_too_late" in findings[0].message and "9 business days" in findings[0].message
    memo["complianceFlags"] = ["notice_too_late"]
    assert run("MEMO-003", memo) == []


def test_memo_003_spurious_late_flag_is_reported() -> None:
    assert len(run("MEMO-003", make_memo(complianceFlags=["notice_too_late"]))) == 1


def test_memo_003_notice_threshold_is_configurable() -> None:
    memo = make_memo(
        decisionTimestamp="2026-03-16T15:00:00Z",
        notice={"date": "2026-03-02", "method": "website"},
        biasAudit={"date": "2026-01-02", "summaryUrl": "https://example.com/a"},
    )
    assert run("MEMO-003", memo) == []
    assert len(run("MEMO-003", memo, context=CheckContext(notice_business_days=11))) == 1
    assert len(run("MEMO-003", memo, context=CheckContext(extra_holidays=(date(2026, 3, 10),)))) == 1


def test_memo_003_expired_audit_must_be_flagged() -> None:
    memo = make_memo(biasAudit={"date": "2025-06-21", "summaryUrl": "https://example.com/a"})
    assert "bias_audit_expired" in run("MEMO-003", memo)[0].message
    memo["complianceFlags"] = ["bias_audit_expired"]
    assert run("MEMO-003", memo) == []


def test_memo_003_audit_exactly_one_year_old_is_current() -> None:
    memo = make_memo(biasAudit={"date": "2025-06-22", "summaryUrl": "https://example.com/a"})
    assert run("MEMO-003", memo) == []


def test_memo_003_a_count_of_the_deployment_s_own_is_not_judged() -> None:
    """`businessDaysBeforeDecision` is a field the contract does not define (§ 1: objects are open)."""
    memo = make_memo(notice={"date": "2026-06-01", "method": "website", "businessDaysBeforeDecision": 15})
    assert run("MEMO-003", memo) == []


def test_memo_003_a_flag_decided_by_a_holiday_names_the_holiday_clause() -> None:
    """June 8 to June 22, 2026 holds ten weekdays but nine business days: Juneteenth is a federal holiday."""
    memo = make_memo(notice={"date": "2026-06-08", "method": "website"}, decisionTimestamp="2026-06-22T14:00:00Z")
    memo["complianceFlags"] = []
    assert [(f.clause, f.field) for f in run("MEMO-003", memo)] == [("holidays", "memo.complianceFlags")]


# --- MEMO-004 ---------------------------------------------------------------------------------------


def test_memo_004_hash_covers_subject_blank_line_and_body() -> None:
    expected = hashlib.sha256((MESSAGE["subject"] + "\n\n" + MESSAGE["body"]).encode("utf-8")).hexdigest()
    assert message_sha256(MESSAGE) == expected


def test_memo_004_hash_of_another_message_is_reported() -> None:
    other = dict(MESSAGE, body=MESSAGE["body"] + " ")
    findings = run("MEMO-004", make_memo(), message=other)
    assert fields(findings) == ["memo.candidateMessageSha256"]


def test_memo_004_missing_or_malformed_hash_is_reported() -> None:
    assert len(run("MEMO-004", make_memo(candidateMessageSha256="abc"), message=None)) == 1


def test_memo_004_non_ascii_message_hashes_utf8() -> None:
    message = {
        "subject": "Solicitud: Analista de datos",
        "body": "Gracias por su interés — revisión.",
        "locale": "es",
    }
    assert run("MEMO-004", make_memo(candidateMessageSha256=message_sha256(message)), message=message) == []


# --- MEMO-005 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["age", "candidate_gender", "date_of_birth", "zip_code", "postal_code", "race", "dob", "veteran_status"],
)
def test_memo_005_protected_factor_must_be_flagged(name: str) -> None:
    request = make_request(decisionFactors=[factor(name, "x", 0.1)])
    memo = make_memo(decisionFactors=[factor(name, "x", 0.1)])
    findings = run("MEMO-005", memo, request)
    assert fields(findings) == ["memo.complianceFlags"]
    memo["complianceFlags"] = ["protected_characteristic_factor"]
    assert run("MEMO-005", memo, request) == []


@pytest.mark.parametrize("name", ["skill_weight", "page_views", "manager_rating", "stage_reached", "average_score"])
def test_memo_005_near_miss_factor_names_are_not_protected(name: str) -> None:
    memo = make_memo(decisionFactors=[factor(name, 1, 0.1)])
    assert run("MEMO-005", memo) == []


def test_memo_005_protected_factor_named_in_message_is_reported() -> None:
    memo = make_memo(
        decisionFactors=[factor("zip_code", "10027", 0.1)],
        complianceFlags=["protected_characteristic_factor"],
    )
    message = dict(MESSAGE, body="Your ZIP code was reviewed. We looked at your zip_code.")
    assert [f.excerpt for f in run("MEMO-005", memo, message=message)] == ["ZIP code", "zip_code"]


def test_memo_005_abbreviation_prose_is_reported() -> None:
    memo = make_memo(
        decisionFactors=[factor("dob", "1990-01-01", 0.1)],
        complianceFlags=["protected_characteristic_factor"],
    )
    message = dict(MESSAGE, body="We looked at your date of birth.")
    assert [f.excerpt for f in run("MEMO-005", memo, message=message)] == ["date of birth"]


def test_memo_005_similar_words_in_message_are_fine() -> None:
    memo = make_memo(decisionFactors=[factor("age", 40, 0.1)], complianceFlags=["protected_characteristic_factor"])
    message = dict(MESSAGE, body="The manager will engage with you on the average stage.")
    assert run("MEMO-005", memo, message=message) == []
