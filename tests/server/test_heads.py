"""Request heads past the limits (header fields, bytes) get 431 or a closed connection within a second,
from a real uvicorn process, while another client's requests go on being answered."""

from __future__ import annotations

import json
import socket
import statistics
import threading
import time
from collections.abc import Iterator

import httpx
import jsonschema
import pytest

from nyc_hiring import schemas
from nyc_hiring.harness.sandbox import SandboxProcess
from nyc_hiring.reference_server.config import MAX_HEAD_BYTES, MAX_HEADER_FIELDS

from .conftest import ENVIRONMENT, decision_body

pytestmark = pytest.mark.slow
CHUNK = 64 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with SandboxProcess(tmp_path_factory.mktemp("heads") / "heads.sqlite3", credentials=ENVIRONMENT) as process:
        yield process


def exchange(server: SandboxProcess, head: bytes, piece: int | None = None) -> bytes:
    """Send a whole request head (in pieces of `piece` bytes, each its own read); what comes back
    before the server closes (or a reset) ends it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for start in range(0, len(head), piece or len(head)):
            connection.sendall(head[start : start + (piece or len(head))])
            if piece:
                time.sleep(0.002)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
                if b"\r\n\r\n" in received and not received.startswith(b"HTTP/1.1 100"):
                    break
        except ConnectionResetError:
            pass
        return received


def request_head(*fields: tuple[str, str]) -> bytes:
    lines = ["GET /health HTTP/1.1", "Host: 127.0.0.1", *(f"{name}: {value}" for name, value in fields)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def status(answer: bytes) -> int | None:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None


def test_the_limits_are_where_the_settings_put_them(server: SandboxProcess) -> None:
    fields = [(f"X-Field-{n}", "v") for n in range(MAX_HEADER_FIELDS - 1)]  # and Host
    assert status(exchange(server, request_head(*fields))) == 200
    assert status(exchange(server, request_head(*fields, ("X-One-Too-Many", "v")))) == 431
    near = MAX_HEAD_BYTES - 200
    assert status(exchange(server, request_head(("X-Large", "a" * near)))) == 200
    assert status(exchange(server, request_head(("X-Large", "a" * MAX_HEAD_BYTES)))) == 431


def test_the_refusal_is_a_problem_document(server: SandboxProcess) -> None:
    fields = [(f"X-Field-{n}", "v") for n in range(MAX_HEADER_FIELDS)]
    head, _, body = exchange(server, request_head(*fields)).partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in head.lower()
    problem = json.loads(body)
    jsonschema.validate(problem, schemas.load("problem"))
    assert (problem["status"], problem["code"]) == (431, "request_head_too_large")
    assert str(MAX_HEADER_FIELDS) in problem["detail"]


def test_a_head_arriving_in_pieces_is_judged_the_same(server: SandboxProcess) -> None:
    within = request_head(*[(f"X-Field-{n}", "v" * 300) for n in range(95)])  # about 30 KiB
    assert status(exchange(server, within, piece=1000)) == 200
    beyond = request_head(*[(f"X-Field-{n}", "v" * 400) for n in range(95)])  # about 38 KiB
    assert status(exchange(server, beyond, piece=1000)) == 431


class HealthProbe(threading.Thread):
    """Another client, asking for /health over and over, timing each answer."""

    def __init__(self, server: SandboxProcess) -> None:
        super().__init__(daemon=True)
        self.url = server.base_url.split("/api/")[0] + "/health"
        self.latencies: list[float] = []
        self.failures = 0
        self.done = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self.done.is_set():
                started = time.perf_counter()
                try:
                    client.get(self.url).raise_for_status()
                    self.latencies.append(time.perf_counter() - started)
                except httpx.HTTPError:
                    self.failures += 1
                time.sleep(0.01)

    def stop(self) -> list[float]:
        self.done.set()
        self.join()
        return self.latencies


def oversized_head(server: SandboxProcess, size: int) -> tuple[int | None, float]:
    """Stream a header of `size` bytes; the status answered (None: the connection was closed instead)
    and the seconds from the first byte to the answer or the close."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        started = time.perf_counter()
        try:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ")
            for _ in range(size // CHUNK):
                connection.sendall(b"a" * CHUNK)
            connection.sendall(b"\r\n\r\n")
        except OSError:
            pass  # refused while still sending: the server closed the connection
        try:
            answer = connection.recv(4096)
        except OSError:
            answer = b""
        return status(answer), time.perf_counter() - started


def test_a_huge_header_is_refused_within_a_second_and_another_client_is_not_held_up(server: SandboxProcess) -> None:
    probe = HealthProbe(server)
    probe.start()
    time.sleep(0.3)
    answered, seconds = oversized_head(server, 32 * 1024 * 1024)
    time.sleep(0.3)
    latencies = probe.stop()
    assert answered in (431, None), answered
    assert seconds < 1.0
    assert probe.failures == 0 and latencies
    assert statistics.median(latencies) < 0.1 and max(latencies) < 1.0, latencies


def test_a_head_refused_is_never_seen_by_the_application(server: SandboxProcess) -> None:
    key = ENVIRONMENT["NYC_HIRING_API_KEY"]
    body = json.dumps(decision_body())
    head = (
        f"POST /api/v1/nyc-hiring/decision-event HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        + "".join(f"X-Field-{n}: v\r\n" for n in range(MAX_HEADER_FIELDS))
        + "\r\n"
    )
    answer = exchange(server, (head + body).encode())
    assert status(answer) == 431 and b"connection: close" in answer.lower()
    again = httpx.post(
        f"{server.base_url}/decision-event",
        content=body,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    assert again.status_code == 201  # not 409: the refused request recorded nothing
