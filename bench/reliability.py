"""How the reference server holds up against duplicates, crashes, hostile heads, slow and malformed clients.

    python bench/reliability.py [--rounds 3] [--seconds 2.5]

Starts real server processes (`python -m nyc_hiring.reference_server`, each on a fresh database, on loopback
ports only) and prints, section by section:

1. exactly once: 64 identical requests released together, per path (natural key, Idempotency-Key,
   and a Greenhouse, Lever and Workday delivery), and how many events each recorded (must be one);
2. kill -9 under load: clients sending decisions (direct API with and without a key, webhooks) while
   the server is killed, several rounds: every acknowledged event must be found after the restart,
   every request left unanswered is retried and recorded exactly once, and `PRAGMA integrity_check`
   must say ok;
3. an oversized request head (100 MiB in one header, and 10,000 header fields): the time to the 431
   or the closed connection, another client's /health latency meanwhile, the server's RSS before
   and after;
4. slow clients: decision events dripped byte by byte while another client is timed;
5. malformed and odd bodies: none may get a 5xx;
6. generated decision events (Schemathesis, from the served OpenAPI document): how many reach 201.

Exit status 0 when every figure is what it must be, 1 otherwise. Takes about half a minute.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nyc_hiring.harness.sandbox import fresh_credentials  # noqa: E402
from nyc_hiring.harness.signing import greenhouse_headers, lever_sign_body, standard_webhooks_headers  # noqa: E402

BASE = "/api/v1/nyc-hiring"
HOST = "127.0.0.1"
MiB = 1024 * 1024


# -- a server process --------------------------------------------------------------------------------


class Server:
    """`python -m nyc_hiring.reference_server` on a loopback port; killed (-9) and started again on the same port."""

    def __init__(self, database: Path, credentials: dict[str, str]) -> None:
        self.database = database
        self.credentials = credentials
        self.port = 0
        self.process: subprocess.Popen[str] | None = None

    @property
    def root(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def api(self) -> str:
        return self.root + BASE

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "nyc_hiring.reference_server",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--db",
            str(self.database),
            "--log-level",
            "warning",
        ]
        environment = {**os.environ, **self.credentials, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("Listening on "):
                self.port = int(line.split(":")[2].split("/")[0])
                break
        else:
            raise SystemExit(f"the server did not start: exit status {self.process.wait()}")
        threading.Thread(target=self.process.stdout.read, daemon=True).start()  # drain its log
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.root + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise SystemExit("the server did not answer /health")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(15)

    def rss_mb(self) -> float | None:
        assert self.process is not None
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials['NYC_HIRING_API_KEY']}"}


@contextmanager
def running(folder: Path, name: str, credentials: dict[str, str]) -> Iterator[Server]:
    server = Server(folder / f"{name}.sqlite3", credentials)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def query(database: Path, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return db.execute(sql, parameters).fetchall()


def count_events(database: Path) -> int:
    return int(query(database, "SELECT count(*) FROM decision_events")[0][0])


# -- what is sent ------------------------------------------------------------------------------------


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def decision(job: str | None = None) -> dict[str, Any]:
    return {
        "candidateIdRaw": f"candidate_{uuid.uuid4().hex[:12]}",
        "jobIdRaw": job or f"job_{uuid.uuid4().hex[:12]}",
        "decision": "reject",
        "decisionTimestamp": now_text(),
        "decisionFactors": [{"factor": "years_experience", "value": 2, "weight": 0.3, "contribution": "negative"}],
        "aedtName": "CustomATS AI",
        "aedtVersion": "1.0",
        "requestExplanation": True,
    }


def greenhouse_delivery(secret: str, job: str | None = None) -> tuple[bytes, dict[str, str]]:
    application = {
        "id": random.randrange(10**9),
        "candidate_id": random.randrange(10**9),
        "job_id": job or random.randrange(10**9),
        "status": "rejected",
        "rejection_reason": {"name": "Insufficient experience"},
    }
    body = json.dumps({"action": "reject_candidate", "payload": {"application": application}}).encode()
    return body, greenhouse_headers(secret, body)


def lever_delivery(secret: str) -> tuple[bytes, dict[str, str]]:
    body = {
        "event": "candidateArchiveChange",
        "data": {
            "candidateId": str(uuid.uuid4()),
            "opportunityId": str(uuid.uuid4()),
            "toArchived": {"archivedAt": int(time.time() * 1000), "reason": "Underqualified"},
        },
    }
    return json.dumps(lever_sign_body(secret, body)).encode(), {"Content-Type": "application/json"}


def workday_delivery(secret: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {
            "eventType": "JobApplication.Dispositioned",
            "eventId": f"evt_{uuid.uuid4().hex}",
            "occurredAt": now_text(),
            "tenant": "acme",
            "jobApplication": {
                "id": f"JA-{uuid.uuid4().hex[:8]}",
                "candidate": {"id": f"C-{uuid.uuid4().hex[:8]}"},
                "jobRequisition": {"id": "JR-1", "title": "Data Analyst"},
                "disposition": {"reason": "Insufficient experience", "category": "Qualifications"},
            },
        }
    ).encode()
    return body, standard_webhooks_headers(secret, body)


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)

    def section(self, title: str) -> None:
        print(f"\n== {title}", flush=True)

    def line(self, text: str) -> None:
        print(f"   {text}", flush=True)

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(what)
            self.line(f"FAILED: {what}")


# -- 1. exactly once ---------------------------------------------------------------------------------

CONCURRENCY = 64


def together(server: Server, send: Callable[[httpx.Client], httpx.Response]) -> list[httpx.Response]:
    """`CONCURRENCY` clients, each connected beforehand, released at once by a barrier."""
    clients = [httpx.Client(timeout=30) for _ in range(CONCURRENCY)]
    for client in clients:
        client.get(server.root + "/health")
    barrier = threading.Barrier(CONCURRENCY)

    def one(client: httpx.Client) -> httpx.Response:
        barrier.wait()
        return send(client)

    try:
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            return list(pool.map(one, clients))
    finally:
        for client in clients:
            client.close()


def exactly_once(report: Report, server: Server) -> None:
    report.section(f"Exactly once: {CONCURRENCY} identical requests at once, per path")
    credentials = server.credentials
    body = decision()
    keyed = decision()
    greenhouse = greenhouse_delivery(credentials["WEBHOOK_SECRET_GREENHOUSE"])
    lever = lever_delivery(credentials["WEBHOOK_SECRET_LEVER"])
    workday = workday_delivery(credentials["WEBHOOK_SECRET_WORKDAY"])
    auth = server.headers()
    key = {"Idempotency-Key": uuid.uuid4().hex}
    paths: dict[str, Callable[[httpx.Client], httpx.Response]] = {
        "natural key": lambda c: c.post(f"{server.api}/decision-event", json=body, headers=auth),
        "Idempotency-Key": lambda c: c.post(f"{server.api}/decision-event", json=keyed, headers=auth | key),
        "Greenhouse": lambda c: c.post(
            f"{server.api}/webhook/greenhouse", content=greenhouse[0], headers=greenhouse[1]
        ),
        "Lever": lambda c: c.post(f"{server.api}/webhook/lever", content=lever[0], headers=lever[1]),
        "Workday": lambda c: c.post(f"{server.api}/webhook/workday", content=workday[0], headers=workday[1]),
    }
    for name, send in paths.items():
        before = count_events(server.database)
        responses = together(server, send)
        recorded = count_events(server.database) - before
        statuses = collections.Counter(_outcome(response) for response in responses)
        report.line(f"{name:16} {recorded} recorded   answers: {dict(sorted(statuses.items()))}")
        report.check(recorded == 1, f"{name}: {recorded} events recorded from {CONCURRENCY} identical requests")
        report.check(not any(response.status_code >= 500 for response in responses), f"{name}: a 5xx")


def _outcome(response: httpx.Response) -> str:
    if response.status_code == 200:
        return "200 " + str(response.json().get("status"))
    if response.headers.get("idempotent-replayed") == "true":
        return f"{response.status_code} replayed"
    if response.status_code >= 400:
        return f"{response.status_code} {response.json().get('code')}"
    return str(response.status_code)


# -- 2. kill -9 under load ---------------------------------------------------------------------------


@dataclass
class Sent:
    job: str
    send: Callable[[httpx.Client], httpx.Response]
    event_id: str | None = None  # acknowledged: the server said it recorded this


class Load:
    """Clients sending new decisions as fast as they are answered, until the server goes away."""

    def __init__(self, server: Server, clients: int = 8) -> None:
        self.server = server
        self.clients = clients
        self.sent: list[Sent] = []
        self.lock = threading.Lock()
        self.kinds = itertools.cycle(["api", "api+key", "greenhouse"])

    def new(self) -> Sent:
        server, job = self.server, f"job_{uuid.uuid4().hex[:12]}"
        with self.lock:
            kind = next(self.kinds)
        url = server.api
        if kind == "greenhouse":
            body, headers = greenhouse_delivery(server.credentials["WEBHOOK_SECRET_GREENHOUSE"], job)
            return Sent(job, lambda c: c.post(f"{url}/webhook/greenhouse", content=body, headers=headers))
        payload = decision(job)
        headers = server.headers() | ({"Idempotency-Key": job} if kind == "api+key" else {})
        return Sent(job, lambda c: c.post(f"{url}/decision-event", json=payload, headers=headers))

    def run(self, stop: threading.Event) -> None:
        with httpx.Client(timeout=10) as client:
            while not stop.is_set():
                sent = self.new()
                with self.lock:
                    self.sent.append(sent)
                try:
                    sent.event_id = _recorded_id(sent.send(client))
                except httpx.HTTPError:
                    return  # the server is gone

    def until_killed(self, seconds: float) -> None:
        stop = threading.Event()
        threads = [threading.Thread(target=self.run, args=(stop,)) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        self.server.kill()
        stop.set()
        for thread in threads:
            thread.join()


def _recorded_id(response: httpx.Response) -> str | None:
    if response.status_code in (200, 201):
        event_id = response.json().get("decisionEventId")
        return event_id if isinstance(event_id, str) else None
    raise SystemExit(f"unexpected answer under load: {response.status_code} {response.text[:200]}")


def kill_under_load(report: Report, folder: Path, credentials: dict[str, str], rounds: int, seconds: float) -> None:
    report.section(f"kill -9 under load: {rounds} rounds, 8 clients, direct API (with and without a key) and webhooks")
    server = Server(folder / "killed.sqlite3", credentials)
    server.start()
    totals = collections.Counter[str]()
    try:
        for number in range(1, rounds + 1):
            load = Load(server)
            load.until_killed(seconds * random.uniform(0.8, 1.2))
            server.start()  # the same database, the same port
            acknowledged = {sent.event_id for sent in load.sent if sent.event_id}
            found = {row[0] for row in query(server.database, "SELECT id FROM decision_events")}
            unanswered = [sent for sent in load.sent if sent.event_id is None]
            with httpx.Client(timeout=10) as client:
                retried = [sent.send(client).status_code for sent in unanswered]
            per_job = dict(
                query(
                    server.database,
                    "SELECT json_extract(record, '$.jobIdRaw'), count(*) FROM decision_events GROUP BY 1",
                )
            )
            once = sum(1 for sent in load.sent if per_job.get(sent.job) == 1)
            integrity = query(server.database, "PRAGMA integrity_check")[0][0]
            lost = len(acknowledged - found)
            report.line(
                f"round {number}: {len(acknowledged)} acknowledged, {len(acknowledged) - lost} found, "
                f"{lost} lost; {len(unanswered)} unanswered, retried ({dict(collections.Counter(retried))}); "
                f"{once}/{len(load.sent)} recorded exactly once; integrity_check: {integrity}"
            )
            report.check(lost == 0, f"round {number}: {lost} acknowledged events lost")
            report.check(once == len(load.sent), f"round {number}: not every decision recorded exactly once")
            report.check(integrity == "ok", f"round {number}: integrity_check {integrity}")
            report.check(all(status in (200, 201, 409) for status in retried), f"round {number}: retries {retried}")
            totals.update(acknowledged=len(acknowledged), found=len(acknowledged) - lost, sent=len(load.sent))
    finally:
        server.stop()
    report.line(
        f"all rounds: {totals['found']} of {totals['acknowledged']} acknowledged events found ({totals['sent']} sent)"
    )


# -- 3. oversized heads ------------------------------------------------------------------------------


class HealthProbe(threading.Thread):
    """Another client, asking for /health every 10 ms, timing each answer."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.url = server.root + "/health"
        self.latencies: list[float] = []
        self.failures = 0
        self.done = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.done.is_set():
                started = time.perf_counter()
                try:
                    client.get(self.url).raise_for_status()
                    self.latencies.append(time.perf_counter() - started)
                except httpx.HTTPError:
                    self.failures += 1
                time.sleep(0.01)

    def finish(self) -> str:
        self.done.set()
        self.join()
        if not self.latencies:
            return "no answer at all"
        median, worst = statistics.median(self.latencies) * 1000, max(self.latencies) * 1000
        return f"median {median:.1f} ms, worst {worst:.1f} ms over {len(self.latencies)} requests"


