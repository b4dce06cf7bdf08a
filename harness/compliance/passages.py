"""The sentences of a body that carry one topic, and the contact details that go with them.

A message may name a qualification anywhere, but it says it *assessed* one, or gives it as a
*reason*, only in particular sentences; likewise an offer to review a decision or to provide an
accommodation is only usable if a way to ask sits next to it. Rules that judge such statements
look at these passages rather than at the whole body, so a contact given for one purpose does
not stand in for another, and a factor listed as assessed is not taken for a reason.
"""

from __future__ import annotations

import re

from nyc_hiring.harness.compliance import text as textmod
from nyc_hiring.harness.compliance import vocabulary as vocab

Spans = list[tuple[int, int]]

_LIST_ITEM_START_RE = re.compile(r"[ \t]*(?:[-*•]|\d{1,3}[.)])[ \t]")
_WORD_RE = re.compile(r"[A-Za-z]+")


def is_list_item(text: str, span: tuple[int, int]) -> bool:
    """Whether the sentence is an item of a bulleted or numbered list."""
    return bool(_LIST_ITEM_START_RE.match(text, span[0], span[1]))


def first_word_start(text: str, span: tuple[int, int]) -> int | None:
    """Offset of the sentence's first word (after any list marker), or None without words."""
    match = _WORD_RE.search(text, span[0], span[1])
    return match.start() if match else None


def cue_region(text: str, spans: Spans, cue: re.Pattern[str]) -> set[int]:
    """Indexes of the sentences that carry the cue's topic.

    A sentence matching the cue belongs, with the list items right after it (a lead-in such as
    "The main reasons were:" introduces them), the sentence after it when it only announces
    one ("Here is why."), and, when it opens by pointing back ("That was the main reason"),
    the sentence before it.
    """
    region: set[int] = set()
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end]
        if not cue.search(sentence):
            continue
        region.add(index)
        if index > 0 and vocab.BACK_REFERENCE_RE.search(sentence):
            region.add(index - 1)
        region.update(_introduced(text, spans, index))
    return region


def _introduced(text: str, spans: Spans, index: int) -> list[int]:
    """The sentences a lead-in introduces: the list items after it, or the next sentence."""
    following = index + 1
    items = []
    while following < len(spans) and is_list_item(text, spans[following]):
        items.append(following)
        following += 1
    short = len(_WORD_RE.findall(text, *spans[index])) <= vocab.LEAD_IN_MAX_WORDS
    if not items and short and index + 1 < len(spans):
        return [index + 1]
    return items


def region_text(text: str, spans: Spans, indexes: set[int]) -> str:
    """The sentences of a region joined by spaces, in order."""
    return " ".join(text[spans[i][0] : spans[i][1]] for i in sorted(indexes))


def contact_near(text: str, spans: Spans, index: int, other_request: re.Pattern[str]) -> bool:
    """Whether a request made in sentence `index` comes with a way to make it.

    The way is an email address, URL or phone number in that sentence or the next (unless the
    next is about another request, matched by `other_request`: its contact is for that one), a
    pointer to one given elsewhere ("the same number") when the message has one, or an
    invitation to reply to the message itself.
    """
    last = index + 1
    if last >= len(spans) or other_request.search(text, *spans[last]):
        last = index
    window = text[spans[index][0] : spans[last][1]]
    if textmod.contacts(window) or vocab.REPLY_ROUTE_RE.search(window):
        return True
    return bool(vocab.CONTACT_REFERENCE_RE.search(window) and textmod.contacts(text))
