"""Webhook acknowledgements: what a verified delivery's 200 answer says happened, read in one place.

The contract names three outcomes (§ 3): recorded (with the IDs of the new decision, which EXPL-003 and
IDEM-004 refer to), a duplicate (`"duplicate": true` and the original IDs, IDEM-004) and ignored
(`"ignored": true`, nothing recorded, SIG-007). Everything else in an answer is the deployment's choice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

import httpx

from .client import json_dict
from .steps import Steps

AckOutcome = Literal["recorded", "duplicate", "ignored"]
SHOWN_FIELDS = ("status", "duplicate", "ignored", "decisionEventId")


def outcome(ack: Mapping[str, Any]) -> AckOutcome | None:
    """The outcome an acknowledgement states, or None when it states none the contract knows.

    An ignored event names no decision; it may also say it was seen before (`"duplicate": true`), which the
    contract neither asks nor forbids for a delivery that recorded nothing.
    """
    if ack.get("ignored") is True:
        return "ignored" if ack.get("decisionEventId") is None else None
    if ack.get("duplicate") is True:
        return "duplicate"  # whether it names the original IDs is judged on its own (IDEM-004 original-ids)
    has_id = isinstance(ack.get("decisionEventId"), str) and bool(ack["decisionEventId"])
    return "recorded" if has_id else None


def shown(ack: Mapping[str, Any]) -> str:
    """The fields that tell the outcomes apart; the whole answer when it has none of them."""
    brief = {name: ack[name] for name in SHOWN_FIELDS if name in ack}
    return json.dumps(brief or dict(ack))[:200]


def is_duplicate(response: httpx.Response) -> bool:
    return response.status_code == 200 and json_dict(response).get("duplicate") is True


def expect_recorded(response: httpx.Response, doing: str) -> dict[str, Any]:
    """200 and a newly recorded decision with its ID; Greenhouse counts anything but 200 as a failed delivery."""
    if response.status_code != 200:
        raise AssertionError(f"{doing}: expected HTTP 200, got {response.status_code} {_snippet(response)}")
    ack = json_dict(response)
    if outcome(ack) != "recorded":
        raise AssertionError(f"{doing}: expected a newly recorded decision with its decisionEventId, got {shown(ack)}")
    return ack


def expect_ignored(steps: Steps, response: httpx.Response, doing: str) -> None:
    """SIG-007: `"ignored": true`, and no decision named (an ignored event records nothing)."""
    ack = json_dict(response)
    with steps.check("SIG-007", "ignored-flag"):
        if ack.get("ignored") is not True:
            raise AssertionError(f'{doing}: expected "ignored": true, got {shown(ack)}')
    with steps.check("SIG-007", "nothing-recorded"):
        if ack.get("decisionEventId") is not None:
            raise AssertionError(
                f"{doing}: an ignored event records nothing, yet the answer names decisionEventId "
                f"{json.dumps(ack['decisionEventId'])}"
            )


def expect_duplicate_of(
    steps: Steps, response: httpx.Response, original: Mapping[str, Any], clause: str, doing: str
) -> None:
    """IDEM-004: a redelivery is a duplicate (charged to the source's `clause`), naming the original IDs."""
    ack = json_dict(response)
    with steps.check("IDEM-004", clause):
        if response.status_code != 200 or ack.get("duplicate") is not True:
            raise AssertionError(
                f'{doing}: expected HTTP 200 with "duplicate": true, got {response.status_code} {shown(ack)}'
            )
    with steps.check("IDEM-004", "original-ids"):
        for name in ("decisionEventId", "explanationId"):
            if original.get(name) is not None and ack.get(name) != original[name]:
                raise AssertionError(
                    f"{doing}: expected the original {name} {json.dumps(original[name])}, "
                    f"got {json.dumps(ack.get(name))}"
                )


def _snippet(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return f"({text[:160]})" if text else ""
