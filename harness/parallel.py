"""Generated-case checks run side by side in worker processes.

Hypothesis runs one example at a time, and the harness spends most of an example on its own CPU:
generating it, the HTTP client, judging the answer. One process therefore keeps about one core busy
while the target mostly waits. The properties are independent of one another, so a run with more
than one of them spreads them over worker processes, one per core (`--fuzz-workers`). Each property
still draws from its own seeded Hypothesis run, so `--seed` gives the same cases either way.

Workers are forked from a `forkserver` the run starts while it waits for its target (`prepare_workers`):
that one process imports the checks' modules once, and every worker starts with them, instead of each
worker importing them again while the checks run. Where there is no usable forkserver they are started
with `spawn` (never `fork`, whose child would inherit the pytest process's threads and sockets). Each
runs a property with its own client and sends back what the main process reports: the outcome, the
message, the evidence and anything Hypothesis printed.

The workers also take longer jobs a module's checks share (the OpenAPI campaign, harness/suite/conftest.py),
handed to them before the properties so the longest work starts first. Checks answered from a worker
(marked `from_a_worker`) run after the checks the main process answers itself: while it works through
those, the workers work through theirs.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import multiprocessing
import queue
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError, Future

# From the submodule, not the package: `concurrent.futures` caches ProcessPoolExecutor the first time it
# is asked for, and if `concurrent.futures.process` has since been imported again (pytest's in-process
# runs restore sys.modules after each run) the cached class pickles its worker function under a module
# that no longer holds it, and no worker starts.
from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import pytest

from .client import Exchange
from .results import MAX_EVIDENCE
from .seeding import every_module, load_every_module
from .steps import NotShown, StepFailed, Steps

if TYPE_CHECKING:
    from .config import HarnessConfig
    from .context import Conformance

Check = Callable[["Conformance"], None]
T = TypeVar("T")
FROM_A_WORKER = "from_a_worker"  # the marker of checks whose answer a worker process works out


@dataclass(frozen=True)
class WorkerResult:
    """What a property run in a worker amounts to, in terms the main process can report."""

    status: Literal["passed", "failed", "skipped", "error"]
    message: str = ""
    exchanges: tuple[Exchange, ...] = ()
    output: str = ""
    cases: int = 0
    steps: Steps = field(default_factory=Steps)
    failed: tuple[str, str] | None = None  # the requirement and clause of the step that failed

    def apply(self, conformance: Conformance) -> None:
        """Make the check pass, fail or skip here as it did in the worker, with the worker's evidence."""
        __tracebackhide__ = True
        conformance.client.exchanges.extend(self.exchanges)
        conformance.generated_cases += self.cases
        conformance.steps.merge(self.steps)
        if self.output:
            print(self.output, end="")  # noqa: T201 - pytest captures it into the check's report
        if self.status == "skipped":
            pytest.skip(self.message)
        if self.status == "failed" and self.failed is not None:
            raise StepFailed(*self.failed, self.message)
        if self.status == "failed":
            raise AssertionError(self.message)
        if self.status == "error":
            raise RuntimeError(f"the check raised in its worker process:\n{self.message}")


@dataclass(frozen=True)
class PooledCheck:
    """A check the pool can run: where its function lives, and the pytest node ID its report names."""

    module: str
    name: str
    nodeid: str


def prepare_workers(modules: Iterable[str]) -> None:
    """Start the process workers are forked from, importing `modules` and every module a seed's draws
    depend on (harness.seeding), before any worker is needed.

    It returns at once: the server imports while the run starts its target and collects its checks.
    """
    if _start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    preload = dict.fromkeys([*modules, *every_module()])
    multiprocessing.get_context("forkserver").set_forkserver_preload(list(preload))
    forkserver.ensure_running()


def _start_method() -> str:
    """forkserver wherever Python 3.14 makes it the default: POSIX but macOS, where forking a process that
    has loaded system frameworks is unsafe."""
    usable = "forkserver" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
    return "forkserver" if usable else "spawn"


def pooled(function: Check) -> Check:
    """Mark a generated-case check as one the run may hand to its worker pool (see PropertyPool).

    The check itself stays as written: the plugin decides, per item, whether the pool runs it.
    """
    function.pooled = True  # type: ignore[attr-defined]
    return pytest.mark.from_a_worker(function)


def start_pool(items: list[pytest.Item], workers: int) -> PropertyPool | None:
    """A pool for the selected checks answered from a worker, when there are two jobs to share out.

    Each pooled check is a job; so is the one a module's other `from_a_worker` checks share.
    """
    checks = [
        PooledCheck(item.function.__module__, item.function.__name__, item.nodeid)
        for item in items
        if isinstance(item, pytest.Function) and getattr(item.function, "pooled", False)
    ]
    shared = _modules_sharing_a_job(items) - {check.module for check in checks}
    workers = min(workers, len(checks) + len(shared))
    return PropertyPool(checks, workers, tuple(sorted(shared))) if workers > 1 else None


def _modules_sharing_a_job(items: list[pytest.Item]) -> set[str]:
    return {
        item.module.__name__
        for item in items
        if isinstance(item, pytest.Function)
        and item.get_closest_marker(FROM_A_WORKER)
        and not getattr(item.function, "pooled", False)
    }


