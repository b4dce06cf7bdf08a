"""SQLite persistence: events, explanations, webhook deliveries, idempotency results, keys.

Every duplicate rule ends in a UNIQUE constraint, and every write runs in one
transaction under one process-wide lock, so concurrent identical requests cannot
record twice and a restart finds exactly what was acknowledged.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.independent.keys import ApiKey

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
    digest TEXT PRIMARY KEY, environment TEXT NOT NULL, scopes TEXT NOT NULL, revoked INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS decision_events (
    id TEXT PRIMARY KEY, environment TEXT NOT NULL, source TEXT NOT NULL, candidate_hash TEXT NOT NULL,
    job_id TEXT NOT NULL, decision TEXT NOT NULL, instant_key TEXT NOT NULL, aedt_name TEXT NOT NULL,
    explanation_id TEXT, received_at TEXT NOT NULL, record TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS decision_natural_key ON decision_events
    (environment, candidate_hash, job_id, decision, instant_key, aedt_name) WHERE source = 'api';
CREATE TABLE IF NOT EXISTS explanations (
    id TEXT PRIMARY KEY, decision_event_id TEXT NOT NULL UNIQUE REFERENCES decision_events(id),
    environment TEXT NOT NULL, document TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    source TEXT NOT NULL, delivery_key TEXT NOT NULL, decision_event_id TEXT NOT NULL,
    explanation_id TEXT, seen_at REAL NOT NULL, PRIMARY KEY (source, delivery_key));
CREATE TABLE IF NOT EXISTS idempotency_results (
    environment TEXT NOT NULL, idempotency_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL, content_type TEXT NOT NULL, body BLOB NOT NULL, location TEXT,
    stored_at REAL NOT NULL, PRIMARY KEY (environment, idempotency_key));
"""


@dataclass(frozen=True)
class EventRow:
    """A recorded decision, as the recorder writes it."""

    event_id: str
    environment: str
    source: str
    candidate_hash: str
    job_id: str
    decision: str
    instant_key: str
    aedt_name: str
    explanation_id: str | None
    received_at: str
    record: dict[str, object]


@dataclass(frozen=True)
class StoredResult:
    """A completed request kept under its Idempotency-Key."""

    fingerprint: str
    status: int
    content_type: str
    body: bytes
    location: str | None


class Store:
    def __init__(self, path: Path) -> None:
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work, serialised with every other one in this process."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def secret_setting(self, name: str) -> bytes:
        """A random value made once per database (a salt or a hashing key) and kept."""
        with self.transaction():
            row = self._db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
            if row is not None:
                return bytes(row[0])
            value = secrets.token_bytes(32)
            self._db.execute("INSERT INTO settings (name, value) VALUES (?, ?)", (name, value))
            return value

    def save_key(self, key: ApiKey) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO api_keys (digest, environment, scopes, revoked) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (digest) DO UPDATE SET scopes = excluded.scopes, revoked = excluded.revoked",
                (key.digest, key.environment, " ".join(sorted(key.scopes)), int(key.revoked)),
            )

    def api_keys(self) -> list[ApiKey]:
        with self._lock:
            rows = self._db.execute("SELECT digest, environment, scopes, revoked FROM api_keys").fetchall()
        return [ApiKey(row[0], row[1], frozenset(row[2].split()), bool(row[3])) for row in rows]

    def find_natural_duplicate(self, row: EventRow) -> tuple[str, str | None] | None:
        """The event already recorded with this natural key, if any (API events only)."""
        found = self._db.execute(
            "SELECT id, explanation_id FROM decision_events WHERE source = 'api' AND environment = ? "
            "AND candidate_hash = ? AND job_id = ? AND decision = ? AND instant_key = ? AND aedt_name = ?",
            (row.environment, row.candidate_hash, row.job_id, row.decision, row.instant_key, row.aedt_name),
        ).fetchone()
        return (found[0], found[1]) if found else None

    def insert_event(self, row: EventRow) -> None:
        self._db.execute(
            "INSERT INTO decision_events (id, environment, source, candidate_hash, job_id, decision, instant_key, "
            "aedt_name, explanation_id, received_at, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.event_id,
                row.environment,
                row.source,
                row.candidate_hash,
                row.job_id,
                row.decision,
                row.instant_key,
                row.aedt_name,
                row.explanation_id,
                row.received_at,
                json.dumps(row.record),
            ),
        )

    def insert_explanation(self, explanation_id: str, event_id: str, environment: str, document: dict) -> None:
        self._db.execute(
            "INSERT INTO explanations (id, decision_event_id, environment, document) VALUES (?, ?, ?, ?)",
            (explanation_id, event_id, environment, json.dumps(document)),
        )

    def read_event(self, environment: str, event_id: str) -> dict[str, object] | None:
        return self._read("SELECT record FROM decision_events WHERE environment = ? AND id = ?", environment, event_id)

    def read_explanation(self, environment: str, explanation_id: str) -> dict[str, object] | None:
        return self._read(
            "SELECT document FROM explanations WHERE environment = ? AND id = ?", environment, explanation_id
        )

    def _read(self, sql: str, environment: str, identifier: str) -> dict[str, object] | None:
        with self._lock:
            row = self._db.execute(sql, (environment, identifier)).fetchone()
        return json.loads(row[0]) if row else None

    def find_delivery(self, source: str, delivery_keys: list[str]) -> tuple[str, str | None] | None:
        """The decision an earlier delivery with any of these keys recorded."""
        for delivery_key in delivery_keys:
            row = self._db.execute(
                "SELECT decision_event_id, explanation_id FROM webhook_deliveries "
                "WHERE source = ? AND delivery_key = ?",
                (source, delivery_key),
            ).fetchone()
            if row:
                return row[0], row[1]
        return None

    def add_deliveries(self, source: str, delivery_keys: list[str], ids: tuple[str, str | None], now: float) -> None:
        for delivery_key in delivery_keys:
            self._db.execute(
                "INSERT OR IGNORE INTO webhook_deliveries (source, delivery_key, decision_event_id, explanation_id, "
                "seen_at) VALUES (?, ?, ?, ?, ?)",
                (source, delivery_key, ids[0], ids[1], now),
            )

    def stored_result(self, environment: str, idempotency_key: str) -> StoredResult | None:
        with self._lock:
            row = self._db.execute(
                "SELECT fingerprint, status, content_type, body, location FROM idempotency_results "
                "WHERE environment = ? AND idempotency_key = ?",
                (environment, idempotency_key),
            ).fetchone()
        return StoredResult(row[0], row[1], row[2], bytes(row[3]), row[4]) if row else None

    def store_result(self, environment: str, idempotency_key: str, result: StoredResult, now: float) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO idempotency_results (environment, idempotency_key, fingerprint, status, "
            "content_type, body, location, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                environment,
                idempotency_key,
                result.fingerprint,
                result.status,
                result.content_type,
                result.body,
                result.location,
                now,
            ),
        )

    def forget_results_before(self, cutoff: float) -> None:
        """Idempotency results expire; webhook delivery keys are kept for good."""
        with self.transaction():
            self._db.execute("DELETE FROM idempotency_results WHERE stored_at < ?", (cutoff,))
