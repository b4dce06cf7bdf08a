"""One judge: what the contract expects of one answer, and which requirement clause each difference breaks.

The generated-case checks, the saved cases that replay them and the payload corpus all state their
expectations as an `Expectation` and judge answers here, so a replay agrees with the check that saved
it. An expectation names the requirement clause its request tests; a difference is charged to it, except
where another requirement owns the detail (contract § 1 and the ownership rules of test_validation.py):
the body's schema is EVT-002's, the pinned `duplicate_event` code and the original ID are IDEM-001's or
IDEM-004's, and a 5xx to a schema-violating request is EVT-001's `no-server-error`. An expectation marked
`precondition` is a step other checks own: a difference there shows nothing, unless it is `kept_when`,
the one answer that proves the check's own clause broken (a duplicate, after refused deliveries).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from nyc_hiring.schemas import contract

from .acks import outcome as ack_outcome
from .client import body_json_dict

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

EXCERPT = 300
JSON_TYPE = "application/json"
PROBLEM_TYPE = "application/problem+json"


class MalformedExpectation(ValueError):
    """A stored expectation (a saved case, a manifest entry) that cannot be read."""


@dataclass(frozen=True)
class Expectation:
    """What the contract expects of one answer, in a form that can be stored and judged again later."""

    status: tuple[int, ...]
    requirement: str
    clause: str
    schema: str | None = None  # the contract schema of the body (schemas/contract/), judged as EVT-002's
    ack: str | None = None  # webhook acknowledgement: recorded, duplicate, ignored, or recorded-or-duplicate
    problem_code: str | None = None  # only `duplicate_event` is pinned (IDEM-001)
    same_event_as: int | None = None  # names the decisionEventId of this earlier request
    precondition: bool = False
    kept_when: str | None = None  # with `precondition`: the ack outcome that breaks this clause instead
    refused_as: tuple[str, str] | None = None  # the clause a 401 breaks instead: a signature not accepted

    def describe(self) -> str:
        words = ["HTTP " + " or ".join(str(status) for status in self.status)]
        if self.ack:
            words.append(f"{_a(self.ack)} {self.ack.replace('-', ' ')} acknowledgement")
        if self.problem_code:
            words.append(f"problem code {self.problem_code}")
        if self.same_event_as is not None:
            words.append(f"the decisionEventId of request {self.same_event_as + 1}")
        if self.schema:
            words.append(f"matching the contract's {self.schema} schema")
        return ", ".join(words)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": list(self.status),
            "requirement": self.requirement,
            "clause": self.clause,
            "schema": self.schema,
            "ack": self.ack,
            "problemCode": self.problem_code,
            "sameEventAs": self.same_event_as,
            "precondition": self.precondition,
            "keptWhen": self.kept_when,
            "refusedAs": list(self.refused_as) if self.refused_as else None,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Expectation:
        statuses = value.get("status")
        if not statuses or not isinstance(statuses, list) or not all(isinstance(s, int) for s in statuses):
            raise MalformedExpectation(f"expected.status must list HTTP statuses, not {json.dumps(statuses)}")
        if not isinstance(value.get("requirement"), str) or not isinstance(value.get("clause"), str):
            raise MalformedExpectation("expected.requirement and expected.clause must name a requirement clause")
        refused = value.get("refusedAs")
        return cls(
            tuple(statuses),
            value["requirement"],
            value["clause"],
            value.get("schema"),
            value.get("ack"),
            value.get("problemCode"),
            value.get("sameEventAs"),
            bool(value.get("precondition")),
            value.get("keptWhen"),
            (str(refused[0]), str(refused[1])) if refused else None,
        )


@dataclass(frozen=True)
class Observation:
    """What came back: a status and body, or no answer at all."""

    status: int | None
    content_type: str = ""
    body: bytes = b""
    error: str | None = None

    @classmethod
    def of(cls, response: httpx.Response) -> Observation:
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return cls(response.status_code, media_type, response.content)

    def json(self) -> dict[str, Any]:
        return body_json_dict(self.body)

    def excerpt(self) -> str:
        if self.status is None:
            return f"no answer ({self.error})"
        return excerpt(self.body)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "contentType": self.content_type,
            "bodyExcerpt": self.excerpt(),
            "error": self.error,
        }


@dataclass(frozen=True)
class Problem:
    """One difference from the expectation, charged to one requirement clause (or to none: `precondition`)."""

    requirement: str
    clause: str
    message: str
    precondition: bool = False


def excerpt(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", errors="replace").split())
    return text[:EXCERPT] + ("..." if len(text) > EXCERPT else "")


def judge(expected: Expectation, observed: Observation, earlier: Sequence[Observation] = ()) -> list[Problem]:
    """What differs from the contract's expectation; empty when the answer conforms."""
    own = _Charger(expected)
    if observed.status is None:
        return [own.status(f"expected {expected.describe()}, got no answer ({observed.error})", server=True)]
    if observed.status not in expected.status:
        shown = " or ".join(str(status) for status in expected.status)
        message = f"expected HTTP {shown}, got {observed.status} ({observed.excerpt()[:160]})"
        if observed.status == 401 and expected.refused_as is not None:
            return [Problem(*expected.refused_as, message)]
        return [own.status(message, server=observed.status >= 500)]
    body = observed.json()
    problems = _format_problems(expected, observed)
    if expected.ack and ack_outcome(body) not in expected.ack.split("-or-"):
        brief = {name: body.get(name) for name in ("status", "duplicate", "ignored", "decisionEventId")}
        problems.append(
            own.ack(
                f"expected {_a(expected.ack)} {expected.ack.replace('-', ' ')} acknowledgement, "
                f"got {json.dumps(brief)}",
                ack_outcome(body),
            )
        )
    if expected.problem_code and body.get("code") != expected.problem_code:
        problems.append(
            Problem(
                "IDEM-001",
                "code",
                f"expected problem code {json.dumps(expected.problem_code)}, got {json.dumps(body.get('code'))}",
            )
        )
    if expected.same_event_as is not None and expected.same_event_as < len(earlier):
        original = earlier[expected.same_event_as].json().get("decisionEventId")
        if body.get("decisionEventId") != original:
            requirement, clause = ("IDEM-004", "original-ids") if expected.ack else ("IDEM-001", "original-id")
            problems.append(
                Problem(
                    requirement,
                    clause,
                    f"expected the original decisionEventId "
                    f"{json.dumps(original)}, got {json.dumps(body.get('decisionEventId'))}",
                )
            )
    return problems


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def judged_clauses(expected: Expectation, status: int | None) -> list[tuple[str, str]]:
    """Every requirement clause `judge` weighs for this expectation: all of them met when it finds nothing."""
    clauses = [(expected.requirement, expected.clause)]
    if expected.ack == "ignored":
        clauses.append(("SIG-007", "ignored-flag"))
    if expected.schema is not None:
        clauses.append(("EVT-002", "contract-schemas"))
        if expected.requirement == "EVT-001" and (status or 0) >= 400:
            clauses.append(("EVT-001", "problem-details"))
    if expected.problem_code == "duplicate_event":
        clauses.append(("IDEM-001", "code"))
    if expected.same_event_as is not None:
        clauses.append(("IDEM-004", "original-ids") if expected.ack else ("IDEM-001", "original-id"))
    return clauses


