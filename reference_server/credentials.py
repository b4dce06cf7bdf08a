"""Sandbox credentials: known ones from the environment, or fresh ones on first start.

The variable names are the integration guide's own, so the printed lines can be exported as they are
and the conformance harness reads the same names. API keys are stored only as hashes, so a freshly
created key is shown once; it is also written, for the developer, to a 0600 file beside the database.
Webhook secrets must be kept as they are, to verify signatures with: they go to the keyring (a 0600
file beside the database, keyring.py), never into the database.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .auth import ALL_SCOPES, READ_SCOPE, WRITE_SCOPE, generate_key, hash_key, key_environment, register_key
from .keyring import Keyring, open_keyring
from .store import Store
from .webhooks.workday import decode_secret

API_KEYS: dict[str, tuple[str, frozenset[str]]] = {
    # variable: (environment of a generated key, scopes). Every key the conformance suite can use, so a
    # sandbox started by hand can be checked completely; the revoked one is revoked as soon as it exists.
    "NYC_HIRING_API_KEY": ("test", ALL_SCOPES),
    "NYC_HIRING_API_KEY_READONLY": ("test", frozenset({READ_SCOPE})),
    "NYC_HIRING_API_KEY_WRITEONLY": ("test", frozenset({WRITE_SCOPE})),
    "NYC_HIRING_API_KEY_REVOKED": ("test", ALL_SCOPES),
    "NYC_HIRING_API_KEY_LIVE": ("live", ALL_SCOPES),
}
REVOKED = "NYC_HIRING_API_KEY_REVOKED"
WEBHOOK_SECRETS: dict[str, str] = {
    "WEBHOOK_SECRET_GREENHOUSE": "greenhouse",
    "WEBHOOK_SECRET_LEVER": "lever",
    "WEBHOOK_SECRET_WORKDAY": "workday",
}


class CredentialError(Exception):
    """A credential from the environment that cannot be used; the message names the variable."""


@dataclass
class Credentials:
    created: dict[str, str] = field(default_factory=dict)  # variable → value, shown once
    from_environment: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def ensure_credentials(
    store: Store, environ: Mapping[str, str] = os.environ, keyring: Keyring | None = None
) -> Credentials:
    """Every credential the guide names: API keys registered in `store`, webhook secrets in `keyring`
    (by default the one beside `store`'s database)."""
    result = Credentials()
    for variable, (environment, scopes) in API_KEYS.items():
        key = _ensure_key(store, environ, variable, environment, scopes, result)
        if variable == REVOKED and key is not None:
            store.revoke_api_key(hash_key(key))
    keyring = open_keyring(store, keyring)
    for variable, source in WEBHOOK_SECRETS.items():
        _ensure_secret(keyring, environ, variable, source, result)
    return result


def _register(store: Store, variable: str, value: str, scopes: frozenset[str], result: Credentials) -> None:
    if key_environment(value) is None:
        raise CredentialError(f"{variable} must look like haiec_test_... or haiec_live_... (32+ characters)")
    register_key(store, value, scopes, f"sandbox:{variable}")
    result.from_environment.append(variable)


def _ensure_key(
    store: Store,
    environ: Mapping[str, str],
    variable: str,
    environment: str,
    scopes: frozenset[str],
    result: Credentials,
) -> str | None:
    """The key registered now (from the environment or freshly made), or None when an earlier start made it."""
    label = f"sandbox:{variable}"
    value = environ.get(variable)
    if value:
        _register(store, variable, value, scopes, result)
        return value
    if store.has_api_key_labelled(label):
        result.existing.append(variable)
        return None
    key = generate_key(environment)  # type: ignore[arg-type]
    register_key(store, key, scopes, label)
    result.created[variable] = key
    return key


def _ensure_secret(
    keyring: Keyring, environ: Mapping[str, str], variable: str, source: str, result: Credentials
) -> None:
    value = environ.get(variable)
    if value:
        if source == "workday":
            try:
                decode_secret(value)
            except ValueError as exc:
                raise CredentialError(f"{variable}: {exc}") from None
        keyring.set_webhook_secret(source, value)
        result.from_environment.append(variable)
    elif keyring.webhook_secret(source) is not None:
        result.existing.append(variable)
    else:
        secret = generate_webhook_secret(source)
        keyring.set_webhook_secret(source, secret)
        result.created[variable] = secret


def generate_webhook_secret(source: str) -> str:
    if source == "workday":  # Standard Webhooks: whsec_ + base64 of 24 to 64 random bytes
        return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    return secrets.token_hex(32)


def credentials_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".credentials.env")


def save_created(path: Path, preamble: Sequence[str], created: Mapping[str, str]) -> None:
    """Append newly created credentials as shell exports, readable by the owner only; a new file begins
    with `preamble` (the lines that say where the sandbox is and how to restart it)."""
    lines = [f"{line}\n" for line in preamble] if not path.exists() else []
    lines += [f"export {name}={value}\n" for name, value in created.items()]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.writelines(lines)
