"""A sandbox started by hand, restarted by one command: what the harness's `--restart-command` runs.

A running server records beside its database (`<database>.pid`, mode 0600) what it takes to start it
again: its pid, the address and port it actually bound (so a `--port 0` server comes back on the same
port), its interpreter, command line and folder, and its `NYC_SANDBOX_*` settings from the environment.
Credentials are not recorded: the database and keyring hold them, so the restarted server uses exactly
the ones the first one left, whatever the restarting shell exports.

`python -m nyc_hiring.reference_server restart --db FILE` stops that process (SIGTERM, then waits for it to exit),
starts it again detached (its output appended to `<database>.log`), and returns once `/health` answers.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

SETTINGS_PREFIX = "NYC_SANDBOX_"
CREDENTIAL_PREFIXES = ("NYC_HIRING_", "WEBHOOK_SECRET_")
SERVER_COMMANDS = (b"nyc_hiring.reference_server", b"nyc-hiring-sandbox")  # `python -m ...` and the installed script
GRACE_SECONDS = 10.0  # uvicorn finishes requests in flight within 5 s of SIGTERM (__main__.serve)


class RestartError(Exception):
    """The sandbox could not be restarted; the message says why, and where its log is."""


@dataclass(frozen=True)
class ServerRecord:
    pid: int
    host: str
    port: int
    python: str
    argv: list[str]  # after `python -m nyc_hiring.reference_server`
    cwd: str
    environment: dict[str, str] = field(default_factory=dict)  # NYC_SANDBOX_* settings

    @classmethod
    def of_this_process(cls, host: str, port: int, argv: list[str]) -> ServerRecord:
        settings = {name: value for name, value in os.environ.items() if name.startswith(SETTINGS_PREFIX)}
        return cls(os.getpid(), host, port, sys.executable, argv, os.getcwd(), settings)

    def command(self) -> list[str]:
        """The same server on the same port: a later `--port` wins over any earlier one."""
        return [self.python, "-m", "nyc_hiring.reference_server", *self.argv, "--port", str(self.port)]

    def health_host(self) -> str:
        return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)  # noqa: S104


def record_file(db: Path) -> Path:
    return db.with_name(db.name + ".pid")


def log_file(db: Path) -> Path:
    return db.with_name(db.name + ".log")


def restart_command(db: Path) -> str:
    """The command line that restarts the server on `db`, from any folder."""
    return shlex.join([sys.executable, "-m", "nyc_hiring.reference_server", "restart", "--db", str(db.resolve())])


def write_record(db: Path, record: ServerRecord) -> None:
    descriptor, temporary = tempfile.mkstemp(prefix=f".{db.name}.pid.", dir=db.parent)  # created 0600
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(asdict(record), handle, indent=2)
    os.replace(temporary, record_file(db))


def remove_record(db: Path, pid: int) -> None:
    """Remove the record if it is still `pid`'s (another server may have started on the file since)."""
    with contextlib.suppress(RestartError, OSError):
        if read_record(db).pid == pid:
            record_file(db).unlink()


def read_record(db: Path) -> ServerRecord:
    path = record_file(db)
    try:
        return ServerRecord(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise RestartError(f"no server has run on {db}: {path} does not exist") from None
    except (OSError, ValueError, TypeError) as exc:
        raise RestartError(f"cannot read {path}: {exc}") from None


def restart(db: Path, timeout: float = 30.0) -> ServerRecord:
    """Stop the server recorded for `db`, start it again, and return its new record once it serves."""
    if os.name != "posix":
        raise RestartError("restarting by command needs a POSIX system (signals, sessions)")
    record = read_record(db)
    stop(db, record.pid)
    process = start(db, record)
    return wait_until_serving(db, record, process, timeout)


def stop(db: Path, pid: int) -> None:
    """SIGTERM, then wait until it is gone (or has removed its record, which it does last); SIGKILL if
    it is still there after the grace period. A server that is already gone is left as it is."""
    if not _running(pid):
        return
    os.kill(pid, signal.SIGTERM)
    if _wait(lambda: not _running(pid) or not _records(db, pid), GRACE_SECONDS):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait(lambda: not _running(pid), GRACE_SECONDS):
        raise RestartError(f"the server (pid {pid}) did not stop, even after SIGKILL")


def start(db: Path, record: ServerRecord) -> subprocess.Popen[bytes]:
    """The recorded server, detached from this command: its own session, its output to the log file."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith((SETTINGS_PREFIX, *CREDENTIAL_PREFIXES))
    }
    log = os.open(log_file(db), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        return subprocess.Popen(  # noqa: S603 - the interpreter and arguments the server itself recorded
            record.command(),
            cwd=record.cwd,
            env={**environment, **record.environment, "PYTHONUNBUFFERED": "1"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        raise RestartError(f"cannot start {shlex.join(record.command())}: {exc}") from None
    finally:
        os.close(log)


def wait_until_serving(db: Path, old: ServerRecord, process: subprocess.Popen[bytes], timeout: float) -> ServerRecord:
    """The new server's record, once it has written it and `/health` answers on the old port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RestartError(f"the server exited with status {process.returncode}: {_tail(log_file(db))}")
        with contextlib.suppress(RestartError):
            record = read_record(db)
            if record.pid == process.pid and _healthy(old.health_host(), old.port):
                return record
        time.sleep(0.05)
    raise RestartError(f"the server did not answer on port {old.port} within {timeout:.0f} s: {_tail(log_file(db))}")


def _running(pid: int) -> bool:
    """Whether `pid` is a live server: not a zombie (exited, not yet reaped by its parent), nor, where
    /proc tells, another program that was given the pid of a server that died without a word."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    process = Path(f"/proc/{pid}")
    with contextlib.suppress(OSError):
        state = (process / "stat").read_text().rpartition(")")[2].split()[0]
        command = (process / "cmdline").read_bytes()
        return state not in ("Z", "X") and any(name in command for name in SERVER_COMMANDS)
    return True


def _records(db: Path, pid: int) -> bool:
    try:
        return read_record(db).pid == pid
    except RestartError:
        return False


def _wait(done: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return True
        time.sleep(0.05)
    return False


def _healthy(host: str, port: int) -> bool:
    connection = http.client.HTTPConnection(host, port, timeout=1.0)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"
