"""MSG faults: candidate messages worded the ways deployments get them wrong, one rule broken at a time."""

from __future__ import annotations

import re
from typing import Any

from ..factors import is_protected, phrase_for
from . import openapi
from .asgi import DECISION_EVENT, current_request, intercept, pass_on
from .drafting import Draft, revise
from .registry import Variant, fault

# The reference's wording each fault edits (explanations.py): where a paragraph or sentence begins.
OPENING = "We used an automated employment decision tool"
ASSESSED = "The tool looked at"
REASONS = ("The main reasons were", "We have no specific reason")
REVIEW = "You can ask a person on our team to review"
ACCOMMODATION = "You can ask for a reasonable accommodation"
DATA_TYPES = "The tool used this data:"
DATA_SOURCES = "This data came from"
RETENTION = "How long we keep it:"
DATA_POLICY_LINK = "Read our data policy at"
AUDIT_LINK = "You can read a summary of the audit"
REJECTION = "We are not moving forward with your application."


def _numbers(draft: Draft) -> set[float]:
    """Every factor value and weight, as written and as a percentage: numbers a fault must not quote by accident."""
    found: set[float] = set()
    for factor in draft.decision.factors:
        for key in ("value", "weight"):
            value = factor.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.update((float(value), float(value) * 100))
    return found


def _rejected(draft: Draft) -> bool:
    return draft.decision.decision == "reject"


# -- MSG-001 ---------------------------------------------------------------------------------------


@fault("MSG-001", "phrase", 'the message calls the tool "hiring software", never "automated employment decision tool"')
def msg_no_aedt_phrase(variant: Variant) -> None:
    def revision(draft: Draft) -> None:
        draft.paragraphs = [
            text.replace("an automated employment decision tool", "hiring software") for text in draft.paragraphs
        ]

    revise(variant, revision)


@fault("MSG-001", "before-acronym", 'the message says "AEDT" before it spells out the phrase')
def msg_acronym_first(variant: Variant) -> None:
    revise(variant, lambda draft: draft.paragraphs.insert(1, "Our AEDT looked at your application."))


# -- MSG-002 ---------------------------------------------------------------------------------------


@fault(
    "MSG-002",
    "named",
    "the message does not list what was assessed (a rejection still gives its reasons, so other factors go unnamed)",
)
def msg_no_factors(variant: Variant) -> None:
    revise(variant, lambda draft: draft.replace(ASSESSED, "The tool looked at your application as a whole."))


def _untraceable(draft: Draft) -> None:
    index = draft.find(ASSESSED)
    listed = draft.paragraphs[index] if index is not None else ""
    if not listed.startswith("The tool looked at these things about you:"):
        listed = "The tool looked at these things about you:"
    listed += "\n- Your cultural fit."
    if index is None:
        draft.insert_after(OPENING, listed)
    else:
        draft.paragraphs[index] = listed


@fault("MSG-002", "traceable", "the message says the tool assessed your cultural fit, which no decision factor is")
def msg_untraceable_qualification(variant: Variant) -> None:
    revise(variant, _untraceable)


# -- MSG-003 ---------------------------------------------------------------------------------------


@fault("MSG-003", "instructions", "the message says nothing of an accommodation or an alternative selection process")
def msg_no_accommodation(variant: Variant) -> None:
    revise(variant, lambda draft: draft.drop(ACCOMMODATION))


@fault(
    "MSG-003",
    "contact",
    "the accommodation instructions give no email, URL or phone: 'ask our hiring team for either one'",
)
def msg_accommodation_no_contact(variant: Variant) -> None:
    revise(
        variant,
        lambda draft: draft.replace(
            ACCOMMODATION,
            (
                "You can ask for a reasonable accommodation or an alternative selection process. "
                "Ask our hiring team for either one."
            ),
        ),
    )


# -- MSG-004 ---------------------------------------------------------------------------------------


@fault("MSG-004", "data-types", "the message neither states nor links to the type of data collected")
def msg_no_data_types(variant: Variant) -> None:
    revise(variant, lambda draft: draft.drop_sentences(DATA_TYPES, DATA_POLICY_LINK))


