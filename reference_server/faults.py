"""Deliberate faults: the broken servers that prove each conformance check can fail.

Off unless `NYC_SANDBOX_FAULTS` (or `--faults`) names them; the server then says so loudly at start.
Each fault breaks one behaviour the way real deployments get it wrong (a prefix compare of signatures,
a dedup check that races, a memo that drifts from the request...), so the project's own tests can run
the harness against it and see exactly the requirement it breaks reported as failed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

FAULTS: dict[str, str] = {
    # AUTH
    "auth_optional": "a write without Authorization is accepted as the test key (AUTH-001)",
    "auth_accept_any_key": "any Bearer token, even unknown, malformed or revoked, is accepted (AUTH-002)",
    "auth_ignore_scope": "scopes are not checked (AUTH-003)",
    "auth_shared_environments": "reads ignore the key's environment (AUTH-004)",
    "auth_echo_key": "a refused key is quoted back in the error (AUTH-005)",
    # SIG
    "greenhouse_equals_prefix": "Greenhouse signatures are expected as 'sha256=<hex>' (SIG-001)",
    "lever_body_signature": "Lever signatures are checked over the raw body, not token + triggeredAt (SIG-002)",
    "workday_first_signature_only": "only the first entry of webhook-signature is checked (SIG-003)",
    "signature_prefix_match": "a signature matching the start of the expected one is accepted (SIG-004)",
    "strip_body_before_verify": "surrounding whitespace is stripped from the body before verifying (SIG-005)",
    "reserialize_before_verify": "Greenhouse signatures are checked over the body re-serialised as JSON (SIG-001)",
    "no_freshness": "webhook timestamps are not checked (SIG-006)",
    "ignored_202": "unsupported events are answered 202 instead of 200 (SIG-007)",
    # IDEM
    "no_dedup": "the same decision posted twice is recorded twice (IDEM-001)",
    "ignore_idempotency_key": "the Idempotency-Key header is ignored (IDEM-002)",
    "racy_dedup": "duplicates are checked, then recorded after an await, without a constraint (IDEM-003)",
    "no_webhook_dedup": "webhook redeliveries are recorded again (IDEM-004)",
    "memory_store": "the database lives in memory and is lost on restart (IDEM-005)",
    # EVT
    "json_errors_500": "malformed JSON raises an unhandled error (EVT-001)",
    "wrong_type_500": "a field of the wrong JSON type in a decision event raises an unhandled error (EVT-001)",
    "received_at_offset": "receivedAt is written with '+00:00' instead of 'Z' (EVT-002)",
    "verbose_errors": "problem details carry the server's stack (EVT-003)",
    "float_values": "factor values read back as floats: 2 becomes 2.0 (EVT-004)",
    # EXPL
    "memo_not_returned": "a requested explanation comes back without its memo (EXPL-001)",
    "always_explain": "explanations are generated even when not requested (EXPL-002)",
    "webhook_explanations_unstored": "webhook explanations are announced but never stored (EXPL-003)",
    # MSG
    "msg_no_aedt_phrase": "the message never says 'automated employment decision tool' (MSG-001)",
    "msg_no_factors": "the message does not list what was assessed (MSG-002)",
    "msg_no_accommodation": "the message has no accommodation instructions (MSG-003)",
    "msg_no_data_policy": "the message says nothing of data types, sources or retention (MSG-004)",
    "msg_no_audit_link": "the message does not link the bias-audit summary (MSG-005)",
    "msg_leaks_score": "the message quotes a factor value as a score (MSG-006)",
    "msg_protected_reason": "the message gives age as a reason (MSG-007)",
    "msg_internal_id": "the message quotes the decision event ID (MSG-008)",
    "msg_template_residue": "the message keeps a {{placeholder}} (MSG-009)",
    "msg_bad_subject": "the subject is over 120 characters (MSG-010)",
    "msg_no_reasons": "a rejection gives no reasons and no way to ask for review (MSG-011)",
    "msg_hard_to_read": "the message adds a 60-word sentence of long words (MSG-012)",
    "msg_unsupported_claim": "the message calls the process bias-free (MSG-013)",
    # MEMO
    "memo_factor_mismatch": "the memo drops the last decision factor (MEMO-001)",
    "memo_missing_fields": "the memo has no aedtVersion (MEMO-002)",
    "memo_spurious_notice_flag": "notice_too_late is flagged on every decision (MEMO-003)",
    "memo_wrong_hash": "candidateMessageSha256 covers the body only (MEMO-004)",
    "memo_protected_unflagged": "protected-characteristic factors are not flagged (MEMO-005)",
}

ACTIVE: frozenset[str] = frozenset()


class UnknownFault(ValueError):
    pass


def parse(value: str | Iterable[str]) -> frozenset[str]:
    names = [n.strip() for n in (value.split(",") if isinstance(value, str) else value) if n.strip()]
    unknown = sorted(set(names) - set(FAULTS))
    if unknown:
        raise UnknownFault(f"unknown fault(s) {', '.join(unknown)}; known: {', '.join(sorted(FAULTS))}")
    return frozenset(names)


def activate(names: frozenset[str]) -> None:
    global ACTIVE  # one process, one configuration: the faults are a property of the whole server
    ACTIVE = names


def on(name: str) -> bool:
    return name in ACTIVE


# -- message and memo faults, applied after generation --------------------------------------------

_HARD_SENTENCE = (
    "Notwithstanding the aforementioned considerations, the organizational evaluation methodology, "
    "incorporating comprehensive multidimensional assessment instrumentation and sophisticated "
    "algorithmic prioritization heuristics, systematically determined that the applicant's "
    "demonstrated qualifications, professional experiences, educational accomplishments, and "
    "communicative competencies were insufficiently commensurate with the institutional "
    "requirements characterizing the contemporaneous recruitment initiative under consideration."
)


def corrupt_explanation(message: dict[str, Any], memo: dict[str, Any], flags: list[str]) -> None:
    """Apply the active message and memo faults in place (the generator itself stays correct)."""
    body = message["body"]
    if on("msg_no_aedt_phrase"):
        body = re.sub(r"automated employment decision tool(s)?( \(AEDT\))?", "hiring software", body)
    if on("msg_no_factors"):
        body = "\n".join(line for line in body.split("\n") if not line.startswith("- "))
    if on("msg_no_accommodation"):
        body = _without(body, "accommodation")
    if on("msg_no_data_policy"):
        body = _without(body, "data")
    if on("msg_no_audit_link"):
        body = _without(body, "audit")
    if on("msg_leaks_score"):
        numbers = [f["value"] for f in memo["decisionFactors"] if isinstance(f["value"], int | float)
                   and not isinstance(f["value"], bool)]
        body += f"\n\nYour score was {numbers[0] if numbers else 73} out of 100."
    if on("msg_protected_reason"):
        body += "\n\nYour age was one of the reasons for this decision."
    if on("msg_internal_id"):
        body += f"\n\nReference: {memo['decisionEventId']}."
    if on("msg_template_residue"):
        body = "Dear {{candidate_name}},\n\n" + body
    if on("msg_bad_subject"):
        message["subject"] = (message["subject"] + " - an important update about your application") * 3
    if on("msg_no_reasons") and memo.get("decision") == "reject":
        body = _without(_without(body, "review"), "reason")
        body = "\n".join(line for line in body.split("\n") if not line.startswith("- "))
    if on("msg_hard_to_read"):
        body += "\n\n" + _HARD_SENTENCE
    if on("msg_unsupported_claim"):
        body += "\n\nOur hiring process is guaranteed fair and bias-free."
    message["body"] = body
    _corrupt_memo(message, memo, flags)


def _corrupt_memo(message: dict[str, Any], memo: dict[str, Any], flags: list[str]) -> None:
    text = message["subject"] + "\n\n" + message["body"]
    memo["candidateMessageSha256"] = hashlib.sha256(text.encode()).hexdigest()
    if on("memo_wrong_hash"):
        memo["candidateMessageSha256"] = hashlib.sha256(message["body"].encode()).hexdigest()
    if on("memo_factor_mismatch"):
        memo["decisionFactors"] = memo["decisionFactors"][:-1] or [
            {"factor": "unlisted_factor", "value": True, "weight": 1, "contribution": "neutral"}]
    if on("memo_missing_fields"):
        memo.pop("aedtVersion", None)
    if on("memo_spurious_notice_flag") and "notice_too_late" not in flags:
        flags.append("notice_too_late")
    if on("memo_protected_unflagged") and "protected_characteristic_factor" in flags:
        flags.remove("protected_characteristic_factor")
    memo["complianceFlags"] = sorted(flags)


def _without(body: str, word: str) -> str:
    return "\n\n".join(p for p in body.split("\n\n") if word not in p.lower())
