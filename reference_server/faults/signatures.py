"""SIG faults: webhook signatures verified the ways deployments get them wrong.

Each is a wrapper around the reference's source. The wrapper decides, by its own wrong rule, whether
a delivery's signature is good; then it hands the reference the delivery signed right (accepted) or
signed wrong (refused), so everything else (freshness, parsing, redelivery keys) stays the reference's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from ..config import Settings
from ..problems import ProblemError
from ..webhooks import VerifiedDelivery, WebhookDecision, WebhookSource, greenhouse, lever, workday
from ..webhooks.common import Ignored, as_dict, stale
from . import openapi
from .asgi import WEBHOOK, Forward, Incoming, Reply, current_request, intercept, pass_on
from .registry import Variant, fault

Headers = Mapping[str, str]


# -- reading and writing each scheme's signature ----------------------------------------------------


class Signing(Protocol):
    """Where a source's signature travels, and what the reference expects there."""

    def given(self, headers: Headers, body: bytes) -> list[str] | None:
        """The digests the delivery carries (None when it carries no signature at all)."""

    def expected(self, headers: Headers, body: bytes, secret: str) -> str | None:
        """The digest the reference expects (None when the delivery lacks what is signed)."""

    def signed(self, headers: Headers, body: bytes, digest: str) -> tuple[dict[str, str], bytes]:
        """The same delivery carrying `digest` as its only signature."""


class GreenhouseSigning:
    def given(self, headers: Headers, body: bytes) -> list[str] | None:
        header = headers.get("signature")
        return None if header is None else [header.removeprefix("sha256 ")]

    def expected(self, headers: Headers, body: bytes, secret: str) -> str | None:
        return greenhouse.signature(secret, body)

    def signed(self, headers: Headers, body: bytes, digest: str) -> tuple[dict[str, str], bytes]:
        return {**headers, "signature": f"sha256 {digest}"}, body


class LeverSigning:
    def given(self, headers: Headers, body: bytes) -> list[str] | None:
        payload = _object(body)
        return [payload["signature"]] if isinstance(payload.get("signature"), str) else None

    def expected(self, headers: Headers, body: bytes, secret: str) -> str | None:
        payload = _object(body)
        token, triggered_at = payload.get("token"), payload.get("triggeredAt")
        if not isinstance(token, str) or isinstance(triggered_at, bool) or not isinstance(triggered_at, int):
            return None
        return lever.signature(secret, token, triggered_at)

    def signed(self, headers: Headers, body: bytes, digest: str) -> tuple[dict[str, str], bytes]:
        return dict(headers), json.dumps({**_object(body), "signature": digest}).encode()


class WorkdaySigning:
    def given(self, headers: Headers, body: bytes) -> list[str] | None:
        header = headers.get("webhook-signature")
        if header is None:
            return None
        return [value for version, _, value in (entry.partition(",") for entry in header.split(" ")) if version == "v1"]

    def expected(self, headers: Headers, body: bytes, secret: str) -> str | None:
        msg_id, timestamp = headers.get("webhook-id"), headers.get("webhook-timestamp")
        if not msg_id or not timestamp:
            return None
        try:
            return workday.signature(secret, msg_id, timestamp, body)
        except ValueError:
            return None

    def signed(self, headers: Headers, body: bytes, digest: str) -> tuple[dict[str, str], bytes]:
        return {**headers, "webhook-signature": f"v1,{digest}"}, body


SIGNING: dict[str, Signing] = {"greenhouse": GreenhouseSigning(), "lever": LeverSigning(), "workday": WorkdaySigning()}


