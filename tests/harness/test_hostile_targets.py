"""No target can hang or sink a run: each request ends at its deadline, each body is read up to a cap, and a
run against any of the hostile servers (tests/harness/hostile.py) ends in minutes, in bounded memory, with
its three reports and exit 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import requests
from pytest_httpserver import HTTPServer

from nyc_hiring.harness.bounded_requests import (
    BoundedAdapter,
    bounded_session,
    schemathesis_sessions_bounded,
    truncated_at,
)
from nyc_hiring.harness.client import EVIDENCE_BYTES, KEPT_WHOLE, MAX_BODY, BoundedTransport, Exchange, TargetClient
from nyc_hiring.harness.config import HarnessConfig
from nyc_hiring.harness.items import record_unrecordable
from nyc_hiring.harness.results import CheckResult
from nyc_hiring.harness.session import Run

from .hostile import BEHAVIOURS, serving

BASE = "/api/v1/nyc-hiring"
DRIP_EVERY = 1.0  # a byte a second: no single read waits as long as the deadline
DEADLINE = 2.0
SLACK = 1.0  # what a loaded machine may add to a deadline
KEY = "haiec_test_hostile0123456789abcdef"  # the hostile servers take any key


def _post(client: TargetClient) -> float:
    """Seconds until POST /decision-event gave up."""
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        client.post("/decision-event", content=b"{}")
    return time.monotonic() - started


# -- the deadline covers the whole request ---------------------------------------------------------


@pytest.mark.parametrize("behaviour", ["drip-headers", "drip-body"])
def test_an_answer_that_drips_in_ends_at_the_deadline_not_after_it_is_whole(behaviour: str) -> None:
    with serving(BEHAVIOURS[behaviour], DRIP_EVERY) as server:
        client = TargetClient(server.url + BASE, timeout=DEADLINE)
        try:
            seconds = _post(client)
        finally:
            client.close()

    assert DEADLINE - 0.1 <= seconds < DEADLINE + SLACK
    (exchange,) = client.exchanges
    assert exchange.status is None and exchange.error is not None
    assert f"no whole answer within {DEADLINE:g} s" in exchange.error


def test_threads_each_get_their_own_deadline_on_a_shared_transport() -> None:
    """Staggered starts: each request ends a deadline after its own start, not after another's."""
    ended: dict[int, float] = {}

    with serving(BEHAVIOURS["drip-headers"], DRIP_EVERY) as server:
        transport = BoundedTransport(server.url, DEADLINE)

        def send(index: int) -> None:
            started = time.monotonic()
            try:
                transport.handle_request(httpx.Request("GET", f"{server.url}{BASE}/decision-events/{index}"))
            except httpx.TimeoutException:
                ended[index] = time.monotonic() - started

        threads = [threading.Thread(target=send, args=(index,)) for index in range(4)]
        for thread in threads:
            thread.start()
            time.sleep(0.4)
        for thread in threads:
            thread.join(DEADLINE + 2 * SLACK)
        transport.close()

    assert sorted(ended) == [0, 1, 2, 3]
    assert all(DEADLINE - 0.1 <= seconds < DEADLINE + SLACK for seconds in ended.values()), ended


# -- bodies are read up to a cap -------------------------------------------------------------------


def test_a_huge_body_is_cut_at_the_cap_and_the_evidence_says_so() -> None:
    with serving(BEHAVIOURS["huge-body"]) as server:
        client = TargetClient(server.url + BASE, timeout=5)
        started = time.monotonic()
        response = client.get("/decision-events/de_1")
        seconds = time.monotonic() - started
        client.close()

    assert len(response.content) == MAX_BODY and seconds < 5
    (exchange,) = client.exchanges
    assert exchange.truncated_at == MAX_BODY and len(exchange.response_body) == MAX_BODY
    body = exchange.as_evidence({})["response"]["body"]
    assert body.endswith(f"[body cut: the harness kept only its first {MAX_BODY} bytes]")


def test_a_client_keeps_whole_bodies_only_for_its_latest_exchanges(httpserver: HTTPServer) -> None:
    httpserver.expect_request(f"{BASE}/health").respond_with_data("x" * (EVIDENCE_BYTES * 2))
    client = TargetClient(httpserver.url_for(BASE))
    for _ in range(KEPT_WHOLE + 2):
        client.get("/health")
    client.close()

    sizes = [len(exchange.response_body) for exchange in client.exchanges]
    assert sizes == [EVIDENCE_BYTES] * 2 + [EVIDENCE_BYTES * 2] * KEPT_WHOLE
    assert [exchange.truncated_at for exchange in client.exchanges[:3]] == [EVIDENCE_BYTES, EVIDENCE_BYTES, None]


