"""Text handling shared by the message rules: masking, sentences, words, stems.

Several rules must ignore digits and words that sit inside dates, URLs, email addresses
and phone numbers (a year is not a score, "555" in a phone number is not a factor value,
"review" in hiring-review@example.com is not an instruction). Masking replaces those spans
with a non-word filler of the same length, so offsets found in the masked text point at
the same characters in the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

#: Replaces masked characters: not a word character, not a digit, not sentence punctuation.
MASK_CHAR = "\u2592"

URL = "url"
EMAIL = "email"
PHONE = "phone"
DATE = "date"
TIME = "time"
LIST_MARKER = "list_marker"
#: Masking order matters: URLs and emails contain digits that look like phones or dates.
ALL_KINDS: tuple[str, ...] = (URL, EMAIL, PHONE, DATE, TIME, LIST_MARKER)

_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\"’”"
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_PHONE_RES = (
    # North American numbers: 212-555-0100, (212) 555-0100, +1 212.555.0100, 2125550100.
    re.compile(r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}(?!\w)"),
    # International numbers written with a leading +: +44 20 7946 0958.
    re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\w)"),
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE_RES = (
    re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?(?!\d)"),
    re.compile(r"(?<![\d.])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d])"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+\d{{4}}\b)?"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}}\b)?"),
    re.compile(rf"\b{_MONTH},?\s+\d{{4}}\b"),
)
_TIME_RES = (
    re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\b\.?)?"),
    re.compile(r"(?<![\d.])\d{1,2}\s*[AaPp]\.?[Mm]\b\.?"),
)
_LIST_MARKER_RE = re.compile(r"(?m)^[ \t]*\d{1,3}[.)](?=[ \t])")
#: A list item line: "-", "*", "•" or "1." / "1)" at the start of a line (project policy,
#: docs/sources.md#plain-language).
LIST_ITEM_RE = re.compile(r"(?m)^[ \t]*(?:[-*•]|\d{1,3}[.)])[ \t].*$")


@dataclass(frozen=True)
class Span:
    """A typed stretch of text: where a URL, email, phone number or date sits."""

    kind: str
    start: int
    end: int
    text: str


def _url_spans(text: str) -> list[Span]:
    """URLs, without the sentence punctuation that usually follows them."""
    spans = []
    for match in _URL_RE.finditer(text):
        raw = match.group(0).rstrip(_URL_TRAILING)
        spans.append(Span(URL, match.start(), match.start() + len(raw), raw))
    return spans


def _regex_spans(kind: str, patterns: Iterable[re.Pattern[str]], text: str) -> list[Span]:
    spans: list[Span] = []
    for pattern in patterns:
        spans.extend(Span(kind, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text))
    return spans


def _find(kind: str, text: str) -> list[Span]:
    if kind == URL:
        return _url_spans(text)
    table = {
        EMAIL: (_EMAIL_RE,),
        PHONE: _PHONE_RES,
        DATE: _DATE_RES,
        TIME: _TIME_RES,
        LIST_MARKER: (_LIST_MARKER_RE,),
    }
    return _regex_spans(kind, table[kind], text)


def _blank(text: str, spans: Iterable[Span]) -> str:
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = MASK_CHAR * (span.end - span.start)
    return "".join(chars)


#: Each rule masks the same subject and body again; a message's few texts stay cached while it is judged.
_CACHED_TEXTS = 32


def special_spans(text: str, kinds: Iterable[str] = ALL_KINDS) -> list[Span]:
    """Every URL, email, phone, date, time and list marker, found in a fixed order.

    Each kind is searched in the text with the earlier kinds already masked, so a URL that
    contains "2026-01-05" yields one URL span and no date span.
    """
    return list(_special_spans(text, frozenset(kinds)))


@lru_cache(maxsize=_CACHED_TEXTS)
def _special_spans(text: str, wanted: frozenset[str]) -> tuple[Span, ...]:
    found: list[Span] = []
    current = text
    for kind in ALL_KINDS:
        if kind not in wanted:
            continue
        spans = _find(kind, current)
        found.extend(Span(s.kind, s.start, s.end, text[s.start : s.end]) for s in spans)
        current = _blank(current, spans)
    return tuple(sorted(found, key=lambda s: s.start))


def mask(text: str, kinds: Iterable[str] = ALL_KINDS) -> str:
    """The text with the given kinds of span replaced by MASK_CHAR (same length, same offsets)."""
    return _masked(text, frozenset(kinds))


@lru_cache(maxsize=_CACHED_TEXTS)
def _masked(text: str, wanted: frozenset[str]) -> str:
    return _blank(text, _special_spans(text, wanted))


def contacts(text: str) -> list[Span]:
    """Usable contact points: email addresses, URLs and phone numbers."""
    return special_spans(text, (URL, EMAIL, PHONE))


_BOUNDARY_RE = re.compile(
    r"[.!?]+[\"'”’)\]]*(?=\s|$)"  # terminal punctuation followed by whitespace or the end
    r"|\n[ \t]*\n"  # a blank line: paragraph break
    r"|:[ \t]*(?=\n)"  # a colon that ends a line introduces a list or block
    r"|\n(?=[ \t]*(?:[-*•]|\d{1,3}[.)])[ \t])"  # each list item stands on its own
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence offsets, trimmed of surrounding whitespace; empty sentences are dropped.

    A sentence ends at ".", "!" or "?" followed by whitespace or the end of the text, at a
    blank line, at a colon that ends a line, and before each list item. A period inside a
    token (a decimal, a domain name) does not end a sentence, nor does the "1." that numbers a
    list item; abbreviations such as "e.g." followed by a space do, which only ever makes
    sentences shorter.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    markers = {m.end() for m in _LIST_MARKER_RE.finditer(text)}
    for match in _BOUNDARY_RE.finditer(text):
        if match.end() in markers:
            continue  # the "1." of a numbered list item opens a sentence, it does not end one
        _append_trimmed(spans, text, start, match.end())
        start = match.end()
    _append_trimmed(spans, text, start, len(text))
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


_WORD_RE = re.compile(r"[A-Za-z]+")


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Alphabetic words, lowercased, with offsets (digits and punctuation split words)."""
    return [(m.group(0).lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def snake_tokens(name: str) -> list[str]:
    """The parts of a snake_case factor name ("years_experience" -> ["years", "experience"])."""
    return [part for part in re.split(r"[^a-z0-9]+", name.lower()) if part]


_SUFFIXES = (
    "ations", "ation", "ating", "ated", "ates", "ate", "ments", "ment",
    "ions", "ion", "ings", "ing", "ies", "ied", "ed", "es", "s",
)  # fmt: skip


def stem(word: str) -> str:
    """A crude, deterministic stem so "skills", "skilled" and "skill" compare equal.

    Strips one suffix from a fixed list (longest first, keeping at least three letters),
    maps -ies/-ied to -y, then drops a final "e". It is not a linguistic stemmer; it only
    has to make plural, -ing, -ed and -ion forms of the same word meet.
    """
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A case-insensitive, word-bounded pattern for a phrase, tolerant of spacing and hyphens."""
    words = [re.escape(w) for w in re.split(r"[\s_-]+", phrase.strip()) if w]
    return re.compile(r"(?<![A-Za-z0-9])" + r"[\s_-]+".join(words) + r"(?![A-Za-z0-9])", re.IGNORECASE)


def sentence_at(spans: list[tuple[int, int]], offset: int) -> int | None:
    """Index of the sentence containing the offset, if any."""
    for index, (start, end) in enumerate(spans):
        if start <= offset < end:
            return index
    return None


#: US state and territory codes, as a mailing address writes them.
_US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR",
)  # fmt: skip
#: The end of a US postal address: "Brooklyn, NY 11201" or "New York, NY 10118-0110".
_ADDRESS_TAIL_RE = re.compile(
    r"\b[A-Z][A-Za-z.'-]*(?:\s+[A-Z][A-Za-z.'-]*)*,\s+(?:" + "|".join(_US_STATES) + r")\s+\d{5}(?:-\d{4})?\b"
)


def mask_addresses(text: str) -> str:
    """The text with the city, state and postal code of any US mailing address masked.

    A postal code at the end of an address says where to write; it is not a fact about anyone.
    """
    return _ADDRESS_TAIL_RE.sub(lambda m: MASK_CHAR * len(m.group(0)), text)
