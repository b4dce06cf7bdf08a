"""The decision-event request: every field checked, each failure named by its JSON pointer.

The rules here and the request schema in ``openapi.py`` say the same thing, so a body
the served document accepts is accepted here, and one it refuses is refused here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from tests.independent import timestamps
from tests.independent.responses import invalid

DECISIONS = ("reject", "advance", "hire", "hold")
ROLES = ("sole", "weighted_most", "overrode", "assisted")
CONTRIBUTIONS = ("positive", "negative", "neutral")
FACTOR_PATTERN = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
LOCALE_PATTERN = "^([A-Za-z]{2,8}|[xXiI])(-[A-Za-z0-9]{1,8})*$"
MAX_FACTORS = 100
MAX_FACTOR_NAME = 100
MAX_VALUE_TEXT = 1000
MAX_TITLE = 300
MAX_LOCALE = 64
REQUIRED = ("candidateIdRaw", "jobIdRaw", "decision", "decisionTimestamp", "decisionFactors", "aedtName", "aedtVersion")
OPTIONAL = ("requestExplanation", "jobTitle", "candidateLocale", "aedtRole")
FACTOR_KEYS = ("factor", "value", "weight", "contribution")
DEFAULTS: dict[str, object] = {
    "requestExplanation": False,
    "jobTitle": None,
    "candidateLocale": "en-US",
    "aedtRole": "assisted",
}
_FACTOR = re.compile(FACTOR_PATTERN[1:-1])
_LOCALE = re.compile(LOCALE_PATTERN[1:-1])


@dataclass(frozen=True)
class DecisionRequest:
    """A valid request: the document as sent, and what it means once defaults apply."""

    document: dict[str, object]
    instant: timestamps.Instant

    def effective(self, name: str) -> object:
        value = self.document.get(name)
        return DEFAULTS.get(name) if value is None else value

    def factors(self) -> list[dict[str, object]]:
        """The decision factors, exactly as sent (validation proved each is an object)."""
        factors = self.document["decisionFactors"]
        return [factor for factor in factors if isinstance(factor, dict)] if isinstance(factors, list) else []


class _Collector:
    def __init__(self) -> None:
        self.violations: list[dict[str, str]] = []

    def add(self, pointer: str, message: str) -> None:
        self.violations.append({"field": pointer, "message": message})


def validate(document: dict[str, object]) -> DecisionRequest:
    """Check a decision-event body; raise a 422 problem listing every violation."""
    found = _Collector()
    for name in document:
        if name not in REQUIRED and name not in OPTIONAL:
            found.add(_pointer(name), "is not a field of a decision event")
    for name in REQUIRED:
        if name not in document:
            found.add(_pointer(name), "is required")
    _check_strings(document, found)
    _check_enums(document, found)
    _check_factors(document, found)
    instant = _check_timestamp(document, found)
    if found.violations or instant is None:
        raise invalid(found.violations or [{"field": "/decisionTimestamp", "message": "is required"}])
    return DecisionRequest(document, instant)


def _pointer(name: str) -> str:
    """A pointer to a member; a name that could carry a secret is not echoed."""
    safe = len(name) <= 64 and name.isascii() and name.isprintable() and "haiec_" not in name and "whsec" not in name
    return "/" + (name.replace("~", "~0").replace("/", "~1") if safe else "(unnamed member)")


def _check_strings(document: dict[str, object], found: _Collector) -> None:
    for name, low, high in (
        ("candidateIdRaw", 1, 256),
        ("jobIdRaw", 1, 256),
        ("aedtName", 1, 200),
        ("aedtVersion", 1, 200),
    ):
        if name in document:
            _text(document[name], f"/{name}", low, high, found, nullable=False)
    if "jobTitle" in document:
        _text(document["jobTitle"], "/jobTitle", 1, MAX_TITLE, found, nullable=True)
    locale = document.get("candidateLocale")
    if locale is not None:
        _text(locale, "/candidateLocale", 2, MAX_LOCALE, found, nullable=False)
        if isinstance(locale, str) and not _LOCALE.fullmatch(locale):
            found.add("/candidateLocale", "must be a BCP 47 language tag such as en-US")


def _text(value: object, pointer: str, low: int, high: int, found: _Collector, nullable: bool) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, str):
        found.add(pointer, "must be a string")
    elif not low <= len(value) <= high:
        found.add(pointer, f"must be {low} to {high} characters long")


def _check_enums(document: dict[str, object], found: _Collector) -> None:
    if "decision" in document and document["decision"] not in DECISIONS:
        found.add("/decision", "must be one of " + ", ".join(DECISIONS))
    role = document.get("aedtRole")
    if role is not None and role not in ROLES:
        found.add("/aedtRole", "must be one of " + ", ".join(ROLES))
    wanted = document.get("requestExplanation")
    if wanted is not None and not isinstance(wanted, bool):
        found.add("/requestExplanation", "must be true or false")


def _check_factors(document: dict[str, object], found: _Collector) -> None:
    if "decisionFactors" not in document:
        return
    factors = document["decisionFactors"]
    if not isinstance(factors, list):
        found.add("/decisionFactors", "must be an array")
        return
    if len(factors) > MAX_FACTORS:
        found.add("/decisionFactors", f"may hold at most {MAX_FACTORS} factors")
    for index, factor in enumerate(factors):
        _check_factor(factor, f"/decisionFactors/{index}", found)


def _check_factor(factor: object, pointer: str, found: _Collector) -> None:
    if not isinstance(factor, dict):
        found.add(pointer, "must be an object")
        return
    for name in factor:
        if name not in FACTOR_KEYS:
            found.add(pointer + _pointer(name), "is not a field of a decision factor")
    for name in FACTOR_KEYS:
        if name not in factor:
            found.add(f"{pointer}/{name}", "is required")
    name = factor.get("factor")
    if "factor" in factor and not (isinstance(name, str) and len(name) <= MAX_FACTOR_NAME and _FACTOR.fullmatch(name)):
        found.add(f"{pointer}/factor", f"must be snake_case, at most {MAX_FACTOR_NAME} characters")
    if "value" in factor and not _plain_value(factor["value"]):
        found.add(f"{pointer}/value", f"must be a number, a boolean or a string of at most {MAX_VALUE_TEXT} characters")
    weight = factor.get("weight")
    if "weight" in factor and not (isinstance(weight, int | float) and _is_number(weight) and 0 <= weight <= 1):
        found.add(f"{pointer}/weight", "must be a number from 0 to 1")
    if "contribution" in factor and factor["contribution"] not in CONTRIBUTIONS:
        found.add(f"{pointer}/contribution", "must be one of " + ", ".join(CONTRIBUTIONS))


def _is_number(value: object) -> bool:
    """JSON numbers only: a boolean is not one, and the parser already refused non-finite ones."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _plain_value(value: object) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_VALUE_TEXT
    return isinstance(value, bool) or _is_number(value)


def _check_timestamp(document: dict[str, object], found: _Collector) -> timestamps.Instant | None:
    if "decisionTimestamp" not in document:
        return None
    value = document["decisionTimestamp"]
    if not isinstance(value, str):
        found.add("/decisionTimestamp", "must be a string")
        return None
    try:
        instant = timestamps.parse(value)
        timestamps.require_not_future(instant)
    except timestamps.BadTimestamp as exc:
        found.add("/decisionTimestamp", str(exc))
        return None
    return instant
