"""The state of one conformance run: the target, the sandbox it may have started, and the results.

Kept apart from the pytest plugin so it can be driven and tested without pytest.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .client import TargetClient
from .config import ConfigError, HarnessConfig, base_url, check_write_key
from .preflight import confirm_credentials, confirm_reachable
from .results import CheckResult, RunReport, verdicts
from .sandbox import SandboxError, SandboxProcess, fresh_credentials, wait_for_health


class RestartUnavailable(Exception):
    """Neither --restart-command nor a sandbox: restart checks must be skipped."""


@dataclass
class Starting:
    """A run whose target may still be starting (Run.launch)."""

    config: HarnessConfig
    sandbox: SandboxProcess | None = None

    def ready(self) -> Run:
        """The run, once its target answers and accepts the credentials; ConfigError otherwise."""
        run = self._pointed_at() if self.sandbox is None else self._sandboxed(self.sandbox)
        try:
            run._confirm_credentials()
        except BaseException:
            run.stop()
            raise
        return run

    def abandon(self) -> None:
        """Stop what was started, for a run that ends before its target was waited for."""
        if self.sandbox is not None:
            self.sandbox.close()

    def _sandboxed(self, sandbox: SandboxProcess) -> Run:
        try:
            url = sandbox.wait_until_ready()
        except SandboxError as exc:
            sandbox.close()
            raise ConfigError(str(exc)) from None
        return Run(self.config, url, sandbox)

    def _pointed_at(self) -> Run:
        url = base_url(self.config.target)
        confirm_reachable(url, self.config.timeout)
        return Run(self.config, url)


@dataclass
class Run:
    """One run against one deployment, built by `Run.start` once that deployment is known to answer.

    A worker process builds its own from the main process's config and base URL.
    """

    config: HarnessConfig
    base_url: str
    sandbox: SandboxProcess | None = None
    results: list[CheckResult] = field(default_factory=list)
    started: float = field(default_factory=time.time)

    @classmethod
    def start(cls, config: HarnessConfig) -> Run:
        """Resolve the target (starting the sandbox if asked) and prove it answers; ConfigError otherwise."""
        return cls.launch(config).ready()

    @classmethod
    def launch(cls, config: HarnessConfig) -> Starting:
        """Begin the start and return at once: the options are checked, a sandbox is starting.

        What needs no target (collecting the checks) can go on while the sandbox starts; `ready()` then
        waits for it and proves it answers. A mistake in the options is a ConfigError here already.
        """
        # saved failing cases are this run's evidence: a previous run's must not be mistaken for them
        shutil.rmtree(config.report_dir / "cases", ignore_errors=True)
        if not config.is_sandbox:
            base_url(config.target)
            check_write_key(config)
            return Starting(config)
        sandbox = SandboxProcess(credentials=fresh_credentials())
        try:
            sandbox.launch()
        except OSError as exc:
            sandbox.close()
            raise ConfigError(f"the reference server did not start: {exc}") from None
        config.credentials = sandbox.credentials
        return Starting(config, sandbox)

    def _confirm_credentials(self) -> None:
        client = TargetClient(self.base_url, self.config.timeout)
        try:
            confirm_credentials(client, self.config.credentials)
        finally:
            client.close()

    def restart(self) -> None:
        """Restart the deployment and wait until it answers again (IDEM-005)."""
        if self.sandbox is not None:
            self.base_url = self.sandbox.restart()
            return
        command = self.config.restart_command
        if not command:
            raise RestartUnavailable(
                "needs the deployment restarted: pass --restart-command CMD or set "
                "NYC_HIRING_RESTART_COMMAND (a command that restarts the deployment and "
                "returns), or use --target=sandbox"
            )
        # the user's own command line, run as they would type it (cd, &&, variables)
        completed = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300, check=False)  # noqa: S602
        if completed.returncode != 0:
            raise RuntimeError(f"the restart command exited with {completed.returncode}: {completed.stderr[-300:]}")
        wait_for_health(self.base_url, 120)

    def stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.close()

    def report(self, scope: frozenset[str] = frozenset()) -> RunReport:
        """The run's report from the results so far; `scope` names the requirements the selected checks
        cover, so a run narrowed by --requirement is partial rather than incomplete."""
        finished = time.time()
        return RunReport(
            target=self.base_url,
            started_at=_rfc3339(self.started),
            finished_at=_rfc3339(finished),
            duration_seconds=round(finished - self.started, 3),
            versions=_versions(),
            options={
                "sandbox": self.config.is_sandbox,
                "strict": self.config.strict,
                "requirements": list(self.config.requirements) or None,
                "allowIncomplete": self.config.allow_incomplete,
                "baseline": str(self.config.baseline) if self.config.baseline else None,
                "seed": self.config.seed,
                "allowLive": self.config.allow_live,
            },
            verdicts=verdicts(
                self.results, baseline=self.config.known_failures, strict=self.config.strict, scope=scope
            ),
            allow_incomplete=self.config.allow_incomplete,
        )

    def write_reports(self, scope: frozenset[str] = frozenset()) -> tuple[RunReport, list[Path]]:
        """The report and the paths of its three files; if its evidence cannot be written, written again
        without it, each check saying so.

        Evidence is what a target sent, so it is the part of a report a hostile target shapes.
        """
        from .reports import write_reports

        report = self.report(scope)
        try:
            return report, write_reports(report, self.config.report_dir)
        except Exception as exc:
            self.results = [_without_evidence(result, exc) for result in self.results]
            report = self.report(scope)
            return report, write_reports(report, self.config.report_dir)


def _without_evidence(result: CheckResult, exc: Exception) -> CheckResult:
    if not result.evidence:
        return result
    note = f" (its evidence is left out: it could not be written, {type(exc).__name__})"
    return replace(result, evidence=[], message=result.message + note)


def _rfc3339(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("nyc-hiring-conformance", "pytest", "httpx", "hypothesis"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "unknown"
    return found
