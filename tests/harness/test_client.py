"""The harness's HTTP client sends what a check built and nothing it picked up along the way."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
from pytest_httpserver import HTTPServer

from nyc_hiring.harness.client import USER_AGENT, TargetClient, environment_proxy


@pytest.fixture
def client(httpserver: HTTPServer) -> TargetClient:
    target = TargetClient(httpserver.url_for("/api/v1/nyc-hiring"))
    yield target
    target.close()


def test_an_answers_cookie_is_never_sent_back(client: TargetClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/nyc-hiring/health").respond_with_data(
        "ok", headers={"Set-Cookie": "session=authenticated; Path=/"}
    )
    httpserver.expect_request("/api/v1/nyc-hiring/decision-event", method="POST").respond_with_data("", status=401)

    client.get("/health")
    client.post("/decision-event", content=b"{}")

    (_, _), (second, _) = httpserver.log
    assert "Cookie" not in second.headers


def test_a_redirect_is_an_answer_not_followed(client: TargetClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/nyc-hiring/health").respond_with_data(
        "", status=307, headers={"Location": "/elsewhere"}
    )

    assert client.get("/health").status_code == 307
    assert len(httpserver.log) == 1


def test_paths_join_the_base_url_and_absolute_urls_go_as_given(client: TargetClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/nyc-hiring/decision-events/de_1").respond_with_json({"id": "de_1"})
    httpserver.expect_request("/openapi.json").respond_with_json({})

    assert client.get("/decision-events/de_1", key="k").json() == {"id": "de_1"}
    assert client.get(httpserver.url_for("/openapi.json")).status_code == 200

    first = httpserver.log[0][0]
    assert first.headers["Authorization"] == "Bearer k"
    assert first.headers["User-Agent"] == USER_AGENT
    assert [exchange.url for exchange in client.exchanges] == [
        httpserver.url_for("/api/v1/nyc-hiring/decision-events/de_1"),
        httpserver.url_for("/openapi.json"),
    ]


def test_headers_and_body_go_as_the_check_wrote_them(client: TargetClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/nyc-hiring/webhook/lever", method="POST").respond_with_data("", status=204)

    client.post("/webhook/lever", headers={"user-agent": "Lever-Webhooks/1.0", "X-Custom": "1"}, content=b"\x00raw")

    request = httpserver.log[0][0]
    assert request.headers.getlist("User-Agent") == ["Lever-Webhooks/1.0"]
    assert request.headers["X-Custom"] == "1"
    assert request.get_data() == b"\x00raw"
    assert client.exchanges[0].request_body == b"\x00raw" and client.exchanges[0].status == 204


def test_a_refused_connection_is_raised_and_kept_as_evidence() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    target = TargetClient(f"http://127.0.0.1:{port}/api", timeout=2)

    with pytest.raises(httpx.ConnectError):
        target.post("/decision-event", content=b"{}")

    (exchange,) = target.exchanges
    assert exchange.status is None and exchange.error and exchange.error.startswith("ConnectError")
    target.close()


def test_the_environment_names_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    assert environment_proxy("https://compliance.example.com") is None

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,.corp.example")
    assert environment_proxy("https://compliance.example.com/api") == "http://proxy.internal:3128"
    assert environment_proxy("https://hiring.corp.example/api") is None
    assert environment_proxy("http://compliance.example.com") is None

    monkeypatch.setenv("ALL_PROXY", "socks5://proxy.internal:1080")
    assert environment_proxy("http://compliance.example.com") == "socks5://proxy.internal:1080"


def test_a_request_in_two_parts_reaches_the_target_half_sent_until_between_returns() -> None:
    """IDEM-002's request in flight: the target holds its head and half its body while `between` runs,
    framed by Content-Length, and the evidence keeps the whole body."""
    content = b'{"candidateIdRaw": "in-flight", "outcome": "rejected"}'
    received = bytearray()
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            while not received.endswith(content):
                received.extend(connection.recv(4096))
            connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    seen: list[bytes] = []

    def between() -> None:
        deadline = time.monotonic() + 5
        while content[: len(content) // 2] not in received and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # anything more would have arrived by now
        seen.append(bytes(received))

    client = TargetClient(f"http://127.0.0.1:{listener.getsockname()[1]}", 5.0)
    try:
        answer = client.post_in_two_parts("/decision-event", headers={"X-Probe": "1"}, content=content, between=between)
    finally:
        client.close()
        listener.close()
    head, _, body_so_far = seen[0].partition(b"\r\n\r\n")
    assert body_so_far == content[: len(content) // 2]
    assert f"content-length: {len(content)}".encode() in head.lower() and b"transfer-encoding" not in head.lower()
    assert b"x-probe: 1" in head.lower()
    assert answer.status_code == 201 and received.endswith(content)
    assert client.exchanges[-1].request_body == content
