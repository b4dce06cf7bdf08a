"""Server settings: defaults for a local sandbox, overridable by a TOML file and the environment.

Precedence, highest first: explicit arguments (the command line), `NYC_SANDBOX_*` environment
variables, the TOML file named by `--config` / `NYC_SANDBOX_CONFIG`, then the defaults below.
Credentials are not settings: they come from the guide's own variable names (see credentials.py).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

BASE_PATH = "/api/v1/nyc-hiring"
MAX_BODY_BYTES = 256 * 1024  # contract EVT-001: "413 over 256 KiB"
# A request head past either limit gets 431 and its connection closed, before the app sees it (heads.py).
# Node's default head limit is 16 KiB and nginx's 32 KiB; 100 fields is Apache's LimitRequestFields.
MAX_HEAD_BYTES = 32 * 1024  # the request target and every header name and value, together
MAX_HEADER_FIELDS = 100


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NYC_SANDBOX_", extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    db: Path = Path("sandbox.sqlite3")
    profile: Path | None = None
    webhook_environment: Literal["test", "live"] = "test"
    webhook_explanations: bool = True
    max_body_bytes: int = Field(default=MAX_BODY_BYTES, gt=0)
    max_head_bytes: int = Field(default=MAX_HEAD_BYTES, ge=1024)
    max_header_fields: int = Field(default=MAX_HEADER_FIELDS, ge=10)
    # Standard Webhooks' reference tolerance, both directions (docs/sources.md#standard-webhooks).
    workday_tolerance_seconds: int = Field(default=300, gt=0)
    # Lever signs no freshness window of its own; the contract fixes these (SIG-006).
    lever_future_seconds: int = Field(default=300, gt=0)
    lever_max_age_seconds: int = Field(default=24 * 3600, gt=0)
    lever_dedup_days: int = Field(default=30, ge=7)
    # The Idempotency-Key draft leaves retention to the server; the contract asks for at least 24 h.
    idempotency_ttl_hours: int = Field(default=48, ge=24)
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    # Deliberately broken variants, for proving conformance checks fail (the faults package): fault names,
    # comma-separated, break the whole server; "*" or "all" serves each fault's app under /faults/<name>.
    faults: str = ""


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings from overrides, then the environment, then the TOML file, then defaults."""
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"config file {config_file} does not exist")

    class FileSettings(Settings):
        model_config = SettingsConfigDict(toml_file=config_file)

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            """No .env file and no secrets folder: overrides, then the environment, then the TOML file."""
            return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    try:
        return FileSettings(**{key: value for key, value in overrides.items() if value is not None})
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"invalid settings{f' in {config_file}' if config_file else ''}: {exc}") from None


class ConfigError(Exception):
    """A setting the server cannot start with; the message names the file or variable to fix."""
