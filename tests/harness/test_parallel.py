"""The worker pool for generated-case checks: checks run in other processes, and come back as the
same pass, failure, skip or error, with their evidence, as if they had run in the pytest process."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

from nyc_hiring.harness import openapi_fuzz, payloads
from nyc_hiring.harness.config import ConfigError, HarnessConfig, fuzz_workers
from nyc_hiring.harness.context import Conformance
from nyc_hiring.harness.openapi_fuzz import FuzzReport, FuzzSettings
from nyc_hiring.harness.parallel import PooledCheck, PropertyPool, WorkerResult, prepare_workers
from nyc_hiring.harness.session import Run

from . import pool_checks
from .conftest import run_harness

MODULE = pool_checks.__name__
URL = "http://127.0.0.1:9/api/v1/nyc-hiring"
NAMES = ("passes", "fails", "skips", "raises", "names_its_process")


@pytest.fixture
def conformance() -> Iterator[Conformance]:
    check = Conformance(Run(HarnessConfig(target=URL), base_url=URL))
    yield check
    check.close()


@pytest.fixture(scope="module")
def outcomes() -> dict[str, WorkerResult]:
    pool = PropertyPool([PooledCheck(MODULE, name, f"pool_checks.py::{name}") for name in NAMES], workers=2)
    check = Conformance(Run(HarnessConfig(target=URL), base_url=URL))
    try:
        return {name: pool.result(MODULE, name, check) for name in NAMES}
    finally:
        check.close()
        pool.close()


def test_checks_run_in_another_process(outcomes: dict[str, WorkerResult]) -> None:
    assert int(outcomes["names_its_process"].message) != os.getpid()


@pytest.mark.skipif(
    sys.platform == "darwin" or "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="no usable forkserver: workers are spawned",
)
def test_workers_are_forked_from_a_server_started_ahead_of_them() -> None:
    """The server imports the checks' modules once, while the run waits for its target; workers fork from it."""
    prepare_workers([MODULE])
    pool = PropertyPool([PooledCheck(MODULE, name, f"pool_checks.py::{name}") for name in NAMES], workers=2)
    try:
        assert pool.submit(os.getppid).result(timeout=120) not in (os.getpid(), 1)
    finally:
        pool.close()


def test_a_job_checks_share_runs_in_a_worker() -> None:
    pool = PropertyPool([PooledCheck(MODULE, name, f"pool_checks.py::{name}") for name in NAMES], workers=2)
    try:
        assert pool.submit(os.getpid).result(timeout=120) != os.getpid()
    finally:
        pool.close()


def test_a_job_s_error_comes_back_to_its_submitter() -> None:
    pool = PropertyPool([PooledCheck(MODULE, name, f"pool_checks.py::{name}") for name in NAMES], workers=2)
    try:
        assert isinstance(pool.submit(int, "not a number").exception(timeout=120), ValueError)
    finally:
        pool.close()


def test_submitting_returns_at_once_while_the_workers_are_still_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting a worker waits for the fork server's imports; the pytest process has checks to run meanwhile."""
    import threading
    import time

    release = threading.Event()
    from concurrent.futures.process import ProcessPoolExecutor

    handed = ProcessPoolExecutor.submit

    def slow_to_start(self: ProcessPoolExecutor, *args: object, **kwargs: object) -> object:
        release.wait(30)
        return handed(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ProcessPoolExecutor, "submit", slow_to_start)
    pool = PropertyPool([PooledCheck(MODULE, name, f"pool_checks.py::{name}") for name in NAMES], workers=2)
    try:
        started = time.monotonic()
        first, second = pool.submit(abs, -1), pool.submit(abs, -2)
        assert time.monotonic() - started < 0.5 and not first.done()
        release.set()
        assert (first.result(timeout=120), second.result(timeout=120)) == (1, 2)
    finally:
        release.set()
        pool.close()


