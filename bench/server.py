"""Throughput and latency of the reference server next to a bare baseline, measured side by side in one run.

    python bench/server.py [--duration 5] [--runs 3] [--connections 32] [--rate 1000]

Starts the baseline (bench/baseline_app.py: FastAPI + pydantic + Bearer + one SQLite INSERT) and the
reference server, each pinned to CPU 0 when `taskset` exists, and loads them from CPU 1 with wrk
(Debian package `wrk`) over loopback only. Every scenario is measured twice:

- at saturation: each connection sends its next request as soon as the answer arrives. This gives the
  throughput ratios the project targets (>= 70 % of the baseline without explanation, >= 50 % with).
  wrk is closed-loop, so the latency it reports here is the queue: about connections / throughput.
- at an offered load of `--rate` requests/s spread over the same connections (each pauses between
  requests): the latency a client sees from a busy but not overloaded server, where the project's
  p99 <= 15 ms at 32 connections applies.

Ratios, not absolute numbers, are what carry across these noisy machines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nyc_hiring.harness.sandbox import fresh_credentials, wait_for_health  # noqa: E402
from nyc_hiring.harness.signing import greenhouse_headers  # noqa: E402

BASE = "/api/v1/nyc-hiring"


@dataclass
class Result:
    name: str
    load: str  # "saturation" or "paced"
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds per measured run")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per scenario (median reported)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=int, default=1000, help="offered requests/s for the latency runs")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("error: wrk is needed as the load generator (apt-get install wrk)", file=sys.stderr)
        return 2
    credentials = fresh_credentials()
    think_ms = str(round(args.connections * 1000 / args.rate))
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="nyc-bench-") as scratch:
        work = Path(scratch)
        lines = _signed_greenhouse_lines(work / "greenhouse.tsv", credentials["WEBHOOK_SECRET_GREENHOUSE"], 120_000)
        scenarios = {
            "baseline": [
                (
                    "baseline (FastAPI+pydantic+SQLite)",
                    "/decision-event",
                    "decision_event.lua",
                    {"BENCH_EXPLANATION": "false"},
                )
            ],
            "reference": [
                ("reference, no explanation", "/decision-event", "decision_event.lua", {"BENCH_EXPLANATION": "false"}),
                ("reference, with explanation", "/decision-event", "decision_event.lua", {"BENCH_EXPLANATION": "true"}),
                (
                    "reference, Greenhouse webhook",
                    "/webhook/greenhouse",
                    "signed_lines.lua",
                    {"BENCH_LINES": str(lines)},
                ),
            ],
        }
        for kind, measured in scenarios.items():
            with _server(kind, work, credentials) as url:
                for name, path, script, env in measured:
                    results.append(_measure(name, "saturation", url + path, script, credentials, args, env))
                    results.append(
                        _measure(
                            name, "paced", url + path, script, credentials, args, {**env, "BENCH_THINK_MS": think_ms}
                        )
                    )
    _report(results, args)
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=2))
    return 0


class _server:
    """Start one server pinned to CPU 0 on a free port; yield its base URL; stop it."""

    def __init__(self, kind: str, work: Path, credentials: dict[str, str]) -> None:
        self.kind, self.work, self.credentials = kind, work, credentials

    def __enter__(self) -> str:
        port = _free_port()
        env = {**os.environ, **self.credentials, "BASELINE_DB": str(self.work / "baseline.sqlite3")}
        if self.kind == "baseline":
            command = [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.baseline_app:app",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ]
        else:
            command = [
                sys.executable,
                "-m",
                "nyc_hiring.reference_server",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--db",
                str(self.work / "reference.sqlite3"),
            ]
        pin = ["taskset", "-c", "0"] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []
        self.process = subprocess.Popen([*pin, *command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}{BASE}"
        if self.kind == "baseline":
            _wait_for_port(port)
        else:
            wait_for_health(url, 30)
        return url

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(10)


def _measure(
    name: str,
    load: str,
    url: str,
    script: str,
    credentials: dict[str, str],
    args: argparse.Namespace,
    extra_env: dict[str, str],
) -> Result:
    runs = []
    for run in range(args.runs + 1):  # the first run warms up and is discarded
        env = {
            **os.environ,
            **credentials,
            **extra_env,
            "BENCH_DIR": str(ROOT / "bench"),
            "BENCH_RUN": f"{name[:3]}{load[0]}{run}{time.time_ns()}",
        }
        duration = 2 if run == 0 else args.duration
        pin = ["taskset", "-c", "1"] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []
        output = subprocess.run(
            [
                *pin,
                "wrk",
                "--latency",
                "-t2",
                f"-c{args.connections}",
                f"-d{duration}s",
                "-s",
                str(ROOT / "bench" / script),
                url,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 30,
        ).stdout
        if run:
            runs.append(_parse_wrk(output))
    return Result(
        name,
        load,
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
        sum(r[3] for r in runs),
    )


def _parse_wrk(output: str) -> tuple[float, float, float, int]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = {m.group(1): _ms(m.group(2), m.group(3)) for m in re.finditer(r"\s(50|99)%\s+([\d.]+)(us|ms|s)", output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, latency["50"], latency["99"], int(errors.group(1)) if errors else 0


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _signed_greenhouse_lines(path: Path, secret: str, count: int) -> Path:
    """Pre-signed unique Greenhouse rejections: wrk's Lua cannot compute HMAC-SHA256 itself."""
    stamp = time.time_ns()
    with path.open("w") as handle:
        for index in range(count):
            body = json.dumps(
                {
                    "action": "reject_candidate",
                    "payload": {
                        "application": {
                            "id": index,
                            "candidate_id": f"{stamp}-{index}",
                            "job_id": 111,
                            "status": "rejected",
                            "rejection_reason": {"name": "Insufficient experience"},
                        }
                    },
                },
                separators=(",", ":"),
            ).encode()
            handle.write(f"Signature\t{greenhouse_headers(secret, body)['Signature']}\t{body.decode()}\n")
    return path


def _report(results: list[Result], args: argparse.Namespace) -> None:
    saturated = [r for r in results if r.load == "saturation"]
    paced = [r for r in results if r.load == "paced"]
    baseline = saturated[0].rps
    print(f"\nat saturation ({args.connections} connections, closed loop; latency here is the queue)")
    print(f"{'scenario':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'vs baseline':>12}")
    for result in saturated:
        print(
            f"{result.name:40} {result.rps:9.0f} {result.p50_ms:8.2f} {result.p99_ms:8.2f} {result.errors:8d}"
            f" {result.rps / baseline:11.0%}"
        )
    print(f"\nat {args.rate} requests/s offered over {args.connections} connections")
    print(f"{'scenario':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for result in paced:
        print(f"{result.name:40} {result.rps:9.0f} {result.p50_ms:8.2f} {result.p99_ms:8.2f} {result.errors:8d}")
    no_expl, with_expl = saturated[1], saturated[2]
    worst_p99 = max(r.p99_ms for r in paced[1:])
    print(
        f"\ntargets: no explanation >= 70% of baseline: {no_expl.rps / baseline:.0%}; "
        f"with explanation >= 50%: {with_expl.rps / baseline:.0%}; "
        f"p99 <= 15 ms at {args.connections} connections and {args.rate} req/s offered: {worst_p99:.1f} ms "
        f"(baseline {paced[0].p99_ms:.1f} ms)"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise SystemExit(f"baseline did not start on port {port}")


if __name__ == "__main__":
    sys.exit(main())
