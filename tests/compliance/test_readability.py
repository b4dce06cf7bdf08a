"""The pinned readability procedure gives the same, sensible numbers every time."""

from __future__ import annotations

import pytest

from nyc_hiring.harness.compliance import readability


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("employment", 3),
        ("decision", 3),
        ("automated", 4),
        ("qualifications", 5),
        ("accommodation", 5),
        ("simple", 2),
        ("you", 1),
        ("reviewed", 2),
        ("make", 1),
        ("table", 2),
        ("whole", 1),
        ("free", 1),
        ("years", 1),
        ("played", 1),
        ("wanted", 2),
        ("studies", 2),
        ("boxes", 2),
        ("types", 1),
        ("bias", 2),
        ("social", 2),
        ("any", 2),
        ("why", 1),
        ("reasonable", 4),
        ("characteristics", 5),
        ("you're", 1),
        ("e-mail", 2),
        ("2026", 1),
        ("a", 1),
    ],
)
def test_syllables_of_known_words(word: str, count: int) -> None:
    assert readability.syllables(word) == count


def test_syllables_ignore_case_and_punctuation() -> None:
    assert readability.syllables("Decision,") == readability.syllables("decision") == 3


def test_sentences_end_at_terminal_punctuation_blank_lines_and_lead_in_colons() -> None:
    text = "You applied. Did you? Yes!\n\nA new paragraph\n\nThe list:\n- item one\n- item two\nAfter it."
    assert readability.sentences(text) == [
        "You applied.",
        "Did you?",
        "Yes!",
        "A new paragraph",
        "The list:",
        "After it.",
    ]


def test_periods_inside_numbers_and_domains_do_not_end_sentences() -> None:
    assert readability.sentences("It is 2.5 times larger at example.com today. Next.") == [
        "It is 2.5 times larger at example.com today.",
        "Next.",
    ]


def test_words_skip_urls_emails_and_list_items() -> None:
    text = "Email hr@example.com or see https://example.com/a-b.\n- skipped item\n1. skipped\nYou're well-known."
    assert readability.words(text) == ["Email", "or", "see", "You're", "well-known"]


def test_flesch_formulas_on_a_hand_counted_text() -> None:
    # Hand count: "The cat sat." is 3 words, 3 syllables; "You can ask for help today." is 6 words,
    # 7 syllables (to-day).
    text = "The cat sat. You can ask for help today."
    stats = readability.stats(text)
    assert (stats.sentences, stats.words, stats.syllables) == (2, 9, 10)
    assert stats.sentence_lengths == (3, 6)
    expected_grade = 0.39 * (9 / 2) + 11.8 * (10 / 9) - 15.59
    expected_ease = 206.835 - 1.015 * (9 / 2) - 84.6 * (10 / 9)
    assert readability.flesch_kincaid_grade(text) == pytest.approx(expected_grade)
    assert readability.flesch_reading_ease(text) == pytest.approx(expected_ease)


def test_empty_text_scores_as_trivially_readable() -> None:
    stats = readability.stats("   \n- only a list item\n")
    assert (stats.sentences, stats.words, stats.flesch_kincaid_grade, stats.flesch_reading_ease) == (
        0,
        0,
        0.0,
        100.0,
    )


def test_plain_text_grades_lower_than_dense_text() -> None:
    plain = "You can ask us to look again. We will reply in two weeks."
    dense = (
        "Applicants may request reconsideration of determinations through the designated administrative "
        "mechanism established for institutional review."
    )
    assert readability.flesch_kincaid_grade(plain) < 4 < 10 < readability.flesch_kincaid_grade(dense)
    assert readability.flesch_reading_ease(plain) > 80 > readability.flesch_reading_ease(dense)


def test_longest_sentence_and_average_are_reported() -> None:
    text = "One two three. " + " ".join(["word"] * 9) + "."
    stats = readability.stats(text)
    assert stats.longest_sentence == 9
    assert stats.words_per_sentence == pytest.approx(6.0)
