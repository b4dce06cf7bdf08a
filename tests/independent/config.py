"""Credentials from the environment: the integration guide's variable names and a few more.

A variable that is unset means that credential does not exist. A malformed key stops
the start-up, naming the variable and never its value.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field

from tests.independent.keys import READ, WRITE, environment_of

# variable -> (scopes, revoked)
KEY_VARIABLES: dict[str, tuple[frozenset[str], bool]] = {
    "NYC_HIRING_API_KEY": (frozenset({READ, WRITE}), False),
    "NYC_HIRING_API_KEY_READONLY": (frozenset({READ}), False),
    "NYC_HIRING_API_KEY_WRITEONLY": (frozenset({WRITE}), False),
    "NYC_HIRING_API_KEY_REVOKED": (frozenset({READ, WRITE}), True),
    "NYC_HIRING_API_KEY_LIVE": (frozenset({READ, WRITE}), False),
}
SECRET_VARIABLES = ("WEBHOOK_SECRET_GREENHOUSE", "WEBHOOK_SECRET_LEVER", "WEBHOOK_SECRET_WORKDAY")


class ConfigError(ValueError):
    """A credential cannot be used; the message names the variable only."""


@dataclass(frozen=True)
class ConfiguredKey:
    value: str = field(repr=False)
    scopes: frozenset[str]
    revoked: bool


@dataclass(frozen=True)
class Credentials:
    keys: tuple[ConfiguredKey, ...]
    greenhouse_secret: bytes | None = field(repr=False)
    lever_secret: bytes | None = field(repr=False)
    workday_key: bytes | None = field(repr=False)


def from_environment(environ: Mapping[str, str]) -> Credentials:
    keys = []
    for variable, (scopes, revoked) in KEY_VARIABLES.items():
        value = environ.get(variable, "")
        if not value:
            continue
        if environment_of(value) is None:
            raise ConfigError(f"{variable} is not a haiec_test_/haiec_live_ key of 32+ url-safe characters")
        keys.append(ConfiguredKey(value, scopes, revoked))
    return Credentials(
        keys=tuple(keys),
        greenhouse_secret=_plain_secret(environ.get("WEBHOOK_SECRET_GREENHOUSE")),
        lever_secret=_plain_secret(environ.get("WEBHOOK_SECRET_LEVER")),
        workday_key=_standard_webhooks_key(environ.get("WEBHOOK_SECRET_WORKDAY")),
    )


def _plain_secret(value: str | None) -> bytes | None:
    return value.encode() if value else None


def _standard_webhooks_key(value: str | None) -> bytes | None:
    """Standard Webhooks signs with the base64-decoded part after ``whsec_``."""
    if not value:
        return None
    encoded = value.removeprefix("whsec_")
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError("WEBHOOK_SECRET_WORKDAY is not whsec_<base64>") from exc
    if not key:
        raise ConfigError("WEBHOOK_SECRET_WORKDAY is empty")
    return key
