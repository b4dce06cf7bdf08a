"""The reference app on a real uvicorn, with an explainer that stalls: a request then holds its
Idempotency-Key claim long enough for a test to kill the process mid-request.

    python -m tests.server.stalling_server DATABASE    (prints "port N" once it listens)

The database must already hold the credentials. The explainer is a seam of `create_app`, so the
reference itself is what runs, with only the time it takes changed.
"""

from __future__ import annotations

import socket
import sys
import time
from datetime import datetime
from pathlib import Path

import uvicorn

from nyc_hiring.reference_server.app import create_app
from nyc_hiring.reference_server.config import Settings
from nyc_hiring.reference_server.explanations import Decision, Explanation, generate_explanation
from nyc_hiring.reference_server.profile import EmployerProfile

STALL_SECONDS = 60.0


def stalling_explainer(decision: Decision, profile: EmployerProfile, now: datetime) -> Explanation:
    time.sleep(STALL_SECONDS)  # blocks the event loop on purpose: the claim stays open until the kill
    return generate_explanation(decision, profile, now)


def main() -> None:
    database = Path(sys.argv[1])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    app = create_app(Settings(db=database), explainer=stalling_explainer)
    print(f"port {sock.getsockname()[1]}", flush=True)  # noqa: T201 - the test reads the port from it
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


if __name__ == "__main__":
    main()
