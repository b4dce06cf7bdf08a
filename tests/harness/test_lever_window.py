"""How far inside and past Lever's 24 hours the SIG-006 retry check sends: wide enough for the target's clock."""

from __future__ import annotations

import http.server
import threading
import time
from email.utils import formatdate

import pytest

from nyc_hiring.harness.client import TargetClient
from nyc_hiring.harness.suite.conftest import OTHER_CLOCK, SAME_CLOCK, LeverMargins, _is_loopback, _target_clock


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/api", True),
        ("http://127.8.0.1/api", True),
        ("http://localhost:8000/api", True),
        ("http://[::1]:8000/api", True),
        ("https://compliance.example.com/api", False),
        ("http://10.0.0.4/api", False),
    ],
)
def test_only_a_loopback_target_is_on_this_host(url: str, loopback: bool) -> None:
    assert _is_loopback(url) is loopback


class _ClockServer(http.server.BaseHTTPRequestHandler):
    """Answers /health with a Date header read off a clock `offset_s` away from ours."""

    offset_s = 0.0

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def date_time_string(self, timestamp: float | None = None) -> str:
        return formatdate(time.time() + self.offset_s, usegmt=True)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _clock_of(offset_s: float) -> tuple[float, LeverMargins]:
    handler = type("Handler", (_ClockServer,), {"offset_s": offset_s})
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        client = TargetClient(f"http://127.0.0.1:{server.server_address[1]}/api")
        try:
            return _target_clock(client)
        finally:
            client.close()
            server.shutdown()


def test_a_loopback_target_agreeing_with_our_clock_gets_the_narrow_margins() -> None:
    _, margins = _clock_of(0)
    assert margins == SAME_CLOCK
    assert SAME_CLOCK.inside_s < OTHER_CLOCK.inside_s


def test_a_target_whose_clock_is_off_is_read_by_its_own_clock_with_wide_margins() -> None:
    clock, margins = _clock_of(-3600)
    assert margins == OTHER_CLOCK
    assert abs(clock - (time.time() - 3600)) < 2
