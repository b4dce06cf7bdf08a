"""Throughput of the generated-case checks against the sandbox, and where their time goes.

    python bench/fuzz.py [--examples 100] [--seed 1] [--runs 3]

Starts the reference server (harness.sandbox.SandboxProcess), then runs every property of
harness/suite/test_fuzz.py with a fixed number of examples each, exactly as the plugin runs them,
in two ways side by side, alternating runs:

- pooled: spread over `--workers` worker processes (harness/parallel.py), the plugin's default of one
  per core; the workers are started before the clock starts, as a conformance run starts them at
  collection. This is the figure the project's target applies to: 200 cases/s or more on 2 cores.
- in this process (`--fuzz-workers 1`), with the time split into HTTP (request sent to answer read,
  and how much of it was this process's own CPU rather than waiting for the target), judging the
  answers (status, schema validation) and the rest: generating the examples and Hypothesis' own
  bookkeeping. On 2 cores the workers and the target share the CPU, so the harness's CPU per case is
  what bounds the pooled figure.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nyc_hiring.harness.client import TargetClient  # noqa: E402
from nyc_hiring.harness.config import HarnessConfig, fuzz_workers  # noqa: E402
from nyc_hiring.harness.context import Conformance  # noqa: E402
from nyc_hiring.harness.judge import Problem  # noqa: E402
from nyc_hiring.harness.parallel import PooledCheck, PropertyPool  # noqa: E402
from nyc_hiring.harness.sandbox import SandboxProcess  # noqa: E402
from nyc_hiring.harness.session import Run  # noqa: E402
from nyc_hiring.harness.suite import test_fuzz  # noqa: E402

TARGET_CASES_PER_SECOND = 200


@dataclass
class Timings:
    http: float = 0.0
    http_cpu: float = 0.0  # the client's own CPU in those requests; the rest of `http` is the target's
    judging: float = 0.0
    requests: int = 0
    examples: int = 0
    client_cpu: float = 0.0
    per_check: dict[str, tuple[int, float]] = field(default_factory=dict)


@contextmanager
def instrumented(timings: Timings) -> Iterator[None]:
    """Time every request and every judgement the checks make, without changing what they do."""
    original_request = TargetClient.request
    original_judge: Callable[..., list[Problem]] = vars(test_fuzz)["judge"]  # the name the checks call

    def request(self: TargetClient, *args: Any, **kwargs: Any) -> Any:
        started, cpu_started = time.perf_counter(), time.thread_time()
        try:
            return original_request(self, *args, **kwargs)
        finally:
            timings.http += time.perf_counter() - started
            timings.http_cpu += time.thread_time() - cpu_started
            timings.requests += 1

    def judge(*args: Any, **kwargs: Any) -> list[Problem]:
        started = time.perf_counter()
        try:
            return original_judge(*args, **kwargs)
        finally:
            timings.judging += time.perf_counter() - started

    with mock.patch.object(TargetClient, "request", request), mock.patch.object(test_fuzz, "judge", judge):
        yield


def checks_of_the_suite() -> list[tuple[str, Callable[[Conformance], None]]]:
    return [
        (name, function)
        for name, function in vars(test_fuzz).items()
        if name.startswith("test_generated_") and callable(function)
    ]


def one_run(sandbox: SandboxProcess, examples: int, seed: int, report_dir: Path) -> tuple[float, Timings]:
    config = HarnessConfig(
        target=sandbox.base_url,
        credentials=dict(sandbox.credentials),
        report_dir=report_dir,
        seed=seed,
        fuzz_examples=examples,
    )
    run = Run.start(config)
    timings = Timings()
    started, cpu_before = time.perf_counter(), _cpu_seconds()
    with instrumented(timings):
        for name, check in checks_of_the_suite():
            check_started = time.perf_counter()
            conformance = Conformance(run)
            try:
                check(conformance)
            finally:
                conformance.close()
            timings.examples += conformance.generated_cases
            timings.per_check[name] = (conformance.generated_cases, time.perf_counter() - check_started)
    timings.client_cpu = _cpu_seconds() - cpu_before
    return time.perf_counter() - started, timings


def pooled_run(sandbox: SandboxProcess, examples: int, seed: int, report_dir: Path, workers: int) -> float:
    """Cases per second of every property spread over a started pool of `workers` processes."""
    checks = [PooledCheck(test_fuzz.__name__, name, name) for name, _ in checks_of_the_suite()]
    pool = PropertyPool(checks, workers)
    try:
        pool.wait_until_started()
        config = HarnessConfig(
            target=sandbox.base_url,
            credentials=dict(sandbox.credentials),
            report_dir=report_dir,
            seed=seed,
            fuzz_examples=examples,
        )
        conformance = Conformance(Run(config, base_url=sandbox.base_url))
        started = time.perf_counter()
        outcomes = [pool.result(check.module, check.name, conformance) for check in checks]
        elapsed = time.perf_counter() - started
        conformance.close()
    finally:
        pool.close()
    failed = [outcome.message for outcome in outcomes if outcome.status != "passed"]
    if failed:
        raise SystemExit(f"a property failed against the sandbox: {failed[0]}")
    return sum(outcome.cases for outcome in outcomes) / elapsed


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=100, help="examples per property (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="auto", help="processes for the pooled runs (default: one per core)")
    args = parser.parse_args()
    workers = fuzz_workers(args.workers)
    results: list[tuple[float, Timings]] = []
    pooled: list[float] = []
    with tempfile.TemporaryDirectory(prefix="nyc-bench-fuzz-") as folder, SandboxProcess() as sandbox:
        one_run(sandbox, 5, args.seed, Path(folder))  # warm up: imports, schema validators, first connections
        for _ in range(args.runs):
            pooled.append(pooled_run(sandbox, args.examples, args.seed, Path(folder), workers))
            results.append(one_run(sandbox, args.examples, args.seed, Path(folder)))
    report(results, pooled, workers, args.examples)
    return 0


def report(results: list[tuple[float, Timings]], pooled: list[float], workers: int, examples: int) -> None:
    rates = [timings.examples / seconds for seconds, timings in results]
    seconds, timings = sorted(results, key=lambda result: result[1].examples / result[0])[len(results) // 2]
    other = seconds - timings.http - timings.judging
    print(
        f"{len(checks_of_the_suite())} properties x {examples} examples, {len(results)} runs of each kind "
        "against the sandbox"
    )
    median = statistics.median(pooled)
    verdict = "met" if median >= TARGET_CASES_PER_SECOND else "NOT met"
    print(
        f"  pooled over {workers} worker processes: median {median:.0f} cases/s {[round(rate) for rate in pooled]} "
        f"(target >= {TARGET_CASES_PER_SECOND}: {verdict})"
    )
    print(
        f"  in this process: median {statistics.median(rates):.0f} cases/s {[round(rate) for rate in rates]}; "
        f"pooled / in-process: {median / statistics.median(rates):.2f}x"
    )
    print(
        f"  one run: {timings.examples} cases, {timings.requests} requests in {seconds:.2f} s "
        f"({timings.requests / seconds:.0f} requests/s); this process used {timings.client_cpu:.2f} s of CPU"
    )
    parts = (
        ("HTTP (send, wait, read)", timings.http),
        ("  of which this process's CPU", timings.http_cpu),
        ("judging answers (status, schemas)", timings.judging),
        ("generation and Hypothesis engine", other),
    )
    for label, part in parts:
        print(f"    {label:36} {part:6.2f} s  {100 * part / seconds:4.0f} %")
    print(f"    the client's CPU per request: {1e6 * timings.http_cpu / timings.requests:.0f} us")
    for name, (count, spent) in timings.per_check.items():
        print(f"    {name.removeprefix('test_generated_')[:70]:72} {count:5d} cases {count / spent:6.0f}/s")


if __name__ == "__main__":
    sys.exit(main())