def stream_head(server: Server, head_start: bytes, filler: bytes, total: int) -> tuple[str, float, int]:
    """Send `head_start`, then `filler` repeated up to `total` bytes, then the end of the head: what
    came back (the status, or how the connection ended), after how many seconds, and the bytes sent."""
    sent = 0
    with socket.create_connection((HOST, server.port), timeout=60) as connection:
        started = time.perf_counter()
        try:
            connection.sendall(head_start)
            while sent < total:
                connection.sendall(filler)
                sent += len(filler)
            connection.sendall(b"\r\n\r\n")
        except OSError:
            pass
        try:
            answer = connection.recv(4096)
            outcome = answer.split(b"\r\n", 1)[0].decode() if answer else "closed"
        except OSError as exc:
            outcome = f"closed ({type(exc).__name__})"
        return outcome, time.perf_counter() - started, sent


def oversized_heads(report: Report, server: Server) -> None:
    report.section("Oversized request heads (limits: 100 header fields, 32 KiB of target and fields)")
    rss_before = server.rss_mb()
    baseline = HealthProbe(server)
    baseline.start()
    time.sleep(1.0)
    report.line(f"another client's /health before: {baseline.finish()}")
    for name, start, filler, total in (
        ("100 MiB in one header", b"GET /health HTTP/1.1\r\nHost: x\r\nX-Huge: ", b"a" * 65536, 100 * MiB),
        ("10,000 header fields", b"GET /health HTTP/1.1\r\nHost: x\r\n", b"X-F: v\r\n" * 100, 10_000 * 8),
    ):
        probe = HealthProbe(server)
        probe.start()
        time.sleep(0.2)
        outcome, seconds, sent = stream_head(server, start, filler, total)
        time.sleep(0.3)
        latency = probe.finish()
        report.line(f"{name}: {outcome!r} after {seconds * 1000:.0f} ms ({sent / MiB:.2f} MiB sent by then)")
        report.line(f"  another client's /health meanwhile: {latency}")
        report.check(seconds < 1.0 and ("431" in outcome or "closed" in outcome), f"{name}: {outcome} in {seconds}s")
        report.check(probe.failures == 0 and max(probe.latencies) < 1.0, f"{name}: /health held up ({latency})")
    rss_after = server.rss_mb()
    if rss_before is not None and rss_after is not None:
        report.line(f"server RSS: {rss_before:.0f} MB before, {rss_after:.0f} MB after")
        report.check(rss_after - rss_before < 20, f"RSS grew from {rss_before:.0f} to {rss_after:.0f} MB")


