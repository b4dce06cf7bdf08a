"""RFC 3339 decision timestamps, read as instants.

A timestamp keeps nanosecond precision (up to nine fraction digits), so two values
are the same instant exactly when their epoch seconds and nanoseconds agree, whatever
offset each was written with. A value without an offset is read as UTC.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_FORMAT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,9}))?([Zz]|[+-][0-9]{2}:[0-9]{2})?"
)
OFFSET_FUTURE_SECONDS = 5 * 60
LOCAL_FUTURE_SECONDS = 14 * 3600
PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})?$"


class BadTimestamp(ValueError):
    """The text is not a usable decision timestamp; the message says why."""


@dataclass(frozen=True)
class Instant:
    """A point in time as written by the client, with what it means."""

    text: str
    epoch_seconds: int
    nanos: int
    assumed_utc: bool

    @property
    def key(self) -> str:
        """A text form equal for equal instants: what duplicate detection compares."""
        return f"{self.epoch_seconds:+015d}.{self.nanos:09d}"

    def new_york_date(self) -> date:
        """The calendar date of this instant in New York, where the law applies."""
        try:
            moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=self.epoch_seconds)
            return moment.astimezone(NEW_YORK).date()
        except (OverflowError, ValueError):
            return date.fromordinal(max(1, _EPOCH_ORDINAL + self.epoch_seconds // 86400))

    def future_limit_seconds(self) -> int:
        """Local times may be anywhere on Earth, so they get the widest UTC offset as slack."""
        return LOCAL_FUTURE_SECONDS if self.assumed_utc else OFFSET_FUTURE_SECONDS


def parse(text: str) -> Instant:
    """Read an RFC 3339 date-time whose offset may be missing."""
    match = _FORMAT.fullmatch(text)
    if match is None:
        raise BadTimestamp("must be an RFC 3339 date-time such as 2026-11-28T10:00:00Z")
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    try:
        calendar_date = date(year, month, day)
        datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise BadTimestamp("is not a real date and time") from exc
    offset_text = match.group(8)
    offset = _offset_seconds(offset_text)
    clock = hour * 3600 + minute * 60 + second
    seconds = (calendar_date.toordinal() - _EPOCH_ORDINAL) * 86400 + clock - offset
    nanos = int((match.group(7) or "").ljust(9, "0"))
    return Instant(text, seconds, nanos, offset_text is None)


def _offset_seconds(text: str | None) -> int:
    if text is None or text in "Zz":
        return 0
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23 or minutes > 59:
        raise BadTimestamp("has an offset outside -23:59 to +23:59")
    sign = -1 if text[0] == "-" else 1
    return sign * (hours * 3600 + minutes * 60)


def require_not_future(instant: Instant, now_ns: int | None = None) -> None:
    """Refuse an instant further ahead than clock skew or an unknown local offset explains."""
    now = time.time_ns() if now_ns is None else now_ns
    limit = now + instant.future_limit_seconds() * 1_000_000_000
    if instant.epoch_seconds * 1_000_000_000 + instant.nanos > limit:
        raise BadTimestamp("lies in the future")


def now_text() -> str:
    """The current instant, as this deployment writes times it generates (UTC, microseconds)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def from_epoch_millis(millis: int) -> str:
    """An ATS's millisecond timestamp as an RFC 3339 text."""
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=millis)
    return moment.isoformat(timespec="milliseconds")
