"""harness.cases.judge: a wrong answer is reported as a difference from the contract, whatever its body."""

from __future__ import annotations

from harness.cases import Expectation, Observation, judge

ACK = Expectation((200,), "webhook-ack", ack="recorded")
TOO_DEEP = b"[" * 100_000 + b"]" * 100_000


def test_an_answer_nested_too_deep_to_parse_is_reported_not_raised() -> None:
    assert judge(ACK, Observation(200, "application/json", TOO_DEEP))[0].startswith("the body is not JSON")
    assert Observation(200, "application/json", TOO_DEEP).json() == {}


def test_a_conforming_acknowledgement_passes_and_a_repeat_is_judged_alike() -> None:
    body = (b'{"status":"recorded","duplicate":false,"ignored":false,"event":"hire_candidate",'
            b'"decisionEventId":"de_3qdie257udkpertwjvsjcape5i","explanationId":null,"detail":"Decision recorded."}')
    assert judge(ACK, Observation(200, "application/json", body)) == []
    assert judge(ACK, Observation(200, "application/json", body)) == []
    wrong = judge(Expectation((200,), "webhook-ack", ack="duplicate"), Observation(200, "application/json", body))
    assert wrong == ['expected a duplicate acknowledgement, got {"status": "recorded", "duplicate": false, '
                     '"ignored": false, "decisionEventId": "de_3qdie257udkpertwjvsjcape5i"}']
