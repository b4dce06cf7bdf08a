"""Dates for the two timing rules of LL 144: advance notice and bias-audit age.

* Notice must be given "no less than ten business days" before the tool is used
  (NYC Admin. Code § 20-871(b)(1)-(2); 6 RCNY § 5-304(a)). The law does not define "business day"
  (docs/sources.md#nyc-local-law-144), so the calendar (weekends plus a configurable holiday list) comes from the
  employer profile; the default is Monday to Friday less US federal holidays, observed dates included.
* A tool may not be used unless its bias audit was done "no more than one year prior to the use"
  (§ 20-871(a)(1); 6 RCNY § 5-301(a)).

Both rules speak of days, so a decision instant is first turned into a date in New York, where the
law applies. These functions run on every explanation, hence the arithmetic weekday count and the
cached, sorted holiday lists.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from .profile import Calendar

NEW_YORK = ZoneInfo("America/New_York")


def decision_date(instant: dt.datetime) -> dt.date:
    """The calendar date of the decision in New York (a naive instant is taken as UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    try:
        return instant.astimezone(NEW_YORK).date()
    except OverflowError:  # the first hours of year 1 have no New York date; both rules flag them anyway
        return instant.astimezone(dt.UTC).date()


def business_days_between(start: dt.date, end: dt.date, calendar: Calendar) -> int:
    """How many business days d there are with start < d <= end (0 when end is not after start).

    The notice day itself does not count and the day of use does, so notice on a Monday followed by
    use ten business days later (Monday two weeks on, with no holiday) gives exactly 10, the least
    § 20-871(b) allows.
    """
    if end <= start:
        return 0
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    days_off = _weekday_holidays(
        calendar.holiday_country,
        calendar.holiday_subdivision,
        tuple(calendar.extra_holidays),
        start.year,
        end.year,
    )
    return weekdays - (bisect_right(days_off, end) - bisect_right(days_off, start))


def audit_expired(audit: dt.date, decision: dt.date) -> bool:
    """Whether a bias audit dated ``audit`` cannot support a use on ``decision``.

    Expired means more than one year old (§ 20-871(a)(1): the use must fall no later than the
    audit's first anniversary; an audit of February 29 runs to February 28) or dated after the
    decision, since an audit cannot vouch for a use that came before it.
    """
    return audit > decision or decision > _one_year_after(audit)


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # February 29
        return day.replace(year=day.year + 1, day=28)


def _weekdays_through(day: dt.date) -> int:
    """Monday-to-Friday days from 0001-01-01 (a Monday) through ``day``, counted in O(1)."""
    ordinal = day.toordinal()
    return 5 * (ordinal // 7) + min(ordinal % 7, 5)


@lru_cache(maxsize=256)
def _weekday_holidays(
    country: str, subdivision: str | None, extra: tuple[dt.date, ...], first_year: int, last_year: int
) -> tuple[dt.date, ...]:
    """Sorted holidays falling on a weekday in the given years; weekend holidays cost nothing twice."""
    official = holidays.country_holidays(country, subdiv=subdivision, years=range(first_year, last_year + 1))
    days = {day for day in official if first_year <= day.year <= last_year}
    days.update(day for day in extra if first_year <= day.year <= last_year)
    return tuple(sorted(day for day in days if day.weekday() < 5))
