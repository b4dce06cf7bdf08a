"""Before any check: the target answers, and it accepts every credential the user supplied (contract § 4).

A user's mistake must not read as the deployment's failure. A target that cannot be reached is named
with its cause within seconds; a credential the target refuses (the API key on a read, a webhook secret
on a correctly signed event that records nothing) ends the run with both possible causes, instead of
failing a dozen requirements. Either way the run could not start: exit 2, before any report is written.
"""

from __future__ import annotations

import json
import secrets
import ssl
import time
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import httpx

from .client import TargetClient
from .config import BASE_PATH, ConfigError
from .signing import greenhouse_headers, lever_sign_body, standard_webhooks_headers
from .wire import WEBHOOK_SECRETS

REACH_SECONDS = 5.0  # the longest wait for an answer: a typo is reported at once, a slow network still answers
REFUSED_RETRY_SECONDS = 2.0  # a deployment still starting refuses connections for a moment

READ_KEYS = ("NYC_HIRING_API_KEY", "NYC_HIRING_API_KEY_READONLY", "NYC_HIRING_API_KEY_LIVE")
# source → (its name, the contract's scheme a refusal may mean the deployment does not follow)
SCHEMES = {
    "greenhouse": ("Greenhouse", "SIG-001: 'Signature: sha256 <lowercase hex HMAC-SHA256(secret, raw body)>'"),
    "lever": ("Lever", "SIG-002: 'signature' = hex HMAC-SHA256(token secret, token + triggeredAt)"),
    "workday": ("Workday", "SIG-003: Standard Webhooks v1 with the base64-decoded whsec_ key"),
}


class CredentialRefused(ConfigError):
    """A supplied credential the target refuses: the message names it and both possible causes."""


def confirm_reachable(base_url: str, timeout: float) -> None:
    """GET {base}/health answers 200 within a few seconds; otherwise say why, as precisely as the error allows."""
    deadline = time.monotonic() + REFUSED_RETRY_SECONDS
    cause = "no answer"
    while True:
        try:
            status = _health(base_url, min(timeout, REACH_SECONDS))
        except httpx.HTTPError as exc:
            cause = _cause(exc)
        else:
            if status == 200:
                return
            cause = _wrong_answer(base_url, status)
            break
        if time.monotonic() >= deadline or "refused" not in cause:
            break
        time.sleep(0.1)  # a server still starting refuses connections for a moment
    raise ConfigError(f"cannot reach the target {base_url}: {cause}")


def _health(base_url: str, seconds: float) -> int:
    """GET /health's status, bounded as every request of the run is (a whole answer within `seconds`)."""
    client = TargetClient(base_url, seconds)
    try:
        return client.get("/health").status_code
    finally:
        client.close()


def _cause(exc: httpx.HTTPError) -> str:
    text = str(exc)
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time (a timeout): is the host right, and is the deployment up?"
    if isinstance(exc, httpx.ConnectError):
        if any(
            word in text
            for word in (
                "Name or service not known",
                "nodename nor servname",
                "getaddrinfo",
                "Temporary failure in name resolution",
                "No address associated",
            )
        ):
            return f"the host name does not resolve (DNS): {text}"
        if isinstance(exc.__cause__, ssl.SSLError) or "SSL" in text or "CERTIFICATE" in text.upper():
            return f"the TLS handshake failed: {text}"
        if "refused" in text.lower():
            return "the connection was refused: nothing listens on that host and port"
    return f"{type(exc).__name__}: {text or 'the connection failed'}"


def _wrong_answer(base_url: str, status: int) -> str:
    path = urlsplit(base_url).path
    hint = (
        ""
        if path == BASE_PATH
        else (f" (the API is looked for under {path}: give the host alone, or a URL ending in {BASE_PATH})")
    )
    return f"GET {path}/health answered {status}, not 200: the path looks wrong{hint}"


def confirm_credentials(client: TargetClient, credentials: Mapping[str, str]) -> None:
    """Each supplied key on a read, each supplied webhook secret on a signed event that records nothing."""
    try:
        for variable in READ_KEYS:
            if credentials.get(variable):
                _confirm_key(client, variable, credentials[variable])
        for source, variable in WEBHOOK_SECRETS.items():
            if credentials.get(variable):
                _confirm_secret(client, source, credentials[variable])
    except httpx.HTTPError as exc:
        raise ConfigError(f"cannot confirm the credentials with the target: {_cause(exc)}") from None


def _confirm_key(client: TargetClient, variable: str, key: str) -> None:
    response = client.get(f"/decision-events/preflight-{secrets.token_hex(8)}", key=key)
    if response.status_code == 401:
        raise CredentialRefused(
            f"the target refuses {variable} (GET /decision-events/{{id}} answered 401): either the key is not one "
            "the deployment issued (a typo, another environment's key, a revoked key), or the deployment does "
            "not accept Bearer keys as the contract says (AUTH-001, AUTH-002)"
        )


def _confirm_secret(client: TargetClient, source: str, secret: str) -> None:
    variable, (name, scheme) = WEBHOOK_SECRETS[source], SCHEMES[source]
    path, headers, body = IGNORABLE[source](secret)
    response = client.post(path, headers=headers, content=body)
    if response.status_code == 401:
        raise CredentialRefused(
            f"the target refuses {variable}: a correctly signed {name} event it should ignore answered 401. "
            f"Either {variable} is not the secret the deployment holds for {name}, or the deployment does not "
            f"verify {name} signatures as the contract says ({scheme})"
        )


def _greenhouse_ping(secret: str) -> tuple[str, dict[str, str], bytes]:
    body = json.dumps({"action": "ping", "payload": {"web_hook_id": secrets.randbelow(10**9)}}).encode()
    return "/webhook/greenhouse", greenhouse_headers(secret, body), body


def _lever_contact(secret: str) -> tuple[str, dict[str, str], bytes]:
    signed = lever_sign_body(secret, {"event": "contactCreated", "data": {"contactId": secrets.token_hex(8)}})
    return "/webhook/lever", {"Content-Type": "application/json"}, json.dumps(signed).encode()


def _workday_created(secret: str) -> tuple[str, dict[str, str], bytes]:
    body = json.dumps(
        {
            "eventType": "JobApplication.Created",
            "eventId": f"evt_{secrets.token_hex(8)}",
            "occurredAt": "2026-01-01T00:00:00Z",
            "tenant": "preflight",
            "jobApplication": {"id": f"JA-{secrets.token_hex(4)}"},
        }
    ).encode()
    return "/webhook/workday", standard_webhooks_headers(secret, body), body


IGNORABLE: dict[str, Callable[[str], tuple[str, dict[str, str], bytes]]] = {
    "greenhouse": _greenhouse_ping,
    "lever": _lever_contact,
    "workday": _workday_created,
}
