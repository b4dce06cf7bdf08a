"""Rewriting what the reference's explanation generator wrote, for the MSG, MEMO and EXPL faults.

The generator stays the reference's; a fault wraps it (`revise`) and edits a `Draft`: the subject, the
body's paragraphs, the memo and the flags. The memo's message hash is then recomputed, so a fault in
the message does not also break MEMO-004 (unless that is the fault).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..explanations import Decision, Explanation
from ..profile import EmployerProfile
from .registry import Variant

_SENTENCE_BREAK = re.compile(r"(?<=\.) (?=[A-Z])")


@dataclass
class Draft:
    """An explanation being revised: what the reference wrote, in editable pieces."""

    decision: Decision
    profile: EmployerProfile
    now: datetime
    subject: str
    paragraphs: list[str]
    locale: str
    memo: dict[str, Any]
    flags: list[str]  # the response's and the record's complianceFlags
    rehash: bool = field(default=True)

    @classmethod
    def of(cls, explanation: Explanation, decision: Decision, profile: EmployerProfile, now: datetime) -> Draft:
        message = explanation.candidate_message
        return cls(
            decision,
            profile,
            now,
            message["subject"],
            message["body"].split("\n\n"),
            message["locale"],
            copy.deepcopy(explanation.internal_memo),
            list(explanation.compliance_flags),
        )

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def explanation(self) -> Explanation:
        if self.rehash:
            self.memo["candidateMessageSha256"] = hashlib.sha256(f"{self.subject}\n\n{self.body}".encode()).hexdigest()
        message = {"subject": self.subject, "body": self.body, "locale": self.locale}
        return Explanation(candidate_message=message, internal_memo=self.memo, compliance_flags=self.flags)

    # -- paragraphs ------------------------------------------------------------------------------

    def find(self, start: str) -> int | None:
        """The index of the first paragraph containing `start` at the beginning of a sentence."""
        return next((i for i, text in enumerate(self.paragraphs) if _starts_sentence(text, start)), None)

    def drop(self, start: str) -> None:
        index = self.find(start)
        if index is not None:
            del self.paragraphs[index]

    def replace(self, start: str, text: str) -> None:
        index = self.find(start)
        if index is not None:
            self.paragraphs[index] = text

    def insert_after(self, start: str, text: str) -> None:
        index = self.find(start)
        self.paragraphs.insert(len(self.paragraphs) - 1 if index is None else index + 1, text)

    def add(self, text: str) -> None:
        """A paragraph before the sign-off."""
        self.paragraphs.insert(len(self.paragraphs) - 1, text)

    def drop_sentences(self, *starts: str) -> None:
        """Remove every sentence that begins with one of `starts`, wherever it is."""
        for i, text in enumerate(self.paragraphs):
            sentences = _SENTENCE_BREAK.split(text)
            kept = [s for s in sentences if not s.startswith(starts)]
            self.paragraphs[i] = " ".join(kept)
        self.paragraphs = [text for text in self.paragraphs if text]

    # -- flags -----------------------------------------------------------------------------------

    def flag(self, name: str, present: bool) -> None:
        """Set or clear a flag in the memo and in the response alike."""
        for flags in (self.flags, self.memo["complianceFlags"]):
            if present and name not in flags:
                flags.append(name)
                flags.sort()
            elif not present and name in flags:
                flags.remove(name)


def _starts_sentence(text: str, start: str) -> bool:
    return any(sentence.startswith(start) for sentence in _SENTENCE_BREAK.split(text))


Revision = Callable[[Draft], None]


def revise(variant: Variant, revision: Revision) -> None:
    """Wrap the variant's explainer: every explanation it writes is revised by `revision`."""
    inner = variant.explainer

    def explain(decision: Decision, profile: EmployerProfile, now: datetime) -> Explanation:
        draft = Draft.of(inner(decision, profile, now), decision, profile, now)
        revision(draft)
        return draft.explanation()

    variant.explainer = explain
