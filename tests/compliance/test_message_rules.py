"""The message rules find what the contract forbids and leave compliant wording alone."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from nyc_hiring.harness.catalog import load_catalog
from nyc_hiring.harness.compliance import (
    MESSAGE_RULES,
    CheckContext,
    Finding,
    check_explanation,
    check_message,
    requirements_checked,
)
from nyc_hiring.harness.compliance import text as textmod

from .builders import factor, make_request

EMPLOYER = CheckContext(employer_name="Example Corp")

GOOD_SUBJECT = "Your application for Data Analyst at Example Corp"
GOOD_BODY = """Thank you for applying for the Data Analyst role at Example Corp. \
We are not moving forward with your application at this time.

We used an automated employment decision tool (AEDT) to help review your application. \
A person at Example Corp made the final decision.

The tool looked at these job qualifications and characteristics:
- your years of relevant work experience
- your technical skills

The main reasons for this decision were your years of relevant work experience and your technical skills.

You can ask a person to review this decision. Email hiring-review@example.com and we will reply.

You can ask for a different selection process or a reasonable accommodation. \
Email accommodations@example.com or call 212-555-0100.

We collect the data in your application and your assessment answers. We get this data from you. \
We keep it for four years. Read our data policy at https://careers.example.com/data-policy.

Our latest bias audit was on June 1, 2026. Read the summary at https://careers.example.com/bias-audit."""


def make_message(body: str = GOOD_BODY, subject: str = GOOD_SUBJECT) -> dict[str, str]:
    return {"subject": subject, "body": body, "locale": "en-US"}


def with_sentence(sentence: str) -> dict[str, str]:
    """The good message with one more paragraph, so only the added text can be at fault."""
    return make_message(GOOD_BODY + "\n\n" + sentence)


def run(rule: str, message: dict[str, str], request: dict[str, Any] | None = None, memo: Any = None) -> list[Finding]:
    return MESSAGE_RULES[rule](message, memo, make_request() if request is None else request, EMPLOYER)


def excerpts(findings: list[Finding]) -> list[str | None]:
    return [f.excerpt for f in findings]


# --- the compliant example and the API ------------------------------------------------------------


def test_compliant_example_has_no_findings() -> None:
    assert check_message(make_message(), None, make_request(), EMPLOYER) == []


def test_compliant_example_passes_without_request_using_memo_factors() -> None:
    memo = {
        "decision": "reject",
        "decisionFactors": make_request()["decisionFactors"],
        "jobTitle": "Data Analyst",
    }
    assert check_message(make_message(), memo, None, EMPLOYER) == []


def test_every_message_requirement_has_a_rule() -> None:
    expected = {f"MSG-{n:03d}" for n in range(1, 14)} | {f"MEMO-{n:03d}" for n in range(1, 6)}
    assert requirements_checked() == expected
    assert set(MESSAGE_RULES) == {f"MSG-{n:03d}" for n in range(1, 14)}


def test_findings_carry_the_contract_level() -> None:
    findings = check_message(make_message("The candidate was {{status}}."), None, make_request(), EMPLOYER)
    levels = {(f.requirement, f.level) for f in findings}
    assert {("MSG-009", "MUST"), ("MSG-001", "MUST"), ("MSG-012", "SHOULD"), ("MSG-005", "SHOULD")} <= levels
    assert all(level == load_catalog()[requirement].level for requirement, level in levels)


def test_findings_name_a_clause_of_their_requirement() -> None:
    findings = check_message(make_message("The candidate was {{status}}."), None, make_request(), EMPLOYER)
    assert findings
    for item in findings:
        assert item.clause in {clause.id for clause in load_catalog()[item.requirement].clauses}


def test_findings_serialise_for_reports() -> None:
    finding = run("MSG-009", with_sentence("Hello None."))[0]
    assert finding.as_dict() == {
        "requirement": "MSG-009",
        "clause": "residue",
        "level": "MUST",
        "message": "body contains template residue 'None'",
        "field": "body",
        "span": [len(GOOD_BODY) + 8, len(GOOD_BODY) + 12],
        "excerpt": "None",
    }


