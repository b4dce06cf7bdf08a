"""Business days for the advance-notice rule: Monday to Friday, less US federal holidays.

The holidays are those of 5 U.S.C. § 6103, with the observance rule federal offices
follow: a holiday on a Saturday is observed the Friday before, one on a Sunday the
Monday after. New Year's Day on a Saturday is therefore observed on the last day of
the year before, which is why a year's holidays are looked up in its neighbours too.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _fixed(year: int) -> list[date]:
    days = [date(year, 1, 1), date(year, 7, 4), date(year, 11, 11), date(year, 12, 25)]
    if year >= 2021:
        days.append(date(year, 6, 19))
    return days


def _floating(year: int) -> list[date]:
    days = [
        _nth_weekday(year, 2, MONDAY, 3),
        _last_weekday(year, 5, MONDAY),
        _nth_weekday(year, 9, MONDAY, 1),
        _nth_weekday(year, 10, MONDAY, 2),
        _nth_weekday(year, 11, THURSDAY, 4),
    ]
    if year >= 1986:
        days.append(_nth_weekday(year, 1, MONDAY, 3))
    return days


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def federal_holidays(year: int) -> frozenset[date]:
    """Every date in *year* on which federal offices close for a holiday."""
    observed: set[date] = set()
    for source_year in (year - 1, year, year + 1):
        if 1 < source_year < 9999:
            observed.update(_observed(day) for day in _fixed(source_year) + _floating(source_year))
    return frozenset(day for day in observed if day.year == year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def business_days_after(start: date, end: date, enough: int) -> int:
    """Count business days in (start, end], stopping once *enough* are found.

    The notice rule only asks whether the count reaches a threshold, so a decision
    centuries after the notice costs no more than one a fortnight after it.
    """
    count, day = 0, start
    while count < enough and day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count
