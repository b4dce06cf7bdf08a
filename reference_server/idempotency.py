"""The `Idempotency-Key` protocol (IDEM-002), after the IETF draft (docs/sources.md#http-standards).

A request with a key first claims it. A claim that finds the key completed replays the stored answer;
one that finds it used with another body gets 422; one that finds it still in flight gets 409. The
answer of the claiming request is stored in the same transaction as what it recorded, so a replay
can never describe a record that is not there.

A claim names the process that made it (`Claimant`). A request holds its claim for the milliseconds
it takes to record, synchronously, so a claim still open is either in flight in another process or
left by one that died (kill -9, a power cut). It is taken over at once when its process is known to be
gone (a pid of this host that no longer exists, or an earlier process with this one's pid), and
otherwise once its lease of `CLAIM_LEASE_SECONDS` runs out; meanwhile the 409 says when to retry.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import secrets
import socket
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
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
# A claim this old with no answer belongs to a request that will never finish: another may take it over.
CLAIM_LEASE_SECONDS = 5.0
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


@dataclass(frozen=True)
class Claimant:
    """A process that claims keys: its host and pid, and a token of its own, since pids are reused."""

    host: str
    pid: int
    token: str

    @classmethod
    def this_process(cls) -> Claimant:
        return cls(socket.gethostname(), os.getpid(), secrets.token_hex(8))

    @classmethod
    def parse(cls, text: str | None) -> Claimant | None:
        host, _, rest = (text or "").rpartition("@")
        pid, _, token = rest.partition(":")
        return cls(host, int(pid), token) if host and pid.isdigit() and token else None

    def __str__(self) -> str:
        return f"{self.host}@{self.pid}:{self.token}"

    def outlived(self, other: Claimant) -> bool:
        """True when `other` is certainly gone: an earlier process with this pid, or a pid of this host
        that no longer exists. Another host's process cannot be seen from here: only its lease ends it."""
        if other.host != self.host:
            return False
        if other.pid == self.pid:
            return other.token != self.token
        return os.name == "posix" and not _exists(other.pid)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: delivered to nobody, only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        return True
    return True


class IdempotencyKeys:
    """Claims, replays and completes keys, scoped to an environment, in the store's `idempotency_keys`."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self.claimant = Claimant.this_process()

    def fingerprint(self, data: Any) -> str:
        return fingerprint(data)

    def claim(self, environment: str, key: str, fingerprint: str) -> Response | None:
        """Take the key for this request (None), or answer with the replay of the request that completed it.

        Raise the 422 of a key used with another body, or the 409 of a key whose request is in flight.
        """
        existing = self.store.claim_idempotency_key(environment, key, fingerprint, str(self.claimant))
        if existing is None:
            return None
        if existing.fingerprint != fingerprint:
            raise ProblemError(
                422, "idempotency_key_reused", "This Idempotency-Key was used with a different request body."
            )
        if existing.state == "completed":
            headers = {**existing.headers, "Idempotent-Replayed": "true"}
            return Response(existing.body or b"", existing.status or 200, headers=headers)
        lease_left = existing.created_at + CLAIM_LEASE_SECONDS - self.clock().timestamp()
        abandoned = lease_left <= 0 or self._outlived(existing.owner)
        if abandoned and self.store.take_over_idempotency_key(
            environment, key, fingerprint, str(self.claimant), existing
        ):
            return None
        raise in_flight(max(lease_left, 0.0))

    def _outlived(self, owner: str | None) -> bool:
        claimant = Claimant.parse(owner)
        return claimant is not None and self.claimant.outlived(claimant)

    def complete(self, db: sqlite3.Connection, environment: str, key: str, response: Response) -> None:
        """Store the answer to replay, inside the transaction that recorded what it describes. A claim
        another process took over meanwhile (this one outlasted its lease) is that process's: raising the
        409 rolls back what this request wrote, and the client's retry gets the other's answer."""
        headers = {name: value for name, value in response.headers.items() if name in _REPLAYED_HEADERS}
        body = bytes(response.body)
        if not self.store.complete_idempotency_key(
            db, environment, key, response.status_code, headers, body, str(self.claimant)
        ):
            raise in_flight(CLAIM_LEASE_SECONDS)

    def release(self, environment: str, key: str) -> None:
        """Give the key back after a request that failed, so the client can retry with it."""
        self.store.release_idempotency_key(environment, key, str(self.claimant))


def in_flight(retry_after: float) -> ProblemError:
    return ProblemError(
        409,
        "idempotency_key_in_flight",
        "A request with this Idempotency-Key is still being processed; retry later.",
        headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
    )