def test_library_does_not_import_the_reference_server() -> None:
    code = "import sys, nyc_hiring.harness.compliance; print('nyc_hiring.reference_server' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_malformed_message_is_reported_not_raised() -> None:
    findings = check_message({"subject": None, "body": 42}, None, None)
    assert {"MSG-001", "MSG-003", "MSG-010"} <= {f.requirement for f in findings}


def test_check_explanation_runs_message_and_memo_rules() -> None:
    findings = check_explanation(make_message(), {}, make_request(), EMPLOYER)
    requirements = {f.requirement for f in findings}
    assert "MEMO-002" in requirements
    assert not any(r.startswith("MSG-") for r in requirements)


# --- masking ----------------------------------------------------------------------------------------


def test_masking_keeps_offsets_and_hides_dates_urls_emails_phones() -> None:
    text = "On January 5, 2026 call (212) 555-0100, mail a.b@example.com or see https://x.com/45."
    masked = textmod.mask(text)
    assert len(masked) == len(text)
    assert not any(ch.isdigit() for ch in masked)
    assert "@" not in masked
    assert masked.endswith(".")


def test_masking_recognises_the_date_formats() -> None:
    for date_text in ("2026-01-05", "January 5, 2026", "5 January 2026", "01/05/2026", "Jan. 5, 2026"):
        assert set(textmod.mask(f"on {date_text}.")[3:-1]) == {textmod.MASK_CHAR}, date_text


# --- MSG-001 ------------------------------------------------------------------------------------------


def test_msg_001_missing_phrase_is_reported() -> None:
    body = GOOD_BODY.replace("an automated employment decision tool (AEDT)", "a tool")
    assert len(run("MSG-001", make_message(body))) == 1


def test_msg_001_acronym_before_phrase_is_reported() -> None:
    body = "We used an AEDT.\n\n" + GOOD_BODY
    findings = run("MSG-001", make_message(body))
    assert excerpts(findings) == ["AEDT"]
    assert findings[0].span == (11, 15)


def test_msg_001_plural_and_case_are_accepted() -> None:
    body = "Automated Employment Decision Tools (AEDTs) helped us."
    assert run("MSG-001", make_message(body)) == []


# --- MSG-002 ------------------------------------------------------------------------------------------


def test_msg_002_unnamed_factor_is_reported() -> None:
    body = GOOD_BODY.replace("your technical skills", "your answers")
    findings = run("MSG-002", make_message(body))
    assert len(findings) == 1
    assert "technical_score" in findings[0].message


def test_msg_002_synonyms_and_stems_trace_abbreviated_factors() -> None:
    request = make_request(
        decisionFactors=[
            factor("yoe", 3, 0.2),
            factor("comm_skills_v2", "good", 0.2),
            factor("cert_count", 2, 0.2),
            factor("mgmt_exp", 4, 0.2),
        ]
    )
    body = GOOD_BODY + "\n\nWe also looked at how you communicate, your certifications and managing teams."
    # GOOD_BODY also says it assessed "technical skills", which none of these factors is about: that
    # is the traceable clause's business; this test is about naming.
    assert [f for f in run("MSG-002", make_message(body), request) if f.clause == "named"] == []


def test_msg_002_protected_and_generic_only_factors_are_not_required() -> None:
    request = make_request(decisionFactors=[factor("age", 30, 0.1), factor("score_v2", 1.5, 0.1)])
    assert run("MSG-002", make_message("We used a tool."), request) == []


def test_msg_002_no_factors_passes() -> None:
    assert run("MSG-002", make_message("We used a tool."), make_request(decisionFactors=[])) == []


def test_msg_002_factor_in_code_form_is_reported() -> None:
    findings = run("MSG-002", with_sentence("We looked at your technical_score."))
    assert excerpts(findings) == ["technical_score"]


def test_msg_002_words_inside_an_email_do_not_count() -> None:
    request = make_request(decisionFactors=[factor("leadership", "strong", 0.5)])
    findings = run("MSG-002", make_message("Write to leadership@example.com."), request)
    assert len(findings) == 1


# --- MSG-003 ------------------------------------------------------------------------------------------


