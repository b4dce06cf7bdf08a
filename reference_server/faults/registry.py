"""What a fault is, and the parts of a deployment it may substitute.

A fault is a function that takes a `Variant` (the parts `app.create_app` is built from, the
reference's to begin with) and substitutes some of them: a store subclass, a wrapped webhook source,
an explainer that rewrites what the reference wrote, middleware between the client and the routes,
a changed profile or setting, a patched OpenAPI document. `Variant.build` then builds the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.middleware import Middleware

from nyc_hiring import schemas

from ..app import create_app
from ..auth import ApiKeys
from ..config import Settings
from ..explanations import generate_explanation
from ..idempotency import IdempotencyKeys
from ..keyring import Keyring
from ..profile import EmployerProfile
from ..recording import Clock, Explainer, utc_now
from ..store import Store
from ..webhooks import SOURCES, WebhookSource


@dataclass
class Variant:
    """The parts of one deployment, as a fault leaves them. Classes are subclassed, never replaced, so
    several faults can each vary the same part (`mix`)."""

    settings: Settings
    profile: EmployerProfile
    clock: Clock = utc_now
    store: type[Store] = Store
    authenticator: type[ApiKeys] = ApiKeys
    idempotency: type[IdempotencyKeys] = IdempotencyKeys
    sources: dict[str, WebhookSource] = field(default_factory=lambda: dict(SOURCES))
    explainer: Explainer = generate_explanation
    openapi: dict[str, Any] = field(default_factory=schemas.openapi_document)
    middleware: list[Middleware] = field(default_factory=list)
    keyring: Keyring | None = None  # by default the one beside the database

    def build(self, db: Path | str) -> Starlette:
        """The app, on a store of this variant's class opened on `db`."""
        store = self.store(db)
        return create_app(
            self.settings,
            store=store,
            keyring=self.keyring,
            profile=self.profile,
            clock=self.clock,
            sources=self.sources,
            authenticator=self.authenticator(store),
            idempotency=self.idempotency(store, self.clock),
            explainer=self.explainer,
            openapi=self.openapi,
            middleware=self.middleware,
        )


T = TypeVar("T")


def mix(base: type[T], variant: type[T], **attributes: Any) -> type[T]:
    """`variant`'s overrides on top of `base` (itself perhaps a variant already): a class of both."""
    return type(variant.__name__, (variant, base), attributes)


Apply = Callable[[Variant], None]


@dataclass(frozen=True)
class Fault:
    """A deliberate defect: the clause of the catalog it breaks, what it does, and how it is applied."""

    name: str
    requirement: str
    clause: str
    description: str
    apply: Apply

    @property
    def breaks(self) -> tuple[str, str]:
        return self.requirement, self.clause


FAULTS: dict[str, Fault] = {}


def fault(requirement: str, clause: str, description: str) -> Callable[[Apply], Apply]:
    """Register the decorated function, under its own name, as the fault breaking `requirement.clause`."""

    def register(apply: Apply) -> Apply:
        name = apply.__name__
        if name in FAULTS:
            raise ValueError(f"fault {name} is registered twice")
        FAULTS[name] = Fault(name, requirement, clause, description, apply)
        return apply

    return register