@dataclass
class PropertyPool:
    """Worker processes for the run's pooled checks and the jobs its modules share.

    `submit` hands a shared job to the workers; `start` then hands them every pooled check. Neither
    waits: a thread of the pool's own hands the jobs over in order. Starting a worker waits until the
    fork server has imported what it preloads, and the pytest process has its own checks to run meanwhile.
    """

    checks: list[PooledCheck]
    workers: int
    shared_modules: tuple[str, ...] = ()  # the modules of checks that share a job, imported by every worker too
    _executor: ProcessPoolExecutor = field(init=False)
    _jobs: queue.SimpleQueue[_Job[Any] | None] = field(init=False, default_factory=queue.SimpleQueue)
    _futures: dict[tuple[str, str], Future[WorkerResult]] = field(init=False, default_factory=dict)
    _started: list[Future[None]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self._executor = ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context(_start_method()),
            initializer=_import_checks,
            initargs=(self._modules(), sys.path),
        )
        threading.Thread(target=self._hand_out, name="pool-hand-out", daemon=True).start()
        # one task per worker starts them all now, not one by one as checks come
        self._started = [self.submit(_ready) for _ in range(self.workers)]

    def wait_until_started(self) -> None:
        for started in self._started:
            started.result()

    def handles(self, function: Callable[..., object]) -> bool:
        return any(check.module == function.__module__ and check.name == function.__name__ for check in self.checks)

    def run(self, function: Callable[..., object], conformance: Conformance) -> None:
        """Pass, fail or skip `conformance` as `function` did in its worker, with the worker's evidence."""
        __tracebackhide__ = True
        self.result(function.__module__, function.__name__, conformance).apply(conformance)

    def result(self, module: str, name: str, conformance: Conformance) -> WorkerResult:
        self.start(conformance.run.config, conformance.run.base_url)
        try:
            return self._futures[module, name].result()
        except BrokenProcessPool:
            return WorkerResult("error", "the worker process running this check died before it finished")

    def submit(self, function: Callable[..., T], *args: object) -> Future[T]:
        """Run `function(*args)` in a worker, after every job submitted before; return at once."""
        job: _Job[T] = _Job(Future(), function, args)
        self._jobs.put(job)
        return job.future

    def start(self, config: HarnessConfig, base_url: str) -> None:
        """Hand every pooled check to the workers (once), after any job submitted before."""
        if self._futures:
            return
        for check in self.checks:
            self._futures[check.module, check.name] = self.submit(run_check, config, base_url, check)

    def close(self) -> None:
        self._jobs.put(None)
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _hand_out(self) -> None:
        """In the pool's thread: each job to the executor in turn, its answer passed on to the job's future."""
        while (job := self._jobs.get()) is not None:
            if not job.future.set_running_or_notify_cancel():
                continue
            try:
                handed = self._executor.submit(job.function, *job.args)
            except Exception as exc:  # broken, shut down by close(), or a worker that could not start
                job.future.set_exception(exc)  # the submitter sees it; this thread must outlive it
                continue
            handed.add_done_callback(job.settle)
        while True:  # closed: what is still queued will never run
            try:
                left = self._jobs.get_nowait()
            except queue.Empty:
                return
            if left is not None and left.future.set_running_or_notify_cancel():
                left.future.set_exception(CancelledError())

    def _modules(self) -> tuple[str, ...]:
        """Every worker imports them all before its first job, whichever jobs it then runs, and with them
        every module a seed's draws depend on (harness.seeding)."""
        return tuple(dict.fromkeys([*(check.module for check in self.checks), *self.shared_modules]))


@dataclass(frozen=True)
class _Job(Generic[T]):
    """A job for the workers, and the future its submitter holds until the executor has it."""

    future: Future[T]
    function: Callable[..., T]
    args: tuple[object, ...]

    def settle(self, handed: Future[T]) -> None:
        """Pass the executor's answer on to the submitter's future."""
        if handed.cancelled():
            self.future.set_exception(CancelledError())
        elif (error := handed.exception()) is not None:
            self.future.set_exception(error)
        else:
            self.future.set_result(handed.result())


def run_check(config: HarnessConfig, base_url: str, check: PooledCheck) -> WorkerResult:
    """In a worker: run one check against the target with a client of its own."""
    from .context import Conformance
    from .session import Run

    function = getattr(importlib.import_module(check.module), check.name)
    conformance = Conformance(Run(config, base_url=base_url), check_id=check.nodeid)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            getattr(function, "__wrapped__", function)(conformance)
    except pytest.skip.Exception as exc:
        return _worker_result(conformance, "skipped", exc.msg or "skipped", printed)
    except NotShown as exc:
        return _worker_result(conformance, "skipped", str(exc), printed)
    except StepFailed as exc:
        return _worker_result(conformance, "failed", exc.message, printed, (exc.requirement, exc.clause))
    except AssertionError as exc:
        return _worker_result(conformance, "failed", str(exc), printed)
    except Exception:  # reported as the check's error, with the worker's traceback
        return _worker_result(conformance, "error", traceback.format_exc(), printed)
    finally:
        conformance.close()
    return _worker_result(conformance, "passed", "", printed)


def _worker_result(
    conformance: Conformance,
    status: Literal["passed", "failed", "skipped", "error"],
    message: str,
    printed: io.StringIO,
    failed: tuple[str, str] | None = None,
) -> WorkerResult:
    evidence = tuple(conformance.client.exchanges[-MAX_EVIDENCE:]) if status != "passed" else ()
    steps = conformance.steps
    return WorkerResult(status, message, evidence, printed.getvalue(), conformance.generated_cases, steps, failed)


def _import_checks(modules: tuple[str, ...], path: list[str]) -> None:
    """In a new worker: the pytest process's import path as it is now (a forkserver keeps the one it was
    started with), then the modules of its jobs, and every module a seed's draws depend on."""
    sys.path[:] = path
    for module in modules:
        importlib.import_module(module)
    load_every_module()


def _ready() -> None:
    """A no-op: submitting one per worker makes the executor start them all at once."""