def test_msg_003_missing_instruction_is_reported() -> None:
    body = GOOD_BODY.replace("You can ask for a different selection process or a reasonable accommodation. ", "")
    assert len(run("MSG-003", make_message(body))) == 1


def test_msg_003_contact_address_alone_is_not_an_instruction() -> None:
    assert len(run("MSG-003", make_message("Email accommodations@example.com."))) == 1


def test_msg_003_instruction_without_contact_is_reported() -> None:
    findings = run("MSG-003", make_message("You can ask for a reasonable accommodation."))
    assert len(findings) == 1
    assert "no email" in findings[0].message


@pytest.mark.parametrize(
    "contact", ["call 212-555-0100", "visit https://example.com/accommodations", "email help@example.com"]
)
def test_msg_003_each_contact_kind_is_accepted(contact: str) -> None:
    body = f"You can ask for an alternative selection process: {contact}."
    assert run("MSG-003", make_message(body)) == []


# --- MSG-004 ------------------------------------------------------------------------------------------


def test_msg_004_missing_data_policy_is_reported() -> None:
    findings = run("MSG-004", make_message("We keep your details private."))
    assert [f.clause for f in findings] == ["data-types", "data-source", "retention"]


def test_msg_004_missing_retention_is_named() -> None:
    findings = run("MSG-004", make_message("We collect the data in your resume. We get this data from you."))
    assert "retention" in findings[0].message
    assert "source" not in findings[0].message


def test_msg_004_link_in_a_privacy_sentence_is_enough() -> None:
    body = "Read how we handle your personal information at https://example.com/privacy."
    assert run("MSG-004", make_message(body)) == []


def test_msg_004_unrelated_link_is_not_enough() -> None:
    assert len(run("MSG-004", make_message("See our jobs at https://example.com/jobs."))) == 3


def test_msg_004_job_title_is_not_a_data_statement() -> None:
    body = "Thank you for applying for the Data Analyst role. See https://example.com/jobs."
    assert len(run("MSG-004", make_message(body))) == 3


# --- MSG-005 ------------------------------------------------------------------------------------------


def test_msg_005_missing_audit_link_is_a_should() -> None:
    body = GOOD_BODY.replace(" Read the summary at https://careers.example.com/bias-audit.", "")
    findings = run("MSG-005", make_message(body))
    assert [(f.requirement, f.level) for f in findings] == [("MSG-005", "SHOULD")]


def test_msg_005_audit_link_may_follow_the_audit_sentence() -> None:
    body = "An independent auditor checked this tool for bias. Read a summary at https://example.com/audit."
    assert run("MSG-005", make_message(body)) == []


def test_msg_005_link_far_from_any_audit_mention_is_reported() -> None:
    body = "An auditor checked the tool. We are hiring. See https://example.com/jobs."
    assert len(run("MSG-005", make_message(body))) == 1


def test_msg_005_memo_audit_url_must_appear() -> None:
    memo = {"biasAudit": {"date": "2026-06-01", "summaryUrl": "https://audits.example.org/2026"}}
    findings = run("MSG-005", make_message(), memo=memo)
    assert len(findings) == 1
    assert "https://audits.example.org/2026" in findings[0].message


def test_msg_005_memo_audit_url_present_passes() -> None:
    memo = {"biasAudit": {"date": "2026-06-01", "summaryUrl": "https://careers.example.com/bias-audit/"}}
    assert run("MSG-005", make_message(), memo=memo) == []


# --- MSG-006 ------------------------------------------------------------------------------------------


def test_msg_006_percentage_is_reported() -> None:
    findings = run("MSG-006", with_sentence("You were in the top 15% of applicants."))
    assert "%" in excerpts(findings)


def test_msg_006_percent_word_is_reported() -> None:
    assert run("MSG-006", with_sentence("Only a small percentage of people pass."))


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("You scored 61 on the test.", "61"),
        ("Your result was 61/100.", "61/100"),
        ("You got 7 out of 12.", "out of 12"),
        ("You were in the 12th percentile.", "12"),
        ("The threshold was 70.", "70"),
    ],
)
def test_msg_006_score_figures_are_reported(sentence: str, figure: str) -> None:
    assert figure in excerpts(run("MSG-006", with_sentence(sentence)))


