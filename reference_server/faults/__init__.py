"""Deliberate faults: broken variants of the reference server, to prove each conformance check can fail.

Imported only when `NYC_SANDBOX_FAULTS` (settings.faults) asks for faults; the reference modules know
nothing of them. Each fault breaks one clause of one requirement (harness/catalog.toml), the way real
deployments get it wrong, and leaves the rest of the server correct. It is applied by substitution at
the seams `app.create_app` offers (registry.Variant): a store subclass, a wrapped webhook source or
authenticator, an explainer that rewrites the reference's text, middleware, a changed profile or
setting. `FAULTS` maps each name to the (requirement, clause) it breaks and a one-line description.

`NYC_SANDBOX_FAULTS=name[,name]` breaks the whole server; `NYC_SANDBOX_FAULTS=*` (or `all`) serves the
correct app at the root and every fault's app under `/faults/<name>` (multi.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from starlette.applications import Starlette
from starlette.types import ASGIApp

from ..config import Settings
from ..keyring import Keyring
from ..profile import EmployerProfile
from ..store import Store
from . import auth, duplicates, explanations, memos, messages, signatures, validation  # noqa: F401 - registers
from .registry import FAULTS, Fault, Variant

__all__ = ["ALL", "FAULTS", "Fault", "UnknownFault", "Variant", "build", "parse", "serve"]

ALL = frozenset({"*", "all"})


class UnknownFault(ValueError):
    pass


def parse(value: str | Iterable[str]) -> frozenset[str]:
    """The fault names a setting asks for: comma-separated names, or `*`/`all` for every fault."""
    names = [n.strip() for n in (value.split(",") if isinstance(value, str) else value) if n.strip()]
    if len(names) == 1 and names[0] in ALL:
        return frozenset(FAULTS)
    unknown = sorted(set(names) - set(FAULTS))
    if unknown:
        raise UnknownFault(f"unknown fault(s) {', '.join(unknown)}; known: *, {', '.join(sorted(FAULTS))}")
    return frozenset(names)


def variant(settings: Settings, profile: EmployerProfile, names: Iterable[str]) -> Variant:
    """The reference's parts with the named faults applied, in a stable order."""
    parts = Variant(settings=settings, profile=profile)
    for name in sorted(names):
        FAULTS[name].apply(parts)
    return parts


def build(
    settings: Settings, profile: EmployerProfile, names: Iterable[str], db: Path | str, keyring: Keyring | None = None
) -> Starlette:
    """An app broken by the named faults, on the database at `db` (which must hold the API keys) and
    `keyring` (by default the one beside it, which must hold the webhook secrets)."""
    parts = variant(settings, profile, names)
    parts.keyring = keyring
    return parts.build(db)


def serve(settings: Settings, *, store: Store, profile: EmployerProfile) -> ASGIApp:
    """The app `NYC_SANDBOX_FAULTS` asks for. `store` is the reference store holding the credentials;
    the app returned owns it from now on."""
    if settings.faults.strip() in ALL:
        from .multi import FaultServer

        return FaultServer(settings, store=store, profile=profile)
    path = store.path
    store.close()  # the faults may need a store of their own class on the same file
    return build(settings, profile, parse(settings.faults), path)
