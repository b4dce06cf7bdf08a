"""Write-ahead-log checkpoints in the gaps between requests.

SQLite copies the WAL back into the database file (a checkpoint) inside whichever commit pushes the
WAL past `wal_autocheckpoint` pages (1,000 by default). On this server that commit runs on the event
loop, so the request making it, and every request queued behind it, waits several milliseconds: at a
steady 1,000 requests/s that is most of the p99 latency. Checkpointing small batches once the server
has been idle for a moment moves the work into time nobody is waiting on. A saturated server is never
idle, and then SQLite's own autocheckpoint still bounds the WAL, as before.

A short gap folds back a batch worth the checkpoint's fixed cost. Once the requests have stopped for
`SETTLE_SECONDS`, whatever is left is folded back too: a server left idle has everything it recorded
in the database file itself, so a copy of that file alone (a backup, a support bundle) is complete.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

from .store import Store

QUIET_SECONDS = 0.001  # no request started for this long: the server is idle, not between two requests
MIN_CHANGES = 50  # rows written since the last checkpoint; fewer are not worth a checkpoint's fixed cost
SETTLE_SECONDS = 0.25  # no request started for this long: the requests have stopped, fold back the rest


class IdleCheckpoints:
    """ASGI middleware: counts the HTTP requests in flight, and checkpoints once none has run for a moment."""

    def __init__(
        self,
        app: ASGIApp,
        store: Store,
        *,
        quiet_seconds: float = QUIET_SECONDS,
        min_changes: int = MIN_CHANGES,
        settle_seconds: float = SETTLE_SECONDS,
    ) -> None:
        self.app = app
        self.store = store
        self.quiet_seconds = quiet_seconds
        self.min_changes = min_changes
        self.settle_seconds = settle_seconds
        self.in_flight = 0
        self.started = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.in_flight += 1
        self.started += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            if self.in_flight == 0:
                asyncio.get_running_loop().call_later(self.quiet_seconds, self._checkpoint_if_idle, self.started)

    def _checkpoint_if_idle(self, started: int) -> None:
        if self._idle_since(started) and not self.store.checkpoint(self.min_changes):
            asyncio.get_running_loop().call_later(self.settle_seconds, self._checkpoint_if_settled, started)

    def _checkpoint_if_settled(self, started: int) -> None:
        if self._idle_since(started):
            self.store.checkpoint(min_changes=1)

    def _idle_since(self, started: int) -> bool:
        """No request is running, and none has started since the one counted as `started` ended."""
        return self.in_flight == 0 and self.started == started
