"""The server's secrets at rest: the key that hashes candidate IDs, and each ATS's webhook secret.

They live beside the database, in a file only its owner can read (`<database>.secrets.json`, mode
0600), never in the database itself. A copy of the database alone (a backup, a file attached to a
support ticket) then holds nothing from which a candidate ID, an API key or a webhook secret can be
recovered: candidate IDs are short and guessable, so their hashes are only safe while the key is not
beside them.

The candidate-hash key is what keeps recorded hashes valid: a candidate sent again must hash to the
same value, or duplicates go unnoticed. So it is created once, moved (never regenerated) out of a
database an earlier version kept it in, and the database records a check value of it (an HMAC that
reveals nothing of the key): started with another key, or none, the server refuses to run rather than
hash candidates anew.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .store import Store

KEY_CHECK = "candidate_hash_key_check"
_KEY_CHECK_MESSAGE = b"nyc-hiring candidate-hash key check"


class KeyringError(Exception):
    """The secrets file cannot be read or written, or holds the wrong key; the message says which."""


def keyring_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".secrets.json")


class Keyring:
    """The secrets, held in memory and written through to their file on every change."""

    def __init__(self, path: Path, candidate_hash_key: bytes | None, webhook_secrets: Mapping[str, str]) -> None:
        self.path = path
        self._candidate_hash_key = candidate_hash_key
        self._webhook_secrets = dict(webhook_secrets)

    @classmethod
    def load(cls, path: Path) -> Keyring:
        """The keyring in `path`, or an empty one when the file does not exist yet."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            key = data.get("candidateHashKey")
            return cls(path, bytes.fromhex(key) if key else None, dict(data.get("webhookSecrets") or {}))
        except FileNotFoundError:
            return cls(path, None, {})
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            # the reason only: a message quoting the file's content could quote a secret
            reason = exc.strerror if isinstance(exc, OSError) else f"not a secrets file ({type(exc).__name__})"
            raise KeyringError(f"cannot read the secrets file {path}: {reason}") from None

    @property
    def candidate_hash_key(self) -> bytes:
        if self._candidate_hash_key is None:
            raise KeyringError(f"{self.path} holds no candidate-hash key")
        return self._candidate_hash_key

    def has_candidate_hash_key(self) -> bool:
        return self._candidate_hash_key is not None

    def create_candidate_hash_key(self) -> None:
        """A new key; but when another process creates the file at the same moment and wins, its key."""
        self._candidate_hash_key = secrets.token_bytes(32)
        if self.path.exists():
            self._save()
        elif not self._save(exclusive=True):
            winner = Keyring.load(self.path)
            self._candidate_hash_key = winner.candidate_hash_key
            self._webhook_secrets = {**winner._webhook_secrets, **self._webhook_secrets}

    def adopt_candidate_hash_key(self, key: bytes) -> None:
        """Take over a key recorded elsewhere (an older database): the hashes made with it stay valid."""
        if self._candidate_hash_key is not None and not hmac.compare_digest(self._candidate_hash_key, key):
            raise KeyringError(f"{self.path} and its database hold different candidate-hash keys")
        self._candidate_hash_key = key
        self._save()

    def webhook_secret(self, source: str) -> str | None:
        return self._webhook_secrets.get(source)

    def set_webhook_secret(self, source: str, secret: str) -> None:
        if self._webhook_secrets.get(source) != secret:
            self._webhook_secrets[source] = secret
            self._save()

    def _save(self, *, exclusive: bool = False) -> bool:
        """Write the file in one step (a temporary file renamed over it), so a crash leaves the old or the
        new secrets, never half of them; created 0600, since it holds what the database must not.
        `exclusive`: only if no file exists yet (False when one does)."""
        data = {
            "candidateHashKey": self._candidate_hash_key.hex() if self._candidate_hash_key else None,
            "webhookSecrets": self._webhook_secrets,
        }
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:  # mkstemp creates it 0600
                    json.dump(data, handle, indent=2)
                    handle.flush()
                    os.fsync(handle.fileno())
                if exclusive:
                    os.link(temporary, self.path)  # fails if the file exists: the first writer wins
                else:
                    os.replace(temporary, self.path)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
            _sync_folder(self.path.parent)
        except FileExistsError:
            return False
        except OSError as exc:
            raise KeyringError(f"cannot write the secrets file {self.path}: {exc.strerror or exc}") from None
        return True


def _sync_folder(folder: Path) -> None:
    """Make a rename durable before the database forgets what the file now holds (POSIX only)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def open_keyring(store: Store, keyring: Keyring | None = None) -> Keyring:
    """`keyring` (by default the one beside `store`'s database), ready for that database: the secrets an
    older version kept in the database moved into it, and its candidate-hash key checked against the one
    the database was hashed with (created, and recorded, for a new database)."""
    keyring = keyring or Keyring.load(keyring_file(store.path))
    _move_legacy_secrets(store, keyring)
    recorded = store.meta(KEY_CHECK)
    if not keyring.has_candidate_hash_key():
        if recorded is not None:
            raise KeyringError(
                f"{store.path} was recorded with a candidate-hash key that {keyring.path} no longer holds: "
                "restore that file from where the database was backed up"
            )
        keyring.create_candidate_hash_key()
    check = key_check(keyring.candidate_hash_key)
    if not hmac.compare_digest(store.set_meta_if_absent(KEY_CHECK, check), check):
        raise KeyringError(f"{keyring.path} holds another candidate-hash key than the one {store.path} was hashed with")
    return keyring


def key_check(key: bytes) -> str:
    """A value that tells whether a key is the one recorded, and nothing else about it."""
    return hmac.new(key, _KEY_CHECK_MESSAGE, hashlib.sha256).hexdigest()


def _move_legacy_secrets(store: Store, keyring: Keyring) -> None:
    """Into the keyring first (on disk), then out of the database: a crash in between loses nothing."""
    legacy = store.legacy_secrets()
    if legacy is None:
        return
    if legacy.candidate_hash_key is not None:
        keyring.adopt_candidate_hash_key(bytes.fromhex(legacy.candidate_hash_key))
    for source, secret in legacy.webhook_secrets.items():
        if keyring.webhook_secret(source) is None:
            keyring.set_webhook_secret(source, secret)
    store.erase_legacy_secrets()
