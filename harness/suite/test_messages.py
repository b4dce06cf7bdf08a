"""MSG and MEMO: every candidate message and internal memo the deployment writes meets the contract's rules.

The rules live in `harness.compliance`, a plain library that needs no server. Each check runs one
requirement's rule over every sample explanation of the run (`explanation_samples` in conftest.py) and
fails with the first findings of the first clause that some sample breaks, naming the sample. A clause is
reported met only when a sample could have broken it: the holiday clause of MEMO-003 needs a decision
whose notice window a holiday shortens, MSG-011 a rejection, MEMO-005 a protected factor.

What the harness knows beyond the explanation is used too: the source a decision came by and the IDs
the deployment returned (MEMO-002), and the flags of the 201 answer (MEMO-003). The employer is the
deployment's own fact: `--employer-name` names it, else the rules look for it in the message itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from nyc_hiring.harness.catalog import requirement as catalog_requirement
from nyc_hiring.harness.compliance import MEMO_RULES, MESSAGE_RULES, CheckContext, Finding, calendar, vocabulary
from nyc_hiring.harness.compliance.findings import finding
from nyc_hiring.harness.context import Conformance
from nyc_hiring.harness.steps import NotShown

if TYPE_CHECKING:
    from nyc_hiring.harness.suite.conftest import ExplanationSample, ExplanationSamples

requirement = pytest.mark.requirement
SHOWN_FINDINGS = 2
MAX_EXCERPT = 80
FLAGS = ("notice_too_late", "bias_audit_expired")


def findings_for(rule_id: str, sample: ExplanationSample, context: CheckContext) -> list[Finding]:
    """One rule with everything the sample has, and what the harness itself knows of the sample."""
    if rule_id in MESSAGE_RULES:
        return MESSAGE_RULES[rule_id](sample.message, sample.memo, sample.request, context)
    found = MEMO_RULES[rule_id](sample.memo, sample.request, sample.message, context)
    return found + list(KNOWN_FACTS.get(rule_id, _no_facts)(sample))


def _memo_matches_what_was_returned(sample: ExplanationSample) -> Iterator[Finding]:
    """MEMO-002: the source the decision came by, and the IDs the deployment gave for it."""
    if sample.memo.get("source") != sample.source:
        yield finding(
            "MEMO-002",
            f"memo source is {sample.memo.get('source')!r}, the decision came by {sample.source!r}",
            "memo.source",
            clause="values",
        )
    for name, returned in sample.ids.items():
        if sample.memo.get(name) is not None and sample.memo.get(name) != returned:
            yield finding(
                "MEMO-002",
                f"memo {name} is {sample.memo.get(name)!r}, the deployment returned {returned!r}",
                f"memo.{name}",
                clause="values",
            )


def _flags_also_in_the_answer(sample: ExplanationSample) -> Iterator[Finding]:
    """MEMO-003: notice_too_late and bias_audit_expired appear in the answer's complianceFlags too."""
    if sample.response_flags is None:
        return
    flags = sample.memo.get("complianceFlags")
    memo_flags = flags if isinstance(flags, list) else []
    for flag in FLAGS:
        if (flag in memo_flags) != (flag in sample.response_flags):
            yield finding(
                "MEMO-003",
                f"{flag} is {'in' if flag in memo_flags else 'not in'} the memo's "
                "complianceFlags but the answer's complianceFlags disagree",
                "complianceFlags",
                clause="response-flags",
            )


def _no_facts(sample: ExplanationSample) -> Iterator[Finding]:
    return iter(())


KNOWN_FACTS: dict[str, Callable[[ExplanationSample], Iterator[Finding]]] = {
    "MEMO-002": _memo_matches_what_was_returned,
    "MEMO-003": _flags_also_in_the_answer,
}


# -- which clauses the samples could have broken ----------------------------------------------------


def _dates(sample: ExplanationSample, record: str) -> tuple[date, date] | None:
    """(the notice or audit date, the decision date) of a sample, when its memo gives both."""
    value = sample.memo.get(record)
    try:
        recorded = calendar.parse_date(value.get("date") if isinstance(value, dict) else None)
        return recorded, calendar.decision_date(str(sample.memo.get("decisionTimestamp")))
    except ValueError:
        return None


def _holiday_decides(sample: ExplanationSample, context: CheckContext) -> bool:
    dates = _dates(sample, "notice")
    if dates is None:
        return False
    business = calendar.business_days_between(*dates, context.holiday_country, context.extra_holidays)
    weekdays = calendar.business_days_between(*dates, None, context.extra_holidays)
    return (business < context.notice_business_days) != (weekdays < context.notice_business_days)


def _audit_too_old(sample: ExplanationSample, context: CheckContext) -> bool:
    dates = _dates(sample, "biasAudit")
    return dates is not None and dates[1] > calendar.one_year_after(dates[0])


def _audit_after(sample: ExplanationSample, context: CheckContext) -> bool:
    dates = _dates(sample, "biasAudit")
    return dates is not None and dates[0] > dates[1]


def _factors(sample: ExplanationSample) -> list[Any]:
    source = sample.request if sample.request is not None else sample.memo
    factors = source.get("decisionFactors")
    return factors if isinstance(factors, list) else []


