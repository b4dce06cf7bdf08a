"""What a conformance run is pointed at, and with which credentials.

Credentials use the integration guide's own environment variable names, so the sandbox's printed
exports, a deployment's CI secrets and the harness all speak the same names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .catalog import load_catalog
from .compliance import CheckContext

BASE_PATH = "/api/v1/nyc-hiring"

CREDENTIAL_VARIABLES: dict[str, str] = {
    "NYC_HIRING_API_KEY": "a test key with read and write scope (haiec_test_...)",
    "NYC_HIRING_API_KEY_READONLY": "a key of the same environment without nyc:hiring.write",
    "NYC_HIRING_API_KEY_LIVE": "a key of the other environment (haiec_live_...), used only for reads",
    "WEBHOOK_SECRET_GREENHOUSE": "the Greenhouse web hook secret key",
    "WEBHOOK_SECRET_LEVER": "the Lever webhook signature token",
    "WEBHOOK_SECRET_WORKDAY": "the Standard Webhooks secret for Workday events (whsec_...)",
    "NYC_HIRING_API_KEY_WRITEONLY": "a key of the same environment without nyc:hiring.read",
    "NYC_HIRING_API_KEY_REVOKED": "a key that has been revoked",
}

RESTART_COMMAND_VARIABLE = "NYC_HIRING_RESTART_COMMAND"


class ConfigError(Exception):
    """The run cannot start; the message says what to fix (the plugin exits with status 2)."""


@dataclass
class HarnessConfig:
    target: str  # a base URL, or "sandbox"
    credentials: dict[str, str] = field(default_factory=dict)
    allow_live: bool = False
    report_dir: Path = Path("reports")
    baseline: Path | None = None
    known_failures: frozenset[str] = frozenset()  # the baseline's requirement IDs
    requirements: tuple[str, ...] = ()  # --requirement: only these are checked (all when empty)
    allow_incomplete: bool = False  # a MUST left unchecked does not fail the run (it is still reported)
    strict: bool = False
    restart_command: str | None = None
    seed: int | None = None
    fuzz_examples: int = 25
    fuzz_workers: int = 1  # processes for the generated-case checks (harness/parallel.py); 1 runs them here
    timeout: float = 10.0
    # The deployment's own policy for the message and memo rules (contract MEMO-003: "configurable").
    employer_name: str | None = None
    notice_business_days: int = 10
    holiday_country: str = "US"
    # Contract EXPL-003: webhook decisions are explained "when the deployment is configured to" (the guide's flow).
    webhook_explanations: bool = True

    @property
    def is_sandbox(self) -> bool:
        return self.target == "sandbox"

    def credential(self, name: str) -> str | None:
        return self.credentials.get(name) or None

    def compliance_context(self) -> CheckContext:
        return CheckContext(
            employer_name=self.employer_name,
            notice_business_days=self.notice_business_days,
            holiday_country=self.holiday_country,
        )

    def secrets(self) -> dict[str, str]:
        """Every configured credential value, by variable name: what evidence must never show."""
        return {name: value for name, value in self.credentials.items() if value}


def credentials_from(options: Mapping[str, str | None], environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Command-line values first, then the environment; empty values count as unset."""
    found = {}
    for name in CREDENTIAL_VARIABLES:
        value = options.get(name) or environ.get(name)
        if value:
            found[name] = value.strip()
    return found


def restart_command_from(option: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """`--restart-command`, else `NYC_HIRING_RESTART_COMMAND`: the sandbox prints that export with its
    credentials, so a shell that sourced them checks IDEM-005 with no flag to add."""
    command = (option or environ.get(RESTART_COMMAND_VARIABLE) or "").strip()
    return command or None


def keep_hypothesis_files_out_of_the_working_directory(environ: MutableMapping[str, str] = os.environ) -> Path:
    """Point Hypothesis's storage (its cache of source constants) at the user's cache directory.

    Hypothesis writes `.hypothesis/` into the working directory by default, which would leave a stray
    folder wherever a conformance run is started. Its examples database is off for every check (each
    run draws afresh from `--seed`), so only that cache is stored, keyed by source hash, safe to share.
    A `HYPOTHESIS_STORAGE_DIRECTORY` the user set is kept; worker processes inherit the variable.
    """
    cache = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nyc-hiring-conformance" / "hypothesis"
    return Path(environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(cache)))