def test_a_connection_cut_mid_answer_is_a_transport_error_kept_as_evidence() -> None:
    with serving(BEHAVIOURS["cut-mid-answer"]) as server:
        client = TargetClient(server.url + BASE, timeout=5)
        with pytest.raises(httpx.TransportError):
            client.post("/decision-event", content=b"{}")
        client.close()

    (exchange,) = client.exchanges
    assert exchange.status is None and exchange.error


def test_a_status_line_with_no_http_status_code_is_not_shown_as_one() -> None:
    exchange = Exchange("GET", "http://target/health", {}, b"", 999, {}, b"")

    response = exchange.as_evidence({})["response"]

    assert response["status"] is None and "999" in response["error"]


# -- Schemathesis's requests get the same bounds ---------------------------------------------------


def test_requests_sent_through_the_adapter_end_at_the_deadline() -> None:
    with serving(BEHAVIOURS["drip-headers"], DRIP_EVERY) as server:
        session = bounded_session(server.url, DEADLINE)
        started = time.monotonic()
        with pytest.raises(requests.Timeout):
            session.get(f"{server.url}{BASE}/decision-events/de_1", timeout=60)  # the run's deadline wins
        seconds = time.monotonic() - started
        session.close()

    assert DEADLINE - 0.1 <= seconds < DEADLINE + SLACK


def test_requests_sent_through_the_adapter_read_a_body_up_to_the_cap() -> None:
    with serving(BEHAVIOURS["huge-body"]) as server:
        session = bounded_session(server.url, 5)
        response = session.get(f"{server.url}{BASE}/decision-events/de_1")
        session.close()

    assert len(response.content) == MAX_BODY
    assert truncated_at(response.request) == MAX_BODY
    assert response.raw.headers.getlist("Content-Type") == ["application/json"]  # what Schemathesis reads


def test_the_sessions_schemathesis_opens_itself_are_bounded_while_a_campaign_runs() -> None:
    from schemathesis.transport import requests as transport

    with schemathesis_sessions_bounded("http://target", DEADLINE):
        inside = transport.SameHostRedirectsSession()
    after = transport.SameHostRedirectsSession()

    assert isinstance(inside.get_adapter("http://target/health"), BoundedAdapter)
    assert isinstance(inside.get_adapter("https://target/health"), BoundedAdapter)
    assert not isinstance(after.get_adapter("http://target/health"), BoundedAdapter)


# -- what the target sent never costs the run its reports ------------------------------------------


def test_reports_that_cannot_carry_the_evidence_are_written_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[list[CheckResult]] = []

    def write_reports(report: Any, directory: Path) -> list[Path]:
        checks = [check for verdict in report.verdicts for check in verdict.checks]
        if any(check.evidence for check in checks):
            raise ValueError("evidence no report can hold")
        written.append(checks)
        return [directory / "conformance.json"]

    monkeypatch.setattr("nyc_hiring.harness.reports.write_reports", write_reports)
    run = Run(HarnessConfig(target="http://target", report_dir=tmp_path), "http://target")
    run.results.append(
        CheckResult(
            "suite::check",
            "check",
            ("EVT-001",),
            "failed",
            "expected 201, got 200",
            evidence=[{"request": {}, "response": {}, "curl": "curl"}],
        )
    )
    _, paths = run.write_reports()

    assert paths == [tmp_path / "conformance.json"]
    (check,) = [check for check in written[0] if check.nodeid == "suite::check"]
    assert check.evidence == []
    assert check.message == "expected 201, got 200 (its evidence is left out: it could not be written, ValueError)"


def test_a_result_that_cannot_be_recorded_counts_as_the_check_failing() -> None:
    run = Run(HarnessConfig(target="http://target"), "http://target")
    marker = SimpleNamespace(args=("EVT-001",))
    item = SimpleNamespace(nodeid="suite::check", name="check", iter_markers=lambda name: [marker])
    report = SimpleNamespace(when="call", passed=True, duration=0.25, outcome="passed", longrepr=None)

    record_unrecordable(run, item, report, MemoryError("an answer too big"))  # type: ignore[arg-type]

    (result,) = run.results
    assert (result.outcome, result.requirements, report.outcome) == ("failed", ("EVT-001",), "failed")
    assert result.message == "the harness could not record this check's result (MemoryError: an answer too big)"


