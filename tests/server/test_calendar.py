"""The notice and audit date rules (MEMO-003) on dates a compliance officer can check by hand."""

from __future__ import annotations

import datetime as dt

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from nyc_hiring.reference_server.calendar import audit_expired, business_days_between, decision_date
from nyc_hiring.reference_server.profile import Calendar

US = Calendar()
D = dt.date


def test_ten_business_days_from_a_monday_notice_ends_two_weeks_later() -> None:
    # Notice Mon 2026-03-02; no federal holiday before Mon 2026-03-16.
    assert business_days_between(D(2026, 3, 2), D(2026, 3, 13), US) == 9
    assert business_days_between(D(2026, 3, 2), D(2026, 3, 16), US) == 10


def test_weekends_and_the_notice_day_itself_do_not_count() -> None:
    assert business_days_between(D(2026, 3, 6), D(2026, 3, 8), US) == 0  # Fri -> Sun
    assert business_days_between(D(2026, 3, 6), D(2026, 3, 9), US) == 1  # Fri -> Mon


def test_federal_holidays_do_not_count() -> None:
    # The sandbox notice (Mon 2026-01-05): Martin Luther King Jr. Day is Mon 2026-01-19.
    assert business_days_between(D(2026, 1, 5), D(2026, 1, 19), US) == 9
    assert business_days_between(D(2026, 1, 5), D(2026, 1, 20), US) == 10


def test_observed_holidays_do_not_count() -> None:
    # July 4, 2026 is a Saturday, observed Friday July 3.
    assert business_days_between(D(2026, 7, 2), D(2026, 7, 3), US) == 0
    # 2028-01-01 is a Saturday: New Year's Day is observed on Friday 2027-12-31.
    assert business_days_between(D(2027, 12, 30), D(2028, 1, 3), US) == 1


def test_an_empty_or_reversed_range_has_no_business_days() -> None:
    assert business_days_between(D(2026, 3, 2), D(2026, 3, 2), US) == 0
    assert business_days_between(D(2026, 3, 16), D(2026, 3, 2), US) == 0


def test_extra_holidays_and_a_subdivision_are_honoured() -> None:
    closed = Calendar(extra_holidays=[D(2026, 3, 10)])
    assert business_days_between(D(2026, 3, 2), D(2026, 3, 16), closed) == 9
    new_york = Calendar(holiday_subdivision="NY")  # Lincoln's Birthday, Thu 2026-02-12
    assert business_days_between(D(2026, 2, 11), D(2026, 2, 13), US) == 2
    assert business_days_between(D(2026, 2, 11), D(2026, 2, 13), new_york) == 1


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2029, 12, 31)),
    span=st.integers(min_value=-20, max_value=800),
    extra=st.lists(st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)), max_size=5),
)
def test_business_days_agree_with_counting_day_by_day(start: D, span: int, extra: list[D]) -> None:
    end = start + dt.timedelta(days=span)
    calendar = Calendar(extra_holidays=extra)
    official = holidays.country_holidays("US", years=range(start.year, end.year + 1))
    expected = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and day not in official and day not in extra:
            expected += 1
        day += dt.timedelta(days=1)
    assert business_days_between(start, end, calendar) == expected


def test_the_decision_date_is_the_new_york_date() -> None:
    utc = dt.UTC
    assert decision_date(dt.datetime(2026, 11, 28, 3, 0, tzinfo=utc)) == D(2026, 11, 27)  # 22:00 EST
    assert decision_date(dt.datetime(2026, 11, 28, 5, 0, tzinfo=utc)) == D(2026, 11, 28)
    assert decision_date(dt.datetime(2026, 7, 1, 3, 59, tzinfo=utc)) == D(2026, 6, 30)  # 23:59 EDT
    assert decision_date(dt.datetime(2026, 7, 1, 4, 0, tzinfo=utc)) == D(2026, 7, 1)
    assert decision_date(dt.datetime(2026, 11, 28, 3, 0)) == D(2026, 11, 27)  # naive read as UTC
    assert decision_date(dt.datetime(1, 1, 1, tzinfo=utc)) == D(1, 1, 1)  # no earlier date exists


def test_an_audit_is_good_through_its_first_anniversary() -> None:
    audit = D(2026, 6, 1)
    assert not audit_expired(audit, D(2026, 6, 1))
    assert not audit_expired(audit, D(2027, 6, 1))
    assert audit_expired(audit, D(2027, 6, 2))


def test_an_audit_dated_after_the_decision_does_not_count() -> None:
    assert audit_expired(D(2026, 6, 1), D(2026, 5, 31))


def test_a_leap_day_audit_runs_to_february_28() -> None:
    assert not audit_expired(D(2028, 2, 29), D(2029, 2, 28))
    assert audit_expired(D(2028, 2, 29), D(2029, 3, 1))
