"""Command line: ``python -m tests.independent --port PORT --db FILE [--pid-file FILE]``.

Credentials come from the environment (see ``config.py``). Once the socket accepts
connections it prints ``LISTENING http://127.0.0.1:PORT`` with the real port, and
writes its process ID to the pid file, so a launcher can restart it for real.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import time
from pathlib import Path

from tests.independent import employer_profile as profiles
from tests.independent.api import Application
from tests.independent.config import ConfigError, Credentials, from_environment
from tests.independent.idempotency import RETENTION_SECONDS
from tests.independent.keys import KeyRing
from tests.independent.recording import Recorder
from tests.independent.server import HiringServer
from tests.independent.store import Store

BIND_PATIENCE_SECONDS = 5.0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.independent", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--db", type=Path, required=True, help="SQLite database file (created if missing)")
    parser.add_argument("--pid-file", type=Path, help="where to write this process's ID once listening")
    parser.add_argument("--profile", type=Path, default=profiles.DEFAULT_PROFILE, help="employer profile (JSON)")
    parser.add_argument("--verbose", action="store_true", help="log requests and faults to stderr")
    return parser.parse_args(argv)


def build(store: Store, credentials: Credentials, profile: profiles.Profile) -> Application:
    """Register the configured keys (hashed) and assemble the application."""
    keyring = KeyRing(store.secret_setting("api-key-salt"))
    for configured in credentials.keys:
        store.save_key(keyring.describe(configured.value, configured.scopes, configured.revoked))
    for stored in store.api_keys():
        keyring.add(stored)
    store.forget_results_before(time.time() - RETENTION_SECONDS)
    return Application(keyring, Recorder(store, profile), credentials, profile)


def _bind(host: str, port: int, app: Application, verbose: bool) -> HiringServer:
    """Bind, waiting briefly if a previous process on this port is still letting go of it."""
    deadline = time.monotonic() + BIND_PATIENCE_SECONDS
    while True:
        try:
            return HiringServer((host, port), app, verbose)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _write_pid(path: Path) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(f"{os.getpid()}\n")
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    options = _arguments(argv)
    try:
        credentials = from_environment(os.environ)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    store = Store(options.db)
    server = _bind(
        options.host, options.port, build(store, credentials, profiles.load(options.profile)), options.verbose
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if options.pid_file:
        _write_pid(options.pid_file)
    print(f"LISTENING http://{options.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