def test_a_job_that_cannot_be_handed_over_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that cannot start fails the job that needed it; the jobs after it still run (never a hang)."""
    from concurrent.futures.process import ProcessPoolExecutor

    handed = ProcessPoolExecutor.submit

    def fails_once(self: ProcessPoolExecutor, *args: object, **kwargs: object) -> object:
        if args == (abs, -1):
            raise OSError("the fork server went away")
        return handed(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ProcessPoolExecutor, "submit", fails_once)
    pool = PropertyPool([PooledCheck(MODULE, name, f"pool_checks.py::{name}") for name in NAMES], workers=2)
    try:
        first, second = pool.submit(abs, -1), pool.submit(abs, -2)
        assert isinstance(first.exception(timeout=60), OSError)
        assert second.result(timeout=120) == 2
    finally:
        pool.close()


def test_jobs_still_queued_when_the_pool_closes_end_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import CancelledError
    from concurrent.futures.process import ProcessPoolExecutor

    def never_starts(self: ProcessPoolExecutor, *args: object, **kwargs: object) -> object:
        raise RuntimeError("cannot schedule new futures after shutdown")

    monkeypatch.setattr(ProcessPoolExecutor, "submit", never_starts)
    pool = PropertyPool([PooledCheck(MODULE, name, f"pool_checks.py::{name}") for name in NAMES], workers=2)
    job = pool.submit(abs, -1)
    pool.close()
    error = job.exception(timeout=30)
    assert isinstance(error, CancelledError | RuntimeError)


def test_a_passing_check_brings_back_its_case_count_and_output(outcomes: dict[str, WorkerResult]) -> None:
    passed = outcomes["passes"]
    assert (passed.status, passed.cases, passed.exchanges) == ("passed", 7, ())
    assert "Trying example: passes()" in passed.output


def test_a_failure_comes_back_with_its_message_and_evidence(outcomes: dict[str, WorkerResult]) -> None:
    failed = outcomes["fails"]
    assert (failed.status, failed.message) == ("failed", "expected HTTP 422, got 500")
    assert failed.exchanges == (pool_checks.EXCHANGE,)


def test_a_skip_and_an_error_come_back_as_such(outcomes: dict[str, WorkerResult]) -> None:
    assert (outcomes["skips"].status, outcomes["skips"].message) == (
        "skipped",
        "set WEBHOOK_SECRET_LEVER to run this check",
    )
    assert outcomes["raises"].status == "error"
    assert "KeyError: 'a bug in the check itself'" in outcomes["raises"].message


def test_applying_an_outcome_fails_the_check_here_with_the_workers_evidence(conformance: Conformance) -> None:
    with pytest.raises(AssertionError, match="got 500"):
        WorkerResult("failed", "expected HTTP 422, got 500", (pool_checks.EXCHANGE,), cases=3).apply(conformance)
    assert conformance.client.exchanges == [pool_checks.EXCHANGE]
    assert conformance.generated_cases == 3


def test_applying_a_skip_or_an_error(conformance: Conformance, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(pytest.skip.Exception, match="LEVER"):
        WorkerResult("skipped", "set WEBHOOK_SECRET_LEVER").apply(conformance)
    with pytest.raises(RuntimeError, match="KeyError"):
        WorkerResult("error", "Traceback ...\nKeyError: 'x'").apply(conformance)
    WorkerResult("passed", output="Trying example\n").apply(conformance)
    assert capsys.readouterr().out == "Trying example\n"


def test_worker_count() -> None:
    assert fuzz_workers("auto", cpus=2) == 2
    assert fuzz_workers("auto", cpus=None) >= 1
    assert fuzz_workers("3") == 3
    for wrong in ("0", "-1", "many"):
        with pytest.raises(ConfigError, match="--fuzz-workers"):
            fuzz_workers(wrong)


def test_pooled_and_in_process_runs_find_the_same_shrunk_case(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken server gives the same verdicts and the same minimal failing case either way."""
    found = {}
    for workers in ("2", "1"):
        result, verdicts = run_harness(
            pytester,
            monkeypatch,
            "-k",
            "generated_greenhouse or generated_bodies_with",
            "--seed",
            "5",
            "--fuzz-workers",
            workers,
            fault="wrong_type_500",
        )
        failure = next(line for line in result.outlines if "StepFailed: POST" in line and "case saved" in line)
        cases = sorted(path.name for path in (pytester.path / "reports" / "cases").iterdir())
        found[workers] = (
            {rid: entry["verdict"] for rid, entry in verdicts.items()},
            failure.split("StepFailed: ")[1].split("; case saved")[0],
            cases,
        )
    assert found["2"] == found["1"]
    assert found["2"][0]["EVT-001"] == "fail"
    assert found["2"][0]["SIG-001"] == "pass"
    assert len(found["2"][2]) == 1