def _object(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    return payload if isinstance(payload, dict) else {}


def wrong(digest: str) -> str:
    """The digest with its first character changed: well-formed, and never right."""
    return ("1" if digest[0] != "1" else "2") + digest[1:]


# -- wrappers ----------------------------------------------------------------------------------------

# Decides, for a delivery, which signature the reference is shown: the right one (accept), a wrong
# one (refuse), or the delivery as it came (None: let the reference judge).
Judge = Callable[[Signing, Headers, bytes, str], bool | None]


@dataclass(frozen=True)
class JudgedBy:
    """A source whose signatures are judged by `judge` instead of the reference's rule."""

    inner: WebhookSource
    judge: Judge

    @property
    def name(self) -> str:
        return self.inner.name

    def verify(self, headers: Headers, body: bytes, secret: str, now: datetime, settings: Settings) -> VerifiedDelivery:
        signing = SIGNING[self.name]
        verdict = self.judge(signing, headers, body, secret)
        expected = signing.expected(headers, body, secret)
        if verdict is not None and expected is not None:
            headers, body = signing.signed(headers, body, expected if verdict else wrong(expected))
        return self.inner.verify(headers, body, secret, now, settings)

    def interpret(self, payload: dict[str, Any]) -> WebhookDecision | Ignored:
        return self.inner.interpret(payload)


@dataclass(frozen=True)
class Wrapped:
    """A source whose verify or interpret step is replaced; the other is the reference's."""

    inner: WebhookSource
    verify_with: Callable[..., VerifiedDelivery] | None = None
    interpret_with: Callable[[WebhookSource, dict[str, Any]], WebhookDecision | Ignored] | None = None

    @property
    def name(self) -> str:
        return self.inner.name

    def verify(self, headers: Headers, body: bytes, secret: str, now: datetime, settings: Settings) -> VerifiedDelivery:
        if self.verify_with is None:
            return self.inner.verify(headers, body, secret, now, settings)
        return self.verify_with(self.inner, headers, body, secret, now, settings)

    def interpret(self, payload: dict[str, Any]) -> WebhookDecision | Ignored:
        if self.interpret_with is None:
            return self.inner.interpret(payload)
        return self.interpret_with(self.inner, payload)


def judge_sources(variant: Variant, judge: Judge, names: tuple[str, ...] = ("greenhouse", "lever", "workday")) -> None:
    for name in names:
        variant.sources[name] = JudgedBy(variant.sources[name], judge)


def wrap_source(variant: Variant, name: str, **steps: Any) -> None:
    variant.sources[name] = Wrapped(variant.sources[name], **steps)


# -- SIG-001 ---------------------------------------------------------------------------------------


def _base64_digest(signing: Signing, headers: Headers, body: bytes, secret: str) -> bool | None:
    given, expected = signing.given(headers, body), signing.expected(headers, body, secret)
    if not given or expected is None:
        return None
    try:
        decoded = base64.b64decode(given[0], validate=True)
    except (binascii.Error, ValueError):
        return False
    return decoded.hex() == expected


@fault(
    "SIG-001",
    "accepted",
    "Greenhouse signatures are expected base64-encoded (Shopify's scheme), so 'sha256 <hex>' never verifies",
)
def greenhouse_base64_signature(variant: Variant) -> None:
    judge_sources(variant, _base64_digest, ("greenhouse",))


_ESCAPE = re.compile(rb"\\\\|(?:\\u[0-9a-fA-F]{4})+")


def _escapes_written_out(body: bytes) -> bytes:
    """The body with its `\\uXXXX` escapes written out as the characters they stand for, as a JSON library
    writes it back (`ensure_ascii=False`); the layout is kept."""

    def character(match: re.Match[bytes]) -> bytes:
        if match.group(0) == b"\\\\":
            return match.group(0)
        return str(json.loads(b'"' + match.group(0) + b'"')).encode("utf-8", "surrogatepass")

    return _ESCAPE.sub(character, body)


def _over_rewritten_text(signing: Signing, headers: Headers, body: bytes, secret: str) -> bool | None:
    given = signing.given(headers, body)
    if not given:
        return None
    return hmac.compare_digest(given[0], greenhouse.signature(secret, _escapes_written_out(body)))


@fault(
    "SIG-001",
    "raw-bytes",
    "Greenhouse signatures are checked over the body as re-serialised text, its \\uXXXX escapes written out, "
    "not over the raw bytes",
)
def reserialize_before_verify(variant: Variant) -> None:
    judge_sources(variant, _over_rewritten_text, ("greenhouse",))


# -- SIG-002 ---------------------------------------------------------------------------------------


def _lever_over_body(signing: Signing, headers: Headers, body: bytes, secret: str) -> bool | None:
    given = signing.given(headers, body)
    if not given:
        return None
    return hmac.compare_digest(given[0], hmac.new(secret.encode(), body, hashlib.sha256).hexdigest())


@fault("SIG-002", "accepted", "Lever signatures are checked over the raw body, not token + triggeredAt")
def lever_body_signature(variant: Variant) -> None:
    judge_sources(variant, _lever_over_body, ("lever",))


# -- SIG-003 ---------------------------------------------------------------------------------------


def _workday_raw_secret(signing: Signing, headers: Headers, body: bytes, secret: str) -> bool | None:
    given = signing.given(headers, body)
    msg_id, timestamp = headers.get("webhook-id"), headers.get("webhook-timestamp")
    if not given or not msg_id or not timestamp:
        return None
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest()).decode()
    return digest in given