def test_msg_006_model_internals_are_reported() -> None:
    findings = run("MSG-006", with_sentence("The SHAP values and feature vector set the weights."))
    assert {"SHAP", "feature vector", "weights"} <= set(excerpts(findings))


@pytest.mark.parametrize("written", ["0.3", ".3", "30", "30.0"])
def test_msg_006_weight_as_written_or_as_percentage_is_reported(written: str) -> None:
    findings = run("MSG-006", with_sentence(f"Experience counted for {written} of the result."))
    assert written in excerpts(findings)


def test_msg_006_factor_value_is_compared_numerically() -> None:
    findings = run("MSG-006", with_sentence("You have 2.0 years of it."))
    assert "2.0" in excerpts(findings)


def test_msg_006_year_in_a_date_is_not_a_score() -> None:
    request = make_request(decisionFactors=[factor("years_experience", 2026, 0.5), factor("technical_score", 5, 0.4)])
    body = GOOD_BODY + "\n\nWe sent the notice on January 5, 2026 and again on 5 January 2026 (2026-01-05)."
    assert run("MSG-006", make_message(body), request) == []


def test_msg_006_phone_and_url_digits_are_not_factor_values() -> None:
    request = make_request(decisionFactors=[factor("technical_score", 555, 0.45)])
    body = GOOD_BODY + "\n\nCall 212-555-0100 or see https://example.com/45/555."
    assert run("MSG-006", make_message(body), request) == []


def test_msg_006_booleans_are_not_numbers() -> None:
    request = make_request(decisionFactors=[factor("portfolio_submitted", True, 0.5)])
    body = GOOD_BODY.replace("four years", "1 year") + "\n\nWe looked at your portfolio."
    assert run("MSG-006", make_message(body), request) == []


def test_msg_006_number_in_subject_is_reported() -> None:
    message = make_message(subject="Data Analyst at Example Corp: score 45")
    findings = run("MSG-006", message)
    assert {f.field for f in findings} == {"subject"}


def test_msg_006_numbers_in_the_job_title_are_not_scores() -> None:
    request = make_request(jobTitle="Data Analyst 2")
    message = make_message(GOOD_BODY.replace("Data Analyst", "Data Analyst 2"), "Data Analyst 2 at Example Corp")
    assert run("MSG-006", message, request) == []


def test_msg_006_the_tools_own_name_is_not_a_disclosure() -> None:
    """A tool may be called anything; naming it ("WEIGHTINGS", "Score Engine 3") discloses nothing of it."""
    for tool in ("WEIGHTINGS", "Score Engine 3"):
        body = GOOD_BODY.replace("(AEDT)", f"(AEDT), {tool},")
        assert run("MSG-006", make_message(body), make_request(aedtName=tool)) == []
        assert run("MSG-006", make_message(body), make_request(aedtName="Other")) != []


@pytest.mark.parametrize("identifier", ["candidate-04ae54fc-7874", "ref 0a1b", "case-7-0000", "v3.0x"])
def test_msg_006_digits_inside_an_identifier_are_not_factor_numbers(identifier: str) -> None:
    """Run-unique IDs are random; a digit run inside one must never read as a weight of 0 or 7874."""
    request = make_request(decisionFactors=[factor("sql_proficiency", 7874, 0.0), factor("x_score", 7, 0.0)])
    body = GOOD_BODY + f"\n\nYour reference is {identifier}."
    assert run("MSG-006", make_message(body), request) == []


def test_msg_006_a_weight_at_a_sentence_end_is_still_reported() -> None:
    findings = run("MSG-006", with_sentence("Experience counted for 0.3."))
    assert "0.3" in excerpts(findings)


def test_msg_006_unrelated_numbers_and_list_markers_pass() -> None:
    body = GOOD_BODY + "\n\nNext steps:\n1. Read this letter.\n2. Reply within 14 days."
    assert run("MSG-006", make_message(body)) == []


# --- MSG-007 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["age", "gender", "national origin", "race", "zip code", "marital status"])
def test_msg_007_protected_characteristic_is_reported(term: str) -> None:
    findings = run("MSG-007", with_sentence(f"Your {term} was considered."))
    assert [e.lower() for e in excerpts(findings)] == [term]


