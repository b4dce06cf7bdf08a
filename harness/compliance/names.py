"""The employer and the position a message names, from what the harness knows or from the message.

The contract leaves the employer profile to the deployment and pins no memo field for the
employer's name (contract § 1), and the job title is optional (§ 2). So the harness may know
neither. Where it does not, the message itself can still show who the employer is: a subject
naming an organisation that the body presents as the employer ("the Data Analyst role at Acme
Corp", "the Acme Corp hiring team", a sign-off such as "Acme Corp Recruiting") names the
employer. A name the body never presents that way proves nothing, so an arbitrary capitalised
word in a subject is not taken for an employer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from nyc_hiring.harness.compliance import text as textmod
from nyc_hiring.harness.compliance import vocabulary as vocab
from nyc_hiring.harness.compliance.findings import CheckContext

Doc = Mapping[str, Any] | None

#: A capitalised word of a name: "Acme", "O'Neil", "AT&T" ("3M", with no capital first, is not).
_NAME_WORD_RE = re.compile(r"[A-Z][\w&'’.-]*")
#: Lowercase words that may sit inside a name ("Bank of America", "Procter and Gamble").
_NAME_JOINERS = frozenset({"of", "and", "&", "de", "du", "la", "le", "the", "for"})
_MAX_NAME_WORDS = 6


def job_title(memo: Doc, request: Doc) -> str | None:
    """The job title from the request, else from a memo that carries one (an extension)."""
    for source in (request, memo):
        title = source.get("jobTitle") if isinstance(source, Mapping) else None
        if isinstance(title, str) and title.strip():
            return title.strip()
    return None


def tool_name(memo: Doc, request: Doc) -> str | None:
    """The AEDT's name from the request, else from the memo (contract § 2 records it there)."""
    for source in (request, memo):
        name = source.get("aedtName") if isinstance(source, Mapping) else None
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


#: Words that grade a position rather than name it: "Senior Data Analyst II" is a "Data Analyst".
_LEVEL_WORDS = frozenset({
    "senior", "sr", "junior", "jr", "lead", "principal", "staff", "chief", "head", "entry", "mid", "level",
    "i", "ii", "iii", "iv", "v", "vi",
})  # fmt: skip


def title_forms(title: str) -> list[str]:
    """The job title as given, and without the words that only grade it.

    The shorter form is offered only when it still names something: "Team Lead" without "Lead"
    is "Team", which any subject ("Welcome to the team") could contain.
    """
    words = title.split()
    core = [w for w in words if w.lower().strip(".,()") not in _LEVEL_WORDS and not any(c.isdigit() for c in w)]
    forms = [title]
    if len(core) < len(words) and _is_name(core):
        forms.append(" ".join(core))
    return forms


def known_employer(memo: Doc, context: CheckContext) -> str | None:
    """The employer's name as the harness was told it, or as a memo extension records it."""
    if context.employer_name and context.employer_name.strip():
        return context.employer_name.strip()
    employer = memo.get("employer") if isinstance(memo, Mapping) else None
    name = employer.get("name") if isinstance(employer, Mapping) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def subject_phrases(subject: str) -> list[str]:
    """Runs of capitalised words in the subject and every part of them, longest first.

    "Your Acme Corp application" gives "Your Acme Corp", "Acme Corp", "Your Acme", ... ; phrases
    made only of words that open or decorate a subject ("Your", "Update") are dropped.
    """
    phrases: dict[str, None] = {}
    for run in _capitalised_runs(subject):
        for size in range(min(len(run), _MAX_NAME_WORDS), 0, -1):
            for start in range(len(run) - size + 1):
                words = run[start : start + size]
                if _is_name(words):
                    phrases[" ".join(words)] = None
    return list(phrases)


def _capitalised_runs(text: str) -> list[list[str]]:
    """Sequences of capitalised words, joined by at most one lowercase joiner between two of them."""
    runs: list[list[str]] = []
    current: list[str] = []
    for token in re.findall(r"[\w&'’.-]+|[^\w\s]", text):
        word = token.rstrip(".")
        if _NAME_WORD_RE.fullmatch(word):
            current.append(word)
            continue
        if word.lower() in _NAME_JOINERS and current and current[-1].lower() not in _NAME_JOINERS:
            current.append(word)
            continue
        runs.append(current)
        current = []
    runs.append(current)
    return [_trim_joiners(run) for run in runs if _trim_joiners(run)]


def _trim_joiners(run: list[str]) -> list[str]:
    while run and run[-1].lower() in _NAME_JOINERS:
        run = run[:-1]
    return run


def _is_name(words: list[str]) -> bool:
    """Words that can name someone: not opened or closed by a joiner, not only decoration."""
    if not words:
        return False
    first, last = words[0].lower(), words[-1].lower()
    if first in _NAME_JOINERS or last in _NAME_JOINERS:
        return False
    return any(w.lower().strip("'’") not in vocab.SUBJECT_STOP_WORDS | _NAME_JOINERS for w in words)


@lru_cache(maxsize=64)
def _presentation_patterns(templates: tuple[str, ...], name: str) -> re.Pattern[str]:
    named = textmod.phrase_pattern(name).pattern
    return re.compile("|".join(t.replace("{name}", f"(?:{named})") for t in templates), re.IGNORECASE)


def presented_names(subject: str, body: str, templates: Iterable[str]) -> list[str]:
    """The longest phrases of the subject that the body presents the way the templates describe."""
    masked = textmod.mask(body, (textmod.URL, textmod.EMAIL))
    found: list[str] = []
    for phrase in subject_phrases(subject):
        if any(names_phrase(longer, phrase) for longer in found):
            continue
        if _presentation_patterns(tuple(templates), phrase).search(masked):
            found.append(phrase)
    return found


def employers_in_message(subject: str, body: str) -> list[str]:
    """Organisations the subject names and the body presents as the employer."""
    return list(_presented(subject, body, vocab.EMPLOYER_PRESENTATIONS))


def positions_in_message(subject: str, body: str) -> list[str]:
    """Phrases the subject names and the body presents as the position applied for."""
    return list(_presented(subject, body, vocab.POSITION_PRESENTATIONS))


@lru_cache(maxsize=16)
def _presented(subject: str, body: str, templates: tuple[str, ...]) -> tuple[str, ...]:
    """Several rules ask who one message presents as its employer; the search is done once."""
    return tuple(presented_names(subject, body, templates))


def names_phrase(text: str, phrase: str) -> bool:
    """Whether the text contains the phrase as words, ignoring case, spacing and hyphens."""
    return bool(textmod.phrase_pattern(phrase).search(text))
