"""SQLite persistence: one file, WAL, created on first start.

Uniqueness is enforced by the database, not by the handlers: natural-key duplicates, Idempotency-Key
claims and webhook redeliveries all end in a UNIQUE constraint, so concurrent requests (or several
worker processes on one file) can never record the same thing twice.

The app calls the store synchronously from its event loop. Each call is short and holds no lock
across an `await`, which keeps one process's writes serial without a thread hop per request.

Nothing secret is stored here: API keys as SHA-256 hashes only, candidate IDs as keyed hashes whose
key lives in the keyring (keyring.py), beside the database and never in it. The file is created
readable by its owner only, and deleted rows are overwritten (`secure_delete`), not left in free pages.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "2"
# Version 1 kept the candidate-hash key (meta) and the webhook secrets (a table) in the database.
LEGACY_HASH_KEY = "candidate_hash_key"
LEGACY_SECRETS_TABLE = "webhook_secrets"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    environment TEXT NOT NULL,
    scopes TEXT NOT NULL,
    label TEXT,
    created_at REAL NOT NULL,
    revoked_at REAL
);
CREATE TABLE IF NOT EXISTS decision_events (
    id TEXT PRIMARY KEY,
    environment TEXT NOT NULL,
    source TEXT NOT NULL,
    natural_key TEXT NOT NULL,
    explanation_id TEXT,
    record TEXT NOT NULL,
    received_at REAL NOT NULL,
    UNIQUE (environment, natural_key)
);
CREATE TABLE IF NOT EXISTS explanations (
    id TEXT PRIMARY KEY,
    environment TEXT NOT NULL,
    decision_event_id TEXT NOT NULL REFERENCES decision_events (id),
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    environment TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    headers TEXT,
    body BLOB,
    created_at REAL NOT NULL,
    owner TEXT,
    PRIMARY KEY (environment, key)
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    source TEXT NOT NULL,
    dedup_key TEXT NOT NULL,
    decision_event_id TEXT NOT NULL,
    explanation_id TEXT,
    created_at REAL NOT NULL,
    PRIMARY KEY (source, dedup_key)
);
"""


class StoreError(Exception):
    """The database cannot be used; the message says which file and why."""


class DuplicateEvent(Exception):
    """The natural key is already recorded; carries the original IDs."""

    def __init__(self, decision_event_id: str, explanation_id: str | None) -> None:
        super().__init__(decision_event_id)
        self.decision_event_id = decision_event_id
        self.explanation_id = explanation_id


@dataclass(frozen=True)
class ApiKeyRow:
    id: str
    key_hash: str
    environment: str
    scopes: frozenset[str]
    revoked: bool


@dataclass(frozen=True)
class IdempotencyRecord:
    fingerprint: str
    state: str  # "processing" or "completed"
    status: int | None
    headers: dict[str, str]
    body: bytes | None
    created_at: float
    owner: str | None = None  # the process that claimed it (idempotency.Claimant), if known


@dataclass(frozen=True)
class LegacySecrets:
    candidate_hash_key: str | None  # hex
    webhook_secrets: dict[str, str]  # source → secret


@dataclass(frozen=True)
class RecordedDelivery:
    """What a webhook delivery recorded: a later delivery with one of its dedup keys is answered with it."""

    decision_event_id: str
    explanation_id: str | None


