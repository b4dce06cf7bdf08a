"""EXPL-001..003 and MEMO-001..005 over HTTP; the MSG rules are checked by the harness's own library."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from nyc_hiring.harness.compliance import check_explanation

from .conftest import Sandbox, decision_body
from .webhooks import greenhouse, greenhouse_body, lever, lever_body, workday, workday_body


def _explanation_rows(sandbox: Sandbox) -> int:
    with sqlite3.connect(sandbox.db_path) as db:
        return int(db.execute("SELECT count(*) FROM explanations").fetchone()[0])


def test_expl_001_requested_explanation_is_present_and_retrievable(sandbox: Sandbox) -> None:
    created = sandbox.post("/decision-event", json=decision_body(jobTitle="Data Analyst")).json()
    assert created["explanationId"].startswith("ex_")
    assert created["candidateMessage"]["subject"] and created["candidateMessage"]["body"]
    assert created["internalMemo"]
    stored = sandbox.get(f"/explanations/{created['explanationId']}").json()
    assert stored == {
        "explanationId": created["explanationId"],
        "decisionEventId": created["decisionEventId"],
        "candidateMessage": created["candidateMessage"],
        "internalMemo": created["internalMemo"],
    }
    record = sandbox.get(f"/decision-events/{created['decisionEventId']}").json()
    assert record["explanationId"] == created["explanationId"]


def test_expl_002_no_explanation_unless_requested(sandbox: Sandbox) -> None:
    for flag in (False, ...):
        created = sandbox.post("/decision-event", json=decision_body(requestExplanation=flag)).json()
        assert created["explanationId"] is None
        assert created["candidateMessage"] is None and created["internalMemo"] is None
        assert isinstance(created["complianceFlags"], list)
    assert _explanation_rows(sandbox) == 0


def test_expl_003_webhook_decisions_generate_retrievable_explanations(sandbox: Sandbox) -> None:
    acks = [
        sandbox.post("/webhook/greenhouse", **greenhouse(greenhouse_body()), key=None).json(),
        sandbox.post("/webhook/lever", **lever(lever_body()), key=None).json(),
        sandbox.post("/webhook/workday", **workday(workday_body()), key=None).json(),
    ]
    for ack in acks:
        explanation = sandbox.get(f"/explanations/{ack['explanationId']}").json()
        assert explanation["decisionEventId"] == ack["decisionEventId"]
        memo = explanation["internalMemo"]
        assert memo["source"] in ("greenhouse", "lever", "workday")
        findings = check_explanation(explanation["candidateMessage"], memo)
        assert not [f for f in findings if f.level == "MUST"], findings


def test_expl_003_webhook_explanations_can_be_turned_off(tmp_path: object) -> None:
    from pathlib import Path

    sandbox = Sandbox(Path(str(tmp_path)) / "off.sqlite3", webhook_explanations=False)
    try:
        ack = sandbox.post("/webhook/greenhouse", **greenhouse(greenhouse_body()), key=None).json()
        assert ack["status"] == "recorded" and ack["explanationId"] is None
    finally:
        sandbox.close()


def test_memo_001_and_002_memo_records_the_decision_exactly(sandbox: Sandbox) -> None:
    body = decision_body(aedtRole="sole", jobTitle="Data Analyst")
    created = sandbox.post("/decision-event", json=body).json()
    memo = created["internalMemo"]
    assert memo["decisionFactors"] == body["decisionFactors"]
    for field in ("aedtName", "aedtVersion", "aedtRole", "decision", "decisionTimestamp", "jobIdRaw"):
        assert memo[field] == body[field], field
    assert (memo["decisionEventId"], memo["explanationId"], memo["candidateIdHash"], memo["source"]) == (
        created["decisionEventId"],
        created["explanationId"],
        created["candidateIdHash"],
        "api",
    )
    assert memo["timestampAssumedUtc"] is False
    naive = sandbox.post("/decision-event", json=decision_body(decisionTimestamp="2026-11-27T09:00:00")).json()
    assert naive["internalMemo"]["timestampAssumedUtc"] is True


def test_memo_003_notice_and_audit_are_recorded_and_flagged(sandbox: Sandbox) -> None:
    # the sandbox profile gave notice on 2026-01-05 and was audited on 2026-06-01
    ok = sandbox.post("/decision-event", json=decision_body(decisionTimestamp="2026-07-01T15:00:00Z")).json()
    memo = ok["internalMemo"]
    assert memo["notice"]["date"] == "2026-01-05" and memo["notice"]["method"] in (
        "website",
        "job_posting",
        "mail",
        "email",
    )
    assert memo["biasAudit"]["date"] == "2026-06-01" and memo["biasAudit"]["summaryUrl"].startswith("https://")
    assert ok["complianceFlags"] == memo["complianceFlags"] == []
    early = sandbox.post("/decision-event", json=decision_body(decisionTimestamp="2026-01-16T15:00:00Z")).json()
    assert {"notice_too_late", "bias_audit_expired"} <= set(early["complianceFlags"])
    assert set(early["internalMemo"]["complianceFlags"]) == set(early["complianceFlags"])


def test_memo_004_message_hash_proves_what_was_sent(sandbox: Sandbox) -> None:
    created = sandbox.post("/decision-event", json=decision_body()).json()
    message = created["candidateMessage"]
    digest = hashlib.sha256((message["subject"] + "\n\n" + message["body"]).encode()).hexdigest()
    assert created["internalMemo"]["candidateMessageSha256"] == digest


def test_memo_005_protected_factors_are_flagged_and_kept_out_of_the_message(sandbox: Sandbox) -> None:
    factors = [
        {"factor": "age", "value": 52, "weight": 0.2, "contribution": "negative"},
        {"factor": "zip_code", "value": "10001", "weight": 0.1, "contribution": "negative"},
        {"factor": "years_experience", "value": 3, "weight": 0.7, "contribution": "negative"},
    ]
    created = sandbox.post("/decision-event", json=decision_body(decisionFactors=factors)).json()
    assert "protected_characteristic_factor" in created["complianceFlags"]
    text = (created["candidateMessage"]["subject"] + " " + created["candidateMessage"]["body"]).lower()
    assert " age" not in text and "zip" not in text and "10001" not in text
    assert created["internalMemo"]["decisionFactors"] == factors


def test_msg_rules_hold_for_every_decision_kind(sandbox: Sandbox) -> None:
    for decision in ("reject", "advance", "hire", "hold"):
        body = decision_body(decision=decision, jobTitle="Data Analyst")
        created = sandbox.post("/decision-event", json=body).json()
        findings = check_explanation(created["candidateMessage"], created["internalMemo"], body)
        assert not findings, (decision, findings)


SAMPLE_BODIES = {
    "guide": {},
    "advance": {"decision": "advance", "jobTitle": "Data Analyst"},
    "hire": {"decision": "hire", "jobTitle": "Data Analyst"},
    "hold": {"decision": "hold"},
    "protected": {
        "decisionFactors": [
            {"factor": "age", "value": 52, "weight": 0.2, "contribution": "negative"},
            {"factor": "years_experience", "value": 3, "weight": 0.8, "contribution": "negative"},
        ]
    },
    "empty": {"decisionFactors": []},
    "naive timestamp": {"decisionTimestamp": "2026-11-27T09:30:00"},
}


@pytest.mark.parametrize("requirement", [f"MSG-{n:03d}" for n in range(1, 14)] + [f"MEMO-{n:03d}" for n in range(1, 6)])
def test_each_msg_and_memo_rule_holds_over_http(sandbox: Sandbox, requirement: str) -> None:
    """One test per MSG and MEMO requirement ID, over the API, on a spread of decisions."""
    from nyc_hiring.harness.compliance import MEMO_RULES, MESSAGE_RULES, CheckContext

    context = CheckContext()
    for label, overrides in SAMPLE_BODIES.items():
        body = decision_body(**overrides)
        created = sandbox.post("/decision-event", json=body).json()
        message, memo = created["candidateMessage"], created["internalMemo"]
        if requirement.startswith("MSG"):
            findings = MESSAGE_RULES[requirement](message, memo, body, context)
        else:
            findings = MEMO_RULES[requirement](memo, body, message, context)
        assert not findings, (label, findings)
