"""Checks of the candidate message against MSG-001 … MSG-013 (contract § 3, docs/sources.md#automated-decisions).

Every rule has the same signature, `(message, memo=None, request=None, context=CheckContext())`,
and returns its findings (an empty list means the message meets the requirement), so the
harness can run and report each requirement on its own through MESSAGE_RULES. Rules never
raise on malformed input: a missing or non-string field is read as empty text, which the
rules that need it then report.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from nyc_hiring.harness.compliance import names as namesmod
from nyc_hiring.harness.compliance import passages, readability
from nyc_hiring.harness.compliance import text as textmod
from nyc_hiring.harness.compliance import vocabulary as vocab
from nyc_hiring.harness.compliance.findings import CheckContext, Finding, finding, text_finding

#: A message, memo or request as decoded JSON; None when not available.
Doc = Mapping[str, Any] | None
MessageRule = Callable[[Doc, Doc, Doc, CheckContext], list[Finding]]
DEFAULT_CONTEXT = CheckContext()

FIELDS = ("subject", "body")


# --- shared helpers ------------------------------------------------------------------------------


def field_text(message: Doc, name: str) -> str:
    """A message field as text; anything that is not a string reads as empty."""
    value = message.get(name) if isinstance(message, Mapping) else None
    return value if isinstance(value, str) else ""


def decision_factors(memo: Doc, request: Doc) -> list[tuple[str, Mapping[str, Any]]]:
    """(location, factor) pairs: the request's factors when there is a request, else the memo's.

    Webhook decisions have no request body, so their factors come from the memo.
    """
    for source, name in ((request, "request"), (memo, "memo")):
        factors = source.get("decisionFactors") if isinstance(source, Mapping) else None
        if isinstance(factors, list):
            return [
                (f"{name}.decisionFactors[{i}]", f)
                for i, f in enumerate(factors)
                if isinstance(f, Mapping) and isinstance(f.get("factor"), str)
            ]
    return []


def significant_tokens(name: str) -> list[str]:
    """The factor-name tokens a candidate could recognise: no digits, no generic measure words."""
    return [
        t
        for t in textmod.snake_tokens(name)
        if len(t) > 1 and not any(c.isdigit() for c in t) and t not in vocab.GENERIC_FACTOR_TOKENS
    ]


def expected_words(name: str) -> list[str]:
    """Words that, found in the body, show the factor is named: its tokens, synonyms and family.

    Head words ("skills", "experience") count only when the name has nothing more specific:
    "communication_skills" is named by "communication", not by the "skills" of another factor.
    """
    tokens = significant_tokens(name)
    specific = [t for t in tokens if t not in vocab.FACTOR_HEAD_TOKENS] or tokens
    words: dict[str, None] = {}
    for token in specific:
        for word in (token, *vocab.SYNONYMS.get(token, ())):
            words.update(dict.fromkeys((word, *_family(word))))
    return list(words)


def _family(word: str) -> list[str]:
    """Words naming the same quality as the word (vocabulary.QUALIFICATION_FAMILIES)."""
    return sorted(w for family in vocab.QUALIFICATION_FAMILIES if word in family for w in family if w != word)


def body_stems(body: str) -> set[str]:
    """Stems of the body's words, with URLs and emails masked (an address is not prose)."""
    masked = textmod.mask(body, (textmod.URL, textmod.EMAIL))
    return {textmod.stem(word) for word, _, _ in textmod.word_spans(masked)}


def factor_named(name: str, stems: set[str]) -> bool | None:
    """Whether the body names the factor; None when the name has no significant token to look for."""
    words = expected_words(name)
    if not words:
        return None
    return any(textmod.stem(word) in stems for word in words)


def is_protected_factor(factor: Mapping[str, Any]) -> bool:
    """A factor that is a protected characteristic or ZIP code (MEMO-005)."""
    return bool(vocab.protected_factor_terms(str(factor.get("factor", ""))))


def decision_of(memo: Doc, request: Doc) -> str | None:
    """The decision, from the request when given, else from the memo."""
    for source in (request, memo):
        decision = source.get("decision") if isinstance(source, Mapping) else None
        if isinstance(decision, str):
            return decision
    return None


def _spans_in_sentences(
    spans: list[textmod.Span], sentences: list[tuple[int, int]], indexes: set[int]
) -> list[textmod.Span]:
    return [s for s in spans if textmod.sentence_at(sentences, s.start) in indexes]


def _topic_sentences(masked: str, sentences: list[tuple[int, int]], pattern: re.Pattern[str]) -> set[int]:
    return {i for i, (s, e) in enumerate(sentences) if pattern.search(masked[s:e])}


def _with_next(indexes: Iterable[int]) -> set[int]:
    return {j for i in indexes for j in (i, i + 1)}


# --- MSG-001 -------------------------------------------------------------------------------------