class Store:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._db = _connect(self.path)
        self._checkpointed_changes = 0

    def close(self) -> None:
        self._db.close()

    def checkpoint(self, min_changes: int = 0) -> bool:
        """Copy the WAL into the database file (PASSIVE: never waits for another connection), when at
        least `min_changes` rows were written since the last one; True when it ran."""
        try:
            changes = self._db.total_changes
            if changes - self._checkpointed_changes < min_changes:
                return False
            self._checkpointed_changes = changes
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.ProgrammingError:  # closed during shutdown: nothing left to fold back
            return False
        return True

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front so workers never deadlock."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    # -- meta ------------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta_if_absent(self, key: str, value: str) -> str:
        """Store `value` unless the key exists; return what is stored (the first writer wins)."""
        self._db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
        stored = self.meta(key)
        assert stored is not None
        return stored

    # -- API keys --------------------------------------------------------------------------------

    def add_api_key(
        self, key_id: str, key_hash: str, prefix: str, environment: str, scopes: frozenset[str], label: str
    ) -> bool:
        """Insert a key by hash; False if that key already exists."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO api_keys (id, key_hash, prefix, environment, scopes, label, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key_id, key_hash, prefix, environment, " ".join(sorted(scopes)), label, time.time()),
        )
        return cursor.rowcount == 1

    def api_key_by_hash(self, key_hash: str) -> ApiKeyRow | None:
        row = self._db.execute(
            "SELECT id, key_hash, environment, scopes, revoked_at FROM api_keys WHERE key_hash = ?",
            (key_hash,),
        ).fetchone()
        if row is None:
            return None
        return ApiKeyRow(row[0], row[1], row[2], frozenset(row[3].split()), row[4] is not None)

    def api_keys(self) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT id, prefix, environment, scopes, label, created_at, revoked_at FROM api_keys ORDER BY created_at"
        ).fetchall()
        names = ("id", "prefix", "environment", "scopes", "label", "created_at", "revoked_at")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def has_api_key_labelled(self, label: str) -> bool:
        row = self._db.execute("SELECT 1 FROM api_keys WHERE label = ? AND revoked_at IS NULL", (label,))
        return row.fetchone() is not None

    def revoke_api_key(self, key_id_or_hash: str) -> bool:
        cursor = self._db.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE (id = ? OR key_hash = ?) AND revoked_at IS NULL",
            (time.time(), key_id_or_hash, key_id_or_hash),
        )
        return cursor.rowcount > 0

    # -- secrets a version-1 database still holds -------------------------------------------------

    def legacy_secrets(self) -> LegacySecrets | None:
        """What version 1 kept here and the keyring now keeps; None once it is moved (or never was)."""
        hash_key = self.meta(LEGACY_HASH_KEY)
        secrets: dict[str, str] = {}
        if self._has_table(LEGACY_SECRETS_TABLE):
            secrets = dict(self._db.execute(f"SELECT source, secret FROM {LEGACY_SECRETS_TABLE}").fetchall())  # noqa: S608
        if hash_key is None and not secrets:
            return None
        return LegacySecrets(hash_key, secrets)

    def erase_legacy_secrets(self) -> None:
        """Drop them, then rewrite the file (VACUUM) and empty the WAL, so no page still holds a copy."""
        with self.transaction() as db:
            db.execute("DELETE FROM meta WHERE key = ?", (LEGACY_HASH_KEY,))
            db.execute(f"DROP TABLE IF EXISTS {LEGACY_SECRETS_TABLE}")
        self._db.execute("VACUUM")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    def _has_table(self, name: str) -> bool:
        row = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return row.fetchone() is not None

    # -- decision events and explanations --------------------------------------------------------

    def insert_event(
        self,
        db: sqlite3.Connection,
        *,
        event_id: str,
        environment: str,
        source: str,
        natural_key: str,
        explanation_id: str | None,
        record: dict[str, Any],
        received_at: float,
    ) -> None:
        """Insert inside the caller's transaction; raise DuplicateEvent with the original IDs."""
        try:
            db.execute(
                "INSERT INTO decision_events"
                " (id, environment, source, natural_key, explanation_id, record, received_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (event_id, environment, source, natural_key, explanation_id, _dumps(record), received_at),
            )
        except sqlite3.IntegrityError:
            row = db.execute(
                "SELECT id, explanation_id FROM decision_events WHERE environment = ? AND natural_key = ?",
                (environment, natural_key),
            ).fetchone()
            if row is None:  # an ID collision, not a duplicate: astronomically unlikely, never silent
                raise
            raise DuplicateEvent(row[0], row[1]) from None

    def insert_explanation(
        self, db: sqlite3.Connection, explanation_id: str, environment: str, event_id: str, body: dict[str, Any]
    ) -> None:
        db.execute(
            "INSERT INTO explanations (id, environment, decision_event_id, body) VALUES (?, ?, ?, ?)",
            (explanation_id, environment, event_id, _dumps(body)),
        )

    def event_record(self, event_id: str, environment: str) -> dict[str, Any] | None:
        """The recorded event, if it exists in `environment` (AUTH-004: never across environments)."""
        row = self._db.execute(
            "SELECT record FROM decision_events WHERE id = ? AND environment = ?", (event_id, environment)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def explanation(self, explanation_id: str, environment: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT body FROM explanations WHERE id = ? AND environment = ?", (explanation_id, environment)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def count_events(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM decision_events").fetchone()[0])

    # -- Idempotency-Key -------------------------------------------------------------------------

    def claim_idempotency_key(
        self, environment: str, key: str, fingerprint: str, owner: str | None = None
    ) -> IdempotencyRecord | None:
        """Claim the key for a new request on behalf of `owner`; return the existing record instead if there is one."""
        try:
            self._db.execute(
                "INSERT INTO idempotency_keys (environment, key, fingerprint, state, created_at, owner)"
                " VALUES (?, ?, ?, 'processing', ?, ?)",
                (environment, key, fingerprint, time.time(), owner),
            )
            return None
        except sqlite3.IntegrityError:
            row = self._db.execute(
                "SELECT fingerprint, state, status, headers, body, created_at, owner FROM idempotency_keys"
                " WHERE environment = ? AND key = ?",
                (environment, key),
            ).fetchone()
        if row is None:  # released between our INSERT and SELECT: try once more
            return self.claim_idempotency_key(environment, key, fingerprint, owner)
        return IdempotencyRecord(row[0], row[1], row[2], json.loads(row[3] or "{}"), row[4], row[5], row[6])

    def complete_idempotency_key(
        self,
        db: sqlite3.Connection,
        environment: str,
        key: str,
        status: int,
        headers: dict[str, str],
        body: bytes,
        owner: str | None = None,
    ) -> bool:
        """Store the answer; False when the claim is no longer `owner`'s (another process took it over)."""
        cursor = db.execute(
            "UPDATE idempotency_keys SET state = 'completed', status = ?, headers = ?, body = ?"
            " WHERE environment = ? AND key = ? AND owner IS ?",
            (status, _dumps(headers), body, environment, key, owner),
        )
        return cursor.rowcount == 1

    def release_idempotency_key(self, environment: str, key: str, owner: str | None = None) -> None:
        """Forget `owner`'s claim whose request did not complete, so the client can retry with the same key."""
        self._db.execute(
            "DELETE FROM idempotency_keys WHERE environment = ? AND key = ? AND state = 'processing' AND owner IS ?",
            (environment, key, owner),
        )

    def take_over_idempotency_key(
        self, environment: str, key: str, fingerprint: str, owner: str | None, abandoned: IdempotencyRecord
    ) -> bool:
        """Make `abandoned` (a claim as read) `owner`'s. It changes hands only if it is still exactly as read,
        so of several requests taking over one claim, one wins."""
        cursor = self._db.execute(
            "UPDATE idempotency_keys SET fingerprint = ?, owner = ?, created_at = ?"
            " WHERE environment = ? AND key = ? AND state = 'processing' AND owner IS ? AND created_at = ?",
            (fingerprint, owner, time.time(), environment, key, abandoned.owner, abandoned.created_at),
        )
        return cursor.rowcount == 1

    # -- webhook deliveries ----------------------------------------------------------------------

    def delivery(self, source: str, dedup_keys: list[str]) -> RecordedDelivery | None:
        for dedup_key in dedup_keys:
            row = self._db.execute(
                "SELECT decision_event_id, explanation_id FROM webhook_deliveries WHERE source = ? AND dedup_key = ?",
                (source, dedup_key),
            ).fetchone()
            if row:
                return RecordedDelivery(row[0], row[1])
        return None

    def insert_deliveries(
        self, db: sqlite3.Connection, source: str, dedup_keys: list[str], delivery: RecordedDelivery
    ) -> None:
        now = time.time()
        db.executemany(
            "INSERT OR IGNORE INTO webhook_deliveries"
            " (source, dedup_key, decision_event_id, explanation_id, created_at) VALUES (?, ?, ?, ?, ?)",
            [(source, key, delivery.decision_event_id, delivery.explanation_id, now) for key in dedup_keys],
        )

    # -- housekeeping ----------------------------------------------------------------------------

    def prune(self, *, idempotency_before: float, deliveries_before: float) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM idempotency_keys WHERE created_at < ?", (idempotency_before,))
            db.execute("DELETE FROM webhook_deliveries WHERE created_at < ?", (deliveries_before,))


def _connect(path: Path) -> sqlite3.Connection:
    try:
        if path.parent and not path.parent.exists():
            raise StoreError(f"cannot open database {path}: folder {path.parent} does not exist")
        _create_private(path)
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA secure_delete=ON")
        db.executescript(_SCHEMA)
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        _upgrade(db)
    except (sqlite3.Error, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise StoreError(f"cannot open database {path}: {reason} (is the file and its folder writable?)") from None
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    if version != SCHEMA_VERSION:
        raise StoreError(f"database {path} has schema version {version}; this server needs {SCHEMA_VERSION}")
    return db


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (SQLite gives its -wal and -shm files the same
    mode), and take group and other access away from a file an earlier version created."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if file.exists():
                file.chmod(0o600)


def _upgrade(db: sqlite3.Connection) -> None:
    """Version 1 → 2: idempotency claims name the process that made them. (The secrets version 1 kept
    here are moved out by keyring.open_keyring, which has somewhere to move them to.)"""
    if db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] != "1":
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        columns = {row[1] for row in db.execute("PRAGMA table_info(idempotency_keys)")}
        if "owner" not in columns:
            db.execute("ALTER TABLE idempotency_keys ADD COLUMN owner TEXT")
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
