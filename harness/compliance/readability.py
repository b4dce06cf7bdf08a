"""Readability measures for MSG-012, computed by a pinned, deterministic procedure.

No AI-notice law sets a number (docs/sources.md#plain-language); the grade-8 target is suite policy.
Results must be reproducible across machines and releases, so syllables come from a small
heuristic written here rather than a dictionary or a third-party hyphenation library.

Counting rules (after the Ohio R.C. 3902.04 procedure, docs/sources.md#plain-language, where it is deterministic):

* URLs, email addresses and list-item lines (lines starting with "-", "*", "•", "1." or
  "1)") are ignored.
* A sentence ends at ".", "!" or "?" followed by whitespace or the end of the text, at a
  blank line, and at a colon that ends a line (a lead-in to a list). Ohio also ends
  sentences at semicolons and mid-line colons; this suite does not, which errs towards
  longer sentences and so towards stricter results.
* A word is a run of letters or digits; contractions ("you're") and hyphenated words
  ("e-mail", "212-555-0100") count as one word.
* A number counts as one syllable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nyc_hiring.harness.compliance import text as textmod

_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")
# "ia" is two syllables except after c, g, s, t ("bias", "media" but "social", "Asian").
_IA_HIATUS_RE = re.compile(r"(?<![cgst])ia")
_ES_KEEPS_SYLLABLE = ("ces", "ges", "ses", "xes", "zes", "ches", "shes")


@dataclass(frozen=True)
class ReadabilityStats:
    """Counts and scores for one text, as MSG-012 reports them."""

    sentences: int
    words: int
    syllables: int
    words_per_sentence: float
    longest_sentence: int
    sentence_lengths: tuple[int, ...]
    flesch_kincaid_grade: float
    flesch_reading_ease: float


def syllables(word: str) -> int:
    """Heuristic syllable count of one word (minimum 1 for any word with a letter or digit).

    Procedure: lowercase and keep letters; a word with digits and no letters is 1. Count
    groups of vowels (a, e, i, o, u, and y except at the start of the word). Add one for an
    "ia" not after c, g, s or t. Subtract one for a silent final "e" (a consonant before it,
    and not a consonant + "le" ending such as "simple"). Subtract one for a final "-es" or
    "-ed" after a consonant (y counts as one here), except "-ted"/"-ded" and "-es" after a
    sibilant or in a consonant + "-les". Hyphenated words are the sum of their parts.
    """
    parts = [p for p in re.split(r"[-\s]+", word) if p]
    if len(parts) > 1:
        return sum(syllables(p) for p in parts)
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return 1 if re.search(r"\d", word) else 0
    count = _vowel_groups(letters) + len(_IA_HIATUS_RE.findall(letters))
    count -= _silent_ending(letters)
    return max(count, 1)


def _vowel_groups(letters: str) -> int:
    body = letters[1:] if letters.startswith("y") else letters
    return len(_VOWEL_GROUP_RE.findall(body))


def _is_consonant(char: str) -> bool:
    return char.isalpha() and char not in "aeiou"


def _silent_ending(letters: str) -> int:
    """1 when the word ends in a silent e, -es or -ed, else 0."""
    if len(letters) < 3:
        return 0
    if letters.endswith("e"):
        before = letters[-2]
        if before == "l" and _is_consonant(letters[-3]):
            return 0
        return 1 if _is_consonant(before) else 0
    if letters.endswith("ed"):
        before = letters[-3]
        return 1 if _is_consonant(before) and before not in "td" else 0
    if letters.endswith("es"):
        if letters.endswith(_ES_KEEPS_SYLLABLE):
            return 0
        if letters.endswith("les") and len(letters) > 3 and _is_consonant(letters[-4]):
            return 0
        return 1 if _is_consonant(letters[-3]) else 0
    return 0


def _prepared(text: str) -> str:
    """The text with URLs, emails and list-item lines blanked (same length, same offsets)."""
    blanked = textmod.LIST_ITEM_RE.sub(lambda m: " " * len(m.group(0)), text)
    spans = textmod.special_spans(blanked, (textmod.URL, textmod.EMAIL))
    chars = list(blanked)
    for span in spans:
        chars[span.start : span.end] = " " * (span.end - span.start)
    return "".join(chars)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Offsets (in the original text) of the sentences that count, each with at least one word."""
    prepared = _prepared(text)
    return [(s, e) for s, e in textmod.sentence_spans(prepared) if _WORD_RE.search(prepared[s:e])]


def sentences(text: str) -> list[str]:
    """The sentences that count, as they read once URLs and emails are dropped."""
    prepared = _prepared(text)
    return [" ".join(prepared[s:e].split()) for s, e in sentence_spans(text)]


def words(text: str) -> list[str]:
    """The words that count (URLs, emails and list items excluded)."""
    return _WORD_RE.findall(_prepared(text))


def stats(text: str) -> ReadabilityStats:
    """All counts and both Flesch scores; an empty text scores grade 0 and ease 100."""
    prepared = _prepared(text)
    lengths = tuple(len(_WORD_RE.findall(prepared[s:e])) for s, e in sentence_spans(text))
    all_words = [w for s, e in sentence_spans(text) for w in _WORD_RE.findall(prepared[s:e])]
    syllable_total = sum(syllables(w) for w in all_words)
    if not all_words:
        return ReadabilityStats(0, 0, 0, 0.0, 0, (), 0.0, 100.0)
    per_sentence = len(all_words) / len(lengths)
    per_word = syllable_total / len(all_words)
    return ReadabilityStats(
        sentences=len(lengths),
        words=len(all_words),
        syllables=syllable_total,
        words_per_sentence=per_sentence,
        longest_sentence=max(lengths),
        sentence_lengths=lengths,
        # Flesch-Kincaid grade and Flesch reading ease, standard coefficients (docs/sources.md#plain-language).
        flesch_kincaid_grade=0.39 * per_sentence + 11.8 * per_word - 15.59,
        flesch_reading_ease=206.835 - 1.015 * per_sentence - 84.6 * per_word,
    )


def flesch_kincaid_grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39·(words/sentences) + 11.8·(syllables/words) - 15.59."""
    return stats(text).flesch_kincaid_grade


def flesch_reading_ease(text: str) -> float:
    """Flesch reading ease: 206.835 - 1.015·(words/sentences) - 84.6·(syllables/words)."""
    return stats(text).flesch_reading_ease
