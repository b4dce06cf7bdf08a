"""The plugin's contract with its users: inert without --target, exit codes, credentials, baseline."""

from __future__ import annotations

import atexit
import gc
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from nyc_hiring.harness.config import HarnessConfig
from nyc_hiring.harness.sandbox import SandboxProcess, fresh_credentials
from nyc_hiring.harness.session import Run

from ..user_project import write_user_project
from .conftest import export_credentials

pytestmark = pytest.mark.slow
CREDENTIALS = [
    "NYC_HIRING_API_KEY",
    "NYC_HIRING_API_KEY_READONLY",
    "NYC_HIRING_API_KEY_LIVE",
    "NYC_HIRING_API_KEY_WRITEONLY",
    "NYC_HIRING_API_KEY_REVOKED",
    "WEBHOOK_SECRET_GREENHOUSE",
    "WEBHOOK_SECRET_LEVER",
    "WEBHOOK_SECRET_WORKDAY",
]


@pytest.fixture(scope="module")
def external_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """A reference server started on its own, as a deployment the harness is pointed at by URL."""
    process = SandboxProcess(tmp_path_factory.mktemp("external") / "external.sqlite3", credentials=fresh_credentials())
    process.start()
    yield process
    process.close()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in [*CREDENTIALS, "NYC_SANDBOX_FAULTS", "NYC_HIRING_RESTART_COMMAND"]:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _report(pytester: pytest.Pytester) -> dict[str, dict[str, object]]:
    document = json.loads((pytester.path / "reports" / "conformance.json").read_text())
    return {entry["id"]: entry for entry in document["requirements"]}


def test_without_target_the_plugin_changes_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_user="""
        def test_one():
            assert 1 + 1 == 2

        def test_two():
            assert False
    """
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=1, failed=1)
    assert result.ret == 1
    assert not (pytester.path / "reports").exists()
    assert "NYC hiring-compliance conformance" not in result.stdout.str()
    baseline = pytester.runpytest_inprocess("-p", "no:nyc_hiring_conformance")
    baseline.assert_outcomes(passed=1, failed=1)


REWRITE_PROBE = """
import importlib
import json
import sys
from pathlib import Path

import pytest

LATE_THIRD_PARTY = "hypothesis.extra.array_api"  # installed, and imported by neither pytest nor the harness
started: set[str] = set()


def rewritten() -> set[str]:
    return {
        name for name, module in list(sys.modules.items())
        if type(getattr(module, "__loader__", None)).__name__ == "AssertionRewritingHook"
    }


@pytest.hookimpl(trylast=True)
def pytest_load_initial_conftests(early_config):
    assert LATE_THIRD_PARTY not in sys.modules, "pick a module nothing imports at start-up"
    started.update(sys.modules)


def pytest_unconfigure(config):
    late = importlib.import_module(LATE_THIRD_PARTY)
    Path("rewritten.json").write_text(json.dumps({
        "after_start_up": sorted(rewritten() - started),
        "late_third_party": type(late.__loader__).__name__,
    }))
"""


def _rewritten_by(pytester: pytest.Pytester, *args: str) -> dict[str, Any]:
    """What pytest rewrote after its start-up in a run with `args`, and how it loaded a third-party module then."""
    pytester.makepyfile(rewrite_probe=REWRITE_PROBE)
    pytester.runpytest_subprocess("-p", "rewrite_probe", *args)
    found: dict[str, Any] = json.loads((pytester.path / "rewritten.json").read_text())
    return found


def test_a_conformance_run_rewrites_the_asserts_of_its_checks_only(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch
) -> None:
    """Rewriting every module of every installed plugin again on each run costs over a second of a run."""
    found = _rewritten_by(pytester, "--target=sandbox", "--requirement", "AUTH-001", "--fuzz-examples", "2")
    assert "nyc_hiring.harness.suite.test_auth" in found["after_start_up"]  # a failing check still explains its assert
    suite = [
        name
        for name in found["after_start_up"]
        if name == "nyc_hiring.harness.suite" or name.startswith("nyc_hiring.harness.suite.")
    ]
    assert found["after_start_up"] == suite
    assert found["late_third_party"] == "SourceFileLoader"


def test_without_target_pytest_rewrites_what_it_always_did(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user="def test_one():\n    assert 1 + 1 == 2\n")
    found = _rewritten_by(pytester)
    assert "test_user" in found["after_start_up"]
    assert found["late_third_party"] == "AssertionRewritingHook"