@fault(
    "SIG-003",
    "accepted",
    "Workday signatures are keyed with the 'whsec_...' text itself, not the base64-decoded secret",
)
def workday_raw_secret(variant: Variant) -> None:
    judge_sources(variant, _workday_raw_secret, ("workday",))


def _first_entry_only(inner: WebhookSource, headers: Headers, body: bytes, *rest: Any) -> VerifiedDelivery:
    signatures = headers.get("webhook-signature")
    if signatures:
        headers = {**headers, "webhook-signature": signatures.split(" ")[0]}
    return inner.verify(headers, body, *rest)


@fault("SIG-003", "any-entry", "only the first entry of a space-separated webhook-signature list is checked")
def workday_first_signature_only(variant: Variant) -> None:
    wrap_source(variant, "workday", verify_with=_first_entry_only)


# -- SIG-004 ---------------------------------------------------------------------------------------


def _unsigned_passes(signing: Signing, headers: Headers, body: bytes, secret: str) -> bool | None:
    return True if signing.given(headers, body) is None else None


@fault("SIG-004", "missing", "a delivery without a signature is accepted: signatures are checked only when sent")
def unsigned_accepted(variant: Variant) -> None:
    judge_sources(variant, _unsigned_passes)


_WELL_FORMED: dict[str, re.Pattern[str]] = {
    "greenhouse": re.compile(r"sha256 [0-9a-f]+"),
    "lever": re.compile(r"[0-9a-f]+"),
    "workday": re.compile(r"v[0-9]+,[A-Za-z0-9+/]+=*(?: v[0-9]+,[A-Za-z0-9+/]+=*)*"),
}


def _malformed_400(inner: WebhookSource, headers: Headers, body: bytes, *rest: Any) -> VerifiedDelivery:
    given = {
        "greenhouse": headers.get("signature"),
        "workday": headers.get("webhook-signature"),
        "lever": _object(body).get("signature"),
    }[inner.name]
    if isinstance(given, str) and not _WELL_FORMED[inner.name].fullmatch(given):
        raise ProblemError(400, "invalid_signature", "The signature is malformed.")
    return inner.verify(headers, body, *rest)


@fault(
    "SIG-004", "malformed", "a signature that cannot be parsed (no digest, not hex or base64) gets 400 instead of 401"
)
def signature_malformed_400(variant: Variant) -> None:
    for name in ("greenhouse", "lever", "workday"):
        wrap_source(variant, name, verify_with=_malformed_400)
    openapi.allow_status(variant.openapi, "invalid_signature", 400)


def _any_secret(signing: Signing, headers: Headers, body: bytes, secret: str) -> bool | None:
    incoming = current_request.get()
    if incoming is None:
        return None
    configured = (incoming.state.keyring.webhook_secret(name) for name in SIGNING)
    others = {signing.expected(headers, body, other) for other in configured if other and other != secret}
    return True if others & set(signing.given(headers, body) or ()) else None


@fault(
    "SIG-004",
    "wrong-secret",
    "a delivery signed with another configured ATS's secret is accepted (one verifier tries every webhook secret)",
)
def signature_any_secret(variant: Variant) -> None:
    judge_sources(variant, _any_secret)
    variant.middleware.append(intercept(WEBHOOK, pass_on))


def _prefix_of_expected(signing: Signing, headers: Headers, body: bytes, secret: str) -> bool | None:
    given, expected = signing.given(headers, body), signing.expected(headers, body, secret)
    if not given or expected is None:
        return None
    return True if any(digest and expected.startswith(digest) for digest in given) else None


@fault("SIG-004", "truncated", "a signature that matches the start of the expected one (a truncated one) is accepted")
def signature_prefix_match(variant: Variant) -> None:
    judge_sources(variant, _prefix_of_expected)


