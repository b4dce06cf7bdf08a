"""The harness's own signers reproduce the published vectors before they are trusted to judge a deployment."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest

from nyc_hiring.harness import signing

# The published Standard Webhooks vectors (docs/sources.md#standard-webhooks):
# (secret, msg id, timestamp, payload, signature).
SW_VECTORS = [
    pytest.param(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        b'{"test": 2432232314}',
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        id="python-and-most-libraries",
    ),
    pytest.param(
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        1649367553,
        b'{"email":"test@example.com","username":"test_user"}',
        "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
        id="rust",
    ),
]
VECTOR_1 = SW_VECTORS[0].values
SW_NEGATIVES = [
    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=",
    "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
    "v1,",
]


@pytest.mark.parametrize(("secret", "msg_id", "timestamp", "body", "expected"), SW_VECTORS)
def test_standard_webhooks_published_vectors(
    secret: str, msg_id: str, timestamp: int, body: bytes, expected: str
) -> None:
    assert signing.standard_webhooks_signature(secret, msg_id, timestamp, body) == expected


@pytest.mark.parametrize(("secret", "msg_id", "timestamp", "body", "expected"), SW_VECTORS)
def test_standard_webhooks_secret_prefix_is_optional(
    secret: str, msg_id: str, timestamp: int, body: bytes, expected: str
) -> None:
    bare = secret.removeprefix("whsec_")
    assert signing.standard_webhooks_signature(bare, msg_id, timestamp, body) == expected


@pytest.mark.parametrize("negative", SW_NEGATIVES)
def test_standard_webhooks_negative_vectors_do_not_match(negative: str) -> None:
    secret, msg_id, timestamp, body, _ = VECTOR_1
    assert signing.standard_webhooks_signature(secret, msg_id, timestamp, body) != negative


def test_standard_webhooks_signature_covers_id_timestamp_and_body() -> None:
    secret, msg_id, timestamp, body, expected = VECTOR_1
    assert signing.standard_webhooks_signature(secret, msg_id + "x", timestamp, body) != expected
    assert signing.standard_webhooks_signature(secret, msg_id, timestamp + 1, body) != expected
    assert signing.standard_webhooks_signature(secret, msg_id, timestamp, body + b" ") != expected


def test_standard_webhooks_headers_with_given_id_and_time() -> None:
    secret, msg_id, timestamp, body, expected = VECTOR_1
    headers = signing.standard_webhooks_headers(secret, body, msg_id=msg_id, timestamp=timestamp)
    assert headers == {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": expected,
    }


def test_standard_webhooks_headers_default_to_a_fresh_id_and_now() -> None:
    secret = signing.generate_whsec()
    first = signing.standard_webhooks_headers(secret, b"{}")
    second = signing.standard_webhooks_headers(secret, b"{}")
    assert first["webhook-id"] != second["webhook-id"]
    assert first["webhook-id"].startswith("msg_")
    assert "." not in first["webhook-id"]
    assert abs(int(first["webhook-timestamp"]) - time.time()) < 5
    expected = signing.standard_webhooks_signature(secret, first["webhook-id"], int(first["webhook-timestamp"]), b"{}")
    assert first["webhook-signature"] == expected


def test_decode_whsec_pads_missing_base64_padding() -> None:
    key = bytes(range(25))  # 25 bytes encode with "==" padding
    encoded = base64.b64encode(key).decode()
    assert encoded.endswith("==")
    assert signing.decode_whsec("whsec_" + encoded.rstrip("=")) == key
    assert signing.decode_whsec(encoded) == key


@pytest.mark.parametrize("secret", ["", "whsec_"])
def test_decode_whsec_rejects_an_empty_secret(secret: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        signing.decode_whsec(secret)


def test_decode_whsec_rejects_non_base64() -> None:
    with pytest.raises(ValueError, match="base64"):
        signing.decode_whsec("whsec_not base64!")


@pytest.mark.parametrize("nbytes", [24, 32, 64])
def test_generate_whsec_round_trips(nbytes: int) -> None:
    secret = signing.generate_whsec(nbytes)
    assert secret.startswith("whsec_")
    assert len(signing.decode_whsec(secret)) == nbytes
    assert signing.generate_whsec(nbytes) != secret


@pytest.mark.parametrize("nbytes", [0, 23, 65])
def test_generate_whsec_refuses_sizes_outside_the_spec(nbytes: int) -> None:
    with pytest.raises(ValueError):
        signing.generate_whsec(nbytes)


def test_greenhouse_illustration_reproduces() -> None:
    # docs/sources.md#greenhouse, computed illustration.
    signature = signing.greenhouse_signature("gh_test_secret", b'{"action":"ping","payload":{}}')
    assert signature == "sha256 6abb0ae2181eadc104e2f50546d2fc4f3b531456326d3d16480b8295941f0134"


def test_greenhouse_headers() -> None:
    body = b'{"action":"ping","payload":{}}'
    expected_signature = signing.greenhouse_signature("gh_test_secret", body)
    assert signing.greenhouse_headers("gh_test_secret", body) == {
        "Content-Type": "application/json",
        "Signature": expected_signature,
    }
    with_id = signing.greenhouse_headers("gh_test_secret", body, event_id="evt-1")
    assert with_id["Greenhouse-Event-ID"] == "evt-1"
    assert with_id["Signature"] == expected_signature


def test_greenhouse_signs_the_escaped_bytes_not_a_reserialisation() -> None:
    escaped = (
        b'{"action":"job_post_updated","payload":{"job_post":{"id":553282,'
        b'"content":"\\u003cp\\u003ehello\\u003c/p\\u003e"}}}'
    )
    reserialised = json.dumps(json.loads(escaped), separators=(",", ":")).encode()
    assert b"\\u003c" in escaped
    assert b"<p>hello</p>" in reserialised
    signature = signing.greenhouse_signature("gh_test_secret", escaped)
    assert signature == "sha256 " + hmac.new(b"gh_test_secret", escaped, hashlib.sha256).hexdigest()
    assert signature != signing.greenhouse_signature("gh_test_secret", reserialised)


def test_lever_illustration_reproduces() -> None:
    # docs/sources.md#lever, computed illustration.
    signature = signing.lever_signature("lever_sig_token", "a5c5c2b6e2c6c1f2", 1476468488493)
    assert signature == "d6762c91609e4a47b0c9f34c65457f5938523a17416f527a1c1f77ea88a1f379"


def test_lever_sign_body_with_given_token_and_time() -> None:
    body = {"event": "candidateStageChange", "data": {"opportunityId": "opp-1"}, "token": "", "signature": ""}
    signed = signing.lever_sign_body("lever_sig_token", body, token="a5c5c2b6e2c6c1f2", triggered_at_ms=1476468488493)
    assert signed["signature"] == "d6762c91609e4a47b0c9f34c65457f5938523a17416f527a1c1f77ea88a1f379"
    assert signed["token"] == "a5c5c2b6e2c6c1f2"
    assert signed["triggeredAt"] == 1476468488493
    assert signed["data"] == {"opportunityId": "opp-1"}
    assert body["token"] == ""  # the input is left alone
    signed["data"]["opportunityId"] = "changed"
    assert body["data"]["opportunityId"] == "opp-1"


def test_lever_sign_body_defaults_to_a_fresh_token_and_now_in_ms() -> None:
    before = time.time_ns() // 1_000_000
    first = signing.lever_sign_body("tok", {"event": "candidateHired", "data": {}})
    second = signing.lever_sign_body("tok", {"event": "candidateHired", "data": {}})
    after = time.time_ns() // 1_000_000
    assert first["token"] != second["token"]
    assert before <= first["triggeredAt"] <= after
    assert first["signature"] == signing.lever_signature("tok", first["token"], first["triggeredAt"])