def _protected(sample: ExplanationSample, context: CheckContext) -> bool:
    return any(
        isinstance(f, dict) and vocabulary.protected_factor_terms(str(f.get("factor", ""))) for f in _factors(sample)
    )


def _rejection(sample: ExplanationSample, context: CheckContext) -> bool:
    return (sample.request or sample.memo).get("decision") == "reject"


def _every_sample(sample: ExplanationSample, context: CheckContext) -> bool:
    """A clause that any sample could have broken."""
    return True


Exercises = Callable[["ExplanationSample", CheckContext], bool]
EXERCISED_BY: dict[tuple[str, str], Exercises] = {
    ("MEMO-003", "holidays"): _holiday_decides,
    ("MEMO-003", "audit-too-old"): _audit_too_old,
    ("MEMO-003", "audit-after-decision"): _audit_after,
    ("MEMO-003", "response-flags"): lambda sample, _: sample.response_flags is not None,
    ("MEMO-005", "flagged"): _protected,
    ("MEMO-005", "kept-out"): _protected,
    ("MSG-002", "named"): lambda sample, _: bool(_factors(sample)),
    ("MSG-011", "outcome"): _rejection,
    ("MSG-011", "reasons"): _rejection,
    ("MSG-011", "review"): _rejection,
}


# -- the check -------------------------------------------------------------------------------------


def expect_rule(conformance: Conformance, explanations: ExplanationSamples, rule_id: str) -> None:
    """Each clause in catalog order: failed by the first sample that breaks it, met when a sample could have."""
    samples = explanations.samples
    if not samples:
        raise NotShown(f"{rule_id} could not be checked: no sample explanation was obtained (see EXPL-001)")
    context = conformance.run.config.compliance_context()
    found = [(sample, findings_for(rule_id, sample, context)) for sample in samples]
    for clause in catalog_requirement(rule_id).clauses:
        if not clause.observable:
            continue
        exercised = EXERCISED_BY.get((rule_id, clause.id), _every_sample)
        failing = [(sample, [f for f in items if f.clause == clause.id]) for sample, items in found]
        failing = [(sample, items) for sample, items in failing if items]
        if failing:
            with conformance.step(rule_id, clause.id):
                _fail(conformance, rule_id, failing, len(samples))
        elif any(exercised(sample, context) for sample in samples):
            with conformance.step(rule_id, clause.id):
                pass


def _fail(
    conformance: Conformance, rule_id: str, failing: list[tuple[ExplanationSample, list[Finding]]], total: int
) -> None:
    sample, items = failing[0]
    conformance.client.exchanges.extend(sample.exchanges)
    conformance.read_explanation(sample.explanation_id)
    shown = "; ".join(_finding_text(item) for item in items[:SHOWN_FINDINGS])
    more = f" (+{len(items) - SHOWN_FINDINGS} more)" if len(items) > SHOWN_FINDINGS else ""
    raise AssertionError(
        f"{rule_id} not met by the explanation for sample '{sample.label}' "
        f"({sample.explanation_id}): {shown}{more}; {len(failing)} of {total} samples fail"
    )


def _finding_text(item: Finding) -> str:
    excerpt = " ".join((item.excerpt or "").split())
    if len(excerpt) > MAX_EXCERPT:
        excerpt = excerpt[:MAX_EXCERPT] + "..."
    return f"{item.message} [{item.field}: '{excerpt}']" if excerpt else item.message


@requirement("MSG-001")
def test_messages_say_an_automated_employment_decision_tool_was_used(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-001")


@requirement("MSG-002")
def test_messages_name_the_qualifications_assessed(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-002")


@requirement("MSG-003")
def test_messages_say_how_to_request_an_alternative_process_or_accommodation(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-003")


@requirement("MSG-004")
def test_messages_state_the_data_collected_its_source_and_retention(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-004")


@requirement("MSG-005")
def test_messages_link_to_the_bias_audit_summary(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-005")


@requirement("MSG-006")
def test_messages_contain_no_scores_weights_or_factor_numbers(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-006")


@requirement("MSG-007")
def test_messages_name_no_protected_characteristic_as_a_reason(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-007")


@requirement("MSG-008")
def test_messages_contain_no_candidate_id_key_hash_or_internal_id(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-008")


@requirement("MSG-009")
def test_messages_contain_no_template_residue(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-009")


@requirement("MSG-010")
def test_subjects_are_short_and_name_the_position_or_employer(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-010")


@requirement("MSG-011")
def test_rejections_state_the_outcome_the_reasons_and_how_to_request_review(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-011")


@requirement("MSG-012")
def test_messages_are_plain_language_addressed_to_the_candidate(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MSG-012")


@requirement("MSG-013")
def test_messages_make_no_unsupported_claims(conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-013")


@requirement("MEMO-001")
def test_memos_list_every_decision_factor_as_sent(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-001")


@requirement("MEMO-002")
def test_memos_record_the_tool_the_decision_the_ids_and_the_source(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-002")


@requirement("MEMO-003")
def test_memos_record_notice_and_bias_audit_with_the_right_flags(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-003")


@requirement("MEMO-004")
def test_memos_hash_the_exact_candidate_message(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-004")


@requirement("MEMO-005")
def test_memos_flag_protected_factors_and_keep_them_out_of_the_message(
    conformance: Conformance, explanation_samples: ExplanationSamples
) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-005")