def test_msg_007_near_misses_are_not_reported() -> None:
    sentence = (
        "The manager will engage with you on this page. The average stage of a message package "
        "took place. The sexton raced to embrace the colorful Essex team."
    )
    assert run("MSG-007", with_sentence(sentence)) == []


def test_msg_007_zip_like_number_is_reported() -> None:
    findings = run("MSG-007", with_sentence("Applicants from 10027 and 10027-1234 were reviewed."))
    assert excerpts(findings) == ["10027", "10027-1234"]


def test_msg_007_year_in_date_and_phone_are_not_zip_codes() -> None:
    sentence = "Write by January 5, 2026 or call +1 212 555 0100 or 1-800-555-0199."
    assert run("MSG-007", with_sentence(sentence)) == []


def test_msg_007_disability_next_to_accommodation_is_a_right_not_a_reason() -> None:
    ok = "If you have a disability, you can ask for a reasonable accommodation."
    assert run("MSG-007", with_sentence(ok)) == []
    bad = "Your disability was a factor."
    assert excerpts(run("MSG-007", with_sentence(bad))) == ["disability"]


# --- MSG-008 ------------------------------------------------------------------------------------------


def test_msg_008_raw_candidate_id_is_reported_case_insensitively() -> None:
    findings = run("MSG-008", with_sentence("Your reference is c-12345."))
    assert excerpts(findings) == ["c-12345"]


def test_msg_008_short_or_alphabetic_ids_match_whole_words_only() -> None:
    assert run("MSG-008", make_message(), make_request(candidateIdRaw="test")) == []
    assert run("MSG-008", make_message(), make_request(candidateIdRaw="42")) == []
    findings = run("MSG-008", with_sentence("Candidate 42 was reviewed."), make_request(candidateIdRaw="42"))
    assert excerpts(findings) == ["42"]


def test_msg_008_memo_ids_keys_and_hashes_are_reported() -> None:
    memo = {
        "decisionEventId": "de_" + "a" * 26,
        "explanationId": "ex_" + "b" * 26,
        "candidateIdHash": "f" * 64,
    }
    sentence = (
        "Refs: de_aaaaaaaaaaaaaaaaaaaaaaaaaa, ex_bbbbbbbbbbbbbbbbbbbbbbbbbb, "
        + "f" * 64
        + ", haiec_test_Zx9, whsec_abc."
    )
    findings = run("MSG-008", with_sentence(sentence), memo=memo)
    assert len(findings) == 5
    assert "haiec_test_Zx9" in excerpts(findings)


def test_msg_008_id_in_subject_is_reported() -> None:
    findings = run("MSG-008", make_message(subject="Data Analyst (C-12345)"))
    assert [f.field for f in findings] == ["subject"]


# --- MSG-009 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "residue", ["{{first_name}}", "${jobTitle}", "None", "null", "undefined", "NaN", "[object Object]"]
)
def test_msg_009_template_residue_is_reported(residue: str) -> None:
    assert run("MSG-009", with_sentence(f"Dear {residue}, thank you."))


def test_msg_009_lowercase_none_is_fine() -> None:
    assert run("MSG-009", with_sentence("There are none left, and nothing is nullified.")) == []


def test_msg_009_none_of_is_english_not_residue() -> None:
    assert run("MSG-009", with_sentence("None of your answers are shared.")) == []
    assert excerpts(run("MSG-009", with_sentence("Your score was None. None"))) == ["None", "None"]


def test_msg_009_none_in_subject_is_reported() -> None:
    findings = run("MSG-009", make_message(subject="Your application for None"))
    assert [(f.field, f.excerpt) for f in findings] == [("subject", "None")]


# --- MSG-010 ------------------------------------------------------------------------------------------


def test_msg_010_empty_subject_is_reported() -> None:
    assert len(run("MSG-010", make_message(subject="   "))) == 1


def test_msg_010_long_subject_is_reported() -> None:
    subject = "Your application for Data Analyst " + "x" * 100
    findings = run("MSG-010", make_message(subject=subject))
    assert findings[0].span == (120, len(subject))


