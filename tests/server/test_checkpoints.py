"""The WAL is folded back into the database in idle time, and never while a request is running."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

from starlette.types import Receive, Scope, Send

from nyc_hiring.reference_server.checkpoints import SETTLE_SECONDS, IdleCheckpoints
from nyc_hiring.reference_server.store import Store

from .conftest import Sandbox, decision_body

QUIET = 0.01
SETTLE = 0.1
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

    return IdleCheckpoints(inner, store, quiet_seconds=QUIET, min_changes=50, settle_seconds=SETTLE)


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


def test_a_few_rows_are_folded_back_once_the_requests_settle(tmp_path: Path) -> None:
    """Too few rows for a checkpoint in a short gap; once no request has started for the settle period,
    the file holds them all the same, and not before."""
    store = fresh_store(tmp_path)
    write_rows(store, 5)

    async def scenario() -> tuple[int, int]:
        await request(middleware(store))
        await asyncio.sleep(QUIET * 5)
        in_the_gap = rows_in_database_file(store.path)
        await asyncio.sleep(SETTLE * 2)
        return in_the_gap, rows_in_database_file(store.path)

    in_the_gap, settled = asyncio.run(scenario())
    assert (in_the_gap, settled) == (0, 5)
    store.close()


def test_a_request_within_the_settle_period_puts_it_off(tmp_path: Path) -> None:
    store = fresh_store(tmp_path)
    write_rows(store, 5)
    hold = asyncio.Event()
    app = middleware(store, hold)

    async def scenario() -> int:
        hold.set()
        await request(app)
        await asyncio.sleep(QUIET * 5)  # the short gap declined: the settle timer runs
        hold.clear()
        slow = asyncio.create_task(request(app))  # still running when the settle period ends
        await asyncio.sleep(SETTLE * 2)
        during = rows_in_database_file(store.path)
        hold.set()
        await slow
        return during

    assert asyncio.run(scenario()) == 0
    store.close()


def test_the_app_checkpoints_after_its_requests(sandbox: Sandbox) -> None:
    """Wired into the app: once the requests stop, the decision events are in the database file itself,
    however the idle gaps between them fell (each gap may have folded back a batch, or not)."""
    sandbox.store.checkpoint()
    for _ in range(30):
        body = decision_body(candidateIdRaw=f"cand_{uuid.uuid4().hex}")
        assert sandbox.post("/decision-event", json=body).status_code == 201
    # The app's own event loop idles past the settle period: its timers, set before this sleep began and
    # due before it ends, run first, however busy the machine.
    sandbox._runner.run(asyncio.sleep(SETTLE_SECONDS * 4))
    copy = sandbox.db_path.with_name("copy.sqlite3")
    shutil.copyfile(sandbox.db_path, copy)
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("SELECT count(*) FROM decision_events").fetchone()[0] == 30
