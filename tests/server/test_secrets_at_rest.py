"""Secrets at rest: a copy of the database file alone reveals no candidate ID, API key or secret; the
keyring beside it holds them (0600); a version-1 database moves its secrets there and loses nothing."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from nyc_hiring.reference_server.app import create_app
from nyc_hiring.reference_server.config import Settings
from nyc_hiring.reference_server.keyring import KeyringError, keyring_file, open_keyring
from nyc_hiring.reference_server.profile import load_profile
from nyc_hiring.reference_server.recording import natural_key
from nyc_hiring.reference_server.store import Store
from nyc_hiring.reference_server.timestamps import parse_timestamp

from .conftest import BASE, ENVIRONMENT, GREENHOUSE_SECRET, KEY, Sandbox, decision_body
from .webhooks import greenhouse, greenhouse_body

CANDIDATE = "4817263"  # seven digits: ten million guesses, seconds of work, if the key were at hand


def stored_values(database: Path) -> list[bytes]:
    """Every value of every row of every table, as bytes."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        values = [value for table in tables for row in db.execute(f'SELECT * FROM "{table}"') for value in row]  # noqa: S608
    return [value if isinstance(value, bytes) else str(value).encode() for value in values if value is not None]


def keys_to_try(value: bytes) -> list[bytes]:
    """What an attacker would try a stored value as: its bytes, and every run of hex in it, decoded."""
    return [value, *(bytes.fromhex(run.decode()) for run in re.findall(rb"[0-9a-f]{32,}", value) if len(run) % 2 == 0)]


def candidate_hash(key: bytes, candidate: str, environment: str = "test") -> str:
    return hmac.new(key, f"{environment}\x00{candidate}".encode(), hashlib.sha256).hexdigest()


def test_a_copy_of_the_database_alone_reveals_no_candidate_id_key_or_secret(sandbox: Sandbox, tmp_path: Path) -> None:
    recorded = sandbox.post("/decision-event", json=decision_body(candidateIdRaw=CANDIDATE)).json()
    assert sandbox.post("/webhook/greenhouse", **greenhouse(greenhouse_body()), key=None).status_code == 200
    sandbox.store.checkpoint()
    copy = tmp_path / "copied" / "sandbox.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(sandbox.db_path, copy)  # the file alone: no WAL, no keyring

    hash_key = sandbox.app.state.keyring.candidate_hash_key
    secrets = [value.encode() for value in ENVIRONMENT.values()] + [hash_key, hash_key.hex().encode()]
    values = stored_values(copy)
    assert any(recorded["candidateIdHash"].encode() in value for value in values)  # as it must be
    for secret in [*secrets, CANDIDATE.encode()]:
        assert not any(secret in value for value in values), secret
        assert secret not in copy.read_bytes(), secret
    # the attack: every stored value tried as the key that hashed the candidate ID
    assert not any(
        hmac.compare_digest(candidate_hash(key, CANDIDATE), recorded["candidateIdHash"])
        for value in values
        for key in keys_to_try(value)
    )


def test_the_database_and_its_keyring_are_readable_by_their_owner_only(sandbox: Sandbox) -> None:
    assert sandbox.post("/decision-event", json=decision_body()).status_code == 201
    database = sandbox.db_path
    files = [database, keyring_file(database), *database.parent.glob(f"{database.name}-*")]
    assert len(files) >= 3
    for file in files:
        assert file.stat().st_mode & 0o777 == 0o600, file
    keyring = json.loads(keyring_file(database).read_text())
    assert keyring["webhookSecrets"]["greenhouse"] == GREENHOUSE_SECRET
    assert bytes.fromhex(keyring["candidateHashKey"]) == sandbox.app.state.keyring.candidate_hash_key


def test_without_its_keyring_a_database_is_refused_rather_than_hashed_anew(sandbox: Sandbox) -> None:
    assert sandbox.post("/decision-event", json=decision_body()).status_code == 201
    keyring_file(sandbox.db_path).unlink()
    with closing(Store(sandbox.db_path)) as store, pytest.raises(KeyringError, match="restore"):
        open_keyring(store)
    assert not keyring_file(sandbox.db_path).exists()


# -- a database as version 1 left it -------------------------------------------------------------------

VERSION_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE api_keys (id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
    environment TEXT NOT NULL, scopes TEXT NOT NULL, label TEXT, created_at REAL NOT NULL, revoked_at REAL);
