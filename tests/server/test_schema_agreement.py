"""The server's pydantic models and schemas/decision-event-request.schema.json accept exactly the same bodies.

Hypothesis mutates a valid body (wrong types, boundary lengths and numbers, missing, null and unknown
fields, bad factors) and both must give the same verdict, so neither can drift from the other.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from nyc_hiring import schemas
from nyc_hiring.reference_server.idempotency import idempotency_key
from nyc_hiring.reference_server.models import DecisionEventRequest, validate_request
from nyc_hiring.reference_server.problems import ProblemError

VALID: dict[str, Any] = {
    "candidateIdRaw": "candidate_12345",
    "jobIdRaw": "job_67890",
    "decision": "reject",
    "decisionTimestamp": "2026-11-27T10:00:00Z",
    "decisionFactors": [{"factor": "years_experience", "value": 2, "weight": 0.3, "contribution": "negative"}],
    "aedtName": "CustomATS AI",
    "aedtVersion": "1.0",
}
FIELDS = [*VALID, "requestExplanation", "jobTitle", "candidateLocale", "aedtRole", "unexpected"]
FACTOR_FIELDS = ["factor", "value", "weight", "contribution", "note"]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, 0.5, 1.0, 1.0000001, -0.0, 1e300]),
    st.sampled_from(
        [
            "",
            " ",
            "x",
            "reject",
            "hold",
            "sole",
            "en-US",
            "e",
            "YearsExp",
            "years_experience",
            "2026-11-27T10:00:00",
            "2026-11-27T10:00:00.1234567891+05:30",
            "2026-11-27 10:00:00Z",
            "positive",
            "x" * 200,
            "x" * 201,
            "x" * 256,
            "x" * 257,
            "a\n",
            " \t ",
            "ab_",
            "a__b",
        ]
    ),
)
json_values = st.one_of(
    json_scalars,
    st.lists(json_scalars, max_size=2),
    st.dictionaries(st.sampled_from(FACTOR_FIELDS), json_scalars, max_size=4),
)


@st.composite
def mutated_bodies(draw: st.DrawFn) -> dict[str, Any]:
    body = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(["field", "drop", "factor", "factors"]))
        if target == "field":
            body[draw(st.sampled_from(FIELDS))] = draw(json_values)
        elif target == "drop":
            body.pop(draw(st.sampled_from(FIELDS)), None)
        elif target == "factor" and isinstance(body.get("decisionFactors"), list) and body["decisionFactors"]:
            factor = body["decisionFactors"][0]
            if isinstance(factor, dict):
                factor[draw(st.sampled_from(FACTOR_FIELDS))] = draw(json_values)
        else:
            count = draw(st.sampled_from([0, 100, 101]))
            body["decisionFactors"] = [copy.deepcopy(VALID["decisionFactors"][0])] * count
    return body


def _model_accepts(body: dict[str, Any]) -> bool:
    try:
        DecisionEventRequest.model_validate(body)
    except ValidationError:
        return False
    return True


@settings(max_examples=600, deadline=None)
@given(mutated_bodies())
def test_model_and_json_schema_agree_on_every_body(body: dict[str, Any]) -> None:
    schema_accepts = schemas.validator("decision-event-request").is_valid(body)
    assert _model_accepts(body) == schema_accepts, body


def test_the_guide_example_is_valid_for_both() -> None:
    assert _model_accepts(VALID) and schemas.validator("decision-event-request").is_valid(VALID)


@pytest.mark.parametrize("blank", ["\x85", "\x1c", "\x1f", "\ufeff", " ", "\u3000", "\u2028"])
def test_schema_and_models_agree_on_what_is_blank(blank: str) -> None:
    """`\\S` means different things in ECMA-262, Python and Rust regexes: a label of one of these
    characters must be refused by the schema and the models alike, and a real character accepted."""
    for text, valid in ((blank, False), (blank + "x", True)):
        body = {
            "candidateIdRaw": text,
            "jobIdRaw": "job_1",
            "decision": "reject",
            "decisionTimestamp": "2026-01-01T00:00:00Z",
            "decisionFactors": [],
            "aedtName": "A",
            "aedtVersion": "1",
        }
        assert schemas.validator("decision-event-request").is_valid(body) is valid
        try:
            validate_request(body)
            accepted = True
        except ProblemError:
            accepted = False
        assert accepted is valid


# -- the Idempotency-Key header --------------------------------------------------------------------

IDEMPOTENCY_KEY = schemas.openapi_document()["components"]["parameters"]["IdempotencyKey"]["schema"]["pattern"]
TRICKY_KEYS = [
    "abc",
    "p ZK",
    '"p ZK"',
    'a"b',
    '""',
    '"',
    '"a"b"',
    "x" * 255,
    "x" * 256,
    '"' + "x" * 255 + '"',
    '"' + "x" * 256 + '"',
    "ключ",
    "a\tb",
    "\\",
    '"\\"',
    "!",
    "~" * 3,
    "abc\n",
    "8e03978e-40d5-43e8-bc93-6894a57f9324",
]


def _server_accepts_key(value: str) -> bool:
    try:
        idempotency_key(value)
    except ProblemError:
        return False
    return True


@pytest.mark.parametrize("value", TRICKY_KEYS)
def test_the_document_and_the_server_read_an_idempotency_key_alike(value: str) -> None:
    schema_accepts = schemas.pattern_matches(IDEMPOTENCY_KEY, value)
    assert _server_accepts_key(value) is schema_accepts


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7F), max_size=8).map(lambda text: text.strip(" ")))
def test_generated_idempotency_keys_are_read_alike(value: str) -> None:
    """Leading and trailing spaces are not the key's: HTTP strips them before any server sees the value."""
    for candidate in (value, f'"{value}"'):
        assert _server_accepts_key(candidate) is schemas.pattern_matches(IDEMPOTENCY_KEY, candidate)