def _first_half(signing: Signing, headers: Headers, body: bytes, secret: str) -> bool | None:
    given, expected = signing.given(headers, body), signing.expected(headers, body, secret)
    if not given or expected is None:
        return None
    half = len(expected) // 2
    return True if any(len(d) == len(expected) and d[:half] == expected[:half] for d in given) else None


@fault(
    "SIG-004",
    "altered",
    "only the first half of a digest is compared (32 of 64 hex characters, 22 of 44 base64), so a character "
    "altered in the second half goes unnoticed",
)
def signature_half_compare(variant: Variant) -> None:
    judge_sources(variant, _first_half)


async def _record_refused_deliveries(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    if reply.status != 401 or (reply.json() or {}).get("code") != "invalid_signature":
        return reply
    source = incoming.path.removeprefix("/webhook/")
    secret = incoming.state.keyring.webhook_secret(source)
    signing = SIGNING.get(source)
    expected = signing.expected(incoming.headers, incoming.body, secret) if signing and secret else None
    if signing is not None and expected is not None:
        headers, body = signing.signed(incoming.headers, incoming.body, expected)
        await forward(incoming.with_headers(dict(headers)).with_body(body))
    return reply


@fault(
    "SIG-004",
    "nothing-recorded",
    "a delivery refused for its signature is recorded anyway (as if it verified), then answered 401",
)
def signature_refused_recorded(variant: Variant) -> None:
    variant.middleware.append(intercept(WEBHOOK, _record_refused_deliveries))


# -- SIG-005 ---------------------------------------------------------------------------------------


def _stripped(inner: WebhookSource, headers: Headers, body: bytes, *rest: Any) -> VerifiedDelivery:
    return inner.verify(headers, body.strip(), *rest)


@fault("SIG-005", "greenhouse", "Greenhouse signatures are checked over the body with surrounding whitespace stripped")
def strip_body_before_verify(variant: Variant) -> None:
    wrap_source(variant, "greenhouse", verify_with=_stripped)


@fault("SIG-005", "workday", "Workday signatures are checked over the body with surrounding whitespace stripped")
def workday_strip_body_before_verify(variant: Variant) -> None:
    wrap_source(variant, "workday", verify_with=_stripped)


# -- SIG-006 ---------------------------------------------------------------------------------------


def _workday_window(direction: int) -> Callable[..., VerifiedDelivery]:
    """Verify as of the delivery's own timestamp when it lies beyond the window in `direction`
    (-1 the past, +1 the future): that bound is never checked."""

    def verify(
        inner: WebhookSource, headers: Headers, body: bytes, secret: str, now: datetime, settings: Settings
    ) -> VerifiedDelivery:
        timestamp = headers.get("webhook-timestamp", "")
        if timestamp.isascii() and timestamp.isdigit():
            offset = int(timestamp) - now.timestamp()
            if offset * direction > settings.workday_tolerance_seconds:
                now = datetime.fromtimestamp(int(timestamp), UTC)
        return inner.verify(headers, body, secret, now, settings)

    return verify


@fault("SIG-006", "workday-past", "Workday timestamps are bounded only in the future: old deliveries are accepted")
def workday_no_past_bound(variant: Variant) -> None:
    wrap_source(variant, "workday", verify_with=_workday_window(-1))


@fault("SIG-006", "workday-future", "Workday timestamps are bounded only in the past: future deliveries are accepted")
def workday_no_future_bound(variant: Variant) -> None:
    wrap_source(variant, "workday", verify_with=_workday_window(+1))


def _lever_future_accepted(
    inner: WebhookSource, headers: Headers, body: bytes, secret: str, now: datetime, settings: Settings
) -> VerifiedDelivery:
    triggered_at = _object(body).get("triggeredAt")
    if isinstance(triggered_at, int) and not isinstance(triggered_at, bool):
        ahead = triggered_at / 1000 - now.timestamp()
        if ahead > settings.lever_future_seconds:
            now = datetime.fromtimestamp(triggered_at / 1000, UTC)
    return inner.verify(headers, body, secret, now, settings)


@fault("SIG-006", "lever-future", "a Lever triggeredAt in the future is not bounded")
def lever_no_future_bound(variant: Variant) -> None:
    wrap_source(variant, "lever", verify_with=_lever_future_accepted)


def _never_stale(inner: WebhookSource, *args: Any) -> VerifiedDelivery:
    return replace(inner.verify(*args), stale_unless_seen=False)


@fault("SIG-006", "lever-stale", "a Lever delivery more than 24 hours old is accepted and recorded although never seen")
def lever_stale_accepted(variant: Variant) -> None:
    wrap_source(variant, "lever", verify_with=_never_stale)


def _stale_before_dedup(inner: WebhookSource, *args: Any) -> VerifiedDelivery:
    delivery = inner.verify(*args)
    if delivery.stale_unless_seen:
        raise stale("triggeredAt is more than 24 hours old.")
    return delivery


@fault(
    "SIG-006",
    "lever-seen",
    "a Lever delivery more than 24 hours old is refused before redeliveries are looked up, so a retry of one "
    "already recorded gets 401 instead of a duplicate answer",
)
def lever_stale_before_dedup(variant: Variant) -> None:
    wrap_source(variant, "lever", verify_with=_stale_before_dedup)


# -- SIG-007 ---------------------------------------------------------------------------------------


async def _ignored_202(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    return reply.with_status(202) if reply.status == 200 and (reply.json() or {}).get("ignored") else reply


@fault("SIG-007", "exactly-200", "unsupported events are answered 202 Accepted instead of 200")
def ignored_202(variant: Variant) -> None:
    variant.middleware.append(intercept(WEBHOOK, _ignored_202))
    for operation in _webhook_operations(variant.openapi):
        operation["responses"]["202"] = operation["responses"]["200"]


async def _no_ignored_flag(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    ack = reply.json()
    if reply.status != 200 or not isinstance(ack, dict) or not ack.get("ignored"):
        return reply
    return reply.with_json({name: value for name, value in ack.items() if name != "ignored"})


@fault("SIG-007", "ignored-flag", 'an unsupported event is acknowledged with 200 but without "ignored": true')
def ignored_flag_missing(variant: Variant) -> None:
    variant.middleware.append(intercept(WEBHOOK, _no_ignored_flag))
    ack = openapi.schema(variant.openapi, "WebhookAck")
    ack["required"] = [name for name in ack["required"] if name != "ignored"]


def _as_decision(source: str, payload: dict[str, Any], headers: Headers) -> tuple[dict[str, Any], dict[str, str]]:
    """An unsupported delivery turned into one that records a decision, under a delivery identity of its own
    (so the ignored delivery's retries are still not recognised as redeliveries)."""
    headers = {name: value for name, value in headers.items() if name not in ("greenhouse-event-id", "webhook-id")}
    if source == "greenhouse":
        return {**payload, "action": "candidate_stage_change"}, headers
    if source == "lever":
        data = as_dict(payload.get("data"))
        archived = data.get("toArchived") or {"archivedAt": payload.get("triggeredAt"), "reason": None}
        changed = {"event": "candidateArchiveChange", "data": {**data, "toArchived": archived}}
        return {**payload, **changed, "token": secrets.token_hex(16)}, headers
    return {**payload, "eventType": "JobApplication.Dispositioned"}, {
        **headers,
        "webhook-id": f"msg_{secrets.token_hex(12)}",
    }


async def _record_ignored(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    if reply.status != 200 or not (reply.json() or {}).get("ignored"):
        return reply
    source = incoming.path.removeprefix("/webhook/")
    payload, secret = _object(incoming.body), incoming.state.keyring.webhook_secret(source)
    decision, headers = _as_decision(source, payload, incoming.headers)
    body = json.dumps(decision, separators=(",", ":")).encode()
    signing = SIGNING[source]
    expected = signing.expected(headers, body, secret) if secret else None
    if payload and expected is not None:
        headers, body = signing.signed(headers, body, expected)
        removed: dict[str, str | None] = {"greenhouse-event-id": None}
        await forward(incoming.with_headers({**removed, **headers}).with_body(body))
    return reply


@fault(
    "SIG-007",
    "nothing-recorded",
    "an unsupported event is recorded as a decision (its event type is checked only when acknowledging it), "
    "then acknowledged as ignored",
)
def ignored_events_recorded(variant: Variant) -> None:
    variant.middleware.append(intercept(WEBHOOK, _record_ignored))


def _webhook_operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [operations["post"] for path, operations in document["paths"].items() if "/webhook/" in path]
