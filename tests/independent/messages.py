"""The message a candidate receives about a decision an automated tool helped make.

Written as short prose paragraphs: what was decided, that an automated employment
decision tool took part and how, what it looked at (the negative factors first, as
the reasons, for a rejection), how to reach a person, how to ask for another way to
be assessed, what data was used, and where the bias audit is published. It carries
no number at all, no protected characteristic and nothing internal, so every rule of
the contract's MSG section holds for any input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tests.independent.employer_profile import Profile
from tests.independent.factors import is_protected, plain_words, title_without_digits

SUBJECT_LIMIT = 120
ITEM_WORDS_PER_SENTENCE = 5
_RESIDUE = re.compile(r"\{\{|\}\}|\$\{|\[object|\b(none|null|nan|undefined)\b|%|aedt|bias-free|guarantee", re.I)
ROLE_SENTENCES = {
    "sole": "The tool made this decision without a person changing it.",
    "weighted_most": "The tool's result counted for more than any other part of our review.",
    "overrode": "The tool's result was given more say than the views of the people who reviewed your application.",
    "assisted": "A person made this decision, with help from the tool.",
}


@dataclass(frozen=True)
class CandidateMessage:
    subject: str
    body: str
    locale: str

    def sha256(self) -> str:
        """The digest the memo keeps, so the record proves exactly what was sent."""
        return hashlib.sha256(f"{self.subject}\n\n{self.body}".encode()).hexdigest()

    def to_json(self) -> dict[str, str]:
        return {"subject": self.subject, "body": self.body, "locale": self.locale}


@dataclass(frozen=True)
class Factor:
    """What the message needs of a decision factor: never its value."""

    name: str
    contribution: str
    weight: float

    @classmethod
    def from_json(cls, factor: dict[str, object]) -> Factor:
        weight = factor.get("weight")
        number = float(weight) if isinstance(weight, int | float) and not isinstance(weight, bool) else 0.0
        return cls(str(factor["factor"]), str(factor["contribution"]), number)


def compose(
    decision: str,
    job_title: str | None,
    factors: Sequence[Factor],
    aedt_role: str,
    locale: str | None,
    profile: Profile,
) -> CandidateMessage:
    """Write the message for one decision."""
    title = usable_title(job_title)
    paragraphs = [
        _outcome(decision, title, profile.employer_name),
        _tool_and_factors(decision, aedt_role, factors),
        _review(decision, profile),
        _alternatives(profile),
        " ".join((*profile.data_summary, f"Our data policy at {profile.data_policy_url} explains more.")),
        "An independent auditor checked this tool for bias. "
        f"A summary of the audit is published at {profile.audit_summary_url} for anyone to read.",
        f"Best wishes,\nThe hiring team at {profile.employer_name}",
    ]
    return CandidateMessage(_subject(decision, title, profile.employer_name), "\n\n".join(paragraphs), _locale(locale))


def usable_title(job_title: str | None) -> str | None:
    """The job title as the message may show it, or None when it would break a message rule."""
    if not isinstance(job_title, str):
        return None
    title = " ".join("".join(ch if ch.isprintable() else " " for ch in job_title).split())
    if not title or _RESIDUE.search(title) or len(title) > 80 or len(title.split()) > 10:
        return None
    return title_without_digits(title)


def _locale(requested: str | None) -> str:
    """The message is written in English; an English tag asked for is kept."""
    if requested and requested.lower().split("-")[0] == "en":
        return requested
    return "en-US"


def _subject(decision: str, title: str | None, employer: str) -> str:
    about = title or employer
    subjects = {
        "reject": f"An update on your application for {about}" if title else f"An update from {employer}",
        "advance": f"Next steps for your {about} application",
        "hire": f"Good news about your application for {about}" if title else f"Good news from {employer}",
        "hold": f"Your application for {about} is on hold" if title else f"Your application to {employer} is on hold",
    }
    subject = subjects[decision]
    if len(subject) > SUBJECT_LIMIT:
        return f"Your application to {employer}"[:SUBJECT_LIMIT]
    return subject


def _outcome(decision: str, title: str | None, employer: str) -> str:
    position = f"the {title} position" if title else "the position you applied for"
    thanks = f"Thank you for applying for {position} at {employer}."
    outcomes = {
        "reject": f"{thanks} We are sorry to tell you that you were not selected. "
        "We will not move forward with your application.",
        "advance": f"{thanks} Good news: you are moving on to the next step. We will contact you soon about it.",
        "hire": f"Congratulations! You have been chosen for {position} at {employer}. "
        "We will contact you soon about your start.",
        "hold": f"{thanks} Your application is on hold for now. This means we have not made a final decision yet.",
    }
    return outcomes[decision]


def _tool_and_factors(decision: str, aedt_role: str, factors: Sequence[Factor]) -> str:
    sentences = [
        "We used an automated employment decision tool to help with this decision.",
        ROLE_SENTENCES.get(aedt_role, ROLE_SENTENCES["assisted"]),
    ]
    shown = [factor for factor in factors if not is_protected(factor.name)]
    if decision == "reject":
        sentences += _reasons(shown)
    elif shown:
        sentences += _grouped("It looked at", "It also looked at", _phrases(shown))
    else:
        sentences.append("The record of this decision does not list specific job qualifications.")
    return " ".join(sentences)


def _reasons(shown: Sequence[Factor]) -> list[str]:
    """For a rejection: the negative factors, heaviest first, are the reasons; the rest follow."""
    negative = sorted((f for f in shown if f.contribution == "negative"), key=lambda f: -f.weight)
    others = [f for f in shown if f.contribution != "negative"]
    sentences: list[str] = []
    if len(negative) == 1:
        sentences.append(f"The main reason for this decision was {_phrases(negative)[0]}.")
    elif negative:
        sentences += _grouped("The main reasons for this decision were", "Other reasons were", _phrases(negative))
    elif others:
        sentences.append("The record of this decision names no single main reason.")
    else:
        sentences.append("The record of this decision does not list specific job qualifications.")
    if others:
        lead = "The tool also looked at" if negative else "The tool looked at"
        sentences += _grouped(lead, "It also looked at", _phrases(others))
    return sentences


def _phrases(factors: Sequence[Factor]) -> list[str]:
    """Each factor once, in plain words, in the order given."""
    seen: list[str] = []
    for factor in factors:
        phrase = plain_words(factor.name)
        if phrase and phrase not in seen:
            seen.append(phrase)
    return seen


def _grouped(first_lead: str, next_lead: str, phrases: list[str]) -> list[str]:
    """Short sentences of a few items each, so a long factor list stays readable."""
    groups: list[list[str]] = [[]]
    for phrase in phrases:
        words = sum(len(item.split()) for item in groups[-1])
        if groups[-1] and words + len(phrase.split()) > ITEM_WORDS_PER_SENTENCE:
            groups.append([])
        groups[-1].append(phrase)
    leads = [first_lead] + [next_lead] * (len(groups) - 1)
    return [f"{lead} {_join(group)}." for lead, group in zip(leads, groups, strict=True) if group]


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _review(decision: str, profile: Profile) -> str:
    again = f"Write to {profile.review_email} and a person will look at your application again."
    if decision in ("reject", "hold"):
        return f"If you think this decision is wrong, you can ask for a human review. {again}"
    return f"If you have questions about this decision, or want a person to check it, you can ask us. {again}"


def _alternatives(profile: Profile) -> str:
    return (
        "You can also ask for an alternative selection process or a reasonable accommodation. "
        f"To ask, visit {profile.access_url} or write to {profile.access_email} and tell us what you need."
    )
