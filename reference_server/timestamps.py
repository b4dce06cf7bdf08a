"""Decision timestamps: RFC 3339 with an optional offset, compared as instants.

The guide's Python example sends `datetime.now().isoformat()`, which has no offset. The contract reads
such a value as UTC and records that it did (`timestampAssumedUtc`); since it may really be local time
anywhere on Earth, its future bound is the largest UTC offset (14 h) instead of 5 minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# models.TIMESTAMP_PATTERN (the schema's), with the groups parsing needs named.
TIMESTAMP_PATTERN = re.compile(
    r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?P<fraction>\.[0-9]{1,9})?(?P<offset>[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
)
FUTURE_BOUND = timedelta(minutes=5)
FUTURE_BOUND_WITHOUT_OFFSET = timedelta(hours=14)


@dataclass(frozen=True)
class DecisionInstant:
    instant: datetime  # aware, UTC
    assumed_utc: bool


def parse_timestamp(value: str) -> DecisionInstant:
    """Parse a decision timestamp; ValueError with a readable reason if it is not one."""
    match = TIMESTAMP_PATTERN.fullmatch(value)
    if match is None:
        raise ValueError("must be an RFC 3339 date-time such as 2026-11-28T10:00:00Z")
    offset = match.group("offset")
    text = value[: match.start("offset")] if offset else value
    fraction = match.group("fraction")
    if fraction and len(fraction) > 7:  # keep microseconds; fromisoformat wants at most 6 digits
        text = text.replace(fraction, fraction[:7])
    if offset in ("Z", "z"):
        offset = "+00:00"
    try:
        parsed = datetime.fromisoformat(text + (offset or ""))
        if offset is None:
            return DecisionInstant(parsed.replace(tzinfo=UTC), assumed_utc=True)
        return DecisionInstant(parsed.astimezone(UTC), assumed_utc=False)
    except (ValueError, OverflowError) as exc:
        # 0001-01-01T00:00:00+01:00 is a valid RFC 3339 string whose instant Python cannot represent
        raise ValueError(f"is not a valid date-time ({exc})") from None


def check_not_future(decision: DecisionInstant, now: datetime) -> None:
    bound = FUTURE_BOUND_WITHOUT_OFFSET if decision.assumed_utc else FUTURE_BOUND
    if decision.instant > now + bound:
        limit = "14 hours (no UTC offset given)" if decision.assumed_utc else "5 minutes"
        raise ValueError(f"is more than {limit} in the future")


def rfc3339(moment: datetime) -> str:
    """UTC, microseconds, 'Z': one canonical spelling for every instant the server writes."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
