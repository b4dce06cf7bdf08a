"""The pytest plugin: `pytest --target=URL` (or `--target=sandbox`) runs the conformance suite.

Only options, fixtures and hooks live here; the logic is in plain modules. Without `--target` every
hook returns at once: installing the package never changes a project's own pytest runs.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the plugin imports nothing heavy until a run needs it
    from .config import HarnessConfig
    from .context import Conformance
    from .parallel import PropertyPool
    from .results import RunReport
    from .session import Run, Starting

SUITE_DIR = Path(__file__).with_name("suite")
SUITE_PACKAGE = f"{__package__}.suite"
SUITE_MODULES = tuple(f"{SUITE_PACKAGE}.{path.stem}" for path in sorted(SUITE_DIR.glob("test_*.py")))
#: Warms up the OpenAPI campaign's generation in the process workers fork from (prepare_workers).
CAMPAIGN_PRELOAD = (f"{__package__}.campaign_preload",)
CONFIG_KEY: pytest.StashKey[HarnessConfig] = pytest.StashKey()
STARTING_KEY: pytest.StashKey[Starting] = pytest.StashKey()
RUN_KEY: pytest.StashKey[Run] = pytest.StashKey()
CHECK_KEY: pytest.StashKey[Conformance] = pytest.StashKey()
POOL_KEY: pytest.StashKey[PropertyPool | None] = pytest.StashKey()
SCOPE_KEY: pytest.StashKey[frozenset[str]] = pytest.StashKey()
REPORT_KEY: pytest.StashKey[tuple[RunReport, list[Path]]] = pytest.StashKey()
CONFIG_ERROR_KEY: pytest.StashKey[str] = pytest.StashKey()
FROZEN_KEY: pytest.StashKey[bool] = pytest.StashKey()

CREDENTIAL_OPTIONS = {
    "--api-key": "NYC_HIRING_API_KEY",
    "--api-key-readonly": "NYC_HIRING_API_KEY_READONLY",
    "--api-key-live": "NYC_HIRING_API_KEY_LIVE",
    "--greenhouse-secret": "WEBHOOK_SECRET_GREENHOUSE",
    "--lever-secret": "WEBHOOK_SECRET_LEVER",
    "--workday-secret": "WEBHOOK_SECRET_WORKDAY",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nyc-hiring", "NYC hiring-compliance conformance (runs only with --target)")
    group.addoption(
        "--target",
        metavar="URL",
        help="deployment base URL to check, or 'sandbox' to start the "
        "reference server; without it this plugin does nothing",
    )
    for option, variable in CREDENTIAL_OPTIONS.items():
        group.addoption(option, metavar="VALUE", help=f"default: ${variable}")
    group.addoption("--allow-live", action="store_true", help="allow a haiec_live_ write key")
    group.addoption(
        "--allow-incomplete",
        action="store_true",
        help="a MUST that could not be checked (a credential not given, say) does not fail the run; "
        "the reports still say the run is incomplete",
    )
    group.addoption("--report-dir", metavar="DIR", default="reports", help="where the reports go (default reports/)")
    group.addoption("--baseline", metavar="FILE", help="known failures, one requirement ID per line")
    # --strict is pytest's own (all strictness options); a conformance run reads it too: SHOULD failures fail.
    group.addoption("--restart-command", metavar="CMD", help="restarts the deployment and returns (IDEM-005)")
    group.addoption(
        "--requirement",
        metavar="ID",
        action="append",
        default=[],
        help="run only the checks of this requirement (repeatable)",
    )
    group.addoption("--seed", metavar="N", help="seed for generated cases: the same seed generates the same cases")
    group.addoption(
        "--fuzz-examples",
        metavar="N|PROFILE",
        default="quick",
        help="generated cases per property: a number, or quick (25), standard (100), deep (1000)",
    )
    group.addoption(
        "--fuzz-workers",
        metavar="N|auto",
        default="auto",
        help="processes that run the generated-case checks and the OpenAPI campaign side by side (default "
        "auto: one per core; 1 runs them in the pytest process)",
    )
    group.addoption(
        "--conformance-timeout",
        metavar="S",
        default="10",
        help="the deadline for each whole request in seconds: connecting, sending, the headers and the "
        "body together (default 10)",
    )
    group.addoption("--employer-name", metavar="NAME", help="the employer a candidate message's subject may name")
    group.addoption(
        "--notice-business-days",
        default="10",
        metavar="N",
        help="business days of advance notice the deployment requires (MEMO-003; default 10)",
    )
    group.addoption(
        "--holiday-country",
        default="US",
        metavar="CC",
        help="holiday calendar for business days, as the `holidays` package names it (default US)",
    )
    group.addoption(
        "--webhook-explanations",
        default="yes",
        metavar="yes|no",
        help="whether the deployment explains webhook decisions (EXPL-003; default yes, the guide's "
        "flow; no skips that check and says why)",
    )


def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    """With --target and no paths of its own, the run is the shipped suite, and it leaves nothing behind.

    A conformance run is not a test session to resume: pytest's cache (`--lf`, `--sw`) has nothing to
    offer it, and its `.pytest_cache/` would be a stray folder in whatever directory CI runs it from.
    """
    namespace = early_config.known_args_namespace
    if getattr(namespace, "target", None) is None:
        return
    rewrite_only(early_config.pluginmanager, SUITE_PACKAGE)
    early_config.pluginmanager.consider_pluginarg("no:cacheprovider")  # blocks stepwise too, which needs it
    from .config import keep_hypothesis_files_out_of_the_working_directory

    keep_hypothesis_files_out_of_the_working_directory()
    if namespace.target and not namespace.file_or_dir:
        args.append(str(SUITE_DIR))


def rewrite_only(pluginmanager: pytest.PytestPluginManager, *packages: str) -> None:
    """From here on, rewrite the asserts of test files and of `packages` only, not of every installed plugin.

    pytest marks every module of each distribution that registers a pytest plugin (Schemathesis,
    Hypothesis, anyio, ...) for assertion rewriting, and rewrites each again on every run wherever it
    cannot cache the result (PYTHONDONTWRITEBYTECODE, a read-only site-packages, a fresh CI job): over a
    second of a conformance run, for messages no check shows. Test files (and conftests) are rewritten by
    their names, as before. The marks are a private set of pytest's rewrite hook: a pytest without it keeps
    rewriting what it marked.
    """
    hook = pluginmanager.rewrite_hook
    marked = getattr(hook, "_must_rewrite", None)
    answers = getattr(hook, "_marked_for_rewrite_cache", None)
    if not isinstance(marked, set) or not isinstance(answers, dict):
        return
    marked.clear()
    answers.clear()
    if packages:
        hook.mark_rewrite(*packages)


@pytest.hookimpl(tryfirst=True)  # first, so that its cleanup runs after pytest's own (they run last in, first out)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requirement(*ids): the catalog requirement IDs a conformance check tests")
    config.addinivalue_line("markers", "restarts_the_deployment: runs after every other check")
    config.addinivalue_line(
        "markers", "from_a_worker: answered from a worker process; runs after the checks answered in this one"
    )
    if config.getoption("target") is None:
        return
    from .config import ConfigError

    skip_the_garbage_collections_that_end_the_run(config)
    try:
        config.stash[CONFIG_KEY] = _harness_config(config)
    except ConfigError as exc:
        config.stash[CONFIG_ERROR_KEY] = str(exc)


def skip_the_garbage_collections_that_end_the_run(config: pytest.Config) -> None:
    """Freeze the heap before the full garbage collections that end a run, so that they skip it.

    pytest collects twice once the checks are done (in its unconfigure hook and in a cleanup, to report
    exceptions raised by finalizers), and the interpreter once more as it exits. Each walks every object
    the run left (the checks' modules, Hypothesis, Schemathesis): about 80 ms each, to free memory the
    process gives back anyway, after the reports are written.

    The heap is frozen when pytest unconfigures and thawed by a cleanup that runs after pytest's own, so
    a process that runs conformance runs in-process collects their garbage later, as before; one that
    has frozen its heap itself is left alone. At exit it is frozen again: registering again replaces the
    first registration.
    """
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    config.add_cleanup(lambda: _thaw(config))


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if CONFIG_KEY in config.stash and not gc.get_freeze_count():
        gc.freeze()
        config.stash[FROZEN_KEY] = True


def _thaw(config: pytest.Config) -> None:
    if config.stash.get(FROZEN_KEY, False):
        gc.unfreeze()


def _harness_config(config: pytest.Config) -> HarnessConfig:
    from .config import (
        HarnessConfig,
        credentials_from,
        fuzz_budget,
        fuzz_workers,
        load_baseline,
        number,
        requirement_ids,
        restart_command_from,
        target,
        yes_or_no,
    )

    options = {
        variable: config.getoption(option.lstrip("-").replace("-", "_"))
        for option, variable in CREDENTIAL_OPTIONS.items()
    }
    baseline = config.getoption("baseline")
    seed = config.getoption("seed")
    return HarnessConfig(
        target=target(config.getoption("target")),
        credentials=credentials_from(options),
        allow_live=config.getoption("allow_live"),
        allow_incomplete=config.getoption("allow_incomplete"),
        report_dir=Path(config.getoption("report_dir")),
        baseline=Path(baseline) if baseline else None,
        known_failures=load_baseline(Path(baseline) if baseline else None),
        requirements=requirement_ids(config.getoption("requirement")),
        strict=bool(config.getoption("strict")),
        restart_command=restart_command_from(config.getoption("restart_command")),
        seed=int(number("--seed", seed, minimum=0, whole=True)) if seed is not None else None,
        fuzz_examples=fuzz_budget(config.getoption("fuzz_examples")),
        fuzz_workers=fuzz_workers(config.getoption("fuzz_workers")),
        timeout=number("--conformance-timeout", config.getoption("conformance_timeout"), minimum=0.1),
        employer_name=config.getoption("employer_name"),
        notice_business_days=int(
            number("--notice-business-days", config.getoption("notice_business_days"), minimum=1, whole=True)
        ),
        holiday_country=config.getoption("holiday_country"),
        webhook_explanations=yes_or_no("--webhook-explanations", config.getoption("webhook_explanations")),
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """Start the run's target (the sandbox) before anything is collected, or end it with exit 2.

    The checks are collected while the sandbox starts; `pytest_collection_finish` waits for it. Here
    rather than at session start so that pytest prints the reason once.
    """
    if CONFIG_ERROR_KEY in session.config.stash:
        pytest.exit(f"cannot start the conformance run: {session.config.stash[CONFIG_ERROR_KEY]}", returncode=2)
    harness_config = session.config.stash.get(CONFIG_KEY, None)
    if harness_config is None:
        return
    from .session import Run

    with _exit_2_if_the_run_cannot_start():
        session.config.stash[STARTING_KEY] = Run.launch(harness_config)  # first: the run waits for it
    if harness_config.fuzz_workers > 1 and not _narrowed(session.config, harness_config):
        from .parallel import prepare_workers

        prepare_workers(SUITE_MODULES + _campaign_preload(harness_config))


def _narrowed(config: pytest.Config, harness: HarnessConfig) -> bool:
    """A run narrowed by requirement, keyword or marker may need no worker at all: its workers, if any,
    start when the checks are known, without a process preloading every check's module ahead of them."""
    return bool(harness.requirements or config.option.keyword or config.option.markexpr)


def _campaign_preload(harness: HarnessConfig) -> tuple[str, ...]:
    """A whole run with an API key generates the OpenAPI campaign: its workers start with it warmed up."""
    return CAMPAIGN_PRELOAD if harness.credential("NYC_HIRING_API_KEY") else ()


def _ready(session: pytest.Session) -> Run | None:
    """The run, once its target answers and accepts the credentials (the preflight), or exit 2."""
    starting = session.config.stash.get(STARTING_KEY, None)
    if starting is None:
        return None
    del session.config.stash[STARTING_KEY]
    with _exit_2_if_the_run_cannot_start():
        session.config.stash[RUN_KEY] = starting.ready()
    return session.config.stash[RUN_KEY]


@contextlib.contextmanager
def _exit_2_if_the_run_cannot_start() -> Iterator[None]:
    from .config import ConfigError

    try:
        yield
    except Exception as exc:  # whatever stops the start (a preflight answer that never came, say): exit 2
        reason = str(exc) if isinstance(exc, ConfigError) else f"the preflight failed: {type(exc).__name__}: {exc}"
        pytest.exit(f"cannot start the conformance run: {reason}", returncode=2)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CONFIG_KEY not in config.stash:
        return
    from .items import select

    selected, deselected = select(items, config.stash[CONFIG_KEY].requirements)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = sorted(selected, key=_run_order)


def _run_order(item: pytest.Item) -> tuple[bool, bool]:
    """Checks answered here first, then those answered from a worker (so the two overlap), a restart last;
    in the order they came otherwise (the suite's own hook may have ordered them already).

    A restart can lose what the deployment holds only in memory: no other check may depend on that, and
    no worker may still be sending it requests.
    """
    restarts = item.get_closest_marker("restarts_the_deployment") is not None
    return restarts, item.get_closest_marker("from_a_worker") is not None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Note which requirements the selected checks cover (a narrowed run is partial, not incomplete), and
    start the worker processes for the generated-case checks early, so their start-up overlaps.

    First, so that the suite's own hook finds the run and its workers, and hands them the jobs checks share."""
    run = _ready(session)
    if run is None:
        return
    from .items import requirement_ids
    from .parallel import start_pool
    from .seeding import load_every_module

    load_every_module()  # before this process draws any case, as every worker does

    session.config.stash[SCOPE_KEY] = frozenset(rid for item in session.items for rid in requirement_ids(item))
    session.config.stash[POOL_KEY] = start_pool(session.items, run.config.fuzz_workers)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """Hand the pooled checks to the workers as the checks begin, behind the longer jobs handed out before."""
    pool = session.config.stash.get(POOL_KEY, None)
    run = session.config.stash.get(RUN_KEY, None)
    if pool is not None and run is not None:
        pool.start(run.config, run.base_url)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """A generated-case check the worker pool holds is answered from there (harness.parallel)."""
    pool = pyfuncitem.config.stash.get(POOL_KEY, None)
    check = pyfuncitem.stash.get(CHECK_KEY, None)
    if pool is None or check is None or not pool.handles(pyfuncitem.function):
        return None
    pool.run(pyfuncitem.function, check)
    return True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A check that cannot show its requirement (harness.steps.NotShown) is skipped, saying why."""
    if RUN_KEY not in item.config.stash:
        return (yield)
    from .steps import NotShown

    try:
        return (yield)
    except NotShown as exc:
        pytest.skip(str(exc))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    run = item.config.stash.get(RUN_KEY, None)
    if run is not None:
        from .items import record, record_unrecordable

        try:
            record(run, item, report, call, item.stash.get(CHECK_KEY, None))
        except Exception as exc:  # a result is never lost to pytest's INTERNALERROR: it counts as a failure
            record_unrecordable(run, item, report, exc)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the reports and set the exit code they give; a run that cannot write them exits 1, saying why."""
    starting = session.config.stash.get(STARTING_KEY, None)
    if starting is not None:  # the session ended while collecting: the sandbox was never waited for
        starting.abandon()
    run = session.config.stash.get(RUN_KEY, None)
    if run is None:
        return
    from .results import EXIT_NON_COMPLIANT

    with contextlib.suppress(Exception):  # a worker or sandbox that will not stop must not cost the reports
        pool = session.config.stash.get(POOL_KEY, None)
        if pool is not None:
            pool.close()
    with contextlib.suppress(Exception):
        run.stop()
    try:
        report, paths = run.write_reports(session.config.stash.get(SCOPE_KEY, frozenset()))
        session.config.stash[REPORT_KEY] = report, paths
    except Exception as exc:  # never pytest's INTERNALERROR: the run ends with a documented exit code
        pytest.exit(
            f"the conformance reports could not be written: {type(exc).__name__}: {exc}", returncode=EXIT_NON_COMPLIANT
        )
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        session.exitstatus = report.exit_code


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    written = config.stash.get(REPORT_KEY, None)
    if written is None:
        return
    from .reports.console import summary_lines

    try:
        lines = summary_lines(*written)
    except Exception as exc:  # the reports are written; a summary that fails says so and points to them
        lines = [
            f"the summary could not be shown ({type(exc).__name__}: {exc}); the reports are in "
            f"{config.stash[CONFIG_KEY].report_dir}"
        ]
    for line in lines:
        terminalreporter.write_line(line)


@pytest.fixture
def conformance(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A check's view of the run: client with evidence, credentials, assertions (harness.context)."""
    run = request.config.stash.get(RUN_KEY, None)
    if run is None:
        pytest.skip("conformance checks run only with --target")
    from .context import Conformance

    check = Conformance(run, check_id=request.node.nodeid)
    request.node.stash[CHECK_KEY] = check
    yield check
    check.close()
