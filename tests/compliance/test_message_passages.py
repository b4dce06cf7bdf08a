"""Finding the employer, the position and the passages the message rules judge."""

from __future__ import annotations

from nyc_hiring.harness.compliance import names, passages
from nyc_hiring.harness.compliance import text as textmod
from nyc_hiring.harness.compliance import vocabulary as vocab


def test_subject_phrases_are_capitalised_runs_without_decoration() -> None:
    phrases = names.subject_phrases("Your Bank of Acme application: Next Steps")
    assert phrases[0] == "Your Bank of Acme"
    assert "Bank of Acme" in phrases
    assert "Your" not in phrases
    assert "Next Steps" not in phrases


def test_employer_is_what_the_body_presents_as_the_employer() -> None:
    body = "Thank you for applying for the Analyst role at Acme Corp.\n\nThe Acme Corp Talent Team"
    assert names.employers_in_message("Your Acme Corp application", body)[0] == "Acme Corp"
    assert names.employers_in_message("An update from Jane", "Best,\nJane") == []


def test_employer_in_a_personal_sign_off() -> None:
    body = "We would like to talk.\n\nBest,\nJane Doe\nRecruiter, Finch Labs"
    assert names.employers_in_message("Finch Labs: next steps", body) == ["Finch Labs"]


def test_position_is_what_the_body_presents_as_the_position() -> None:
    body = "Thanks for applying for the Line Cook job."
    assert names.positions_in_message("Line Cook: an update", body) == ["Line Cook"]


def test_title_forms_drop_only_the_grading_words() -> None:
    assert names.title_forms("Senior Data Analyst II") == ["Senior Data Analyst II", "Data Analyst"]
    assert names.title_forms("Level 3 Technician") == ["Level 3 Technician", "Technician"]
    assert names.title_forms("Barista") == ["Barista"]


def test_numbered_list_markers_do_not_end_sentences() -> None:
    text = "The main reasons were:\n1. Your SQL test.\n2. Your experience."
    sentences = [text[s:e] for s, e in textmod.sentence_spans(text)]
    assert sentences == ["The main reasons were:", "1. Your SQL test.", "2. Your experience."]


def test_postal_code_of_an_address_is_masked_and_a_bare_one_is_not() -> None:
    assert "11201" not in textmod.mask_addresses("Write to 350 Jay Street, Brooklyn, NY 11201.")
    assert "11201" in textmod.mask_addresses("Applicants from 11201 were reviewed.")


def test_reason_region_follows_lead_ins_and_back_references() -> None:
    text = "Here is why. You have little SQL practice. Thanks. You applied late. That was the main reason."
    spans = textmod.sentence_spans(text)
    region = passages.cue_region(text, spans, vocab.REASON_CUE_RE)
    assert passages.region_text(text, spans, region) == (
        "Here is why. You have little SQL practice. You applied late. That was the main reason."
    )


def test_a_contact_for_another_request_does_not_count() -> None:
    text = "If you need an accommodation, let us know. To ask for a review, email review@example.com."
    spans = textmod.sentence_spans(text)
    assert not passages.contact_near(text, spans, 0, vocab.REVIEW_WORDS_RE)
    text = "If you need an accommodation, let us know. Email access@example.com."
    assert passages.contact_near(text, textmod.sentence_spans(text), 0, vocab.REVIEW_WORDS_RE)
