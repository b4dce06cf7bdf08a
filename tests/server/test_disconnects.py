"""A client that hangs up mid-request is no server error: one debug line, no traceback, nothing recorded."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from nyc_hiring.harness.sandbox import SandboxProcess

from .conftest import BASE, ENVIRONMENT, KEY, Sandbox, decision_body, output_once


def scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "server": ("sandbox.test", 80),
        "client": ("127.0.0.1", 50000),
    }


async def hang_up_midway(app: Any, path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> list[Any]:
    """Half the body, then the disconnect the server sees when the client goes away."""
    arriving = [
        {"type": "http.request", "body": body[: len(body) // 2], "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Any] = []

    async def receive() -> Any:
        return arriving.pop(0) if arriving else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope(path, headers), receive, send)
    return sent


@contextmanager
def server_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every record of the server's logger, down to debug, whatever ran before in this process: the
    server's own logging configuration (reference_server/logs.py), once applied, keeps its records from
    reaching the root logger, where caplog listens, and a logging configuration that does not name the
    logger (uvicorn's, say) disables it."""
    logger = logging.getLogger("reference_server")
    level, propagate, disabled = logger.level, logger.propagate, logger.disabled
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.disabled = False
    logger.addHandler(caplog.handler)
    try:
        yield
    finally:
        logger.removeHandler(caplog.handler)
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


@pytest.mark.parametrize("route", ["/decision-event", "/webhook/greenhouse"])
def test_a_client_gone_midway_is_a_debug_line_without_traceback(
    sandbox: Sandbox, route: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = httpx.Request("POST", "/", json=decision_body()).content
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"authorization", f"Bearer {KEY}".encode()),
    ]
    with server_log(caplog):
        asyncio.run(hang_up_midway(sandbox.app, BASE + route, headers, body))
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []
    gone = [record for record in caplog.records if "went away" in record.getMessage()]
    assert len(gone) == 1 and gone[0].levelno == logging.DEBUG and gone[0].exc_info is None
    assert sandbox.store.count_events() == 0


@pytest.fixture(scope="module")
def chatty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """A real server logging everything, down to debug lines."""
    database = tmp_path_factory.mktemp("disconnects") / "disconnects.sqlite3"
    with SandboxProcess(database, credentials=ENVIRONMENT, extra_args=("--log-level", "debug")) as process:
        yield process


@pytest.mark.slow
def test_an_aborted_upload_to_a_real_server_logs_no_error(chatty: SandboxProcess) -> None:
    head = (
        "POST /api/v1/nyc-hiring/webhook/greenhouse HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n"
    )
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", chatty.port)) as connection:
            connection.sendall(head.encode() + b'{"action": "reject_candidate", "payload": ')
            time.sleep(0.1)
    gone = "client went away during POST /api/v1/nyc-hiring/webhook/greenhouse"
    log = output_once(chatty, lambda log: log.count(gone) >= 3)
    assert log.count(gone) == 3
    assert "Traceback" not in log and "ERROR" not in log
    health = httpx.get(chatty.base_url.split("/api/")[0] + "/health")
    assert health.status_code == 200