@dataclass(frozen=True)
class _Charger:
    """Charges the expectation's own differences: to its clause, or as a precondition that shows nothing."""

    expected: Expectation

    def status(self, message: str, *, server: bool) -> Problem:
        if server and self.expected.requirement == "EVT-001":
            return Problem("EVT-001", "no-server-error", message)
        return Problem(self.expected.requirement, self.expected.clause, message, self.expected.precondition)

    def ack(self, message: str, found: str | None) -> Problem:
        """An ignored event's flag is SIG-007's `ignored-flag`, whatever clause the status belongs to."""
        if self.expected.ack == "ignored":
            return Problem("SIG-007", "ignored-flag", message)
        kept = self.expected.kept_when is not None and found == self.expected.kept_when
        return Problem(
            self.expected.requirement, self.expected.clause, message, self.expected.precondition and not kept
        )


def _format_problems(expected: Expectation, observed: Observation) -> list[Problem]:
    """The media type and the body's schema: EVT-001's media type for its refusals, EVT-002's for the rest."""
    if expected.schema is None:
        return []
    wanted = PROBLEM_TYPE if (observed.status or 0) >= 400 else JSON_TYPE
    media_owner = (
        ("EVT-001", "problem-details") if expected.requirement == "EVT-001" else ("EVT-002", "contract-schemas")
    )
    problems = []
    if observed.content_type != wanted:
        problems.append(Problem(*media_owner, f"expected Content-Type {wanted}, got {observed.content_type or 'none'}"))
    mismatch = body_mismatch(expected.schema, observed.body)
    if mismatch:
        problems.append(Problem("EVT-002", "contract-schemas", mismatch))
    return problems


@functools.lru_cache(maxsize=256)
def body_mismatch(schema: str, body: bytes) -> str | None:
    """Keyed by the bytes, as a target sends many answers alike (every refused signature, for one)."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return f"the body is not JSON: {json.dumps(excerpt(body)[:120], ensure_ascii=False)}"
    error = contract.first_error(schema, value)
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
    return f"the answer does not match the contract's {schema} schema at {where}: {as_json(error)[:160]}"


def as_json(error: ValidationError) -> str:
    """jsonschema words its messages in Python (`None is not of type 'array'`); the answer was JSON, so the
    message names its values as JSON does (`null is not of type "array"`)."""
    message = error.message
    values = [error.instance, error.validator_value]
    values += error.validator_value if isinstance(error.validator_value, list) else []
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
        values += list(error.instance)  # the unexpected names
    for value in values:
        try:
            message = message.replace(repr(value), json.dumps(value, ensure_ascii=False))
        except (TypeError, ValueError):  # not JSON data: a compiled pattern, say
            continue
    return message
