"""The WAL is folded back into the database in idle time, and never while a request is running."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

from starlette.types import Receive, Scope, Send

from reference_server.checkpoints import IdleCheckpoints
from reference_server.store import Store

from .conftest import Sandbox, decision_body

QUIET = 0.01
ROWS = 60


def rows_in_database_file(path: Path) -> int:
    """The rows the database file itself holds, WAL aside: a copy of the file alone has only those."""
    copy = path.with_name("copy-" + path.name)
    shutil.copyfile(path, copy)
    try:
        with closing(sqlite3.connect(copy)) as db:
            return int(db.execute("SELECT count(*) FROM meta WHERE key LIKE 'row-%'").fetchone()[0])
    finally:
        for leftover in copy.parent.glob(copy.name + "*"):
            leftover.unlink()


def fresh_store(folder: Path) -> Store:
    """A store whose schema is already in the database file, so the file alone can be read."""
    store = Store(folder / "db.sqlite3")
    store.checkpoint()
    return store


def write_rows(store: Store, count: int) -> None:
    with store.transaction() as db:
        for index in range(count):
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"row-{index}", "x" * 200))


async def request(app: IdleCheckpoints) -> None:
    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        return None

    await app({"type": "http", "path": "/"}, receive, send)  # type: ignore[arg-type]


def middleware(store: Store, hold: asyncio.Event | None = None) -> IdleCheckpoints:
    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        if hold is not None:
            await hold.wait()

    return IdleCheckpoints(inner, store, quiet_seconds=QUIET, min_changes=50)


def test_an_idle_server_checkpoints_what_the_requests_wrote(tmp_path: Path) -> None:
    store = fresh_store(tmp_path)
    write_rows(store, ROWS)
    assert rows_in_database_file(store.path) == 0

    async def scenario() -> None:
        await request(middleware(store))
        await asyncio.sleep(QUIET * 5)

    asyncio.run(scenario())
    assert rows_in_database_file(store.path) == ROWS
    store.close()


def test_no_checkpoint_while_a_request_is_in_flight(tmp_path: Path) -> None:
    store = fresh_store(tmp_path)
    write_rows(store, ROWS)
    hold = asyncio.Event()
    app = middleware(store, hold)

    async def scenario() -> tuple[int, int]:
        hold.set()
        await request(app)  # done: its quiet period starts
        hold.clear()
        slow = asyncio.create_task(request(app))  # starts within that quiet period, and stays
        await asyncio.sleep(QUIET * 5)
        during = rows_in_database_file(store.path)
        hold.set()
        await slow
        await asyncio.sleep(QUIET * 5)
        return during, rows_in_database_file(store.path)

    during, after = asyncio.run(scenario())
    assert during == 0
    assert after == ROWS
    store.close()


def test_a_few_rows_are_not_worth_a_checkpoint(tmp_path: Path) -> None:
    store = fresh_store(tmp_path)
    write_rows(store, 5)
    assert store.checkpoint(min_changes=50) is False
    assert rows_in_database_file(store.path) == 0
    assert store.checkpoint(min_changes=0) is True
    assert rows_in_database_file(store.path) == 5
    store.close()


def test_the_app_checkpoints_after_its_requests(sandbox: Sandbox) -> None:
    """Wired into the app: once the requests stop, the decision events are in the database file itself."""
    sandbox.store.checkpoint()
    for _ in range(30):
        body = decision_body(candidateIdRaw=f"cand_{uuid.uuid4().hex}")
        assert sandbox.post("/decision-event", json=body).status_code == 201
    sandbox._runner.run(asyncio.sleep(0.05))  # the app's event loop idles past the quiet period
    copy = sandbox.db_path.with_name("copy.sqlite3")
    shutil.copyfile(sandbox.db_path, copy)
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("SELECT count(*) FROM decision_events").fetchone()[0] == 30
