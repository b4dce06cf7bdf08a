"""AUTH-001..005 over HTTP against the in-process app."""

from __future__ import annotations

import json

from nyc_hiring.reference_server.auth import hash_key

from .conftest import KEY, KEY_LIVE, KEY_READONLY, Sandbox, decision_body


def test_auth_001_write_without_authorization_is_401_with_bearer_challenge(sandbox: Sandbox) -> None:
    response = sandbox.post("/decision-event", json=decision_body(), key=None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["code"] == "missing_credentials"
    assert sandbox.store.count_events() == 0


def test_auth_002_unknown_malformed_and_revoked_keys_are_401(sandbox: Sandbox) -> None:
    unknown = "haiec_test_" + "u" * 40
    for key in (unknown, "haiec_test_short", "not-a-key", ""):
        response = sandbox.post("/decision-event", json=decision_body(), key=key)
        assert response.status_code == 401, key
    basic = sandbox.post("/decision-event", json=decision_body(), headers={"Authorization": f"Basic {KEY}"}, key=None)
    assert basic.status_code == 401
    assert sandbox.post("/decision-event", json=decision_body(), key=KEY).status_code == 201
    assert sandbox.store.revoke_api_key(hash_key(KEY))
    revoked = sandbox.post("/decision-event", json=decision_body(), key=KEY)
    assert revoked.status_code == 401
    assert revoked.json()["code"] == "invalid_credentials"
    assert sandbox.store.count_events() == 1


def test_auth_003_missing_scope_is_403(sandbox: Sandbox) -> None:
    response = sandbox.post("/decision-event", json=decision_body(), key=KEY_READONLY)
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert sandbox.store.count_events() == 0
    created = sandbox.post("/decision-event", json=decision_body()).json()
    assert sandbox.get(f"/decision-events/{created['decisionEventId']}", key=KEY_READONLY).status_code == 200

    write_only = "haiec_test_" + "w" * 40
    from nyc_hiring.reference_server.auth import WRITE_SCOPE, register_key

    register_key(sandbox.store, write_only, frozenset({WRITE_SCOPE}), "write only")
    assert sandbox.post("/decision-event", json=decision_body(), key=write_only).status_code == 201
    read = sandbox.get(f"/decision-events/{created['decisionEventId']}", key=write_only)
    assert read.status_code == 403


def test_auth_004_test_and_live_data_are_segregated(sandbox: Sandbox) -> None:
    test_event = sandbox.post("/decision-event", json=decision_body(), key=KEY).json()
    live_event = sandbox.post("/decision-event", json=decision_body(), key=KEY_LIVE).json()
    assert test_event["environment"] == "test"
    assert live_event["environment"] == "live"
    assert sandbox.get(f"/decision-events/{test_event['decisionEventId']}", key=KEY_LIVE).status_code == 404
    assert sandbox.get(f"/explanations/{test_event['explanationId']}", key=KEY_LIVE).status_code == 404
    assert sandbox.get(f"/decision-events/{live_event['decisionEventId']}", key=KEY).status_code == 404
    assert sandbox.get(f"/decision-events/{live_event['decisionEventId']}", key=KEY_LIVE).status_code == 200
    # the same natural key in the other environment is a new event, not a duplicate
    body = decision_body()
    assert sandbox.post("/decision-event", json=body, key=KEY).status_code == 201
    assert sandbox.post("/decision-event", json=body, key=KEY_LIVE).status_code == 201


def test_auth_005_keys_and_secrets_never_appear_in_responses(sandbox: Sandbox) -> None:
    from .conftest import ENVIRONMENT

    wrong = "haiec_test_" + "x" * 40
    responses = [
        sandbox.post("/decision-event", json=decision_body()),
        sandbox.post("/decision-event", json=decision_body(), key=wrong),
        sandbox.post("/decision-event", json={"bad": 1}),
        sandbox.post("/decision-event", json=decision_body(), key=KEY_READONLY),
        sandbox.post("/webhook/greenhouse", content=b"{}", headers={"Content-Type": "application/json"}),
        sandbox.get("/decision-events/de_nothing"),
    ]
    secrets = [*ENVIRONMENT.values(), wrong]
    for response in responses:
        text = response.text + json.dumps(dict(response.headers))
        for secret in secrets:
            assert secret not in text
