"""The ASGI application: the parts of one deployment put together, and every failure mapped to a problem.

`create_app` takes each part a deployment may vary as an argument (the store, the keyring, the
employer profile, the clock, the webhook sources, the authenticator, the Idempotency-Key protocol, the
explanation generator, the OpenAPI document it serves, extra ASGI middleware); what is not given is
the reference.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from nyc_hiring import schemas

from . import __version__
from .api import DecisionApi
from .auth import ApiKeys, Authenticator
from .checkpoints import IdleCheckpoints
from .config import BASE_PATH, Settings
from .explanations import generate_explanation
from .idempotency import IdempotencyKeys
from .keyring import Keyring, open_keyring
from .problems import ProblemError, problem_response
from .profile import EmployerProfile, load_profile
from .recording import Clock, Explainer, Recorder, utc_now
from .store import Store
from .webhooks import SOURCES, WebhookSource
from .webhooks.endpoint import WebhookEndpoint
from .wire import JSON_MEDIA_TYPE, json_bytes, json_response

logger = logging.getLogger("reference_server")


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    keyring: Keyring | None = None,
    profile: EmployerProfile | None = None,
    clock: Clock = utc_now,
    sources: Mapping[str, WebhookSource] | None = None,
    authenticator: Authenticator | None = None,
    idempotency: IdempotencyKeys | None = None,
    explainer: Explainer = generate_explanation,
    openapi: Mapping[str, Any] | None = None,
    middleware: Sequence[Middleware] = (),
) -> Starlette:
    """Build the app. The store and the keyring must already hold the credentials (see credentials.py);
    the keyring is by default the one beside the store's database. The store is closed when the app
    shuts down. `middleware` wraps the routes, inside the app's own error handling."""
    store = store or Store(settings.db)
    keyring = open_keyring(store, keyring)
    profile = profile or load_profile(settings.profile)
    recorder = Recorder(store, profile, keyring.candidate_hash_key, clock, explainer)
    api = DecisionApi(
        settings=settings,
        store=store,
        recorder=recorder,
        authenticator=authenticator or ApiKeys(store),
        keys=idempotency or IdempotencyKeys(store, clock),
        clock=clock,
    )
    document = OpenApiDocument(schemas.openapi_document() if openapi is None else dict(openapi))
    routes = [
        Route("/health", health, methods=["GET"]),
        Route("/openapi.json", document.serve, methods=["GET"]),
        Route(f"{BASE_PATH}/health", health, methods=["GET"]),
        Route(f"{BASE_PATH}/openapi.json", document.serve, methods=["GET"]),
        Route(f"{BASE_PATH}/decision-event", api.post_decision_event, methods=["POST"]),
        Route(f"{BASE_PATH}/decision-events/{{event_id}}", api.get_decision_event, methods=["GET"]),
        Route(f"{BASE_PATH}/explanations/{{explanation_id}}", api.get_explanation, methods=["GET"]),
    ]
    for name, source in (SOURCES if sources is None else sources).items():
        endpoint = WebhookEndpoint(
            source, settings=settings, store=store, keyring=keyring, profile=profile, recorder=recorder, clock=clock
        )
        routes.append(Route(f"{BASE_PATH}/webhook/{name}", endpoint.handle, methods=["POST"]))
    app = Starlette(
        routes=routes,
        exception_handlers={
            ProblemError: _problem,
            HTTPException: _http_error,
            ClientDisconnect: _client_gone,
            Exception: _internal_error,
        },
        lifespan=_closing(store),
        middleware=[Middleware(IdleCheckpoints, store=store), *middleware],
    )
    app.state.store = store
    app.state.keyring = keyring
    app.state.recorder = recorder
    return app


async def health(request: Request) -> Response:
    return json_response({"status": "ok", "version": __version__})


class OpenApiDocument:
    """`GET /openapi.json`. Behind a path prefix (ASGI `root_path`) the document names it as its server,
    since its paths start at the base path."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._rendered: dict[str, bytes] = {"": json_bytes(document)}

    async def serve(self, request: Request) -> Response:
        prefix = request.scope.get("root_path", "")
        if prefix not in self._rendered:
            self._rendered[prefix] = json_bytes({**self.document, "servers": [{"url": prefix}]})
        return Response(self._rendered[prefix], media_type=JSON_MEDIA_TYPE)


def _closing(store: Store) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        store.close()

    return lifespan


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return exc.to_response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return problem_response(
            405, "method_not_allowed", f"{request.method} is not allowed here.", headers=dict(exc.headers or {})
        )
    return problem_response(404, "not_found", "No such resource.")


async def _client_gone(request: Request, exc: Exception) -> Response:
    """The client hung up before its request was read whole: nothing was recorded, nobody is left to
    answer, and it is the network's doing, not the server's, so it is no error and has no traceback."""
    logger.debug("client went away during %s %s", request.method, request.url.path)
    return Response(status_code=400)


async def _internal_error(request: Request, exc: Exception) -> Response:
    """Never expected. The client gets a correlation ID only: no trace, path, SQL or secret (EVT-003)."""
    incident = str(uuid.uuid4())
    logger.error("internal error %s on %s %s", incident, request.method, request.url.path, exc_info=exc)
    return problem_response(
        500,
        "internal_error",
        "The server failed; quote the instance ID when reporting it.",
        instance=f"urn:uuid:{incident}",
    )