@pytest.fixture
def hostile_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The environment of a user who set the API key and nothing else."""
    for name in [name for name in os.environ if name.startswith(("NYC_", "WEBHOOK_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NYC_HIRING_API_KEY", KEY)
    return monkeypatch


@pytest.mark.slow
def test_a_preflight_that_gets_no_whole_answer_ends_the_run_with_exit_2(
    pytester: pytest.Pytester, hostile_env: pytest.MonkeyPatch
) -> None:
    with serving(BEHAVIOURS["drip-headers"], answers_preflight=False) as server:
        result = pytester.runpytest_inprocess(f"--target={server.url}", "--conformance-timeout", "1")

    assert result.ret == 2
    assert "cannot start the conformance run: cannot confirm the credentials" in str(result.stdout)


@pytest.mark.slow
def test_a_result_the_plugin_cannot_record_costs_neither_the_reports_nor_the_exit_code(
    pytester: pytest.Pytester, hostile_env: pytest.MonkeyPatch
) -> None:
    def unreadable(check: Any, secrets: Any) -> list[dict[str, Any]]:
        raise ValueError("evidence no report can hold")

    hostile_env.setattr("nyc_hiring.harness.items.evidence_of", unreadable)
    reports = pytester.path / "reports"
    with serving(BEHAVIOURS["server-error"]) as server:
        result = pytester.runpytest_inprocess(
            f"--target={server.url}", "--requirement", "EVT-003", "--report-dir", str(reports), "-p", "no:randomly"
        )

    assert result.ret == 1
    document = json.loads((reports / "conformance.json").read_text())
    (verdict,) = [entry for entry in document["requirements"] if entry["id"] == "EVT-003"]
    assert verdict["verdict"] == "fail"
    assert any("could not record this check's result (ValueError" in check["message"] for check in verdict["checks"])


# -- whole runs ------------------------------------------------------------------------------------

MINUTES = 5
PEAK_RSS = 800 * 2**20


@dataclass(frozen=True)
class HarnessRun:
    exit_code: int
    seconds: float
    peak_rss: int  # bytes: the harness process's peak (or a worker's, for those it waited for, if higher)
    reports: Path

    def evidence(self) -> list[dict[str, Any]]:
        document = json.loads((self.reports / "conformance.json").read_text())
        return [
            item
            for requirement in document["requirements"]
            for check in requirement["checks"]
            for item in check["evidence"]
        ]


def run_harness(url: str, reports: Path, *args: str) -> HarnessRun:
    """`pytest --target=URL` as a user runs it, in a process of its own, killed after MINUTES."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("NYC_", "WEBHOOK_"))}
    env["NYC_HIRING_API_KEY"] = KEY
    command = [
        sys.executable,
        "-m",
        "pytest",
        f"--target={url}",
        "--report-dir",
        str(reports),
        "-p",
        "no:randomly",
        "-q",
        *args,
    ]
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=reports.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    killer = threading.Timer(MINUTES * 60, process.kill)
    killer.start()
    _, status, usage = os.wait4(process.pid, 0)
    killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    return HarnessRun(process.returncode, time.monotonic() - started, usage.ru_maxrss * 1024, reports)


# what the evidence of a run shows of the bound a server ran into
BOUND_SHOWN = {
    "drip-headers": "no whole answer within 1 s, the deadline for the request",
    "drip-body": "no whole answer within 1 s, the deadline for the request",
    "huge-body": f"[body cut: the harness kept only its first {MAX_BODY} bytes]",
}


@pytest.mark.hostile_runs
@pytest.mark.parametrize("behaviour", list(BEHAVIOURS))
def test_a_run_against_a_hostile_target_ends_in_minutes_in_bounded_memory_with_its_reports(
    behaviour: str, tmp_path: Path
) -> None:
    with serving(BEHAVIOURS[behaviour]) as server:
        run = run_harness(
            server.url, tmp_path / "reports", "--conformance-timeout", "1", "--fuzz-examples", "2", "--seed", "1"
        )

    assert run.seconds < MINUTES * 60
    assert run.peak_rss < PEAK_RSS
    assert run.exit_code == 1
    assert {path.name for path in run.reports.iterdir()} >= {"conformance.json", "junit.xml", "report.html"}
    shown = [json.dumps(item["response"]) for item in run.evidence()]
    assert behaviour not in BOUND_SHOWN or any(BOUND_SHOWN[behaviour] in response for response in shown)
