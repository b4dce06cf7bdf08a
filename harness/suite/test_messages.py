"""MSG and MEMO: every candidate message and internal memo the deployment writes meets the contract's rules.

The rules live in `harness.compliance`, a plain library that needs no server. Each check runs one
requirement's rule over every sample explanation of the run (`explanation_samples` in conftest.py:
each decision kind, protected factors, no factors, thirty factors, a timestamp without offset, webhook
decisions) and fails with the first findings, naming the sample; a valid request that yields no
explanation fails them too, since the rules could not be checked on it. The employer is not known to the
harness, so MSG-010 accepts the employer named in the memo, or a generic subject.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.compliance import MEMO_RULES, MESSAGE_RULES, CheckContext, Finding
from harness.context import Conformance

if TYPE_CHECKING:
    from harness.suite.conftest import ExplanationSample, ExplanationSamples

requirement = pytest.mark.requirement
SHOWN_FINDINGS = 2
MAX_EXCERPT = 80


def findings_for(rule_id: str, sample: ExplanationSample, context: CheckContext) -> list[Finding]:
    """Run one rule with everything the sample has (webhook samples have no request)."""
    if rule_id in MESSAGE_RULES:
        return MESSAGE_RULES[rule_id](sample.message, sample.memo, sample.request, context)
    return MEMO_RULES[rule_id](sample.memo, sample.request, sample.message, context)


def expect_rule(conformance: Conformance, explanations: ExplanationSamples, rule_id: str) -> None:
    """Fail with the first failing sample's findings (its exchanges and explanation become the evidence);
    failing that, with the first valid request that yielded no explanation to check."""
    samples = explanations.samples
    context = conformance.run.config.compliance_context()
    failing = [(sample, found) for sample in samples if (found := findings_for(rule_id, sample, context))]
    if failing:
        sample, found = failing[0]
        conformance.client.exchanges.extend(sample.exchanges)
        conformance.read_explanation(sample.explanation_id)
        shown = "; ".join(_finding_text(item) for item in found[:SHOWN_FINDINGS])
        more = f" (+{len(found) - SHOWN_FINDINGS} more)" if len(found) > SHOWN_FINDINGS else ""
        raise AssertionError(f"{rule_id} not met by the explanation for sample '{sample.label}' "
                             f"({sample.explanation_id}): {shown}{more}; {len(failing)} of {len(samples)} samples fail")
    if explanations.problems:
        problem = explanations.problems[0]
        conformance.client.exchanges.extend(problem.exchanges)
        raise AssertionError(f"{rule_id} could not be checked on every kind of decision: {problem.message}")


def _finding_text(finding: Finding) -> str:
    excerpt = " ".join((finding.excerpt or "").split())
    if len(excerpt) > MAX_EXCERPT:
        excerpt = excerpt[:MAX_EXCERPT] + "..."
    return f"{finding.message} [{finding.field}: '{excerpt}']" if excerpt else finding.message


@requirement("MSG-001")
def test_messages_say_an_automated_employment_decision_tool_was_used(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-001")


@requirement("MSG-002")
def test_messages_name_the_qualifications_assessed(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-002")


@requirement("MSG-003")
def test_messages_say_how_to_request_an_alternative_process_or_accommodation(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-003")


@requirement("MSG-004")
def test_messages_state_the_data_collected_its_source_and_retention(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-004")


@requirement("MSG-005")
def test_messages_link_to_the_bias_audit_summary(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-005")


@requirement("MSG-006")
def test_messages_contain_no_scores_weights_or_factor_numbers(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-006")


@requirement("MSG-007")
def test_messages_name_no_protected_characteristic_as_a_reason(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-007")


@requirement("MSG-008")
def test_messages_contain_no_candidate_id_key_hash_or_internal_id(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-008")


@requirement("MSG-009")
def test_messages_contain_no_template_residue(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-009")


@requirement("MSG-010")
def test_subjects_are_short_and_name_the_position_or_employer(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-010")


@requirement("MSG-011")
def test_rejections_state_the_outcome_the_reasons_and_how_to_request_review(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-011")


@requirement("MSG-012")
def test_messages_are_plain_language_addressed_to_the_candidate(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-012")


@requirement("MSG-013")
def test_messages_make_no_unsupported_claims(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MSG-013")


@requirement("MEMO-001")
def test_memos_list_every_decision_factor_as_sent(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-001")


@requirement("MEMO-002")
def test_memos_record_the_tool_the_decision_the_ids_and_the_source(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-002")


@requirement("MEMO-003")
def test_memos_record_notice_and_bias_audit_with_the_right_flags(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-003")


@requirement("MEMO-004")
def test_memos_hash_the_exact_candidate_message(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-004")


@requirement("MEMO-005")
def test_memos_flag_protected_factors_and_keep_them_out_of_the_message(
        conformance: Conformance, explanation_samples: ExplanationSamples) -> None:
    expect_rule(conformance, explanation_samples, "MEMO-005")
