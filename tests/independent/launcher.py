"""Start, restart and stop the independent deployment as real processes.

A restart kills the serving process (found through its pid file) and starts a new one
on the same port and database, so durability is proven across a genuine process
boundary. The restart is also a command line, for tools that take one; it runs from
any directory, with or without a shell:

    python -m tests.independent.launcher start DIR [--port N]   # prints shell exports
    python -m tests.independent.launcher restart DIR/deployment.json
    python -m tests.independent.launcher stop DIR/deployment.json
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import secrets
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
BASE_PATH = "/api/v1/nyc-hiring"
STATE_FILE = "deployment.json"
CREDENTIAL_VARIABLES = (
    "NYC_HIRING_API_KEY",
    "NYC_HIRING_API_KEY_READONLY",
    "NYC_HIRING_API_KEY_WRITEONLY",
    "NYC_HIRING_API_KEY_REVOKED",
    "NYC_HIRING_API_KEY_LIVE",
    "WEBHOOK_SECRET_GREENHOUSE",
    "WEBHOOK_SECRET_LEVER",
    "WEBHOOK_SECRET_WORKDAY",
)


# Servers this process started, kept so they can be reaped once stopped.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


class LaunchError(RuntimeError):
    """The deployment did not come up (or go down) in time; the message says what was seen."""


def fresh_credentials() -> dict[str, str]:
    """New random keys and secrets, in the formats the deployment accepts."""

    def key(environment: str) -> str:
        return f"haiec_{environment}_{secrets.token_urlsafe(32)}"

    return {
        "NYC_HIRING_API_KEY": key("test"),
        "NYC_HIRING_API_KEY_READONLY": key("test"),
        "NYC_HIRING_API_KEY_WRITEONLY": key("test"),
        "NYC_HIRING_API_KEY_REVOKED": key("test"),
        "NYC_HIRING_API_KEY_LIVE": key("live"),
        "WEBHOOK_SECRET_GREENHOUSE": secrets.token_urlsafe(32),
        "WEBHOOK_SECRET_LEVER": secrets.token_urlsafe(24),
        "WEBHOOK_SECRET_WORKDAY": "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
    }


@dataclass(frozen=True)
class State:
    """Everything a later command needs to find and restart the deployment."""

    directory: Path
    port: int

    @property
    def state_file(self) -> Path:
        return self.directory / STATE_FILE

    @property
    def pid_file(self) -> Path:
        return self.directory / "server.pid"

    @property
    def database(self) -> Path:
        return self.directory / "decisions.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.directory / "server.log"

    @property
    def credentials_file(self) -> Path:
        return self.directory / "credentials.json"

    def save(self) -> None:
        self.state_file.write_text(json.dumps({"directory": str(self.directory), "port": self.port}))

    @classmethod
    def load(cls, state_file: Path) -> State:
        raw = json.loads(state_file.read_text())
        return cls(Path(raw["directory"]), int(raw["port"]))


@dataclass
class Deployment:
    base_url: str
    credentials: dict[str, str] = field(repr=False)
    restart_command: str
    state: State
    timeout: float = 10.0

    @property
    def root_url(self) -> str:
        return self.base_url.removesuffix(BASE_PATH)

    def restart(self) -> None:
        """The same as running ``restart_command``, without a shell."""
        restart(self.state, self.timeout)

    def stop(self) -> None:
        """Stop whichever process serves now (a restart may have replaced the first one)."""
        stop(self.state, self.timeout)


def start(
    directory: Path, port: int = 0, credentials: dict[str, str] | None = None, timeout: float = 10.0
) -> Deployment:
    """Start a deployment with its database and files in *directory*; return once it answers."""
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    chosen = credentials or fresh_credentials()
    provisional = State(directory, port)
    provisional.credentials_file.write_text(json.dumps(chosen))
    provisional.credentials_file.chmod(0o600)
    actual_port = _spawn(provisional, timeout)
    state = State(directory, actual_port)
    state.save()
    command = shlex.join(
        [
            "env",
            f"PYTHONPATH={REPOSITORY}",
            sys.executable,
            "-m",
            "tests.independent.launcher",
            "restart",
            str(state.state_file),
        ]
    )
    return Deployment(f"http://127.0.0.1:{actual_port}{BASE_PATH}", chosen, command, state, timeout)


def restart(state: State, timeout: float = 10.0) -> None:
    stop(state, timeout)
    _spawn(state, timeout)


def stop(state: State, timeout: float = 10.0) -> None:
    try:
        pid = int(state.pid_file.read_text().strip())
    except (OSError, ValueError):
        return
    _terminate(pid, timeout)
    state.pid_file.unlink(missing_ok=True)


def _child_environment(state: State) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in CREDENTIAL_VARIABLES}
    environment.update(json.loads(state.credentials_file.read_text()))
    environment["PYTHONPATH"] = str(REPOSITORY)
    return environment


def _spawn(state: State, timeout: float) -> int:
    """Start the server process detached; return the port it listens on."""
    state.pid_file.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "tests.independent",
        "--port",
        str(state.port),
        "--db",
        str(state.database),
        "--pid-file",
        str(state.pid_file),
    ]
    with state.log_file.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=REPOSITORY,
            env=_child_environment(state),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    _CHILDREN[process.pid] = process
    port = _await_listening(state, process, timeout)
    _await_health(port, timeout)
    return port


def _await_listening(state: State, process: subprocess.Popen[bytes], timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in state.log_file.read_text(errors="replace").splitlines():
            if line.startswith("LISTENING ") and state.pid_file.exists():
                return int(line.rsplit(":", 1)[1])
        if process.poll() is not None:
            raise LaunchError(f"the deployment exited with status {process.returncode}: {_tail(state)}")
        time.sleep(0.005)
    _terminate(process.pid, timeout)
    raise LaunchError(f"the deployment did not listen within {timeout} s: {_tail(state)}")


def _await_health(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise LaunchError(f"port {port} did not answer /health within {timeout} s")
        time.sleep(0.01)


def _tail(state: State) -> str:
    try:
        return state.log_file.read_text(errors="replace")[-2000:].strip() or "(no output)"
    except OSError:
        return "(no log)"


def _alive(pid: int) -> bool:
    """Whether *pid* still runs; an exited process not yet reaped (a zombie) counts as gone."""
    child = _CHILDREN.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _CHILDREN[pid]
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _terminate(pid: int, timeout: float) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout / 2
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.005)
    if _alive(pid):
        raise LaunchError(f"process {pid} did not stop")


def _exports(deployment: Deployment) -> str:
    lines = [f"export {name}={shlex.quote(value)}" for name, value in deployment.credentials.items()]
    lines.append(f"export NYC_HIRING_TARGET={shlex.quote(deployment.root_url)}")
    lines.append(f"export NYC_HIRING_RESTART_COMMAND={shlex.quote(deployment.restart_command)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.independent.launcher")
    commands = parser.add_subparsers(dest="command", required=True)
    started = commands.add_parser("start", help="start in DIRECTORY and print shell exports of its credentials")
    started.add_argument("directory", type=Path)
    started.add_argument("--port", type=int, default=0)
    for name in ("restart", "stop"):
        commands.add_parser(name).add_argument("state_file", type=Path)
    options = parser.parse_args(argv)
    try:
        if options.command == "start":
            sys.stdout.write(_exports(start(options.directory, options.port)))
        elif options.command == "restart":
            restart(State.load(options.state_file))
        else:
            stop(State.load(options.state_file))
    except LaunchError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