def test_a_pool_starts_after_its_modules_were_imported_again() -> None:
    """pytest's in-process runs (pytester) restore sys.modules after each run, so the second run imports
    nyc_hiring.harness.parallel and concurrent.futures.process again while `concurrent.futures` itself stays."""
    script = textwrap.dedent("""
        import sys
        import nyc_hiring.harness.parallel
        for name in ("nyc_hiring.harness.parallel", "concurrent.futures.process"):
            del sys.modules[name]
        import nyc_hiring.harness.parallel as parallel
        pool = parallel.PropertyPool([parallel.PooledCheck("nyc_hiring.harness.parallel", "pooled", "pooled")], 2)
        pool.wait_until_started()
        pool.close()
        print("started")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0 and "started" in result.stdout, result.stderr[-2000:]


def test_the_campaign_runs_in_a_worker_and_finds_there_what_it_finds_here(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With workers, the OpenAPI campaign's generation leaves the pytest process; the same seed sends the
    same cases either way, so a broken server fails the same requirements with the same failures."""
    ran_here: list[FuzzSettings] = []
    run_campaign = openapi_fuzz.run_campaign

    def counted(settings: FuzzSettings, operations: tuple[str, ...] = openapi_fuzz.EVERY_OPERATION) -> FuzzReport:
        ran_here.append(settings)
        return run_campaign(settings, operations)

    monkeypatch.setattr(openapi_fuzz, "run_campaign", counted)
    found = {}
    for workers in ("2", "1"):
        _, verdicts = run_harness(
            pytester,
            monkeypatch,
            "-k",
            "openapi or generated_greenhouse",
            "--seed",
            "8",
            "--fuzz-examples",
            "25",
            "--fuzz-workers",
            workers,
            fault="json_errors_500",
        )
        failed = next(check for check in verdicts["EVT-001"]["checks"] if check["outcome"] == "failed")
        found[workers] = (
            {rid: entry["verdict"] for rid, entry in verdicts.items()},
            [line.split("; reproduce:")[0] for line in failed["message"].splitlines()],
            len(ran_here),
        )
    assert found["2"][:2] == found["1"][:2]
    assert found["2"][0]["EVT-001"] == "fail"
    assert (found["2"][2], found["1"][2]) == (0, 1)  # in the worker, then here


def test_checks_answered_here_come_first_then_those_from_workers_and_a_restart_last(
    pytester: pytest.Pytester,
) -> None:
    """While the main process works through its own checks, the workers work through theirs."""
    result = pytester.runpytest_inprocess("--target=sandbox", "--co", "-q", "--report-dir", "reports")
    order = [line.split("::")[0].rsplit("/", 1)[-1] for line in result.outlines if "::" in line]
    from_workers = {"test_fuzz.py", "test_openapi.py"}
    first_from_a_worker = next(index for index, module in enumerate(order) if module in from_workers)
    assert {"test_auth.py", "test_validation.py"} <= set(order[:first_from_a_worker])
    assert set(order[first_from_a_worker:-1]) == from_workers
    assert result.outlines[[i for i, line in enumerate(result.outlines) if "::" in line][-1]].endswith(
        "test_records_and_keys_survive_a_restart"
    )


def _ids_drawn_in_a_child(queue: multiprocessing.Queue[str]) -> None:
    queue.put(payloads.unique("id"))


def test_forked_workers_draw_ids_of_their_own() -> None:
    """Workers fork from one parent (a forkserver): each draws IDs no other process draws, or the second
    worker's deliveries would be duplicates of the first's and a correct target would fail SIG-006."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_ids_drawn_in_a_child, args=(queue,)) for _ in range(2)]
    for child in children:
        child.start()
    drawn = {queue.get(timeout=30) for _ in children}
    for child in children:
        child.join(timeout=30)
    ids = drawn | {payloads.unique("id")}
    assert len({identity.rsplit("-", 1)[0] for identity in ids}) == 3, ids
