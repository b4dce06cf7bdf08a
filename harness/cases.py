"""Failing generated cases, saved so that anyone can send them again and see the failure for themselves.

A case is the shrunk example's requests in order, each with what the contract expects of its answer
(`Expectation`, judged by `harness.judge`, the same code the checks use) and what came back. Secrets never reach
the file: headers carry `$NYC_HIRING_API_KEY`-style placeholders (harness.client.mask), filled from the
same environment variables the plugin reads when the case is replayed. Webhook requests also carry how
they were signed, so `--resign` can sign them again with a deployment's own secrets and a fresh clock
(Workday and Lever deliveries expire within minutes) while keeping the fault they were saved with.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import shlex
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from .client import Exchange, TargetClient, curl_command, mask
from .config import CREDENTIAL_VARIABLES
from .judge import Expectation, MalformedExpectation, Observation, Problem, judge
from .wire import WEBHOOK_SECRETS

CASE_FORMAT = "nyc-hiring-conformance/case-1"
CASES_FOLDER = "cases"
EXCERPT = 300
TARGET_VARIABLE = "NYC_HIRING_TARGET"  # what the sandbox prints as `export NYC_HIRING_TARGET=...`
_PLACEHOLDER = re.compile(r"\$([A-Z][A-Z0-9_]*)")


class CaseError(Exception):
    """A file that is not a usable case, or a credential it needs is not set (the CLI exits 2)."""


@dataclass(frozen=True)
class Step:
    """One request of a case, as it went on the wire (headers unmasked in memory, masked on disk)."""

    label: str
    method: str
    path: str  # relative to the base URL (…/api/v1/nyc-hiring)
    headers: dict[str, str]
    body: bytes
    expected: Expectation
    signing: dict[str, Any] | None = None  # wire.Signing.to_json(): how to sign it again


# -- saving ----------------------------------------------------------------------------------------


@dataclass
class Case:
    """A failing example: the requests sent before the failing one, then the failing one."""

    requirement: str
    description: str
    steps: list[Step]
    observed: list[Observation]
    seed: int | None = None
    check: str = ""
    target: str = ""  # "sandbox" or the base URL the failure was seen on
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def failing(self) -> Step:
        return self.steps[-1]

    @property
    def signed(self) -> bool:
        return any(step.signing for step in self.steps)


def replay_command(path: Path | str, target: str, resign: bool) -> str:
    """`python -m nyc_hiring.harness replay`; a sandbox's URL dies with its run, so the variable the sandbox prints
    stands in for it."""
    shown = f'"${TARGET_VARIABLE}"' if target == "sandbox" else shlex.quote(target)
    command = f"python -m nyc_hiring.harness replay {shlex.quote(str(path))} --target {shown}"
    return command + (" --resign" if resign else "")


def save_case(case: Case, report_dir: Path, secrets: Mapping[str, str], base_url: str) -> tuple[Path, str]:
    """Write `<report_dir>/cases/<REQUIREMENT>-<hash>.json`; return its path and the replay command."""
    folder = report_dir / CASES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    masked = dict(secrets)
    if case.target == "sandbox":
        masked[TARGET_VARIABLE] = base_url
    path = folder / f"{case.requirement}-{_fingerprint(case)}.json"
    command = replay_command(path, case.target or base_url, case.signed)
    document = _document(case, masked, base_url, command)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path, command


def _fingerprint(case: Case) -> str:
    digest = hashlib.sha256(case.requirement.encode())
    for step in case.steps:
        digest.update(f"{step.method} {step.path}\n".encode() + step.body)
    return digest.hexdigest()[:8]


def _document(case: Case, secrets: Mapping[str, str], base_url: str, command: str) -> dict[str, Any]:
    failing = case.failing
    exchange = Exchange(failing.method, base_url + failing.path, failing.headers, failing.body, None, {}, b"")
    steps = [_step_json(step, observed, secrets) for step, observed in zip(case.steps, case.observed, strict=True)]
    return {
        "format": CASE_FORMAT,
        "requirement": case.requirement,
        "description": case.description,
        **steps[-1],
        "before": steps[:-1],
        "seed": case.seed,
        "check": case.check,
        "target": case.target,
        "savedAt": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "replay": command,
        "curl": curl_command(exchange, secrets),
        "notes": "Requests are replayed in order ('before', then 'request'). Byte for byte they verify only "
        "against the secrets and within the time window they were signed with; --resign signs "
        "webhook requests again with the configured secrets and the current time, fault included.",
        **case.extra,
    }


def _step_json(step: Step, observed: Observation, secrets: Mapping[str, str]) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": step.method,
        "path": step.path,
        "headers": {name: mask(value, secrets) for name, value in step.headers.items()},
        "bodyBase64": base64.b64encode(step.body).decode(),
    }
    with contextlib.suppress(UnicodeDecodeError):
        request["bodyText"] = step.body.decode("utf-8")[:4000]
    return {
        "label": step.label,
        "request": request,
        "signing": step.signing,
        "expected": step.expected.to_json(),
        "expectedText": step.expected.describe(),
        "observed": observed.to_json(),
    }


# -- loading and replaying -------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedStep:
    label: str
    method: str
    path: str
    headers: dict[str, str]  # with $VARIABLE placeholders
    body: bytes
    expected: Expectation
    signing: dict[str, Any] | None
    observed: dict[str, Any]


@dataclass(frozen=True)
class SavedCase:
    path: Path
    requirement: str
    description: str
    steps: list[SavedStep]


def is_case_document(value: Any) -> bool:
    return isinstance(value, dict) and value.get("format") == CASE_FORMAT


def load_case(path: Path) -> SavedCase:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CaseError(f"{path}: cannot read a case ({exc})") from None
    if not is_case_document(document):
        raise CaseError(f'{path}: not a saved case (no "format": "{CASE_FORMAT}")')
    try:
        steps = [_saved_step(step) for step in [*document.get("before", []), document]]
    except (KeyError, TypeError, ValueError, MalformedExpectation) as exc:
        raise CaseError(f"{path}: malformed case ({type(exc).__name__}: {exc})") from None
    return SavedCase(path, str(document["requirement"]), str(document.get("description", "")), steps)


def _saved_step(value: Mapping[str, Any]) -> SavedStep:
    request = value["request"]
    headers = request["headers"]
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise ValueError("request.headers must map names to strings")
    return SavedStep(
        str(value.get("label", "")),
        str(request["method"]),
        str(request["path"]),
        dict(headers),
        base64.b64decode(request["bodyBase64"], validate=True),
        Expectation.from_json(value["expected"]),
        value.get("signing"),
        dict(value.get("observed") or {}),
    )


@dataclass
class SentStep:
    step: SavedStep
    how: str  # "byte for byte" or "re-signed"
    headers: dict[str, str]
    body: bytes
    observation: Observation
    problems: list[Problem]


@dataclass
class CaseReplay:
    case: SavedCase
    sent: list[SentStep]

    @property
    def deviation(self) -> SentStep | None:
        return next((sent for sent in self.sent if sent.problems), None)

    @property
    def reproduced(self) -> bool:
        return self.deviation is not None

    @property
    def same_step(self) -> bool:
        """The failure came back where it was saved, not at an earlier request failing some other way."""
        deviation = self.deviation
        return deviation is not None and deviation is self.sent[-1] and len(self.sent) == len(self.case.steps)


def replay_case(
    case: SavedCase,
    client: TargetClient,
    credentials: Mapping[str, str],
    *,
    resign: bool = False,
    now: float | None = None,
) -> CaseReplay:
    """Send the case's requests in order, stopping at the first answer the contract does not expect.

    One clock for the whole case: a re-signed Lever retry keeps the triggeredAt of its first delivery.
    """
    moment = time.time() if now is None else now
    result = CaseReplay(case, [])
    observations: list[Observation] = []
    for step in case.steps:
        how, headers, body = _request(step, credentials, resign, moment)
        observation = _send(client, step.method, step.path, headers, body)
        problems = judge(step.expected, observation, observations)
        observations.append(observation)
        result.sent.append(SentStep(step, how, headers, body, observation, problems))
        if problems:
            break
    return result


def needed_credentials(case: SavedCase, resign: bool) -> set[str]:
    """The variables a replay needs: the placeholders it fills, and the secrets it signs with."""
    names: set[str] = set()
    for step in case.steps:
        if resign and step.signing:
            names.add(WEBHOOK_SECRETS[str(step.signing.get("source"))])
        else:
            for value in step.headers.values():
                names.update(name for name in _PLACEHOLDER.findall(value) if name in CREDENTIAL_VARIABLES)
    return names


def _request(
    step: SavedStep, credentials: Mapping[str, str], resign: bool, now: float
) -> tuple[str, dict[str, str], bytes]:
    if resign and step.signing:
        from .wire import Signing, deliver

        try:
            signing = Signing.from_json(step.signing)
        except (KeyError, TypeError, ValueError) as exc:
            raise CaseError(f"cannot re-sign {step.label!r}: {exc}") from None
        secret = credentials.get(WEBHOOK_SECRETS[signing.source])
        if not secret:
            raise CaseError(f"set {WEBHOOK_SECRETS[signing.source]} to re-sign {signing.source} requests")
        delivery = deliver(signing, secret, now)
        return "re-signed", delivery.headers, delivery.body
    return "byte for byte", {name: _filled(value, credentials) for name, value in step.headers.items()}, step.body


def _filled(value: str, credentials: Mapping[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in CREDENTIAL_VARIABLES:
            return match.group(0)
        if not credentials.get(name):
            raise CaseError(f"set {name} ({CREDENTIAL_VARIABLES[name]}): the case sends it")
        return credentials[name]

    return _PLACEHOLDER.sub(fill, value)


def _send(client: TargetClient, method: str, path: str, headers: dict[str, str], body: bytes) -> Observation:
    try:
        response = client.request(method, path, headers=headers, content=body)
    except httpx.LocalProtocolError as exc:
        raise CaseError(f"{method} {path}: the saved request cannot be sent over HTTP ({exc})") from None
    except httpx.TimeoutException:
        return Observation(None, error="timed out")
    except Exception as exc:  # httpx's transport errors, or the transport's own when httpcore was replaced
        return Observation(None, error=f"connection failed: {type(exc).__name__}")
    return Observation.of(response)
