"""The `Idempotency-Key` protocol (IDEM-002), after the IETF draft (reference/ats.md § 6.1).

A request with a key first claims it. A claim that finds the key completed replays the stored answer;
one that finds it used with another body gets 422; one that finds it still in flight gets 409. The
answer of the claiming request is stored in the same transaction as what it recorded, so a replay
can never describe a record that is not there.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.responses import Response

from .problems import ProblemError
from .store import Store

IDEMPOTENCY_KEY_MAX = 255
# A bare token of visible ASCII but '"', or an sf-string of printable ASCII but '"' (no escapes).
_IDEMPOTENCY_KEY = re.compile(
    rf"[\x21\x23-\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}}"
    rf'|"(?P<quoted>[\x20\x21\x23-\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}})"'
)
# A claim this old with no answer belongs to a request that crashed: another may take it over.
ABANDONED_CLAIM_SECONDS = 60.0
# The headers of an answer worth replaying; the rest (date, length) belong to the moment.
_REPLAYED_HEADERS = ("content-type", "location")


def idempotency_key(header: str | None) -> str | None:
    """An RFC 8941 sf-string ("...") as the draft says, or a bare token as most clients send; the same
    syntax as the header's pattern in schemas/openapi.yaml. `"abc"` and `abc` name the same key."""
    if header is None:
        return None
    match = _IDEMPOTENCY_KEY.fullmatch(header.strip(" \t"))
    if match is None:
        raise ProblemError(
            400,
            "invalid_idempotency_key",
            f"Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters other than "
            "'\"', or the same between double quotes, where spaces are allowed too.",
        )
    return match.group("quoted") or match.group(0)


def fingerprint(data: Any) -> str:
    """Bodies are compared as JSON values, not bytes: key order and whitespace do not matter."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyKeys:
    """Claims, replays and completes keys, scoped to an environment, in the store's `idempotency_keys`."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def fingerprint(self, data: Any) -> str:
        return fingerprint(data)

    def claim(self, environment: str, key: str, fingerprint: str) -> Response | None:
        """Take the key for this request (None), or answer with the replay of the request that completed it.

        Raise the 422 of a key used with another body, or the 409 of a key whose request is in flight.
        """
        existing = self.store.claim_idempotency_key(environment, key, fingerprint)
        if existing is None:
            return None
        if existing.fingerprint != fingerprint:
            raise ProblemError(
                422, "idempotency_key_reused", "This Idempotency-Key was used with a different request body."
            )
        if existing.state == "completed":
            headers = {**existing.headers, "Idempotent-Replayed": "true"}
            return Response(existing.body or b"", existing.status or 200, headers=headers)
        abandoned_before = self.clock().timestamp() - ABANDONED_CLAIM_SECONDS
        if not self.store.take_over_idempotency_key(environment, key, fingerprint, abandoned_before):
            raise ProblemError(
                409,
                "idempotency_key_in_flight",
                "A request with this Idempotency-Key is still being processed; retry later.",
            )
        return None

    def complete(self, db: sqlite3.Connection, environment: str, key: str, response: Response) -> None:
        """Store the answer to replay, inside the transaction that recorded what it describes."""
        headers = {name: value for name, value in response.headers.items() if name in _REPLAYED_HEADERS}
        self.store.complete_idempotency_key(db, environment, key, response.status_code, headers, bytes(response.body))

    def release(self, environment: str, key: str) -> None:
        """Give the key back after a request that failed, so the client can retry with it."""
        self.store.release_idempotency_key(environment, key)
