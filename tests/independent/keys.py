"""Bearer API keys: environment from the prefix, scopes, revocation, stored hashed.

A key is kept only as a keyed BLAKE2b digest (the key is a per-database salt), so the
database never holds a usable key and a digest from one deployment means nothing in
another. Lookups compare digests of high-entropy keys, so no timing leak arises.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tests.independent.responses import forbidden, unauthenticated

READ = "nyc:hiring.read"
WRITE = "nyc:hiring.write"
KEY_FORMAT = re.compile(r"haiec_(test|live)_[A-Za-z0-9_-]{32,}")


@dataclass(frozen=True)
class ApiKey:
    """What a key may do. The environment is fixed by the key's prefix."""

    digest: str
    environment: str
    scopes: frozenset[str]
    revoked: bool = False


def environment_of(key: str) -> str | None:
    match = KEY_FORMAT.fullmatch(key)
    return match.group(1) if match else None


class KeyRing:
    """The keys this deployment accepts, by digest."""

    def __init__(self, salt: bytes, keys: Iterable[ApiKey] = ()) -> None:
        self._salt = salt
        self._keys = {key.digest: key for key in keys}

    def digest(self, key: str) -> str:
        return hashlib.blake2b(key.encode(), key=self._salt, person=b"nyc-hiring-key", digest_size=32).hexdigest()

    def describe(self, key: str, scopes: Iterable[str], revoked: bool) -> ApiKey:
        """The stored form of a configured key (its digest, never the key)."""
        environment = environment_of(key)
        if environment is None:
            raise ValueError("an API key must look like haiec_test_<32+ url-safe characters> or haiec_live_...")
        return ApiKey(self.digest(key), environment, frozenset(scopes), revoked)

    def add(self, key: ApiKey) -> None:
        self._keys[key.digest] = key

    def authenticate(self, header_values: list[str], scope: str) -> ApiKey:
        """The key behind the ``Authorization`` header, if it may use *scope*; else a 401 or 403 problem."""
        if not header_values:
            raise unauthenticated("Send an API key as Authorization: Bearer <key>.", key_sent=False)
        if len(header_values) > 1:
            raise unauthenticated("Send exactly one Authorization header.", key_sent=True)
        scheme, _, token = header_values[0].strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise unauthenticated("Use the Bearer scheme: Authorization: Bearer <key>.", key_sent=bool(token))
        if not KEY_FORMAT.fullmatch(token):
            raise unauthenticated("The API key is not well formed.", key_sent=True)
        found = self._keys.get(self.digest(token))
        if found is None or found.revoked:
            raise unauthenticated("The API key is unknown or has been revoked.", key_sent=True)
        if scope not in found.scopes:
            raise forbidden(scope)
        return found