CREATE TABLE webhook_secrets (source TEXT PRIMARY KEY, secret TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE decision_events (id TEXT PRIMARY KEY, environment TEXT NOT NULL, source TEXT NOT NULL,
    natural_key TEXT NOT NULL, explanation_id TEXT, record TEXT NOT NULL, received_at REAL NOT NULL,
    UNIQUE (environment, natural_key));
CREATE TABLE explanations (id TEXT PRIMARY KEY, environment TEXT NOT NULL,
    decision_event_id TEXT NOT NULL REFERENCES decision_events (id), body TEXT NOT NULL);
CREATE TABLE idempotency_keys (environment TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    state TEXT NOT NULL, status INTEGER, headers TEXT, body BLOB, created_at REAL NOT NULL,
    PRIMARY KEY (environment, key));
CREATE TABLE webhook_deliveries (source TEXT NOT NULL, dedup_key TEXT NOT NULL, decision_event_id TEXT NOT NULL,
    explanation_id TEXT, created_at REAL NOT NULL, PRIMARY KEY (source, dedup_key));
"""
LEGACY_KEY = bytes(range(32))
LEGACY_GREENHOUSE_SECRET = "legacy-greenhouse-secret-0123456789"
LEGACY_EVENT = "de_" + "a" * 26


def version_1_database(path: Path, body: dict[str, Any]) -> None:
    """Keys, secrets and one recorded decision, as version 1 stored them: its file world-readable."""
    instant = parse_timestamp(body["decisionTimestamp"]).instant
    key = natural_key(
        candidate_hash(LEGACY_KEY, body["candidateIdRaw"]),
        body["jobIdRaw"],
        body["decision"],
        instant,
        body["aedtName"],
    )
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(VERSION_1)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)", [("schema_version", "1"), ("candidate_hash_key", LEGACY_KEY.hex())]
        )
        db.execute(
            "INSERT INTO api_keys VALUES (?, ?, ?, 'test', 'nyc:hiring.read nyc:hiring.write', 'v1', ?, NULL)",
            ("key_1", hashlib.sha256(KEY.encode()).hexdigest(), KEY[:15], time.time()),
        )
        db.execute("INSERT INTO webhook_secrets VALUES ('greenhouse', ?, ?)", (LEGACY_GREENHOUSE_SECRET, time.time()))
        db.execute(
            "INSERT INTO decision_events VALUES (?, 'test', 'api', ?, NULL, ?, ?)",
            (LEGACY_EVENT, key, json.dumps({"decisionEventId": LEGACY_EVENT}), time.time()),
        )
    path.chmod(0o644)


def request(app: Any, method: str, path: str, **options: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
            return await client.request(method, BASE + path, **options)

    return asyncio.run(send())


def test_a_version_1_database_moves_its_secrets_out_and_its_hashes_stay_valid(tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    body = decision_body(requestExplanation=False)
    version_1_database(database, body)

    app = create_app(Settings(db=database), store=Store(database), profile=load_profile())
    try:
        auth = {"Authorization": f"Bearer {KEY}"}
        again = request(app, "POST", "/decision-event", json=body, headers=auth)
        assert again.status_code == 409 and again.json()["decisionEventId"] == LEGACY_EVENT  # the same hash
        other_job = request(app, "POST", "/decision-event", json={**body, "jobIdRaw": "job_2"}, headers=auth)
        assert other_job.json()["candidateIdHash"] == candidate_hash(LEGACY_KEY, body["candidateIdRaw"])
        delivery = greenhouse(greenhouse_body(), secret=LEGACY_GREENHOUSE_SECRET)
        assert request(app, "POST", "/webhook/greenhouse", **delivery).json()["status"] == "recorded"
    finally:
        app.state.store.close()

    keyring = json.loads(keyring_file(database).read_text())
    assert keyring["candidateHashKey"] == LEGACY_KEY.hex()
    assert keyring["webhookSecrets"]["greenhouse"] == LEGACY_GREENHOUSE_SECRET
    assert database.stat().st_mode & 0o777 == 0o600
    for secret in (LEGACY_KEY.hex().encode(), LEGACY_KEY, LEGACY_GREENHOUSE_SECRET.encode()):
        assert not any(secret in value for value in stored_values(database))
        assert secret not in database.read_bytes()
        assert secret not in database.with_name(database.name + "-wal").read_bytes()
