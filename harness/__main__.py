"""Command line: `python -m nyc_hiring.harness replay PATH --target URL [--resign]`.

PATH is a case saved by a failing generated check (`<report-dir>/cases/*.json`), a folder of them, a
payload fixture file, or the `payload_fixtures` folder (or a folder inside it), replayed as its manifest
says. Credentials come from the same environment variables the pytest plugin reads. Exit status: 0 when
every request got the answer the contract expects, 1 when a failure reproduced, 2 when the input or the
target is unusable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from nyc_hiring import payload_fixtures

from .cases import CASES_FOLDER, TARGET_VARIABLE, CaseError, SavedCase, load_case, needed_credentials, replay_case
from .client import TargetClient, shared_tls_context
from .config import ConfigError, base_url, credentials_from
from .replay import replay
from .wire import WEBHOOK_SECRETS

EXIT_OK, EXIT_REPRODUCED, EXIT_BAD_INPUT = 0, 1, 2


@dataclass
class ReplayResult:
    """How one case or fixture went: `failed` (the contract was not met) or `skipped` (could not be sent)."""

    failed: bool = False
    skipped: bool = False


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    options = parser.parse_args(argv)
    if not getattr(options, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    return int(options.run(options))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m nyc_hiring.harness",
        description="Tools of the NYC hiring-compliance conformance harness. "
        "The checks themselves run with `pytest --target=URL|sandbox`.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    replay_parser = commands.add_parser(
        "replay",
        help="send saved failing cases or payload fixtures to a deployment and judge the answers",
        description="Send saved cases (from <report-dir>/cases/) or payload fixtures to a deployment, byte for "
        "byte unless --resign, and say for each whether the failure reproduced. Credentials come "
        "from NYC_HIRING_API_KEY and WEBHOOK_SECRET_GREENHOUSE / _LEVER / _WORKDAY. Exit status: "
        "0 every answer conforms, 1 a failure reproduced, 2 unusable input or target.",
    )
    replay_parser.add_argument(
        "path",
        metavar="PATH",
        type=Path,
        help="a saved case, a folder of cases (or a report folder with cases/), a payload "
        "fixture, or payload_fixtures/ (or a folder in it)",
    )
    replay_parser.add_argument(
        "--target",
        metavar="URL",
        default=os.environ.get(TARGET_VARIABLE),
        help=f"the deployment's base URL (default: ${TARGET_VARIABLE})",
    )
    replay_parser.add_argument(
        "--resign",
        action="store_true",
        help="sign webhook requests again with the configured secrets and the current time "
        "(keeping any saved fault); needed once Workday or Lever deliveries have "
        "expired, or against a deployment with other secrets",
    )
    replay_parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    replay_parser.set_defaults(run=run_replay)
    return parser


def run_replay(options: argparse.Namespace) -> int:
    credentials = credentials_from({})
    try:
        if not options.target:
            raise ConfigError(f"--target URL is required (or set {TARGET_VARIABLE})")
        target = base_url(options.target)
        jobs = collect(options.path)
        _check_reachable(target, options.timeout)
    except (ConfigError, CaseError) as exc:
        return _bad_input(str(exc))
    results: list[ReplayResult] = []
    for job in jobs:
        client = TargetClient(target, options.timeout)  # a fresh connection per job, as the checks have
        try:
            results.append(replay_one(job, client, credentials, options.resign))
        except CaseError as exc:
            return _bad_input(str(exc))
        finally:
            client.close()
    return _summary(results)


def _check_reachable(target: str, timeout: float) -> None:
    try:
        status = httpx.get(f"{target}/health", timeout=timeout, verify=shared_tls_context()).status_code
    except Exception as exc:  # httpx's errors, or the transport's own when a plugin has replaced httpcore
        raise ConfigError(f"cannot reach the target: GET {target}/health failed ({type(exc).__name__})") from None
    if status != 200:
        raise ConfigError(f"cannot reach the target: GET {target}/health answered {status}")


def _bad_input(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _summary(results: list[ReplayResult]) -> int:
    failed = sum(outcome.failed for outcome in results)
    skipped = sum(outcome.skipped for outcome in results)
    ran = len(results) - skipped
    print(f"\n{ran} replayed, {failed} failed, {skipped} skipped")
    if ran == 0:
        print("error: nothing could be replayed (see the skipped reasons above)", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_REPRODUCED if failed else EXIT_OK


# -- what PATH names -------------------------------------------------------------------------------

Job = SavedCase | dict[str, Any]


def collect(path: Path) -> list[Job]:
    """The saved cases or manifest entries PATH names, in a stable order; CaseError when it names none."""
    if not path.exists():
        raise CaseError(f"{path}: no such file or folder")
    resolved = path.resolve()
    if resolved == payload_fixtures.FIXTURE_DIR or resolved.is_relative_to(payload_fixtures.FIXTURE_DIR):
        return _fixtures(resolved)
    if path.is_dir():
        if (path / CASES_FOLDER).is_dir():  # a report folder: its saved cases
            path = path / CASES_FOLDER
        files = sorted(path.glob("*.json"))
        if not files:
            raise CaseError(f"{path}: no saved cases (*.json) in this folder")
        return [load_case(file) for file in files]
    return [load_case(path)]


def _fixtures(resolved: Path) -> list[Job]:
    relative = resolved.relative_to(payload_fixtures.FIXTURE_DIR).as_posix()
    entries = payload_fixtures.manifest()
    chosen: list[Job]
    if resolved.is_dir():
        prefix = "" if relative == "." else relative + "/"
        chosen = [entry for entry in entries if entry["path"].startswith(prefix)]
    else:
        chosen = [entry for entry in entries if entry["path"] == relative]
    if not chosen:
        raise CaseError(f"{resolved}: not a payload fixture listed in {payload_fixtures.MANIFEST_PATH.name}")
    return chosen


# -- replaying -------------------------------------------------------------------------------------


def replay_one(job: Job, client: TargetClient, credentials: dict[str, str], resign: bool) -> ReplayResult:
    if isinstance(job, SavedCase):
        return _replay_case(job, client, credentials, resign)
    return _replay_fixture(job, client, credentials, resign)


def _replay_case(case: SavedCase, client: TargetClient, credentials: dict[str, str], resign: bool) -> ReplayResult:
    print(f"case {case.path} ({case.requirement}): {case.description}")
    missing = sorted(name for name in needed_credentials(case, resign) if not credentials.get(name))
    if missing:
        print(f"  skipped: set {', '.join(missing)}")
        return ReplayResult(skipped=True)
    result = replay_case(case, client, credentials, resign=resign)
    for number, sent in enumerate(result.sent, 1):
        print(
            f"  {number}. {sent.step.method} {sent.step.path} ({sent.how}, {len(sent.body)} bytes): {sent.step.label}"
        )
        print(f"     expected: {sent.step.expected.describe()}")
        print(f"     observed: {_observed(sent.observation.status, sent.observation.excerpt())}")
        saved = sent.step.observed.get("status")
        if number == len(case.steps) and saved is not None:
            print(f"     when saved: HTTP {saved}")
    deviation = result.deviation
    if deviation is None:
        print("  not reproduced: every answer was what the contract expects")
        return ReplayResult()
    where = "reproduced" if result.same_step else "reproduced (an earlier request already failed)"
    problem = deviation.problems[0]
    print(f"  {where}: {problem.message} ({problem.requirement}, {problem.clause})")
    if not resign and deviation.step.signing and deviation.observation.status == 401:
        print(
            "  note: sent byte for byte, a webhook signature verifies only with the secret and within the time "
            "window it was made with; against another deployment, or later, replay with --resign"
        )
    return ReplayResult(failed=True)


def _replay_fixture(
    entry: dict[str, Any], client: TargetClient, credentials: dict[str, str], resign: bool
) -> ReplayResult:
    source = entry["source"]
    recorded = payload_fixtures.signing_mode(entry) == "recorded" and not resign
    how = "recorded capture, byte for byte" if recorded else "signed now" if source != "api" else "as written"
    print(f"fixture {entry['path']} ({source}, {how})")
    needed = ["NYC_HIRING_API_KEY"] + ([WEBHOOK_SECRETS[source]] if source != "api" else [])
    missing = [name for name in needed if not credentials.get(name)]
    if missing:
        print(f"  skipped: set {', '.join(missing)}")
        return ReplayResult(skipped=True)
    if recorded:
        capture = json.loads(payload_fixtures.read_bytes(entry["path"]))
        if credentials.get(capture["secret_env"]) != capture["fixture_secret"]:
            print(
                f"  skipped: captured with {capture['secret_env']}={capture['fixture_secret']!r}; the target "
                "must use that secret for a byte-for-byte replay (or pass --resign)"
            )
            return ReplayResult(skipped=True)
    result = replay(client, entry, credentials, recorded=recorded)
    expected = entry["expected"] if recorded else entry.get("expectedFresh", entry["expected"])
    print(f"  POST {result.delivery.path} ({len(result.delivery.body)} bytes)")
    print(
        f"  expected: HTTP {expected['status']} {expected['outcome']}"
        + (f" ({expected['decision']})" if expected.get("decision") else "")
    )
    print(f"  observed: {_observed(result.response.status_code, result.response.text)}")
    if result.ok:
        print("  as expected")
        return ReplayResult()
    print(f"  FAILED: {'; '.join(f'{p.message} ({p.requirement}, {p.clause})' for p in result.problems)}")
    return ReplayResult(failed=True)


def _observed(status: int | None, text: str) -> str:
    shown = " ".join(text.split())
    return f"HTTP {status} {shown[:200]}" if status is not None else shown


if __name__ == "__main__":
    sys.exit(main())
