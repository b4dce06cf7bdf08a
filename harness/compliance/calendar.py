"""Business-day and date arithmetic for the notice and bias-audit rules (MEMO-003).

NYC Admin. Code § 20-871(b) requires notice "no less than ten business days" before an
AEDT is used, and § 20-871(a)(1) a bias audit "no more than one year" before use
(docs/sources.md#nyc-local-law-144). The law does not define "business day"; the contract
fixes Monday to Friday less the holidays of a configurable country (US federal by default),
and the decision day is the decision instant's calendar date in New York.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

NEW_YORK = ZoneInfo("America/New_York")

# The wire format's timestamp pattern (docs/wire-format.md), with groups for parsing.
_TIMESTAMP_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=64)
def _holiday_dates(country: str, years: tuple[int, ...]) -> frozenset[date]:
    """Holidays (observed days included) from the `holidays` package, cached per country and years."""
    return frozenset(holidays.country_holidays(country, years=list(years)).keys())


def is_business_day(day: date, country: str = "US", extra: Iterable[date] = ()) -> bool:
    """Monday to Friday and neither a holiday of the country nor an extra holiday."""
    if day.weekday() >= 5:
        return False
    return day not in _holiday_dates(country, (day.year,)) and day not in set(extra)


def business_days_between(start: date, end: date, country: str | None = "US", extra: Iterable[date] = ()) -> int:
    """Count business days d with start < d <= end (0 when end is not after start).

    The notice day itself does not count and the decision day does: notice on a Monday and a
    decision ten business days later (the second Monday after, with no holiday) gives 10.
    `country=None` counts weekdays only, to tell whether holidays decided a verdict.
    """
    if end <= start:
        return 0
    years = tuple(range(start.year, end.year + 1))
    closed = (_holiday_dates(country, years) if country else frozenset()) | set(extra)
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and day not in closed:
            count += 1
        day += timedelta(days=1)
    return count


def parse_timestamp(value: object) -> tuple[datetime, bool]:
    """Parse a wire-format timestamp into an aware datetime and whether UTC was assumed.

    A value without an offset is read as UTC (contract § 2). Fractions beyond microseconds
    are truncated. Raises ValueError for anything else.
    """
    match = _TIMESTAMP_RE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"not an RFC 3339 date-time: {value!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    micro = int((match.group(7) or "0")[:6].ljust(6, "0"))
    offset = match.group(8)
    parsed = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    if offset and offset not in ("Z", "z"):
        sign = 1 if offset[0] == "+" else -1
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
        parsed = parsed - sign * delta
    return parsed, not offset


def decision_date(timestamp: object) -> date:
    """The calendar date, in America/New_York, of the decision instant."""
    instant, _ = parse_timestamp(timestamp)
    return instant.astimezone(NEW_YORK).date()


def parse_date(value: object) -> date:
    """A strict YYYY-MM-DD date; raises ValueError otherwise."""
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return date.fromisoformat(value)


def one_year_after(day: date) -> date:
    """The same calendar day a year later; 29 February maps to 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 2, 28)


def bias_audit_expired(audit: date, decided: date) -> bool:
    """True when the audit is dated after the decision or more than one year before it."""
    return audit > decided or decided > one_year_after(audit)
