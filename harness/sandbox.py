"""Start the reference server as a separate process, with known credentials, on a free loopback port.

The harness talks to it over HTTP only, exactly as to any other deployment: it never imports the
server's code, so the sandbox proves that the checks can pass without sharing what they check.
"""

from __future__ import annotations

import base64
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from .client import shared_tls_context

READY_PREFIX = "Listening on "
BASE_PATH = "/api/v1/nyc-hiring"


class SandboxError(Exception):
    """The sandbox did not start; the message carries the server's own last words."""


def fresh_credentials() -> dict[str, str]:
    """One of each credential the guide names, random for this run."""

    def token() -> str:
        return secrets.token_urlsafe(32)

    return {
        "NYC_HIRING_API_KEY": f"haiec_test_{token()}",
        "NYC_HIRING_API_KEY_READONLY": f"haiec_test_{token()}",
        "NYC_HIRING_API_KEY_LIVE": f"haiec_live_{token()}",
        "WEBHOOK_SECRET_GREENHOUSE": secrets.token_hex(32),
        "WEBHOOK_SECRET_LEVER": secrets.token_hex(32),
        "WEBHOOK_SECRET_WORKDAY": "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
        # the reference server registers these two for the remaining AUTH cases (one is revoked at once)
        "NYC_HIRING_API_KEY_WRITEONLY": f"haiec_test_{token()}",
        "NYC_HIRING_API_KEY_REVOKED": f"haiec_test_{token()}",
    }


class SandboxProcess:
    """`python -m nyc_hiring.reference_server` in a child process; restartable on the same database."""

    def __init__(
        self,
        db_path: Path | None = None,
        credentials: Mapping[str, str] | None = None,
        extra_env: Mapping[str, str] | None = None,
        extra_args: tuple[str, ...] = (),
        host: str = "127.0.0.1",
    ) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if db_path is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="nyc-hiring-sandbox-")
            db_path = Path(self._tmp.name) / "sandbox.sqlite3"
        self.db_path = db_path
        self.credentials = dict(credentials or fresh_credentials())
        self.extra_env = dict(extra_env or {})
        self.extra_args = extra_args
        self.host = host
        self.port = 0
        self.base_url = ""
        self.output: list[str] = []
        self._process: subprocess.Popen[str] | None = None
        self._ready = threading.Event()
        self._deadline = 0.0

    def start(self, timeout: float = 30.0) -> str:
        """Start and wait until /health answers; return the base URL (…/api/v1/nyc-hiring)."""
        self.launch(timeout)
        return self.wait_until_ready()

    def launch(self, timeout: float = 30.0) -> None:
        """Start the server process and return at once: `wait_until_ready` waits for it, within `timeout`."""
        env = {**os.environ, **self.credentials, **self.extra_env, "PYTHONUNBUFFERED": "1"}
        command = [
            sys.executable,
            "-m",
            "nyc_hiring.reference_server",
            "serve",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--db",
            str(self.db_path),
            "--log-level",
            "warning",
            *self.extra_args,
        ]
        self.output = []
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=self.db_path.parent,
        )
        self._ready = threading.Event()
        self._deadline = time.monotonic() + timeout
        threading.Thread(target=self._read_output, args=(self._ready,), daemon=True).start()

    def wait_until_ready(self) -> str:
        """Wait until the launched server listens and /health answers; return the base URL."""
        while not self._ready.wait(0.05):
            if self._process is None or self._process.poll() is not None or time.monotonic() > self._deadline:
                self.stop()
                raise SandboxError("the reference server did not start: " + " | ".join(self.output[-5:]))
        self.port = int(self.base_url.split(":")[-1].split("/")[0])
        wait_for_health(self.base_url, self._deadline - time.monotonic())
        return self.base_url

    def _read_output(self, ready: threading.Event) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self.output.append(line.rstrip())
            if line.startswith(READY_PREFIX):
                self.base_url = line[len(READY_PREFIX) :].strip()
                ready.set()

    def stop(self, timeout: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        _wait_or_kill(process, timeout)

    def restart(self) -> str:
        """Stop and start on the same port and database: what IDEM-005 needs.

        The new process starts as the old one begins its graceful shutdown, which stops it listening at
        once: the new interpreter's start-up overlaps the old one's last writes. Should the new one still
        find the port taken, it is started again once the old one has gone. Either way the old process has
        exited before this returns.
        """
        old, self._process = self._process, None
        if old is None or old.poll() is not None:
            return self.start()
        old.send_signal(signal.SIGTERM)
        self.launch()
        try:
            self.wait_until_ready()
        except SandboxError:
            _wait_or_kill(old, 10.0)
            return self.start()
        _wait_or_kill(old, 10.0)
        return self.base_url

    def close(self) -> None:
        """Stop the server, and delete the temporary folder of a sandbox that made its own.

        Such a sandbox is killed rather than stopped: its graceful shutdown (folding the write-ahead log
        into the database file) only tidies a database about to be deleted, and would keep a run waiting.
        """
        if self._tmp is None:
            self.stop()
            return
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        self._tmp.cleanup()

    def __enter__(self) -> SandboxProcess:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _wait_or_kill(process: subprocess.Popen[str], timeout: float) -> None:
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_health(base_url: str, timeout: float) -> None:
    """Poll GET {base}/health until 200; raise SandboxError when the time is up.

    One client polls, with the run's TLS context: `httpx.get` builds a client per call, and with it a TLS
    context that loads the CA bundle again (about 25 ms each, even for an http:// sandbox)."""
    deadline = time.monotonic() + max(timeout, 0.1)
    last_error = "no answer"
    with httpx.Client(timeout=1.0, verify=shared_tls_context()) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(f"{base_url}/health").status_code == 200:
                    return
                last_error = "health check did not return 200"
            except httpx.HTTPError as exc:
                last_error = str(exc) or type(exc).__name__
            time.sleep(0.05)
    raise SandboxError(f"{base_url}/health did not answer in time: {last_error}")