# -- 4. slow clients ---------------------------------------------------------------------------------


def drip(server: Server, body: bytes, pause: float) -> int | None:
    """A decision event whose body arrives one byte at a time; the status answered."""
    head = (
        f"POST {BASE}/decision-event HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer "
        f"{server.credentials['NYC_HIRING_API_KEY']}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((HOST, server.port), timeout=60) as connection:
        connection.sendall(head)
        for byte in body:
            connection.sendall(bytes([byte]))
            time.sleep(pause)
        answer = connection.recv(4096)
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None


def slow_clients(report: Report, server: Server, drippers: int = 16) -> None:
    report.section(f"Slow clients: {drippers} decision events dripped byte by byte, while another client is timed")
    baseline = HealthProbe(server)
    baseline.start()
    time.sleep(1.0)
    report.line(f"/health with nobody dripping: {baseline.finish()}")
    bodies = [json.dumps(decision()).encode() for _ in range(drippers)]
    probe = HealthProbe(server)
    probe.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(drippers) as pool:
        statuses = list(pool.map(lambda body: drip(server, body, 0.004), bodies))
    seconds = time.perf_counter() - started
    latency = probe.finish()
    report.line(
        f"drippers answered {dict(collections.Counter(statuses))} after {seconds:.1f} s ({len(bodies[0])} bytes each)"
    )
    report.line(f"/health meanwhile: {latency}")
    report.check(statuses == [201] * drippers, f"drippers got {statuses}")
    report.check(probe.failures == 0 and statistics.median(probe.latencies) < 0.05, f"slowed by drippers: {latency}")


# -- 5. malformed bodies -----------------------------------------------------------------------------


REQUIRED = ("candidateIdRaw", "jobIdRaw", "decision", "decisionTimestamp", "decisionFactors", "aedtName", "aedtVersion")


def malformed_bodies() -> Iterator[tuple[str, bytes]]:
    valid = decision()
    text = json.dumps(valid)
    yield from [
        ("empty", b""),
        ("null", b"null"),
        ("array", b"[]"),
        ("number", b"1"),
        ("string", b'"x"'),
        ("empty object", b"{}"),
        ("truncated", text[:40].encode()),
        ("trailing garbage", text.encode() + b"}"),
        ("not UTF-8", b'{"candidateIdRaw": "\xff\xfe"}'),
        ("UTF-16", text.encode("utf-16")),
        ("BOM", b"\xef\xbb\xbf" + text.encode()),
        ("NaN", text.replace('"weight": 0.3', '"weight": NaN').encode()),
        ("Infinity", text.replace('"value": 2', '"value": Infinity').encode()),
        ("1e999", text.replace('"value": 2', '"value": 1e999').encode()),
        ("huge integer", text.replace('"value": 2', '"value": ' + "9" * 5000).encode()),
        ("deep nesting", b"[" * 100_000 + b"]" * 100_000),
        ("deep objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        ("lone surrogate", text.replace("CustomATS AI", "\\ud800").encode()),
        ("NUL in string", text.replace("CustomATS AI", "\\u0000").encode()),
        ("repeated key", text.replace('"decision":', '"decision": "banana", "decision":').encode()),
        ("over 256 KiB", json.dumps({**valid, "jobTitle": "x" * 300_000}).encode()),
    ]
    for name in REQUIRED:
        yield f"{name} missing", json.dumps({k: v for k, v in valid.items() if k != name}).encode()
        for label, value in (
            ("null", None),
            ("number", 1),
            ("list", ["x"]),
            ("object", {}),
            ("long", "x" * 10_000),
            ("blank", " "),
            ("true", True),
        ):
            yield f"{name} {label}", json.dumps({**valid, name: value}).encode()
    for name, value in (
        ("requestExplanation", "yes"),
        ("jobTitle", 7),
        ("candidateLocale", "english!"),
        ("aedtRole", "boss"),
        ("unknownField", 1),
    ):
        yield f"{name} {value!r}", json.dumps({**valid, name: value}).encode()
    factor = valid["decisionFactors"][0]
    for name in factor:
        yield f"factor {name} null", json.dumps({**valid, "decisionFactors": [{**factor, name: None}]}).encode()
    yield "factor extra", json.dumps({**valid, "decisionFactors": [{**factor, "extra": 1}]}).encode()
    yield "weight 2", json.dumps({**valid, "decisionFactors": [{**factor, "weight": 2}]}).encode()
    yield "101 factors", json.dumps({**valid, "decisionFactors": [factor] * 101}).encode()
    for timestamp in ("2026-13-01T00:00:00Z", "2026-02-31T10:00:00Z", "9999-12-31T23:59:59Z", "yesterday", ""):
        yield f"timestamp {timestamp!r}", json.dumps({**valid, "decisionTimestamp": timestamp}).encode()


def malformed(report: Report, server: Server) -> None:
    report.section("Malformed and odd bodies: to the direct API and each webhook (signed as its ATS signs)")
    statuses: collections.Counter[int] = collections.Counter()
    credentials = server.credentials
    with httpx.Client(timeout=30) as client:
        for _, body in malformed_bodies():
            for url, headers in (
                (f"{server.api}/decision-event", {**server.headers(), "Content-Type": "application/json"}),
                (
                    f"{server.api}/webhook/greenhouse",
                    greenhouse_headers(credentials["WEBHOOK_SECRET_GREENHOUSE"], body),
                ),
                (
                    f"{server.api}/webhook/workday",
                    standard_webhooks_headers(credentials["WEBHOOK_SECRET_WORKDAY"], body),
                ),
                (f"{server.api}/webhook/lever", {"Content-Type": "application/json"}),
            ):
                statuses[client.post(url, content=body, headers=headers).status_code] += 1
        for content_type in (
            "text/plain",
            "application/json; charset=latin-1",
            "",
            "application/x-www-form-urlencoded",
        ):
            headers = {**server.headers(), "Content-Type": content_type}
            statuses[client.post(f"{server.api}/decision-event", content=b"{}", headers=headers).status_code] += 1
    total = sum(statuses.values())
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    report.line(f"{len(list(malformed_bodies()))} bodies, {total} requests: {dict(sorted(statuses.items()))}")
    report.line(f"5xx answers: {server_errors}")
    report.check(server_errors == 0, f"{server_errors} malformed requests got a 5xx")


# -- 6. generated requests ---------------------------------------------------------------------------


def generated(report: Report, server: Server, examples: int = 150) -> None:
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings

    report.section(f"Generated decision events: Schemathesis, {examples} valid examples of the served document")
    config = schemathesis.Config.from_dict({"generation": {"mode": "positive", "with-security-parameters": False}})
    schema = schemathesis.openapi.from_url(server.root + "/openapi.json", config=config)
    operation = schema[f"{BASE}/decision-event"]["POST"]
    outcomes: collections.Counter[str] = collections.Counter()

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def send(case: Any) -> None:
        response = case.call(headers=server.headers(), timeout=10)
        detail = ""
        if response.status_code >= 400:
            problem = response.json()
            errors = problem.get("errors") or [{}]
            detail = f" {problem.get('code')}" + (f" {errors[0].get('detail', '')[:40]}" if errors[0] else "")
        outcomes[f"{response.status_code}{detail}"] += 1

    send()
    total = sum(outcomes.values())
    created = sum(count for outcome, count in outcomes.items() if outcome.startswith("201"))
    repeats = sum(
        count
        for outcome, count in outcomes.items()
        if outcome.split()[1:2] in (["duplicate_event"], ["idempotency_key_reused"])
    )
    report.line(
        f"{created} of {total} reached 201 ({100 * created / total:.0f} %); of the {total - repeats} that "
        f"repeat no earlier body or Idempotency-Key, {100 * created / (total - repeats):.0f} %. The rest:"
    )
    for outcome, count in outcomes.most_common():
        if not outcome.startswith("201"):
            report.line(f"  {count:4}  {outcome}")
    report.check(created >= 0.2 * total, f"only {created} of {total} generated decision events got 201")
    report.check(not any(outcome.startswith("5") for outcome in outcomes), "a generated request got a 5xx")


# -- main --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="kill -9 rounds")
    parser.add_argument("--seconds", type=float, default=2.5, help="load before each kill, about")
    args = parser.parse_args()
    report = Report()
    started = time.monotonic()
    credentials = fresh_credentials()
    with tempfile.TemporaryDirectory(prefix="nyc-reliability-") as scratch:
        folder = Path(scratch)
        with running(folder, "duplicates", credentials) as server:
            exactly_once(report, server)
        kill_under_load(report, folder, credentials, args.rounds, args.seconds)
        with running(folder, "hostile", credentials) as server:
            oversized_heads(report, server)
            slow_clients(report, server)
            malformed(report, server)
            generated(report, server)
    report.section(f"Done in {time.monotonic() - started:.0f} s")
    if report.failures:
        report.line(f"{len(report.failures)} FAILED: " + "; ".join(report.failures))
        return 1
    report.line("every figure as it must be: exactly once, nothing acknowledged lost, no 5xx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
