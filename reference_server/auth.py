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
from typing import Literal, Protocol

from starlette.datastructures import Headers

from .problems import ProblemError
from .store import ApiKeyRow, Store

Environment = Literal["test", "live"]
READ_SCOPE = "nyc:hiring.read"
WRITE_SCOPE = "nyc:hiring.write"
ALL_SCOPES = frozenset({READ_SCOPE, WRITE_SCOPE})
REALM = "nyc-hiring"

KEY_PATTERN = re.compile(r"haiec_(live|test)_[A-Za-z0-9_-]{32,200}")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's ID (never the key), its environment and scopes."""

    key_id: str
    environment: Environment
    scopes: frozenset[str]


class Authenticator(Protocol):
    """Turns an `Authorization` header into the caller, or raises the 401 or 403 problem."""

    def __call__(self, authorization: str | None, scope: str) -> Principal: ...


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


def authorization(headers: Headers) -> str | None:
    """The `Authorization` header, its field lines joined as RFC 9110 § 5.3 combines a repeated field.
    Two credentials so make one value that is no credential, and the request is refused (401), where
    taking the first line would let whatever sits between client and server decide which key counts."""
    lines = headers.getlist("authorization")
    return ", ".join(lines) if lines else None


def bearer_token(authorization: str) -> str | None:
    """The key in `Bearer <key>`, or None when the header holds no well-formed key."""
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and KEY_PATTERN.fullmatch(token) else None


class ApiKeys:
    """The API's authenticator (AUTH-001 to AUTH-003): who the key belongs to, then whether it may."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __call__(self, authorization: str | None, scope: str) -> Principal:
        principal = self.identify(authorization)
        self.authorize(principal, scope)
        return principal

    def identify(self, authorization: str | None) -> Principal:
        if not authorization:
            raise self.missing()
        token = bearer_token(authorization)
        row = self.lookup(token) if token is not None else None
        if row is None or row.revoked:
            # One answer for unknown, malformed and revoked keys: the caller learns nothing about which.
            raise self.invalid(token or "")
        environment: Environment = "live" if row.environment == "live" else "test"
        return Principal(row.id, environment, row.scopes)

    def authorize(self, principal: Principal, scope: str) -> None:
        if scope not in principal.scopes:
            raise ProblemError(
                403,
                "insufficient_scope",
                f"This API key lacks the '{scope}' scope.",
                headers={"WWW-Authenticate": f'Bearer realm="{REALM}", error="insufficient_scope", scope="{scope}"'},
            )

    def lookup(self, token: str) -> ApiKeyRow | None:
        key_hash = hash_key(token)
        row = self.store.api_key_by_hash(key_hash)
        return row if row is not None and hmac.compare_digest(row.key_hash, key_hash) else None

    def missing(self) -> ProblemError:
        """RFC 6750 § 3: a request without credentials gets 401 and a challenge, with no error code."""
        return ProblemError(
            401,
            "missing_credentials",
            "Send an API key as 'Authorization: Bearer haiec_...'.",
            headers={"WWW-Authenticate": f'Bearer realm="{REALM}"'},
        )

    def invalid(self, token: str) -> ProblemError:
        """The key is refused; `token` (what was sent, empty when malformed) is never shown back (AUTH-005)."""
        return ProblemError(
            401,
            "invalid_credentials",
            "The API key is not valid.",
            headers={"WWW-Authenticate": f'Bearer realm="{REALM}", error="invalid_token"'},
        )
