"""How a request goes on the wire: the one map from webhook source to its secret's variable, how a delivery
is signed, and how a generated delivery carries its deliberate fault.

Every webhook request the harness sends is built here, by the hand-written checks (`sign`), the generated
cases (`deliver`) and `python -m nyc_hiring.harness replay --resign`, so a saved case is re-signed exactly as it
was sent, fault included. The signers themselves are harness.signing (checked against the published
vectors); the faults, harness.corruption.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx

from .client import TargetClient
from .corruption import WHITESPACE, WRONG_SCHEMES, alter_digest, changed_byte, next_char, reserialised, split_signature
from .signing import greenhouse_headers, lever_sign_body, standard_webhooks_headers, standard_webhooks_signature

SOURCES = ("greenhouse", "lever", "workday")
WEBHOOK_SECRETS = {
    "greenhouse": "WEBHOOK_SECRET_GREENHOUSE",
    "lever": "WEBHOOK_SECRET_LEVER",
    "workday": "WEBHOOK_SECRET_WORKDAY",
}
JSON_TYPE = "application/json"
# Beyond each freshness window by at least this much, so a few seconds of clock skew never make a
# corrupted timestamp acceptable again.
WINDOW_MARGIN_S = 30
WORKDAY_TOLERANCE_S = 300  # Standard Webhooks ±5 min (contract SIG-006)
LEVER_FUTURE_S = 300  # Lever: at most 5 min ahead
LEVER_MAX_AGE_S = 24 * 3600  # Lever: at most 24 h old unless seen before


@dataclass(frozen=True)
class WireRequest:
    """One HTTP request, exactly as it goes on the wire."""

    path: str
    headers: dict[str, str]
    body: bytes

    def send(self, client: TargetClient) -> httpx.Response:
        return client.post(self.path, content=self.body, headers=self.headers)


def sign(source: str, body: bytes, secret: str, now: datetime | None = None) -> WireRequest:
    """A correctly signed delivery of `body` (a Lever body is re-serialised with its signed fields)."""
    if source == "greenhouse":
        return WireRequest("/webhook/greenhouse", greenhouse_headers(secret, body), body)
    if source == "lever":
        moment = now or datetime.now(UTC)
        signed = lever_sign_body(secret, json.loads(body), triggered_at_ms=int(moment.timestamp() * 1000))
        return WireRequest("/webhook/lever", {"Content-Type": JSON_TYPE}, json.dumps(signed).encode())
    timestamp = int((now or datetime.now(UTC)).timestamp())
    return WireRequest("/webhook/workday", standard_webhooks_headers(secret, body, timestamp=timestamp), body)


# -- generated deliveries: what is signed, how, and with which fault ---------------------------------


@dataclass(frozen=True)
class WebhookEvent:
    """One ATS event. `body` is what the sender signs: the exact wire bytes for Greenhouse and Workday;
    for Lever, the body before `token`, `triggeredAt` and `signature` are set (Lever signs those fields)."""

    source: str
    event: str
    decision: str | None  # None: a conforming deployment acknowledges it and records nothing
    body: bytes


@dataclass(frozen=True)
class Corruption:
    """One deliberate fault in a delivery. `amount` picks the variant (a position, a length, seconds
    beyond the window...), so Hypothesis can shrink it and a saved case can apply it again."""

    kind: str
    amount: int = 0

    @property
    def target(self) -> str:
        return CORRUPTIONS[self.kind][0]

    def requirement(self, source: str) -> tuple[str, str]:
        """The requirement clause a delivery with this fault tests, for the source it is sent to."""
        if self.target == "timestamp":
            windows = {
                "workday": {"stale": "workday-past", "future": "workday-future"},
                "lever": {"stale": "lever-stale", "future": "lever-future"},
            }
            return "SIG-006", windows[source][self.kind]
        if self.target == "bytes" and source != "lever":
            return "SIG-005", source
        return "SIG-004", SIGNATURE_CLAUSES.get(self.kind, "altered")

    def describe(self) -> str:
        return CORRUPTIONS[self.kind][1].format(amount=self.amount)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "amount": self.amount}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Corruption:
        if value.get("kind") not in CORRUPTIONS or not isinstance(value.get("amount", 0), int):
            raise ValueError(f"unknown corruption {value!r}")
        return cls(value["kind"], value.get("amount", 0))


# signature faults → the SIG-004 clause each tests (a Lever token or triggeredAt altered is a signature
# that no longer matches: "altered")
SIGNATURE_CLAUSES = {
    "altered_char": "altered",
    "truncated": "truncated",
    "wrong_secret": "wrong-secret",
    "wrong_scheme": "malformed",
    "empty": "missing",
}
# kind → (what it targets, how the report names it)
CORRUPTIONS: dict[str, tuple[str, str]] = {
    "altered_char": ("signature", "one character of the signature altered (digest position {amount})"),
    "truncated": ("signature", "the signature truncated (variant {amount})"),
    "wrong_secret": ("signature", "signed with the wrong secret"),
    "wrong_scheme": ("signature", "the signature under a wrong scheme prefix (variant {amount})"),
    "empty": ("signature", "an empty or missing signature (variant {amount})"),
    "stale": ("timestamp", "a timestamp {amount} s older than the window allows (plus a margin)"),
    "future": ("timestamp", "a timestamp {amount} s further ahead than the window allows (plus a margin)"),
    "byte_changed": ("bytes", "one byte of the body changed after signing (string byte {amount})"),
    "reserialised": ("bytes", "the body re-serialised after signing (style {amount})"),
    "whitespace": ("bytes", "whitespace added to the body after signing (variant {amount})"),
    "token_altered": ("bytes", "one character of the signed token altered (position {amount})"),
    "triggered_at_altered": ("bytes", "the signed triggeredAt moved by {amount} ms"),
}


@dataclass(frozen=True)
class Signing:
    """How one delivery of an event is signed: the sender's identity for it (Greenhouse-Event-ID, Lever
    token, Workday webhook-id), its own clock relative to the sending moment, and any corruption."""

    event: WebhookEvent
    identity: str
    delay_s: int = 0
    corruption: Corruption | None = None
    # Standard Webhooks only: signatures under retired keys listed before the current one, as a sender
    # rotating its secret sends them; any one matching v1 entry must be accepted (SIG-003).
    retired_keys: int = 0

    @property
    def source(self) -> str:
        return self.event.source

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "event": self.event.event,
            "decision": self.event.decision,
            "signedBodyBase64": base64.b64encode(self.event.body).decode(),
            "identity": self.identity,
            "delaySeconds": self.delay_s,
            "corruption": self.corruption.to_json() if self.corruption else None,
            "retiredKeys": self.retired_keys,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Signing:
        if value.get("source") not in SOURCES:
            raise ValueError(f"unknown webhook source {value.get('source')!r}")
        event = WebhookEvent(
            value["source"],
            str(value.get("event", "")),
            value.get("decision"),
            base64.b64decode(value["signedBodyBase64"], validate=True),
        )
        corruption = value.get("corruption")
        return cls(
            event,
            str(value["identity"]),
            int(value.get("delaySeconds", 0)),
            Corruption.from_json(corruption) if corruption else None,
            int(value.get("retiredKeys", 0)),
        )


def deliver(signing: Signing, secret: str, now: float | None = None) -> WireRequest:
    """The request for a delivery, signed with `secret` at `now` (+ the signing's delay), corruption applied.

    The one way both the checks and `python -m nyc_hiring.harness replay --resign` build webhook requests, so a
    re-signed case carries exactly the fault it was saved with.
    """
    moment = (time.time() if now is None else now) + signing.delay_s
    corruption = signing.corruption
    if corruption is not None and corruption.target == "timestamp":
        moment = _shifted(signing.source, corruption, time.time() if now is None else now)
    wrong = corruption is not None and corruption.kind == "wrong_secret"
    key = _derived_key(signing.source, secret, "not-the-secret") if wrong else secret
    if signing.source == "lever":
        return _deliver_lever(signing, key, moment)
    body = signing.event.body
    if signing.source == "greenhouse":
        headers, header = greenhouse_headers(key, body, event_id=signing.identity), "Signature"
    else:
        headers = standard_webhooks_headers(key, body, msg_id=signing.identity, timestamp=int(moment))
        header = "webhook-signature"
        retired = [
            standard_webhooks_signature(
                _derived_key("workday", secret, f"retired-{n}"), signing.identity, int(moment), body
            )
            for n in range(signing.retired_keys)
        ]
        headers[header] = " ".join([*retired, headers[header]])
    if corruption is not None and corruption.target == "signature":
        _corrupt_header(headers, header, signing.source, corruption)
    if corruption is not None and corruption.target == "bytes":
        body = _corrupt_body(body, corruption)
    return WireRequest(f"/webhook/{signing.source}", headers, body)


def _deliver_lever(signing: Signing, key: str, moment: float) -> WireRequest:
    signed_body = lever_sign_body(
        key, json.loads(signing.event.body), token=signing.identity, triggered_at_ms=int(moment * 1000)
    )
    corruption = signing.corruption
    if corruption is not None and corruption.target == "signature":
        value = _corrupt_signature(signed_body["signature"], "lever", corruption)
        if value is None:
            del signed_body["signature"]
        else:
            signed_body["signature"] = value
    elif corruption is not None and corruption.kind == "token_altered":
        token = signed_body["token"]
        position = corruption.amount % len(token)
        signed_body["token"] = token[:position] + next_char(token[position]) + token[position + 1 :]
    elif corruption is not None and corruption.kind == "triggered_at_altered":
        signed_body["triggeredAt"] += corruption.amount
    return WireRequest("/webhook/lever", {"Content-Type": JSON_TYPE}, json.dumps(signed_body).encode())


def _shifted(source: str, corruption: Corruption, now: float) -> float:
    if source == "workday":
        window = WORKDAY_TOLERANCE_S
    else:
        window = LEVER_MAX_AGE_S if corruption.kind == "stale" else LEVER_FUTURE_S
    beyond = window + WINDOW_MARGIN_S + corruption.amount
    return now - beyond if corruption.kind == "stale" else now + beyond


def _derived_key(source: str, secret: str, purpose: str) -> str:
    """Another key derived from the right one, so a saved case is re-signed the same (wrong) way."""
    digest = hashlib.sha256(f"{purpose}:".encode() + secret.encode()).digest()
    return "whsec_" + base64.b64encode(digest).decode() if source == "workday" else digest.hex()


def _corrupt_header(headers: dict[str, str], name: str, source: str, corruption: Corruption) -> None:
    """Corrupt the one valid signature; in a Standard Webhooks list that is the last entry, the others
    being made with retired keys, so no entry is left that verifies."""
    *others, current = headers[name].split(" ") if source == "workday" else [headers[name]]
    value = _corrupt_signature(current, source, corruption)
    if value is None:
        del headers[name]
    else:
        headers[name] = value if corruption.kind == "empty" else " ".join([*others, value])


def _corrupt_signature(signature: str, source: str, corruption: Corruption) -> str | None:
    """The corrupted signature value; None means the signature is left out altogether."""
    prefix, digest = split_signature(signature) if source != "lever" else ("", signature)
    if corruption.kind == "altered_char":
        return prefix + alter_digest(digest, corruption.amount)
    if corruption.kind == "truncated":  # at least one character: "sha256 " alone is no valid header value
        return prefix + digest[: 1 + corruption.amount % (len(digest) - 1)]
    if corruption.kind == "wrong_scheme":
        schemes = WRONG_SCHEMES[source]
        return schemes[corruption.amount % len(schemes)](digest)
    if corruption.kind == "empty":
        return None if corruption.amount % 2 == 0 else ""
    return signature  # wrong_secret: the key was wrong already


def _corrupt_body(body: bytes, corruption: Corruption) -> bytes:
    if corruption.kind == "byte_changed":
        return changed_byte(body, corruption.amount)
    if corruption.kind == "reserialised":
        return reserialised(body, corruption.amount)[1]
    return WHITESPACE[corruption.amount % len(WHITESPACE)](body)


def redelivery(signing: Signing) -> Signing:
    """The sender's retry: Greenhouse and Lever resend the same bytes and fields (Lever keeps its
    triggeredAt); a Standard Webhooks sender re-signs under the same webhook-id at retry time."""
    return replace(signing, delay_s=0) if signing.source == "workday" else signing


def uncorrupted(signing: Signing) -> Signing:
    return replace(signing, corruption=None)
