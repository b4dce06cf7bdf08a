"""The Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header).

The draft makes the value a Structured Field String (``"…"``); many clients send a bare
token, so both are read, and ``"abc"`` and ``abc`` name the same key. A key is claimed
as soon as a request carrying it is authenticated, before its body is read, so a second
request arriving while the first is still being uploaded or processed gets 409.
"""

from __future__ import annotations

import hashlib
import threading

from tests.independent.jsonbody import canonical
from tests.independent.responses import bad_request

MAX_KEY_LENGTH = 255
RETENTION_SECONDS = 72 * 3600


def parse_key(values: list[str]) -> str | None:
    """The key a request carries, None without one; a 400 problem for an unusable one."""
    if not values:
        return None
    if len(values) > 1:
        raise bad_request("IDEMPOTENCY_KEY_INVALID", "Send at most one Idempotency-Key header.")
    value = values[0].strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        allowed = all(" " <= ch <= "~" and ch not in '"\\' for ch in inner)
    else:
        inner = value
        allowed = all("!" <= ch <= "~" and ch not in '"\\' for ch in inner)
    if not allowed or not 1 <= len(inner) <= MAX_KEY_LENGTH:
        detail = f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable ASCII characters, quoted or not."
        raise bad_request("IDEMPOTENCY_KEY_INVALID", detail)
    return inner


def fingerprint(document: object) -> str:
    """Bodies are the same when they are the same JSON value, whatever their bytes."""
    return hashlib.sha256(canonical(document)).hexdigest()


class InFlight:
    """Keys whose first request has not finished yet, per environment."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claimed: set[tuple[str, str]] = set()

    def claim(self, environment: str, key: str) -> bool:
        with self._lock:
            if (environment, key) in self._claimed:
                return False
            self._claimed.add((environment, key))
            return True

    def release(self, environment: str, key: str) -> None:
        with self._lock:
            self._claimed.discard((environment, key))
