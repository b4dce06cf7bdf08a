"""Every fault in one process: the correct app at the root, each fault's app under `/faults/<name>`.

Starting a server per fault is slow, so `NYC_SANDBOX_FAULTS=*` serves them all side by side:
`/faults/<name>/api/v1/nyc-hiring/...`, `/faults/<name>/health` and `/faults/<name>/openapi.json` reach
an app built with that one fault, on its own SQLite file beside the main database (created on first
use, with the main database's API keys) and with the main database's keyring (webhook secrets and
candidate-hash key). `POST /faults/<name>/restart` restarts that app the way a process restart would:
every object it holds is dropped and it is built again from its file.
`GET /faults` lists the faults.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from ..app import create_app
from ..config import Settings
from ..problems import problem_response
from ..profile import EmployerProfile
from ..store import Store
from ..wire import json_response
from . import build
from .registry import FAULTS

PREFIX = "/faults"
CREDENTIAL_TABLES = ("api_keys",)


class FaultServer:
    """The ASGI app of the multi-fault mode."""

    def __init__(self, settings: Settings, *, store: Store, profile: EmployerProfile) -> None:
        self.settings = settings
        self.profile = profile
        self.main_database = store.path
        self.root = create_app(settings, store=store, profile=profile)
        self.apps: dict[str, Starlette] = {}

    def database(self, name: str) -> Path:
        """The fault's own database, beside the main one: `sandbox.sqlite3` → `sandbox.<name>.sqlite3`."""
        main = self.main_database
        return main.with_name(f"{main.stem}.{name}{main.suffix}")

    def app(self, name: str) -> Starlette:
        """The fault's app, built on first use."""
        if name not in self.apps:
            path = self.database(name)
            copy_credentials(self.main_database, path)
            self.apps[name] = build(self.settings, self.profile, [name], path, keyring=self.root.state.keyring)
        return self.apps[name]

    def restart(self, name: str) -> None:
        """Drop the fault's app and everything it holds in memory, and build it again from its database."""
        app = self.apps.pop(name, None)
        if app is not None:
            app.state.store.close()
        self.app(name)

    def close(self) -> None:
        for app in self.apps.values():
            app.state.store.close()
        self.apps.clear()
        self.root.state.store.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        root = scope.get("root_path", "")
        path = scope["path"][len(root) :] if scope["path"].startswith(root) else scope["path"]
        if scope["type"] != "http" or not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.root(scope, receive, send)
            return
        name, _, rest = path[len(PREFIX) + 1 :].partition("/")
        if not name and scope["method"] == "GET":
            response = json_response(
                {
                    name: {"requirement": fault.requirement, "clause": fault.clause, "description": fault.description}
                    for name, fault in FAULTS.items()
                }
            )
        elif name not in FAULTS:
            response = problem_response(404, "not_found", f"No fault {name!r}; GET {PREFIX} lists them.")
        elif rest == "restart" and scope["method"] == "POST":
            self.restart(name)
            response = json_response({"status": "restarted", "fault": name})
        else:
            await self.app(name)({**scope, "root_path": f"{root}{PREFIX}/{name}"}, receive, send)
            return
        await response(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


def copy_credentials(source: Path, target: Path) -> None:
    """Give `target` the API keys (revoked ones too) of `source`, creating it if need be."""
    Store(target).close()  # the schema
    with closing(sqlite3.connect(target, isolation_level=None)) as db:
        db.execute("ATTACH DATABASE ? AS source", (str(source),))
        db.execute("BEGIN IMMEDIATE")
        for table in CREDENTIAL_TABLES:
            db.execute(f"DELETE FROM main.{table}")  # noqa: S608 - table names are constants
            db.execute(f"INSERT INTO main.{table} SELECT * FROM source.{table}")  # noqa: S608
        db.execute("COMMIT")