def test_the_sandbox_starts_while_the_checks_are_collected(tmp_path: Path) -> None:
    """Launching returns at once; the run is ready once the sandbox answers; a run that ends first stops it."""
    starting = Run.launch(HarnessConfig(target="sandbox", report_dir=tmp_path))
    assert starting.sandbox is not None and starting.sandbox.base_url == ""  # started, not yet listening
    run = starting.ready()
    try:
        assert httpx.get(f"{run.base_url}/health", timeout=10).status_code == 200
    finally:
        run.stop()
    abandoned = Run.launch(HarnessConfig(target="sandbox", report_dir=tmp_path))
    assert abandoned.sandbox is not None
    process, folder = abandoned.sandbox._process, abandoned.sandbox.db_path.parent
    abandoned.abandon()
    assert process is not None and process.poll() is not None
    assert not folder.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_sandbox_of_its_own_database_is_killed_when_done_and_others_stopped(tmp_path: Path) -> None:
    """Its graceful shutdown would only tidy a database about to be deleted; a given database is kept whole."""
    own = SandboxProcess()
    own.start()
    process = own._process
    own.close()
    assert process is not None and process.returncode == -signal.SIGKILL
    given = SandboxProcess(tmp_path / "kept.sqlite3")
    given.start()
    process = given._process
    given.close()
    assert process is not None and process.returncode != -signal.SIGKILL
    assert (tmp_path / "kept.sqlite3").is_file()


