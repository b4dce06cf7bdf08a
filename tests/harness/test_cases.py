"""nyc_hiring.harness.judge: a wrong answer is a difference from the contract, charged to the clause that owns it."""

from __future__ import annotations

from nyc_hiring.harness.judge import Expectation, Observation, Problem, judge

ACK = Expectation((200,), "SIG-001", "accepted", "webhook-ack", ack="recorded")
TOO_DEEP = b"[" * 100_000 + b"]" * 100_000
RECORDED_ACK = (
    b'{"status":"recorded","duplicate":false,"ignored":false,"event":"hire_candidate",'
    b'"decisionEventId":"de_3qdie257udkpertwjvsjcape5i","explanationId":null,'
    b'"detail":"Decision recorded."}'
)


def test_an_answer_nested_too_deep_to_parse_is_reported_not_raised() -> None:
    problems = judge(ACK, Observation(200, "application/json", TOO_DEEP))
    assert any(problem.message.startswith("the body is not JSON") for problem in problems)
    assert Observation(200, "application/json", TOO_DEEP).json() == {}


def test_a_conforming_acknowledgement_passes_and_a_repeat_is_judged_alike() -> None:
    assert judge(ACK, Observation(200, "application/json", RECORDED_ACK)) == []
    assert judge(ACK, Observation(200, "application/json", RECORDED_ACK)) == []
    duplicate = Expectation((200,), "IDEM-004", "greenhouse-body", "webhook-ack", ack="duplicate")
    assert judge(duplicate, Observation(200, "application/json", RECORDED_ACK)) == [
        Problem(
            "IDEM-004",
            "greenhouse-body",
            'expected a duplicate acknowledgement, got {"status": "recorded", '
            '"duplicate": false, "ignored": false, "decisionEventId": "de_3qdie257udkpertwjvsjcape5i"}',
        )
    ]


def test_an_open_acknowledgement_with_other_ids_and_extra_fields_passes() -> None:
    """Contract § 1: IDs are opaque and every object is open."""
    body = b'{"ok": true, "decisionEventId": "7c1e0f9a-ab", "explanationId": "expl-1", "links": {"self": "/x"}}'
    assert judge(ACK, Observation(200, "application/json", body)) == []


def test_the_body_schema_is_evt_002_s_and_the_status_the_step_s_own() -> None:
    refused = Expectation((401,), "SIG-004", "missing", "problem")
    first = judge(refused, Observation(200, "application/json", RECORDED_ACK))[0]
    assert (first.requirement, first.clause) == ("SIG-004", "missing")
    no_code = b'{"type": "about:blank", "title": "Unauthorized", "status": 401, "detail": "bad signature"}'
    problems = judge(refused, Observation(401, "application/problem+json", no_code))
    assert [(p.requirement, p.clause) for p in problems] == [("EVT-002", "contract-schemas")]


def test_a_validation_refusal_s_media_type_is_evt_001_s_and_a_5xx_is_no_server_error() -> None:
    invalid = Expectation((422,), "EVT-001", "schema", "problem")
    body = b'{"type": "t", "title": "t", "status": 422, "detail": "d", "code": "bad"}'
    assert [(p.requirement, p.clause) for p in judge(invalid, Observation(422, "application/json", body))] == [
        ("EVT-001", "problem-details")
    ]
    assert [(p.requirement, p.clause) for p in judge(invalid, Observation(500, "text/plain", b"boom"))] == [
        ("EVT-001", "no-server-error")
    ]


def test_a_precondition_shows_nothing_unless_its_answer_proves_the_clause_broken() -> None:
    after = Expectation(
        (200,), "SIG-004", "nothing-recorded", "webhook-ack", ack="recorded", precondition=True, kept_when="duplicate"
    )
    refused = judge(after, Observation(401, "application/problem+json", b"{}"))
    assert refused and all(problem.precondition for problem in refused)
    duplicate = RECORDED_ACK.replace(b'"duplicate":false', b'"duplicate":true')
    kept = judge(after, Observation(200, "application/json", duplicate))
    assert [(p.requirement, p.clause, p.precondition) for p in kept] == [("SIG-004", "nothing-recorded", False)]
