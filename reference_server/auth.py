"""API keys: `haiec_<live|test>_<32+ url-safe chars>`, stored as SHA-256 hashes, with scopes.

Keys are high-entropy random strings, so a fast unsalted hash is enough to make a stolen database
useless for calling the API (the same reasoning as GitHub's token storage); the lookup is by hash,
and the final comparison is constant-time. A key's environment is fixed by its prefix (contract § 1).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Literal

from . import faults
from .problems import ProblemError
from .store import Store

Environment = Literal["test", "live"]
READ_SCOPE = "nyc:hiring.read"
WRITE_SCOPE = "nyc:hiring.write"
ALL_SCOPES = frozenset({READ_SCOPE, WRITE_SCOPE})

KEY_PATTERN = re.compile(r"haiec_(live|test)_[A-Za-z0-9_-]{32,200}")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's ID (never the key), its environment and scopes."""

    key_id: str
    environment: Environment
    scopes: frozenset[str]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_environment(key: str) -> Environment | None:
    match = KEY_PATTERN.fullmatch(key)
    if match is None:
        return None
    return "live" if match.group(1) == "live" else "test"


def generate_key(environment: Environment) -> str:
    return f"haiec_{environment}_{secrets.token_urlsafe(32)}"


def register_key(store: Store, key: str, scopes: frozenset[str], label: str) -> bool:
    """Store a key by hash; True if it was new. Raise ValueError for a key of the wrong shape."""
    environment = key_environment(key)
    if environment is None:
        raise ValueError(f"{label}: an API key must look like haiec_live_... or haiec_test_... (32+ characters)")
    key_hash = hash_key(key)
    return store.add_api_key(f"key_{key_hash[:16]}", key_hash, key[:15], environment, scopes, label)


def authenticate(store: Store, authorization: str | None, scope: str) -> Principal:
    """Return the caller, or raise the 401/403 problem the contract asks for (AUTH-001..003)."""
    if faults.on("auth_optional") and not authorization:
        return Principal("fault", "test", ALL_SCOPES)
    if not authorization:
        raise ProblemError(
            401, "missing_credentials", "Send an API key as 'Authorization: Bearer haiec_...'.",
            headers={"WWW-Authenticate": 'Bearer realm="nyc-hiring"'},
        )
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    row = None
    if scheme.lower() == "bearer" and KEY_PATTERN.fullmatch(token):
        candidate_hash = hash_key(token)
        row = store.api_key_by_hash(candidate_hash)
        if row is not None and not hmac.compare_digest(row.key_hash, candidate_hash):
            row = None
    if faults.on("auth_accept_any_key") and (row is None or row.revoked):
        return Principal("fault", "test", ALL_SCOPES)
    if faults.on("auth_echo_key") and (row is None or row.revoked):
        raise ProblemError(401, "invalid_credentials", f"The API key {token!r} is not valid.",
                           headers={"WWW-Authenticate": 'Bearer realm="nyc-hiring", error="invalid_token"'})
    if row is None or row.revoked:
        # One answer for unknown, malformed and revoked keys: the caller learns nothing about which.
        raise ProblemError(
            401, "invalid_credentials", "The API key is not valid.",
            headers={"WWW-Authenticate": 'Bearer realm="nyc-hiring", error="invalid_token"'},
        )
    if scope not in row.scopes and not faults.on("auth_ignore_scope"):
        raise ProblemError(
            403, "insufficient_scope", f"This API key lacks the '{scope}' scope.",
            headers={"WWW-Authenticate": f'Bearer realm="nyc-hiring", error="insufficient_scope", scope="{scope}"'},
        )
    environment: Environment = "live" if row.environment == "live" else "test"
    return Principal(row.id, environment, row.scopes)