@fault("MSG-004", "data-source", "the message neither states nor links to where the data came from")
def msg_no_data_source(variant: Variant) -> None:
    revise(variant, lambda draft: draft.drop_sentences(DATA_SOURCES, DATA_POLICY_LINK))


@fault("MSG-004", "retention", "the message neither states nor links to how long the data is kept")
def msg_no_retention(variant: Variant) -> None:
    revise(variant, lambda draft: draft.drop_sentences(RETENTION, DATA_POLICY_LINK))


# -- MSG-005 ---------------------------------------------------------------------------------------


@fault("MSG-005", "audit-link", "the message mentions the bias audit but does not link its published summary")
def msg_no_audit_link(variant: Variant) -> None:
    revise(variant, lambda draft: draft.drop_sentences(AUDIT_LINK))


# -- MSG-006 ---------------------------------------------------------------------------------------


def _score(draft: Draft) -> None:
    taken = _numbers(draft)
    score = next(n for n in range(61, 100) if float(n) not in taken)
    draft.add(f"Your overall match score was {score}.")


@fault("MSG-006", "scores", "the message gives an overall match score (a number that is no factor's value or weight)")
def msg_leaks_score(variant: Variant) -> None:
    revise(variant, _score)


def _factor_number(draft: Draft) -> None:
    for factor in draft.decision.factors:
        name = str(factor.get("factor", ""))
        for key in ("value", "weight"):
            number = factor.get(key)
            if isinstance(number, int | float) and not isinstance(number, bool) and not is_protected(name):
                draft.add(f"We had {number} on record for {phrase_for(name)}.")
                return


@fault(
    "MSG-006",
    "factor-numbers",
    "the message quotes a factor's numeric value (or its weight), without calling it a score",
)
def msg_factor_numbers(variant: Variant) -> None:
    revise(variant, _factor_number)


@fault("MSG-006", "internals", "the message says the model compared your feature vector with other applicants'")
def msg_model_internals(variant: Variant) -> None:
    revise(variant, lambda draft: draft.add("The model compared your feature vector with those of other applicants."))


# -- MSG-007 ---------------------------------------------------------------------------------------


@fault("MSG-007", "protected", "the message names marital status as one of the reasons for the decision")
def msg_protected_reason(variant: Variant) -> None:
    revise(variant, lambda draft: draft.add("Your marital status was one of the reasons for this decision."))


@fault("MSG-007", "zip-code", "the message gives where the candidate lives, a ZIP code, as one of the reasons")
def msg_zip_code(variant: Variant) -> None:
    reason = "Your location in the 11201 area was one of the reasons for this decision."
    revise(variant, lambda draft: draft.add(reason))


# -- MSG-008 ---------------------------------------------------------------------------------------


def _raw_id(draft: Draft) -> None:
    incoming = current_request.get()
    sent: Any = incoming.json() if incoming is not None else None
    if isinstance(sent, dict) and isinstance(sent.get("candidateIdRaw"), str):
        draft.add(f"Your candidate reference is {sent['candidateIdRaw']}.")


@fault("MSG-008", "raw-id", "the message quotes the candidate ID the ATS sent, as the candidate's reference")
def msg_raw_candidate_id(variant: Variant) -> None:
    revise(variant, _raw_id)
    variant.middleware.append(intercept(DECISION_EVENT, pass_on))


@fault("MSG-008", "internal-ids", "the message quotes the decision event ID as a reference")
def msg_internal_id(variant: Variant) -> None:
    revise(variant, lambda draft: draft.add(f"Reference: {draft.decision.decision_event_id}."))


# -- MSG-009 ---------------------------------------------------------------------------------------


@fault("MSG-009", "residue", "the greeting keeps a {{candidate_name}} placeholder")
def msg_template_residue(variant: Variant) -> None:
    revise(variant, lambda draft: draft.replace("Hello,", "Dear {{candidate_name}},"))


# -- MSG-010 ---------------------------------------------------------------------------------------


def _title_only_subject(draft: Draft) -> None:
    if draft.decision.job_title is None:
        draft.subject = ""