def base_url(target: str) -> str:
    """Accept the host root or the API base path; return the base path URL without a trailing slash."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"--target must be an http(s) URL or 'sandbox', not {target!r}")
    path = parts.path.rstrip("/")
    if not path.endswith(BASE_PATH):
        path += BASE_PATH
    return f"{parts.scheme}://{parts.netloc}{path}"


def check_write_key(config: HarnessConfig) -> None:
    """Refuse to write test records into production unless explicitly allowed (contract § 4)."""
    key = config.credential("NYC_HIRING_API_KEY") or ""
    if key.startswith("haiec_live_") and not config.allow_live:
        raise ConfigError(
            "NYC_HIRING_API_KEY is a live key (haiec_live_...): the suite writes test records; "
            "use a test key, or pass --allow-live to write to the live environment on purpose"
        )


FUZZ_PROFILES = {"quick": 25, "standard": 100, "deep": 1000}


def fuzz_workers(value: str, cpus: int | None = None) -> int:
    """Worker processes for the generated-case checks: a number, or `auto` (one per core)."""
    if value == "auto":
        return max(cpus if cpus is not None else os.cpu_count() or 1, 1)
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise ConfigError(f"--fuzz-workers takes a positive number or 'auto', not {value!r}")


def fuzz_budget(value: str) -> int:
    """Examples per generated-case property, from a number or a profile name."""
    if value in FUZZ_PROFILES:
        return FUZZ_PROFILES[value]
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise ConfigError(f"--fuzz-examples takes a positive number or one of {', '.join(FUZZ_PROFILES)}, not {value!r}")


def load_baseline(path: Path | None) -> frozenset[str]:
    """Known failures: one requirement ID per line, '#' comments allowed; an unknown ID is a usage error."""
    if path is None:
        return frozenset()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read --baseline {path}: {getattr(exc, 'strerror', None) or exc}") from None
    listed = [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]
    try:
        return frozenset(requirement_ids(listed))
    except ConfigError as exc:
        raise ConfigError(f"--baseline {path}: {exc}") from None


def requirement_ids(given: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Catalog IDs, matched case-insensitively; an unknown one is a usage error naming the known ones."""
    known = {rid.upper(): rid for rid in load_catalog()}
    unknown = [rid for rid in given if rid.strip().upper() not in known]
    if unknown:
        ids = list(known.values())
        raise ConfigError(
            f"unknown requirement ID(s) {', '.join(repr(rid) for rid in unknown)}: use a catalog ID, "
            f"{ids[0]} to {ids[-1]} (every one is listed in the report and in harness/catalog.toml)"
        )
    return tuple(dict.fromkeys(known[rid.strip().upper()] for rid in given))


def target(value: str) -> str:
    if not value.strip():
        raise ConfigError(
            "--target is empty: give the deployment's URL (https://host or .../api/v1/nyc-hiring) or 'sandbox'"
        )
    return value.strip()


def number(option: str, value: str, *, minimum: float, whole: bool = False) -> float:
    """A numeric option at or above `minimum`; anything else is a usage error naming the option."""
    try:
        parsed = int(value) if whole else float(value)
    except (TypeError, ValueError):
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{option} takes {kind}, not {value!r}") from None
    if not parsed >= minimum or parsed != parsed:
        raise ConfigError(f"{option} must be at least {minimum:g}, not {value!r}")
    return parsed


def yes_or_no(option: str, value: str) -> bool:
    """A yes/no option; anything else is a usage error naming the option."""
    answer = value.strip().lower()
    if answer in ("yes", "y", "true", "on", "1"):
        return True
    if answer in ("no", "n", "false", "off", "0"):
        return False
    raise ConfigError(f"{option} takes yes or no, not {value!r}")