def test_a_conformance_run_skips_the_last_garbage_collection_at_exit(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its process ends with the run; a project's own pytest run keeps Python's exit as it is."""
    registered: list[object] = []
    monkeypatch.setattr(atexit, "register", registered.append)
    pytester.makepyfile(test_user="def test_one():\n    pass\n")
    pytester.runpytest_inprocess()
    assert gc.freeze not in registered
    pytester.runpytest_inprocess("--target=sandbox", "--seed", "abc")  # configured, then a usage error
    assert registered.count(gc.freeze) == 1


def test_pytests_own_collections_at_the_end_of_a_run_skip_its_heap(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frozen before pytest's two end-of-run collections and thawed after them; a project's own run, and a
    process that froze its heap itself, keep them as they are."""
    import _pytest.unraisableexception

    events: list[str] = []
    frozen = [0]
    monkeypatch.setattr(gc, "get_freeze_count", lambda: frozen[0])
    monkeypatch.setattr(gc, "freeze", lambda: events.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: events.append("thaw"))
    collect_harder = _pytest.unraisableexception.gc_collect_harder
    monkeypatch.setattr(
        _pytest.unraisableexception,
        "gc_collect_harder",
        lambda iterations: (events.append("pytest collects"), collect_harder(iterations)),
    )
    monkeypatch.setattr(atexit, "register", lambda function: None)
    pytester.makepyfile(test_user="def test_one():\n    pass\n")
    pytester.runpytest_inprocess()
    assert events == ["pytest collects", "pytest collects"]
    events.clear()
    conformance = ("--target=http://127.0.0.1:9", "--help")  # configured, and ended before it starts
    pytester.runpytest_inprocess(*conformance)
    assert events == ["freeze", "pytest collects", "pytest collects", "thaw"]
    events.clear()
    frozen[0] = 1000
    pytester.runpytest_inprocess(*conformance)
    assert events == ["pytest collects", "pytest collects"]


def test_a_run_leaves_nothing_where_it_runs_but_its_reports(tmp_path: Path) -> None:
    """No `.pytest_cache/`, no `.hypothesis/`: CI checks out a repository and runs the suite in it. The
    repository here has its own `harness`, `schemas` and so on, which the suite's modules must not meet."""
    here, home = tmp_path / "checkout", tmp_path / "home"
    users = write_user_project(here)
    env = {name: value for name, value in os.environ.items() if not name.startswith(("NYC_", "WEBHOOK_", "HYPOTHESIS"))}
    env |= {"HOME": str(home), "XDG_CACHE_HOME": "", "PYTHONDONTWRITEBYTECODE": "1"}  # the user's own bytecode
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--target=sandbox", "--requirement", "SIG-005", "--fuzz-examples", "2"],
        cwd=here,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    assert "SIG-005" in completed.stdout
    left = {path.relative_to(here).as_posix() for path in here.rglob("*") if path.is_file()}
    assert left - users and {name.split("/")[0] for name in left - users} == {"reports"}
    assert (home / ".cache" / "nyc-hiring-conformance" / "hypothesis").is_dir()  # where Hypothesis's cache went


def test_unreachable_target_exits_2_with_a_reason(pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch) -> None:
    result = pytester.runpytest_inprocess("--target=http://127.0.0.1:9", "--conformance-timeout", "1")
    assert result.ret == 2
    assert "cannot reach the target" in result.stdout.str() + result.stderr.str()


def test_bad_target_url_exits_2(pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch) -> None:
    result = pytester.runpytest_inprocess("--target=ftp://example.invalid")
    assert result.ret == 2
    assert "--target must be an http(s) URL" in result.stdout.str() + result.stderr.str()


def test_a_live_write_key_is_refused_without_allow_live(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch, external_server: SandboxProcess
) -> None:
    live = external_server.credentials["NYC_HIRING_API_KEY_LIVE"]
    result = pytester.runpytest_inprocess(f"--target={external_server.base_url}", "--api-key", live)
    assert result.ret == 2
    assert "--allow-live" in result.stdout.str() + result.stderr.str()


def test_url_target_passes_and_missing_credentials_skip_with_the_variable_name(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch, external_server: SandboxProcess
) -> None:
    clean_env.setenv("NYC_HIRING_API_KEY", external_server.credentials["NYC_HIRING_API_KEY"])
    result = pytester.runpytest_inprocess(
        f"--target={external_server.base_url}", "--requirement", "AUTH-003", "--requirement", "AUTH-001", "-rs"
    )
    verdicts = _report(pytester)
    assert verdicts["AUTH-001"]["verdict"] == "pass"
    assert verdicts["AUTH-003"]["verdict"] == "skip"
    assert "NYC_HIRING_API_KEY_READONLY" in str(verdicts["AUTH-003"]["reason"])
    assert result.ret == 1  # a MUST left unchecked: never green by accident
    assert "INCOMPLETE (MUST not checked: AUTH-003)" in result.stdout.str()
    allowed = pytester.runpytest_inprocess(
        f"--target={external_server.base_url}",
        "--requirement",
        "AUTH-003",
        "--requirement",
        "AUTH-001",
        "--allow-incomplete",
    )
    assert allowed.ret == 0


def test_idem_005_is_skipped_without_a_way_to_restart(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch, external_server: SandboxProcess
) -> None:
    export_credentials(clean_env, external_server.credentials)
    pytester.runpytest_inprocess(f"--target={external_server.base_url}", "--requirement", "IDEM-005")
    verdict = _report(pytester)["IDEM-005"]
    assert verdict["verdict"] == "skip" and "--restart-command" in str(verdict["reason"])


@pytest.mark.parametrize("given_by", ["option", "environment"])
def test_restart_command_is_run_and_health_awaited(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch, external_server: SandboxProcess, given_by: str
) -> None:
    export_credentials(clean_env, external_server.credentials)
    marker = pytester.path / "restarted"
    command = f"{sys.executable} -c \"open('{marker}', 'w').write('yes')\""
    if given_by == "environment":  # as the sandbox's printed exports set it
        clean_env.setenv("NYC_HIRING_RESTART_COMMAND", command)
    options = ["--restart-command", command] if given_by == "option" else []
    pytester.runpytest_inprocess(f"--target={external_server.base_url}", "--requirement", "IDEM-005", *options)
    assert marker.read_text() == "yes"
    assert _report(pytester)["IDEM-005"]["verdict"] == "pass"


def test_baseline_turns_a_known_failure_into_a_passing_run(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("NYC_SANDBOX_FAULTS", "memo_wrong_hash")
    baseline = pytester.path / "known-failures.txt"
    baseline.write_text("# accepted until the memo hash is fixed\nMEMO-004\n")
    result = pytester.runpytest_inprocess("--target=sandbox", "--requirement", "MEMO-004", "--baseline", str(baseline))
    verdict = _report(pytester)["MEMO-004"]
    assert verdict["verdict"] == "fail" and verdict["knownFailure"] is True
    assert result.ret == 0
    without = pytester.runpytest_inprocess("--target=sandbox", "--requirement", "MEMO-004")
    assert without.ret == 1


@pytest.mark.parametrize(
    "args",
    [
        ("--requirement", "NOPE-001"),
        ("--requirement", "AUTH-1"),
        ("--seed", "abc"),
        ("--conformance-timeout", "-1"),
        ("--notice-business-days", "ten"),
        ("--webhook-explanations", "maybe"),
        ("--fuzz-examples", "lots"),
    ],
)
def test_a_usage_mistake_exits_2_before_anything_starts_and_writes_no_report(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    result = pytester.runpytest_inprocess("--target=sandbox", *args)
    assert result.ret == 2
    assert args[1] in result.stderr.str() + result.stdout.str()
    assert not (pytester.path / "reports").exists()


def test_requirement_ids_match_whatever_their_case(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch, external_server: SandboxProcess
) -> None:
    export_credentials(clean_env, external_server.credentials)
    result = pytester.runpytest_inprocess(
        f"--target={external_server.base_url}", "--requirement", "auth-001", "--report-dir", "r"
    )
    assert result.ret == 0
    verdicts = {
        entry["id"]: entry["verdict"]
        for entry in json.loads((pytester.path / "r" / "conformance.json").read_text())["requirements"]
    }
    assert verdicts["AUTH-001"] == "pass"


def test_an_empty_target_is_a_usage_error_not_a_quiet_run(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch
) -> None:
    result = pytester.runpytest_inprocess("--target=")
    assert result.ret == 2
    assert "--target is empty" in result.stderr.str() + result.stdout.str()


def test_a_baseline_naming_an_unknown_id_is_a_usage_error(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch
) -> None:
    (pytester.path / "baseline.txt").write_text("SIG-004  # known\nSIG-999\n")
    result = pytester.runpytest_inprocess("--target=sandbox", "--baseline", "baseline.txt")
    assert result.ret == 2
    assert "SIG-999" in result.stderr.str() + result.stdout.str()


def test_reports_are_written_where_asked(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch, external_server: SandboxProcess
) -> None:
    export_credentials(clean_env, external_server.credentials)
    target = Path(pytester.path) / "out" / "conformance"
    result = pytester.runpytest_inprocess(
        f"--target={external_server.base_url}", "--requirement", "AUTH-001", "--report-dir", str(target)
    )
    assert result.ret == 0
    assert (target / "conformance.json").is_file()
    assert str(target / "conformance.json") in result.stdout.str()


@pytest.mark.parametrize(
    ("narrowing", "preloaded"),
    [
        ((), ("nyc_hiring.harness.campaign_preload",)),
        (("--requirement", "AUTH-001"), None),
        (("-k", "auth"), None),
    ],
)
def test_only_a_whole_run_starts_its_workers_fork_server_ahead_with_the_campaign_warmed_up(
    pytester: pytest.Pytester,
    clean_env: pytest.MonkeyPatch,
    external_server: SandboxProcess,
    narrowing: tuple[str, ...],
    preloaded: tuple[str, ...] | None,
) -> None:
    """A narrowed run may need no worker: it is spared a process importing every check's module."""
    import importlib

    parallel = importlib.import_module("nyc_hiring.harness.parallel")  # the module a run imports, not a stale attribute
    calls: list[tuple[str, ...]] = []
    clean_env.setattr(parallel, "prepare_workers", lambda modules: calls.append(tuple(modules)))
    export_credentials(clean_env, external_server.credentials)
    pytester.runpytest_inprocess(f"--target={external_server.base_url}", "--fuzz-workers", "2", "--co", *narrowing)
    if preloaded is None:
        assert calls == []
    else:
        assert len(calls) == 1 and calls[0][-len(preloaded) :] == preloaded


def test_a_conformance_run_loads_every_module_before_its_first_check(
    pytester: pytest.Pytester, clean_env: pytest.MonkeyPatch, external_server: SandboxProcess
) -> None:
    """So that a check drawing cases in the pytest process draws what it would in a worker (harness.seeding).
    In a process of its own: this one has loaded the harness's modules already."""
    pytester.makepyfile(
        probe="""
        import json, sys
        from nyc_hiring.harness.seeding import every_module

        def pytest_runtest_call(item):
            with open("missing.json", "a") as out:
                out.write(json.dumps([name for name in every_module() if name not in sys.modules]) + "\\n")
        """
    )
    export_credentials(clean_env, external_server.credentials)
    pytester.runpytest_subprocess(f"--target={external_server.base_url}", "--requirement", "AUTH-001", "-p", "probe")
    missing = [json.loads(line) for line in (pytester.path / "missing.json").read_text().splitlines()]
    assert missing and missing[0] == []