def test_msg_010_subject_must_name_position_or_employer() -> None:
    assert len(run("MSG-010", make_message(subject="An update for you"))) == 1
    assert run("MSG-010", make_message(subject="Update on your data analyst application")) == []
    request = make_request(jobTitle=None)
    assert run("MSG-010", make_message(subject="News from Example Corp"), request) == []


def test_msg_010_generic_subject_accepted_when_nothing_is_known() -> None:
    rule = MESSAGE_RULES["MSG-010"]
    assert rule(make_message(subject="An update on your application"), None, None, CheckContext()) == []
    assert len(rule(make_message(subject="An update"), None, None, CheckContext())) == 1


def test_msg_010_employer_from_memo() -> None:
    rule = MESSAGE_RULES["MSG-010"]
    memo = {"employer": {"name": "Acme"}}
    assert rule(make_message(subject="Your Acme application"), memo, None, CheckContext()) == []


# --- MSG-011 ------------------------------------------------------------------------------------------


def test_msg_011_missing_outcome_is_reported() -> None:
    body = GOOD_BODY.replace("We are not moving forward with your application at this time.", "")
    findings = run("MSG-011", make_message(body))
    assert len(findings) == 1
    assert "moving forward" in findings[0].message


def test_msg_011_missing_reason_is_reported() -> None:
    reasons = GOOD_BODY.split("\n\n")[3]
    assert reasons.startswith("The main reasons")
    body = GOOD_BODY.replace(reasons, "")
    body = body.replace("- your years of relevant work experience\n- your technical skills", "- your answers")
    findings = run("MSG-011", make_message(body))
    assert any("principal reasons" in f.message for f in findings)


def test_msg_011_missing_human_review_is_reported() -> None:
    body = GOOD_BODY.replace("You can ask a person to review this decision. Email hiring-review@example.com and ", "")
    findings = run("MSG-011", make_message(body))
    assert any("human review" in f.message for f in findings)


def test_msg_011_tool_reviewing_is_not_a_review_instruction() -> None:
    body = "We decided not to proceed. Your technical skills were the reason. A tool helped review it."
    findings = run("MSG-011", make_message(body))
    assert [f.message for f in findings] == ["body does not say how to request a human review or reconsideration"]


def test_msg_011_applies_only_to_rejections() -> None:
    assert run("MSG-011", make_message("Welcome aboard!"), make_request(decision="advance")) == []


def test_msg_011_appeal_wording_passes() -> None:
    body = "You were not selected. Your technical skills were the reason. To appeal, write to hr@example.com."
    assert run("MSG-011", make_message(body)) == []


# --- MSG-012 ------------------------------------------------------------------------------------------


def test_msg_012_hard_text_is_a_should_above_the_hard_limit() -> None:
    body = "Your multidimensional organizational characteristics necessitated comprehensive reconsideration."
    findings = run("MSG-012", make_message(body))
    assert findings and {f.level for f in findings} == {"SHOULD"}
    assert "above the hard limit of 10" in findings[0].message


def test_msg_012_long_sentence_is_reported_with_its_span() -> None:
    sentence = "You " + " ".join(["can"] * 39) + "."
    findings = run("MSG-012", with_sentence(sentence))
    long = [f for f in findings if "sentence of" in f.message]
    assert [f.excerpt for f in long] == [sentence]


def test_msg_012_reader_not_addressed_is_reported() -> None:
    findings = run("MSG-012", make_message("The candidate was reviewed. The team made a choice."))
    assert any('"you"' in f.message for f in findings)


# --- MSG-013 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim",
    [
        "bias-free",
        "free of bias",
        "unbiased",
        "guaranteed fair",
        "approved by NYC",
        "NYC-approved",
        "100% fair",
    ],
)
def test_msg_013_unsupported_claim_is_reported(claim: str) -> None:
    findings = run("MSG-013", with_sentence(f"Our tool is {claim}."))
    assert [(f.level, f.excerpt) for f in findings] == [("SHOULD", claim)]


def test_msg_013_factual_audit_statement_passes() -> None:
    assert run("MSG-013", with_sentence("An independent auditor checked the tool for bias.")) == []
