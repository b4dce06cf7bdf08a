"""The store's housekeeping: WAL pages reach the database file off the request path."""

from __future__ import annotations

import time
from pathlib import Path

from reference_server.store import Store


def test_the_wal_is_checkpointed_in_the_background(tmp_path: Path) -> None:
    store = Store(tmp_path / "wal.sqlite3")
    try:
        assert store._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0  # never inside a commit
        with store.transaction() as db:
            db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [(f"k{i}", "x" * 500) for i in range(2000)])
        wal = tmp_path / "wal.sqlite3-wal"
        assert wal.stat().st_size > 0
        deadline = time.monotonic() + 10
        size_before = (tmp_path / "wal.sqlite3").stat().st_size
        while (tmp_path / "wal.sqlite3").stat().st_size <= size_before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (tmp_path / "wal.sqlite3").stat().st_size > size_before, "the WAL never reached the database file"
    finally:
        store.close()
