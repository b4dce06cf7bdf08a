"""What a check gets: a client that keeps evidence, the run's credentials, and readable assertions.

Checks read as the contract does: "post this, expect that". Every helper fails with a message naming
what was expected and what came back, which is the one line the report shows for the requirement.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import httpx

from . import payloads, served_openapi
from .client import TargetClient
from .config import CREDENTIAL_VARIABLES
from .served_openapi import NotAnOpenApiDocument, ServedDocument
from .session import RestartUnavailable, Run
from .steps import NotShown, Steps
from .wire import WEBHOOK_SECRETS, sign


class Conformance:
    def __init__(self, run: Run, check_id: str = "") -> None:
        self.run = run
        self.check_id = check_id  # the pytest node ID, which a saved failing case names
        self.client = TargetClient(run.base_url, run.config.timeout)
        self.generated_cases = 0
        self.steps = Steps()
        self.step = self.steps.check  # `with conformance.step("SIG-004", "missing"): ...`
        self.needs = self.steps.needs  # `with conformance.needs("recording a valid event"): ...`

    # -- credentials -----------------------------------------------------------------------------

    def credential(self, name: str) -> str:
        """The credential, or skip this check naming the variable to set."""
        value = self.run.config.credential(name)
        if not value:
            raise NotShown(f"set {name} ({CREDENTIAL_VARIABLES[name]}) to run this check")
        return value

    @property
    def key(self) -> str:
        return self.credential("NYC_HIRING_API_KEY")

    def secret(self, source: str) -> str:
        return self.credential(WEBHOOK_SECRETS[source])

    # -- requests --------------------------------------------------------------------------------

    def post_decision(
        self, body: Any, *, key: str | None = None, headers: dict[str, str] | None = None, content: bytes | None = None
    ) -> httpx.Response:
        """POST /decision-event as the guide does (Bearer key, JSON); `key=""` sends no Authorization."""
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        use_key = self.key if key is None else (key or None)
        data = content if content is not None else json.dumps(body).encode()
        return self.client.post("/decision-event", key=use_key, headers=all_headers, content=data)

    def read_event(self, event_id: str, key: str | None = None) -> httpx.Response:
        return self.client.get(f"/decision-events/{event_id}", key=key or self.key)

    def read_explanation(self, explanation_id: str, key: str | None = None) -> httpx.Response:
        return self.client.get(f"/explanations/{explanation_id}", key=key or self.key)

    def webhook(self, source: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return self.client.post(f"/webhook/{source}", headers=headers, content=body)

    def signed_webhook(self, source: str, body: bytes) -> httpx.Response:
        """Deliver a body with a fresh, correct signature (Lever bodies are re-serialised with theirs)."""
        delivery = sign(source, body, self.secret(source))
        return self.webhook(source, delivery.body, delivery.headers)

    def create_event(self, **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """Record a fresh decision event; return (request body, 201 body) or fail the check."""
        body = payloads.decision_event(**overrides)
        response = self.post_decision(body)
        expect_status(response, 201, "recording a valid decision event")
        return body, response.json()

    def served_document(self, *, required: bool = False) -> ServedDocument | None:
        """The deployment's own OpenAPI document, or None when it serves none or none usable.

        `required` turns an unusable document into this step's failure, and no document into NotShown.
        """
        found = served_openapi.served_document(self.client)
        if isinstance(found, NotAnOpenApiDocument):
            if required:
                raise AssertionError(f"the served OpenAPI document cannot be read: {found}")
            return None
        if found is None and required:
            raise NotShown("the deployment serves no OpenAPI document at /openapi.json (it may choose not to)")
        return found

    def restart(self) -> None:
        try:
            self.run.restart()
        except RestartUnavailable as exc:
            raise NotShown(str(exc)) from None
        exchanges = self.client.exchanges
        self.client.close()
        self.client = TargetClient(self.run.base_url, self.run.config.timeout, exchanges)

    def close(self) -> None:
        self.client.close()


# -- assertions ------------------------------------------------------------------------------------


def expect_status(response: httpx.Response, expected: int | Collection[int], doing: str) -> None:
    wanted = {expected} if isinstance(expected, int) else set(expected)
    if response.status_code not in wanted:
        shown = " or ".join(str(code) for code in sorted(wanted))
        raise AssertionError(f"{doing}: expected HTTP {shown}, got {response.status_code} {_snippet(response)}")


def json_object(response: httpx.Response, doing: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{doing}: the body is not JSON: {response.text[:200]!r}") from None
    if not isinstance(body, dict):
        raise AssertionError(f"{doing}: expected a JSON object, got {type(body).__name__}")
    return body


def _snippet(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return f"({text[:160]})" if text else ""