def check_msg_001(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """The phrase "automated employment decision tool" is spelled out before any "AEDT" (§ 20-871(b)(1)).

    URLs and email addresses are not prose: "https://example.com/aedt-notice" uses no acronym.
    """
    body = field_text(message, "body")
    masked = textmod.mask(body, (textmod.URL, textmod.EMAIL))
    phrase = vocab.AEDT_PHRASE_RE.search(masked)
    if phrase is None:
        return [
            finding("MSG-001", 'body never says "automated employment decision tool" in words', "body", clause="phrase")
        ]
    acronym = vocab.AEDT_ACRONYM_RE.search(masked)
    if acronym is not None and acronym.start() < phrase.start():
        return [
            text_finding(
                "MSG-001",
                'body uses "AEDT" before spelling out "automated employment decision tool"',
                "body",
                body,
                acronym.start(),
                acronym.end(),
                clause="before-acronym",
            )
        ]
    return []


# --- MSG-002 -------------------------------------------------------------------------------------


def check_msg_002(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """Every non-protected factor is named in plain words, and every quality said to be assessed
    traces to a factor (§ 20-871(b)(2); docs/sources.md#automated-decisions).

    A factor is named when one of its significant tokens, or a synonym, appears as a word of
    the body (compared by stem). Protected factors are left to MEMO-005, which requires them
    to stay out. A factor name written in code form ("technical_score") is not plain words.
    """
    body = field_text(message, "body")
    return _unnamed_factors(body, memo, request) + _untraced_qualities(message, memo, request, context)


def _unnamed_factors(body: str, memo: Doc, request: Doc) -> list[Finding]:
    stems = body_stems(body)
    findings: list[Finding] = []
    for location, factor in decision_factors(memo, request):
        name = factor["factor"]
        if is_protected_factor(factor):
            continue
        if factor_named(name, stems) is False:
            hint = ", ".join(f'"{w}"' for w in expected_words(name)[:4])
            findings.append(
                finding(
                    "MSG-002",
                    f"decision factor '{name}' ({location}) is not named in the body; expected a word such as {hint}",
                    "body",
                    clause="named",
                )
            )
        if "_" in name:
            findings.extend(
                text_finding(
                    "MSG-002",
                    f"body writes factor '{name}' in code form, not plain words",
                    "body",
                    body,
                    m.start(),
                    m.end(),
                    clause="named",
                )
                for m in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", body, re.IGNORECASE)
            )
    return findings


_QUALITY_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(t) for t in sorted(vocab.QUALIFICATION_TERMS, key=len, reverse=True)) + r")s?\b",
    re.IGNORECASE,
)


def _factor_stems(memo: Doc, request: Doc) -> set[str]:
    """Stems of every word that traces to a decision factor (tokens, synonyms, families)."""
    stems: set[str] = set()
    for _location, factor in decision_factors(memo, request):
        for token in significant_tokens(factor["factor"]):
            for word in (token, *vocab.SYNONYMS.get(token, ())):
                stems.update(textmod.stem(w) for w in (word, *_family(word)))
    return stems


def _untraced_qualities(message: Doc, memo: Doc, request: Doc, context: CheckContext) -> list[Finding]:
    """Qualities the body says it assessed, or gives as reasons, that no decision factor is about.

    Only sentences that say what was assessed or why count, so "we keep your data safe" names no
    quality. A capitalised word in mid-sentence belongs to a name (a job title, a team) unless it
    is a language or a tool, which are always capitalised; a word before "team" or "role", or
    after "our", names the employer's side ("our sales team"), not the candidate's.
    """
    body = field_text(message, "body")
    masked = _mask_names(textmod.mask(body, (textmod.URL, textmod.EMAIL)), message, memo, request, context)
    spans = textmod.sentence_spans(masked)
    region = passages.cue_region(masked, spans, vocab.ASSESSMENT_CUE_RE)
    region |= passages.cue_region(masked, spans, vocab.REASON_CUE_RE)
    traced = _factor_stems(memo, request)
    findings: list[Finding] = []
    for index in sorted(region):
        opening = passages.first_word_start(masked, spans[index])
        for m in _QUALITY_RE.finditer(masked, *spans[index]):
            word = m.group(0)
            if textmod.stem(word) in traced or not _candidate_quality(masked, m, opening):
                continue
            findings.append(
                text_finding(
                    "MSG-002",
                    f"body says it assessed '{word}', which no decision factor is about",
                    "body",
                    body,
                    m.start(),
                    m.end(),
                    clause="traceable",
                )
            )
    return findings


_NEXT_WORD_RE = re.compile(r"\W*([A-Za-z]+)")
_PREVIOUS_WORD_RE = re.compile(r"([A-Za-z]+)\W*$")


def _candidate_quality(masked: str, match: re.Match[str], opening: int | None) -> bool:
    """Whether a quality word is said of the candidate, not part of a name or the employer's side."""
    word = match.group(0)
    if word[0].isupper() and match.start() != opening and word.lower() not in vocab.ALWAYS_CAPITALISED:
        return False
    following = _NEXT_WORD_RE.match(masked, match.end())
    if following and following.group(1).lower() in vocab.ORGANISATION_NOUNS:
        return False
    preceding = _PREVIOUS_WORD_RE.search(masked, max(0, match.start() - 20), match.start())
    return not (preceding and preceding.group(1).lower() in vocab.OTHERS_DETERMINERS)