@fault(
    "MSG-010",
    "non-empty",
    "the subject is rendered from the job title alone, so a decision without one gets an empty subject",
)
def msg_untitled_empty_subject(variant: Variant) -> None:
    revise(variant, _title_only_subject)
    _message_schema(variant)["properties"]["subject"].pop("minLength")


def _long_subject(draft: Draft) -> None:
    draft.subject = (draft.subject + " - an important update about your application") * 3


@fault("MSG-010", "length", "the subject is over 120 characters")
def msg_bad_subject(variant: Variant) -> None:
    revise(variant, _long_subject)
    _message_schema(variant)["properties"]["subject"].pop("maxLength")


def _generic_subject(draft: Draft) -> None:
    draft.subject = "An update on your application"


@fault("MSG-010", "names", "the subject names neither the position nor the employer")
def msg_generic_subject(variant: Variant) -> None:
    revise(variant, _generic_subject)


def _message_schema(variant: Variant) -> dict[str, Any]:
    return openapi.schema(variant.openapi, "CandidateMessage")


# -- MSG-011 ---------------------------------------------------------------------------------------


def _vague_outcome(draft: Draft) -> None:
    if _rejected(draft):
        draft.paragraphs = [
            text.replace(REJECTION, "We have made a decision about your application.") for text in draft.paragraphs
        ]


@fault("MSG-011", "outcome", "a rejection never says plainly that the application is not moving forward")
def msg_no_outcome(variant: Variant) -> None:
    revise(variant, _vague_outcome)


def _no_reasons(draft: Draft) -> None:
    if _rejected(draft):
        for start in REASONS:
            draft.drop(start)


@fault("MSG-011", "reasons", "a rejection's sentences giving the principal reasons are dropped")
def msg_no_reasons(variant: Variant) -> None:
    revise(variant, _no_reasons)


def _no_review(draft: Draft) -> None:
    if _rejected(draft):
        draft.drop(REVIEW)


@fault("MSG-011", "review", "a rejection does not say how to ask for a human review")
def msg_no_review(variant: Variant) -> None:
    revise(variant, _no_review)


# -- MSG-012 ---------------------------------------------------------------------------------------

_HARD_WORDS = (
    "Organizational determinations incorporate multidimensional evaluative considerations. "
    "Comprehensive methodological documentation substantiates individualized determinations. "
    "Institutional accountability necessitates administrative verification procedures. "
    "Supplementary informational communications accompany subsequent correspondence."
)


@fault("MSG-012", "grade", "the message adds short sentences of long words, reading far above grade eight")
def msg_hard_to_read(variant: Variant) -> None:
    revise(variant, lambda draft: draft.add(_HARD_WORDS))


_LONG_SENTENCE = (
    "We want you to know that we read all of it with care and that we took the time to look at each part of it "
    "and that we hope you will keep an eye on our jobs page and try again when you see a job you like."
)


@fault("MSG-012", "sentences", "the message adds one sentence of more than thirty-five (short) words")
def msg_long_sentence(variant: Variant) -> None:
    revise(variant, lambda draft: draft.add(_LONG_SENTENCE))


_SECOND_PERSON = {"You": "The applicant", "you": "the applicant", "Your": "The applicant's", "your": "the applicant's"}


def _third_person(draft: Draft) -> None:
    def person(match: re.Match[str]) -> str:
        return _SECOND_PERSON[match.group(0)]

    paragraphs = [text.replace("Thank you,", "Regards,") for text in draft.paragraphs]
    draft.paragraphs = [re.sub(r"\b(?:You|you|Your|your)\b", person, text) for text in paragraphs]


@fault("MSG-012", "you", 'the message speaks of "the applicant" and never addresses the reader as "you"')
def msg_third_person(variant: Variant) -> None:
    revise(variant, _third_person)


# -- MSG-013 ---------------------------------------------------------------------------------------


@fault("MSG-013", "claims", "the message calls the hiring process guaranteed fair and bias-free")
def msg_unsupported_claim(variant: Variant) -> None:
    revise(variant, lambda draft: draft.add("Our hiring process is guaranteed fair and bias-free."))
