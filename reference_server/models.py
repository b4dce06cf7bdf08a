"""The decision-event request, as pydantic models that mirror schemas/decision-event-request.schema.json.

The models only validate: what the server stores and echoes is the parsed JSON itself, so a factor
value of `2` stays `2` (never `2.0`) and the memo matches the request exactly (MEMO-001).
A test keeps these models and the JSON Schema in agreement.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)
from pydantic_core import ErrorDetails

from .problems import ProblemError

FACTOR_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
# Well-formed fields only: year 0001-9999 (no date library has a year 0), month 01-12, day 01-31, hour
# 00-23, minutes and seconds 00-59, offset up to ±23:59. A day the month lacks (31 February) is refused
# later, by timestamps.parse_timestamp, since no pattern knows the calendar.
TIMESTAMP_PATTERN = (
    r"^([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$"
)
LOCALE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

Number = StrictInt | StrictFloat
Decision = Literal["reject", "advance", "hire", "hold"]
AedtRole = Literal["sole", "weighted_most", "overrode", "assisted"]


# A character that is whitespace in no regex engine: ECMA-262 (JSON Schema), Python's re and Rust's
# regex (pydantic) disagree on \x1c-\x1f, \x85 (NEL) and \ufeff, so `\S` alone meant three things.
NON_BLANK = r"[^\s\x1c-\x1f\x85\ufeff]"


# Non-blank strings: a candidate ID or tool name of only spaces identifies nothing.
Identifier = Annotated[StrictStr, StringConstraints(min_length=1, max_length=256, pattern=NON_BLANK)]
Name = Annotated[StrictStr, StringConstraints(min_length=1, max_length=200, pattern=NON_BLANK)]


class DecisionFactor(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    factor: Annotated[StrictStr, StringConstraints(min_length=1, max_length=100, pattern=FACTOR_PATTERN)]
    value: StrictBool | Number | Annotated[StrictStr, StringConstraints(max_length=500)]
    weight: Annotated[Number, Field(ge=0, le=1)]
    contribution: Literal["positive", "negative", "neutral"]


class DecisionEventRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    candidateIdRaw: Identifier
    jobIdRaw: Identifier
    decision: Decision
    decisionTimestamp: Annotated[StrictStr, StringConstraints(pattern=TIMESTAMP_PATTERN)]
    decisionFactors: Annotated[list[DecisionFactor], Field(max_length=100)]
    aedtName: Name
    aedtVersion: Name
    requestExplanation: StrictBool | None = None
    jobTitle: Name | None = None
    candidateLocale: Annotated[StrictStr, StringConstraints(pattern=LOCALE_PATTERN)] | None = None
    aedtRole: AedtRole | None = None


def parse_json(body: bytes) -> Any:
    """Parse UTF-8 JSON strictly: no NaN/Infinity, no numbers that overflow to infinity, no key twice in
    one object."""
    try:
        return json.loads(
            body.decode("utf-8"),
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=_unique_keys,
        )
    except DuplicateKey as exc:
        raise ProblemError(400, "malformed_json", f"The body repeats the key {exc.key!r} in one object.") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProblemError(400, "malformed_json", f"The body is not valid UTF-8 JSON: {_reason(exc)}") from None


class DuplicateKey(ValueError):
    """A JSON object names `key` twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """RFC 8259 leaves the meaning of a repeated key open, and parsers differ (the first wins, the last
    wins, an error): `{"decision": "banana", "decision": "reject"}` may be a rejection here and nonsense
    to the sender's own tools. Refusing it is the one reading nobody can disagree with."""
    unique = dict(pairs)
    if len(unique) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return unique


def validate_request(data: Any) -> DecisionEventRequest:
    if not isinstance(data, dict):
        raise ProblemError(400, "malformed_json", "The body must be a JSON object.")
    try:
        return DecisionEventRequest.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(exc) from None


def validation_problem(exc: ValidationError) -> ProblemError:
    errors = []
    seen: set[str] = set()
    for error in exc.errors(include_url=False, include_input=False):
        pointer = _pointer(error["loc"])
        if pointer in seen:  # a union reports one error per member; one line per field is enough
            continue
        seen.add(pointer)
        errors.append({"pointer": pointer, "detail": _message(error)})
    summary = "; ".join(f"{e['pointer'] or '/'}: {e['detail']}" for e in errors[:3])
    return ProblemError(422, "validation_failed", f"The request does not match the schema: {summary}", errors=errors)


def field_problem(pointer: str, detail: str) -> ProblemError:
    return ProblemError(
        422, "validation_failed", f"{pointer}: {detail}", errors=[{"pointer": pointer, "detail": detail}]
    )


_UNION_MEMBERS = {"bool", "int", "float", "str", "constrained-str", "function-after[...]"}


def _pointer(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if not (isinstance(part, str) and _is_union_tag(part))]
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _is_union_tag(part: str) -> bool:
    return part in _UNION_MEMBERS or part.startswith(("constrained-", "function-", "literal["))


def _message(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field is missing"
    return str(error["msg"])


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "the body is not UTF-8"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)
