"""Command line: `python -m nyc_hiring.reference_server [serve] --port 8000 --db sandbox.sqlite3`, `keys ...`, and
`restart --db sandbox.sqlite3`.

Every failure to start (unwritable database, port in use, bad config) ends with a one-line reason
and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .auth import ALL_SCOPES, READ_SCOPE, WRITE_SCOPE, generate_key, register_key
from .config import BASE_PATH, ConfigError, Settings, load_settings
from .credentials import CredentialError, Credentials, credentials_file, ensure_credentials, save_created
from .keyring import Keyring, KeyringError, keyring_file, open_keyring
from .profile import EmployerProfile, ProfileError, load_profile
from .restart import RestartError, ServerRecord, log_file, remove_record, restart, restart_command, write_record
from .store import Store, StoreError

if TYPE_CHECKING:
    from starlette.types import ASGIApp

EXIT_CANNOT_START = 2
EXIT_NOT_RESTARTED = 1


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("serve", "keys", "restart", "-h", "--help", "--version"):
        args.insert(0, "serve")
    options = _parser().parse_args(args)
    options.argv = args
    try:
        return int(options.run(options))
    except (ConfigError, StoreError, CredentialError, ProfileError, KeyringError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_START


def serve(options: argparse.Namespace) -> int:
    settings = load_settings(
        options.config,
        host=options.host,
        port=options.port,
        db=options.db,
        profile=options.profile,
        log_level=options.log_level,
    )
    if settings.faults:
        _check_faults(settings.faults)
    store = Store(settings.db)
    keyring = open_keyring(store)
    credentials = ensure_credentials(store, keyring=keyring)
    profile = load_profile(settings.profile)
    _prune(store, settings)
    try:
        sock = _bind(settings.host, settings.port)
    except OSError as exc:
        print(f"error: cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CANNOT_START
    port = sock.getsockname()[1]
    write_record(settings.db, ServerRecord.of_this_process(settings.host, port, options.argv))
    # uvicorn shuts down gracefully on SIGTERM, then raises it again with the handler it found: this one
    # ends the process through the `finally` below, where the default would end it on the spot.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        _print_banner(settings, f"http://{host}:{port}", credentials)
        _run(settings, _app(settings, store, keyring, profile), sock)
    finally:
        sock.close()  # before the record goes: a restart waiting for it then finds the port free
        remove_record(settings.db, os.getpid())
    return 0


def _run(settings: Settings, app: ASGIApp, sock: socket.socket) -> None:
    """uvicorn on `sock`, refusing request heads past the limits (heads.py), its logs redacted (logs.py)."""
    import uvicorn

    from .heads import HeadLimits, limited_protocol
    from .logs import log_config

    config = uvicorn.Config(
        app,
        http=limited_protocol(HeadLimits(settings.max_head_bytes, settings.max_header_fields)),
        log_config=log_config(settings.log_level),
        log_level=settings.log_level,
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run(sockets=[sock])


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def restart_sandbox(options: argparse.Namespace) -> int:
    try:
        record = restart(options.db, options.timeout)
    except RestartError as exc:
        print(f"error: cannot restart the sandbox on {options.db}: {exc}", file=sys.stderr)
        return EXIT_NOT_RESTARTED
    print(f"restarted: pid {record.pid}, port {record.port}; its output goes to {log_file(options.db)}")
    return 0


def _check_faults(names: str) -> None:
    from . import faults  # only when faults are asked for: the reference itself knows nothing of them

    try:
        faults.parse(names)
    except faults.UnknownFault as exc:
        raise ConfigError(str(exc)) from None


def _app(settings: Settings, store: Store, keyring: Keyring, profile: EmployerProfile) -> ASGIApp:
    from .app import create_app

    if not settings.faults:
        return create_app(settings, store=store, keyring=keyring, profile=profile)
    from . import faults

    return faults.serve(settings, store=store, profile=profile)


def keys(options: argparse.Namespace) -> int:
    store = Store(options.db)
    if options.action == "create":
        scopes = frozenset(
            {READ_SCOPE, WRITE_SCOPE}
            if options.scopes == "read,write"
            else {f"nyc:hiring.{scope.strip()}" for scope in options.scopes.split(",")}
        )
        if not scopes <= ALL_SCOPES:
            print("error: --scopes takes read, write or read,write", file=sys.stderr)
            return EXIT_CANNOT_START
        key = generate_key(options.environment)
        register_key(store, key, scopes, options.label)
        print(key)
    elif options.action == "revoke":
        if not store.revoke_api_key(_key_reference(options.key)):
            print("error: no active key matches", file=sys.stderr)
            return 1
        print("revoked")
    else:
        for row in store.api_keys():
            state = "revoked" if row["revoked_at"] else "active"
            prefix, environment = f"{row['prefix']}...", f"{row['environment']:4}"
            columns = (row["id"], prefix, environment, f"{state:7}", row["scopes"], row["label"])
            print("  ".join(columns))
    return 0


def _key_reference(value: str) -> str:
    """Revoke by key ID, or by the key itself (looked up by its hash, as keys are stored)."""
    from .auth import hash_key, key_environment

    return hash_key(value) if key_environment(value) else value


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _prune(store: Store, settings: Settings) -> None:
    now = time.time()
    store.prune(
        idempotency_before=now - settings.idempotency_ttl_hours * 3600,
        deliveries_before=now - settings.lever_dedup_days * 86400,
    )


def _print_banner(settings: Settings, root_url: str, credentials: Credentials) -> None:
    saved_to = credentials_file(settings.db)
    base_url = root_url + BASE_PATH
    restart_line = f"export NYC_HIRING_RESTART_COMMAND={shlex.quote(restart_command(settings.db))}"
    lines = [
        f"NYC hiring-compliance sandbox {__version__}",
        f"# database: {settings.db.resolve()} (its secrets: {keyring_file(settings.db.resolve())})",
        f"export NYC_HIRING_TARGET={base_url}",
        restart_line,
    ]
    if credentials.created:
        save_created(saved_to, [f"export NYC_HIRING_TARGET={base_url}", restart_line], credentials.created)
        lines.append(f"# new sandbox credentials (shown once; also saved to {saved_to}):")
        lines += [f"export {name}={value}" for name, value in credentials.created.items()]
    if credentials.from_environment:
        lines.append(f"# from the environment: {', '.join(credentials.from_environment)}")
    if credentials.existing:
        lines.append(f"# created on an earlier start (see {saved_to}): {', '.join(credentials.existing)}")
    if settings.faults.strip() in ("*", "all"):
        lines.append(
            f"# every deliberate fault (NYC_SANDBOX_FAULTS): {root_url}/faults/<name>{BASE_PATH}, "
            f"restarted by POST {root_url}/faults/<name>/restart; GET {root_url}/faults lists them"
        )
    elif settings.faults:
        lines.append(f"# WARNING: deliberately broken (NYC_SANDBOX_FAULTS): {settings.faults}")
    lines.append(f"Listening on {base_url}")
    print("\n".join(lines), flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m nyc_hiring.reference_server", description="The NYC hiring-compliance API sandbox."
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("serve", help="start the sandbox (the default command)")
    run.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=int, help="port (default 8000; 0 picks a free one)")
    run.add_argument("--db", type=Path, help="SQLite file, created on first start (default sandbox.sqlite3)")
    run.add_argument("--config", type=Path, help="TOML settings file (keys as in NYC_SANDBOX_* variables)")
    run.add_argument("--profile", type=Path, help="employer profile TOML (default: the sandbox profile)")
    run.add_argument("--log-level", choices=["critical", "error", "warning", "info", "debug"])
    run.set_defaults(run=serve)

    manage = commands.add_parser("keys", help="create, list or revoke API keys")
    manage.add_argument("action", choices=["create", "list", "revoke"])
    manage.add_argument("key", nargs="?", help="revoke: the key, or its ID from 'keys list'")
    manage.add_argument("--db", type=Path, default=Path("sandbox.sqlite3"))
    manage.add_argument("--environment", choices=["test", "live"], default="test")
    manage.add_argument("--scopes", default="read,write", help="read, write or read,write")
    manage.add_argument("--label", default="created with 'keys create'")
    manage.set_defaults(run=keys)

    again = commands.add_parser("restart", help="restart the sandbox serving a database, on the same port")
    again.add_argument("--db", type=Path, default=Path("sandbox.sqlite3"), help="the database it serves")
    again.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for it to answer again")
    again.set_defaults(run=restart_sandbox)
    return parser


if __name__ == "__main__":
    sys.exit(main())