# --- MSG-003 -------------------------------------------------------------------------------------


def check_msg_003(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """Instructions, with a working contact, to request an alternative process or accommodation.

    Required by § 20-871(b)(1) and 6 RCNY § 5-304(c). The mention is looked for with URLs and
    emails masked, so "accommodations@example.com" alone is a contact, not an instruction. The
    contact must go with the offer (passages.contact_near): an address given for a review request
    elsewhere in the message is no way to ask for an accommodation.
    """
    body = field_text(message, "body")
    masked = textmod.mask(body, (textmod.URL, textmod.EMAIL))
    spans = textmod.sentence_spans(masked)
    offers = [i for i, (start, end) in enumerate(spans) if vocab.ACCOMMODATION_RE.search(masked[start:end])]
    if not offers:
        return [
            finding(
                "MSG-003",
                "body does not tell the candidate how to request an alternative selection "
                "process or a reasonable accommodation",
                "body",
                clause="instructions",
            )
        ]
    if not any(passages.contact_near(body, spans, i, vocab.REVIEW_WORDS_RE) for i in offers):
        return [
            finding(
                "MSG-003",
                "body mentions an alternative process or accommodation but gives no email "
                "address, URL or phone number to request it",
                "body",
                clause="contact",
            )
        ]
    return []


# --- MSG-004 -------------------------------------------------------------------------------------


def check_msg_004(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """Data types, source and retention are stated, or linked to (§ 20-871(b)(3), § 5-304(d)).

    Linked: a URL sits in, or right after, a sentence about data, privacy or retention (a
    sentence about the bias audit links to the audit, not the data policy), or its address names
    the data policy ("/privacy"). Stated: near the sentences about data (those naming data, what
    was collected or used, or how long it is kept, and the two sentences after each), the message
    names the kinds of data ("your resume", "types of data"), where they came from ("you gave
    us", "from the state licensing site") and how long they are kept. The job title and employer
    name are blanked first: "Data Analyst" is not a statement about data.
    """
    body = field_text(message, "body")
    masked = _mask_names(textmod.mask(body, (textmod.URL, textmod.EMAIL)), message, memo, request, context)
    spans = textmod.sentence_spans(masked)
    if _links_to_data_policy(body, masked, spans):
        return []
    texts = [masked[start:end] for start, end in spans]
    topic = {i for i, text in enumerate(texts) if _about_data(text)}
    region = {j for i in topic for j in (i, i + 1, i + 2) if j < len(texts)}
    region_text = " ".join(texts[i] for i in sorted(region))
    missing: list[tuple[str, str]] = []
    if not (vocab.DATA_ITEM_RE.search(region_text) or any(vocab.DATA_TYPE_RE.search(texts[i]) for i in topic)):
        missing.append(("data-types", "the type of data collected"))
    if not vocab.DATA_SOURCE_RE.search(region_text):
        missing.append(("data-source", "its source"))
    if not vocab.DATA_RETENTION_RE.search(region_text):
        missing.append(("retention", "the retention policy"))
    return [
        finding("MSG-004", f"body neither links to the data policy nor states {what}", "body", clause=clause)
        for clause, what in missing
    ]


def _about_data(sentence: str) -> bool:
    """A sentence that talks about the data: what it is, what was used, or how long it is kept."""
    return any(
        pattern.search(sentence) for pattern in (vocab.DATA_TOPIC_RE, vocab.DATA_ITEM_RE, vocab.DATA_RETENTION_RE)
    )


def _links_to_data_policy(body: str, masked: str, spans: list[tuple[int, int]]) -> bool:
    """A URL that reads as the data policy, or sits in or right after a sentence about data."""
    privacy = {
        i
        for i, (start, end) in enumerate(spans)
        if vocab.PRIVACY_TOPIC_RE.search(masked[start:end]) or vocab.DATA_RETENTION_RE.search(masked[start:end])
    }
    for url in textmod.special_spans(body, (textmod.URL,)):
        if vocab.PRIVACY_URL_RE.search(url.text):
            return True
        index = textmod.sentence_at(spans, url.start)
        if index is None:
            continue
        about_audit = vocab.AUDIT_TOPIC_RE.search(masked[slice(*spans[index])]) and index not in privacy
        if index in privacy or (index - 1 in privacy and not about_audit):
            return True
    return False


def _blank_phrase(text: str, phrase: str | None) -> str:
    """The text with every occurrence of the phrase replaced by spaces (offsets kept)."""
    if not phrase:
        return text
    return textmod.phrase_pattern(phrase).sub(lambda m: " " * len(m.group(0)), text)


def _mask_names(text: str, message: Doc, memo: Doc, request: Doc, context: CheckContext) -> str:
    """Blank the job title, the tool's name and the employer's name: they are given names, not statements
    (a tool called "Weightings" or "Score Engine" is named, not disclosed).

    The employer is the one the harness knows, or one the message presents (names.py).
    """
    given = (namesmod.job_title(memo, request), namesmod.tool_name(memo, request))
    for phrase in (*given, *_employer_names(message, memo, context)):
        text = _blank_phrase(text, phrase)
    return text


def _employer_names(message: Doc, memo: Doc, context: CheckContext) -> list[str]:
    known = namesmod.known_employer(memo, context)
    found = namesmod.employers_in_message(field_text(message, "subject"), field_text(message, "body"))
    return [name for name in (known, *found) if name]


# --- MSG-005 -------------------------------------------------------------------------------------


def check_msg_005(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """A link to the published bias-audit summary (§ 5-303; a link in the message is policy).

    When the memo records the summary URL, that URL must appear in the body. Otherwise a URL
    must sit in a sentence about the (bias) audit or in the next one ("Our latest bias audit
    was on … . Read the summary at https://…").
    """
    body = field_text(message, "body")
    urls = textmod.special_spans(body, (textmod.URL,))
    expected = _memo_audit_url(memo)
    if expected:
        if any(u.text.rstrip("/") == expected.rstrip("/") for u in urls):
            return []
        return [
            finding(
                "MSG-005", f"body does not link to the bias-audit summary at {expected}", "body", clause="audit-link"
            )
        ]
    masked = textmod.mask(body, (textmod.URL, textmod.EMAIL))
    sentences = textmod.sentence_spans(body)
    audit = _with_next(_topic_sentences(masked, sentences, vocab.AUDIT_TOPIC_RE))
    if _spans_in_sentences(urls, sentences, audit):
        return []
    return [finding("MSG-005", "body does not link to the bias-audit summary", "body", clause="audit-link")]


def _memo_audit_url(memo: Doc) -> str | None:
    audit = memo.get("biasAudit") if isinstance(memo, Mapping) else None
    url = audit.get("summaryUrl") if isinstance(audit, Mapping) else None
    return url if isinstance(url, str) and url else None


# --- MSG-006 -------------------------------------------------------------------------------------

#: A number standing alone: digits inside a token such as "4c8e" or "3f9c2a" (an identifier) are not,
#: nor is a part of a hyphenated identifier ("candidate-04ae54fc-7874"). The group is atomic so
#: that "04ae" cannot give back "0" by backtracking.
_NUMBER_RE = re.compile(r"(?<![\w.,])(?<![A-Za-z0-9]-)(?>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?!\w|[.,]\d)")
_FRACTION_RE = re.compile(r"(?<![\w.,])\d+(?:\.\d+)?\s*/\s*\d+(?:\.\d+)?(?!\w)")
_OUT_OF_RE = re.compile(r"\bout\s+of\s+\d+", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
_NUMERIC_STRING_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$")
_PROXIMITY = 3


def _numeric(value: Any) -> float | None:
    """A factor value or weight as a number; booleans are not numbers, numeric strings are."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str) and _NUMERIC_STRING_RE.match(value.strip()):
        return float(value)
    return None


def _factor_numbers(memo: Doc, request: Doc) -> list[tuple[float, str]]:
    """(number, description) for every factor value and weight, as written and as a percentage."""
    numbers: list[tuple[float, str]] = []
    for _location, factor in decision_factors(memo, request):
        for key in ("value", "weight"):
            number = _numeric(factor.get(key))
            if number is None:
                continue
            label = f"the {key} of factor '{factor['factor']}' ({factor.get(key)!r})"
            numbers.append((number, label))
            numbers.append((number * 100, f"{label} as a percentage"))
    return numbers


def _parse_number(raw: str) -> float:
    return float(raw.replace(",", ""))


def _score_figures(masked: str) -> Iterable[tuple[int, int, str, str]]:
    """Numbers presented as scores: next to a score word, as a fraction, or "out of N"."""
    for pattern, why in ((_FRACTION_RE, "a score written as a fraction"), (_OUT_OF_RE, 'an "out of" score')):
        for m in pattern.finditer(masked):
            yield m.start(), m.end(), why, "scores"
    for start, end in textmod.sentence_spans(masked):
        tokens = list(_TOKEN_RE.finditer(masked, start, end))
        for i, token in enumerate(tokens):
            if not token.group(0)[0].isdigit():
                continue
            window = tokens[max(0, i - _PROXIMITY) : i + _PROXIMITY + 1]
            words = {t.group(0).lower() for t in window}
            if words & vocab.SCORE_WORDS:
                yield token.start(), token.end(), "a number given as a score, rank, threshold or weight", "scores"


def _percentages(masked: str) -> Iterable[tuple[int, int, str, str]]:
    for m in re.finditer(r"%", masked):
        yield m.start(), m.end(), "a percentage", "scores"
    for term in vocab.PERCENT_TERMS:
        for m in textmod.phrase_pattern(term).finditer(masked):
            yield m.start(), m.end(), "a percentage", "scores"


def _internals(masked: str) -> Iterable[tuple[int, int, str, str]]:
    for term in vocab.MODEL_INTERNAL_TERMS:
        for m in textmod.phrase_pattern(term).finditer(masked):
            yield m.start(), m.end(), f'model internals ("{term}")', "internals"
    for m in _THRESHOLD_RE.finditer(masked):
        yield m.start(), m.end(), "a threshold or weight in words", "internals"


_THRESHOLD_RE = re.compile(
    r"\b(?:" + "|".join(vocab.THRESHOLD_PATTERNS + vocab.WEIGHT_SHARE_PATTERNS) + r")\b", re.IGNORECASE
)
_SCORE_MENTION_RE = re.compile(r"\b(?:" + "|".join(vocab.SCORE_MENTION_PATTERNS) + r")\b", re.IGNORECASE)


def _score_mentions(masked: str) -> Iterable[tuple[int, int, str, str]]:
    """The candidate's score, rating, rank or percentile, even when no number is given."""
    for m in _SCORE_MENTION_RE.finditer(masked):
        yield m.start(), m.end(), "a score, rating, rank or percentile", "scores"


def _factor_number_hits(masked: str, numbers: list[tuple[float, str]]) -> Iterable[tuple[int, int, str, str]]:
    for m in _NUMBER_RE.finditer(masked):
        value = _parse_number(m.group(0))
        for number, label in numbers:
            if math.isclose(value, number, rel_tol=1e-9, abs_tol=1e-9):
                yield m.start(), m.end(), f"a number equal to {label}", "factor-numbers"
                break


def check_msg_006(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """No scores, weights, thresholds, percentiles, percentages or model internals.

    Policy anchored to CJEU C-203/22 (docs/sources.md#automated-decisions). Dates, times, URLs, email
    addresses, phone numbers and list markers are masked first, so "January 5, 2026" or
    "212-555-0100" never count as figures; numbers are compared numerically (2 == 2.0).
    The job title and employer name are masked too ("Analyst 2" names a position). A score
    needs no number to be disclosed ("your assessment score was low"), nor a threshold ("below
    our cut-off").
    """
    numbers = _factor_numbers(memo, request)
    findings: list[Finding] = []
    for name in FIELDS:
        text = field_text(message, name)
        masked = _mask_names(textmod.mask(text), message, memo, request, context)
        hits = [*_percentages(masked), *_score_figures(masked), *_score_mentions(masked), *_internals(masked)]
        hits.extend(_factor_number_hits(masked, numbers))
        seen: set[tuple[int, int]] = set()
        for start, end, why, clause in sorted(hits, key=lambda h: (h[0], h[1])):
            if any(s <= start and end <= e for s, e in seen):
                continue
            seen.add((start, end))
            findings.append(
                text_finding(
                    "MSG-006", f"{name} discloses {why}: '{text[start:end]}'", name, text, start, end, clause=clause
                )
            )
    return findings


# --- MSG-007 -------------------------------------------------------------------------------------

_PROTECTED_TEXT_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    + "|".join(
        r"[\s-]+".join(re.escape(w) for w in term.split())
        for term in sorted(vocab.PROTECTED_TEXT_TERMS, key=len, reverse=True)
    )
    + "|"
    + "|".join(vocab.PROTECTED_PARAPHRASES)
    + r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def check_msg_007(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """No protected characteristic and no ZIP code (NYCHRL; IL HB 3773 zip-code proxy ban).

    A mention of one of the decision's own protected factors is MEMO-005's (`kept-out`), the more
    specific rule, so one fault in a message fails one requirement.

    Terms and their usual paraphrases ("over fifty", "your accent") are matched on word
    boundaries in text whose dates, URLs, emails and phones are masked, as are the job title and
    employer name. Two kinds of sentence name a characteristic without making it a reason, and
    are not reported: an accommodation offer ("if you have a disability or are pregnant, you can
    ask for an accommodation") and an equal-opportunity statement ("without regard to race,
    religion or sex") that does not tie the characteristic to the decision. The postal code of
    a mailing address ("Brooklyn, NY 11201") is where to write, not a reason.
    """
    findings: list[Finding] = []
    factors = protected_factors(memo, request)
    for name in FIELDS:
        text = field_text(message, name)
        masked = _mask_names(textmod.mask(text), message, memo, request, context)
        owned = [
            m.span() for _, factor, terms in factors for p in mention_patterns(factor, terms) for m in p.finditer(text)
        ]
        findings.extend(_protected_terms(name, text, masked, owned))
        findings.extend(_zip_numbers(name, text, textmod.mask_addresses(masked)))
    return findings


def protected_factors(memo: Doc, request: Doc) -> list[tuple[str, str, list[str]]]:
    """(location, factor name, protected terms) for every protected factor in request and memo."""
    found: list[tuple[str, str, list[str]]] = []
    for name, source in (("request", request), ("memo", memo)):
        factors = source.get("decisionFactors") if isinstance(source, Mapping) else None
        for i, factor in enumerate(factors if isinstance(factors, list) else []):
            factor_name = factor.get("factor") if isinstance(factor, Mapping) else None
            if not isinstance(factor_name, str):
                continue
            terms = vocab.protected_factor_terms(factor_name)
            if terms:
                found.append((f"{name}.decisionFactors[{i}]", factor_name, terms))
    return found


def mention_patterns(factor_name: str, terms: list[str]) -> list[re.Pattern[str]]:
    """The factor's name, its protected terms and their usual prose forms, as word-bounded patterns."""
    phrases = {factor_name, factor_name.replace("_", " ")}
    for term in terms:
        phrases.add(term)
        phrases.update(vocab.PROTECTED_FACTOR_PROSE.get(term, ()))
    return [
        re.compile(
            r"(?<![A-Za-z0-9])" + r"[\s_-]+".join(map(re.escape, p.split())) + r"s?(?![A-Za-z0-9])",
            re.IGNORECASE,
        )
        for p in sorted(phrases)
    ]


def _protected_terms(name: str, text: str, masked: str, owned: list[tuple[int, int]]) -> list[Finding]:
    sentences = textmod.sentence_spans(masked)
    findings = []
    for m in _PROTECTED_TEXT_RE.finditer(masked):
        if any(start < m.end() and m.start() < end for start, end in owned):
            continue
        term = " ".join(m.group(0).lower().split())
        sentence = _sentence_text(masked, sentences, m.start())
        if _names_a_right(term, sentence) or _disclaims(sentence):
            continue
        clause = "zip-code" if term in vocab.ZIP_TERMS else "protected"
        what = "a ZIP code" if clause == "zip-code" else "a protected characteristic"
        findings.append(
            text_finding(
                "MSG-007", f"{name} names {what}: '{m.group(0)}'", name, text, m.start(), m.end(), clause=clause
            )
        )
    return findings


def _zip_numbers(name: str, text: str, masked: str) -> list[Finding]:
    return [
        text_finding(
            "MSG-007",
            f"{name} contains a ZIP-code-like number: '{m.group(0)}'",
            name,
            text,
            m.start(),
            m.end(),
            clause="zip-code",
        )
        for m in vocab.ZIP_NUMBER_RE.finditer(masked)
    ]


def _sentence_text(masked: str, sentences: list[tuple[int, int]], offset: int) -> str:
    index = textmod.sentence_at(sentences, offset)
    return "" if index is None else masked[slice(*sentences[index])]


def _names_a_right(term: str, sentence: str) -> bool:
    """A characteristic named as a ground for an accommodation, in the sentence that offers it."""
    return term in vocab.ACCOMMODATION_CONTEXT_TERMS and bool(vocab.ACCOMMODATION_RE.search(sentence))


def _disclaims(sentence: str) -> bool:
    """An equal-opportunity statement that does not also give the characteristic as a reason."""
    return bool(vocab.NON_DISCRIMINATION_RE.search(sentence)) and not vocab.REASON_LINK_RE.search(sentence)


# --- MSG-008 -------------------------------------------------------------------------------------

_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bhaiec_(?:live|test)_[A-Za-z0-9_-]*"), "an API key"),
    (re.compile(r"\bwhsec_[A-Za-z0-9+/=_-]*"), "a webhook secret"),
    (re.compile(r"\b(?:de|ex)_[A-Za-z0-9]{4,}"), "an internal decision or explanation ID"),
    (re.compile(r"[0-9a-fA-F]{32,}"), "a hash or hex identifier"),
)


RAW_ID = "the raw candidate ID"


def _raw_id_pattern(raw: str) -> re.Pattern[str]:
    """Short or purely alphabetic IDs must stand alone ("test" inside "latest" is no leak)."""
    escaped = re.escape(raw)
    if len(raw) < 4 or raw.isalpha():
        return re.compile(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])", re.IGNORECASE)
    return re.compile(escaped, re.IGNORECASE)


def _identifiers(memo: Doc, request: Doc) -> list[tuple[re.Pattern[str], str]]:
    known: list[tuple[re.Pattern[str], str]] = []
    raw = request.get("candidateIdRaw") if isinstance(request, Mapping) else None
    if isinstance(raw, str) and raw.strip():
        known.append((_raw_id_pattern(raw), RAW_ID))
    for key in ("candidateIdHash", "decisionEventId", "explanationId"):
        value = memo.get(key) if isinstance(memo, Mapping) else None
        if isinstance(value, str) and value:
            known.append((re.compile(re.escape(value), re.IGNORECASE), f"the memo's {key}"))
    return known + list(_SECRET_PATTERNS)


def check_msg_008(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """No raw candidate ID, key, secret, hash or internal ID in subject or body (contract § 2)."""
    findings: list[Finding] = []
    patterns = _identifiers(memo, request)
    for name in FIELDS:
        text = field_text(message, name)
        reported: list[tuple[int, int]] = []
        for pattern, what in patterns:
            for m in pattern.finditer(text):
                if m.end() == m.start() or any(s <= m.start() and m.end() <= e for s, e in reported):
                    continue
                reported.append((m.start(), m.end()))
                clause = "raw-id" if what == RAW_ID else "internal-ids"
                findings.append(
                    text_finding("MSG-008", f"{name} contains {what}", name, text, m.start(), m.end(), clause=clause)
                )
    return findings


# --- MSG-009 -------------------------------------------------------------------------------------

_RESIDUE_RE = re.compile(
    "|".join(re.escape(s) for s in vocab.RESIDUE_LITERALS)
    + "|"
    + "|".join(
        rf"\b{re.escape(w)}\b(?!\s+of\b)" if w == "None" else rf"\b{re.escape(w)}\b" for w in vocab.RESIDUE_WORDS
    )
)


def check_msg_009(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """No template residue; the words are case-sensitive so the English "none" is fine.

    "None of" ("None of your answers are shared") is English, not a rendered null, and is
    not reported.
    """
    findings: list[Finding] = []
    for name in FIELDS:
        text = field_text(message, name)
        findings.extend(
            text_finding(
                "MSG-009",
                f"{name} contains template residue '{m.group(0)}'",
                name,
                text,
                m.start(),
                m.end(),
                clause="residue",
            )
            for m in _RESIDUE_RE.finditer(text)
        )
    return findings


# --- MSG-010 -------------------------------------------------------------------------------------

MAX_SUBJECT = 120


def check_msg_010(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """Subject non-empty, at most 120 characters, naming the position or the employer.

    The position is the request's job title, with or without the words that only grade it
    ("Senior", "II"); the employer is the one the harness was told, one
    a memo extension records, or an organisation the subject names and the body presents as the
    employer (names.py): the contract pins no employer field, so its absence is no failure.
    With neither title nor employer known, a subject naming a phrase the body presents as the
    position, or one about the "position", "role", "job" or "application", is accepted.
    """
    subject = field_text(message, "subject")
    if not subject.strip():
        return [finding("MSG-010", "subject is empty", "subject", clause="non-empty")]
    findings: list[Finding] = []
    if len(subject) > MAX_SUBJECT:
        findings.append(
            text_finding(
                "MSG-010",
                f"subject is {len(subject)} characters long (at most {MAX_SUBJECT})",
                "subject",
                subject,
                MAX_SUBJECT,
                len(subject),
                clause="length",
            )
        )
    if not _subject_names_application(subject, field_text(message, "body"), memo, request, context):
        findings.append(_unnamed_subject(memo, request, context))
    return findings


def _subject_names_application(subject: str, body: str, memo: Doc, request: Doc, context: CheckContext) -> bool:
    title, employer = namesmod.job_title(memo, request), namesmod.known_employer(memo, context)
    known = [*(namesmod.title_forms(title) if title else []), *([employer] if employer else [])]
    if any(namesmod.names_phrase(subject, name) for name in known):
        return True
    if namesmod.employers_in_message(subject, body):
        return True
    if namesmod.job_title(memo, request) is None and namesmod.positions_in_message(subject, body):
        return True
    return not known and bool(vocab.GENERIC_SUBJECT_RE.search(subject))


def _unnamed_subject(memo: Doc, request: Doc, context: CheckContext) -> Finding:
    known = [n for n in (namesmod.job_title(memo, request), namesmod.known_employer(memo, context)) if n]
    if known:
        shown = " or ".join(f"'{n}'" for n in known)
        return finding(
            "MSG-010", f"subject names neither the position nor the employer ({shown})", "subject", clause="names"
        )
    return finding(
        "MSG-010", "subject does not say which position or application it is about", "subject", clause="names"
    )


# --- MSG-011 -------------------------------------------------------------------------------------

_OUTCOME_RE = re.compile(r"\b(?:" + "|".join(vocab.REJECTION_OUTCOME_PATTERNS) + r")\b", re.IGNORECASE)


def _principal_factors(memo: Doc, request: Doc) -> list[str]:
    """Negative-contribution factors, or every factor when none is negative; protected ones excluded."""
    factors = [f for _, f in decision_factors(memo, request) if not is_protected_factor(f)]
    negative = [f for f in factors if f.get("contribution") == "negative"]
    return [f["factor"] for f in (negative or factors)]


def _review_sentences(masked: str, spans: list[tuple[int, int]]) -> list[int]:
    """Sentences that offer a human review or reconsideration and say to ask for it."""
    return [
        i
        for i, (start, end) in enumerate(spans)
        if vocab.REVIEW_WORDS_RE.search(masked[start:end]) and vocab.REQUEST_VERBS_RE.search(masked[start:end])
    ]


def _reasons_given(masked: str, spans: list[tuple[int, int]], principal: list[str]) -> bool | None:
    """Whether a sentence that gives a reason names a principal factor (None: nothing to name).

    A factor listed among those assessed is not thereby a reason: the reason must be in a
    sentence that says why ("because", "the main reason", "fell short of", "more ... than").
    """
    region = passages.cue_region(masked, spans, vocab.REASON_CUE_RE)
    stems = {textmod.stem(word) for word, _, _ in textmod.word_spans(passages.region_text(masked, spans, region))}
    verdicts = [factor_named(name, stems) for name in principal]
    if True in verdicts:
        return True
    return False if False in verdicts else None


def check_msg_011(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """A rejection states the outcome, a principal reason, and how to ask for human review.

    Grounded in SB 26-189, EU AI Act Art. 86 and GDPR Art. 22(3) (docs/sources.md#automated-decisions
    and MSG-010). Only applies when the decision is "reject". A reason is looked for where the
    message says why; the review offer must come with a way to ask (passages.contact_near).
    """
    if decision_of(memo, request) != "reject":
        return []
    body = field_text(message, "body")
    masked = textmod.mask(body, (textmod.URL, textmod.EMAIL))
    spans = textmod.sentence_spans(masked)
    findings: list[Finding] = []
    if not _OUTCOME_RE.search(masked):
        findings.append(
            finding(
                "MSG-011",
                "body does not say plainly that the application is not moving forward",
                "body",
                clause="outcome",
            )
        )
    principal = _principal_factors(memo, request)
    if _reasons_given(masked, spans, principal) is False:
        shown = ", ".join(f"'{n}'" for n in principal)
        findings.append(
            finding("MSG-011", f"body gives none of the principal reasons ({shown})", "body", clause="reasons")
        )
    offers = _review_sentences(masked, spans)
    if not offers:
        findings.append(
            finding(
                "MSG-011", "body does not say how to request a human review or reconsideration", "body", clause="review"
            )
        )
    elif not any(passages.contact_near(body, spans, i, vocab.ACCOMMODATION_RE) for i in offers):
        findings.append(
            finding(
                "MSG-011",
                "body offers a review but gives no email, URL or phone number to request it",
                "body",
                clause="review",
            )
        )
    return findings


# --- MSG-012 -------------------------------------------------------------------------------------

GRADE_TARGET = 8.0
GRADE_HARD_LIMIT = 10.0
MAX_AVERAGE_WORDS = 20.0
MAX_SENTENCE_WORDS = 35


def check_msg_012(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """Plain language: grade ≤ 8, short sentences, and "you" (project policy, docs/sources.md#plain-language).

    All findings are SHOULD; a grade above 10 says so in the message, since the harness's
    policy treats that as a failure.
    """
    body = field_text(message, "body")
    result = readability.stats(body)
    findings: list[Finding] = []
    grade = result.flesch_kincaid_grade
    if grade > GRADE_TARGET:
        beyond = f", above the hard limit of {GRADE_HARD_LIMIT:g}" if grade > GRADE_HARD_LIMIT else ""
        findings.append(
            finding(
                "MSG-012",
                f"body reads at Flesch-Kincaid grade {grade:.1f} (target {GRADE_TARGET:g}{beyond})",
                "body",
                clause="grade",
            )
        )
    if result.words_per_sentence > MAX_AVERAGE_WORDS:
        findings.append(
            finding(
                "MSG-012",
                f"body sentences average {result.words_per_sentence:.1f} words (at most {MAX_AVERAGE_WORDS:g})",
                "body",
                clause="sentences",
            )
        )
    for (start, end), length in zip(readability.sentence_spans(body), result.sentence_lengths, strict=True):
        if length > MAX_SENTENCE_WORDS:
            findings.append(
                text_finding(
                    "MSG-012",
                    f"body has a sentence of {length} words (at most {MAX_SENTENCE_WORDS})",
                    "body",
                    body,
                    start,
                    end,
                    clause="sentences",
                )
            )
    if body.strip() and not vocab.SECOND_PERSON_RE.search(body):
        findings.append(finding("MSG-012", 'body does not address the candidate as "you"', "body", clause="you"))
    return findings


# --- MSG-013 -------------------------------------------------------------------------------------

_CLAIM_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:" + "|".join(vocab.UNSUPPORTED_CLAIM_PATTERNS) + r")(?![A-Za-z0-9])", re.IGNORECASE
)


def check_msg_013(
    message: Doc, memo: Doc = None, request: Doc = None, context: CheckContext = DEFAULT_CONTEXT
) -> list[Finding]:
    """No unsupported fairness or legal-status claims (policy; docs/sources.md#automated-decisions)."""
    findings: list[Finding] = []
    for name in FIELDS:
        text = field_text(message, name)
        findings.extend(
            text_finding(
                "MSG-013",
                f"{name} makes an unsupported claim: '{m.group(0)}'",
                name,
                text,
                m.start(),
                m.end(),
                clause="claims",
            )
            for m in _CLAIM_RE.finditer(text)
        )
    return findings


MESSAGE_RULES: dict[str, MessageRule] = {
    "MSG-001": check_msg_001,
    "MSG-002": check_msg_002,
    "MSG-003": check_msg_003,
    "MSG-004": check_msg_004,
    "MSG-005": check_msg_005,
    "MSG-006": check_msg_006,
    "MSG-007": check_msg_007,
    "MSG-008": check_msg_008,
    "MSG-009": check_msg_009,
    "MSG-010": check_msg_010,
    "MSG-011": check_msg_011,
    "MSG-012": check_msg_012,
    "MSG-013": check_msg_013,
}


def check_message(
    message: Mapping[str, Any],
    memo: Doc = None,
    request: Doc = None,
    context: CheckContext = DEFAULT_CONTEXT,
) -> list[Finding]:
    """Run every message rule; an empty list means the message is compliant."""
    return [f for rule in MESSAGE_RULES.values() for f in rule(message, memo, request, context)]
