"""The independent deployment's own rules, checked without starting a process."""

from __future__ import annotations

import re
from datetime import date

from tests.independent import employer_profile, memo, messages
from tests.independent.business_calendar import business_days_after, federal_holidays
from tests.independent.timestamps import parse

PROFILE = employer_profile.load()


def test_observed_holidays_move_off_weekends() -> None:
    assert date(2021, 12, 31) in federal_holidays(2021)  # New Year's Day 2022 fell on a Saturday
    assert date(2023, 1, 2) in federal_holidays(2023)  # New Year's Day 2023 fell on a Sunday
    assert date(2026, 7, 3) in federal_holidays(2026)  # Independence Day 2026 falls on a Saturday


def test_a_holiday_in_the_window_pushes_the_notice_deadline() -> None:
    notice = date(2026, 5, 11)
    assert business_days_after(notice, date(2026, 5, 25), 10) == 9  # Memorial Day does not count
    assert business_days_after(notice, date(2026, 5, 26), 10) == 10


def test_flags_follow_the_decision_date_in_new_york() -> None:
    late_evening = parse("2027-02-20T04:30:00Z").new_york_date()  # still 19 February in New York
    assert memo.BIAS_AUDIT_EXPIRED not in memo.compliance_flags(late_evening, [], PROFILE)
    flags = memo.compliance_flags(date(2027, 2, 20), ["zip_code"], PROFILE)
    assert flags == [memo.BIAS_AUDIT_EXPIRED, memo.PROTECTED_FACTOR]


def test_a_message_has_no_digits_and_keeps_protected_factors_out() -> None:
    factors = [
        messages.Factor("years_experience", "negative", 0.3),
        messages.Factor("age", "negative", 0.9),
        messages.Factor("skill_python3", "positive", 0.2),
    ]
    message = messages.compose("reject", "Analyst 2", factors, "sole", "de-DE", PROFILE)
    assert not re.search(r"[0-9]", message.subject + message.body)
    assert "years of experience" in message.body and "python three" in message.body
    assert not re.search(r"\bage\b", message.body)
    assert message.subject == "An update on your application for Analyst II" and message.locale == "en-US"
