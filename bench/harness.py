"""Wall time of a full conformance run against the sandbox, as a user runs it, next to its floor.

    python bench/harness.py [--runs 3]

Runs `pytest --target=sandbox` from an empty folder (sandbox start-up, every check, the three reports)
and, in the same session, the two costs no run can avoid: pytest's own start-up with every installed
plugin, and the sandbox's start-up. The project's target: a full run takes at most 3 times pytest's
start-up, both measured here side by side (the machines are noisy; a ratio from one session holds).

It also times the same run with one generated case per property (`--fuzz-examples 1`): what a run costs
whatever its fuzz budget (the sandbox and its restart, the fixed checks, the reports), so that the part
the budget buys is the difference between the two.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nyc_hiring.harness.sandbox import SandboxProcess  # noqa: E402

PYTEST = [sys.executable, "-m", "pytest"]
TARGET_RATIO = 3  # a full run, in multiples of pytest's own start-up


def timed(command: list[str], cwd: Path) -> tuple[float, int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NYC_", "WEBHOOK_SECRET"))}
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, completed.returncode, completed.stdout


def conformance_run(folder: Path, *options: str) -> float:
    """The wall time of `pytest --target=sandbox` in `folder`; a run that fails ends the benchmark."""
    seconds, code, output = timed([*PYTEST, "--target=sandbox", "-q", *options], folder)
    if code != 0:
        print(output[-3000:])
        sys.exit(f"error: {' '.join(['pytest --target=sandbox', *options])} exited {code}")
    return seconds


def _rewrite_cache_state() -> str:
    """Whether pytest finds its rewritten copies of the installed plugins cached: without them (a fresh
    install where bytecode is not written) its start-up is two to three times longer, and the ratio with it."""
    import schemathesis

    cached = any(Path(schemathesis.__file__).parent.rglob("__pycache__/*-pytest-*.pyc"))
    writing = "off" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    return (
        f"pytest's rewrite cache of installed plugins: {'present' if cached else 'absent'}; bytecode writing {writing}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    full, fixed, startup, sandbox = [], [], [], []
    checks = 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="nyc-bench-harness-") as folder:
            fixed.append(conformance_run(Path(folder), "--fuzz-examples=1"))
        with tempfile.TemporaryDirectory(prefix="nyc-bench-harness-") as folder:
            full.append(conformance_run(Path(folder)))
            checks = json.loads((Path(folder) / "reports" / "conformance.json").read_text())["summary"]["counts"]
            (Path(folder) / "test_empty.py").write_text("")
            startup.append(timed([*PYTEST, "--co", "-q", "test_empty.py"], Path(folder))[0])
            started = time.perf_counter()
            with SandboxProcess():
                sandbox.append(time.perf_counter() - started)
    print(
        f"full conformance run (pytest --target=sandbox): median {statistics.median(full):.2f} s "
        f"over {args.runs} runs {[round(s, 2) for s in full]}; verdicts {checks}"
    )
    print(
        f"  pytest start-up alone: {statistics.median(startup):.2f} s; sandbox start-up alone: "
        f"{statistics.median(sandbox):.2f} s; checks themselves: "
        f"{statistics.median(full) - statistics.median(startup) - statistics.median(sandbox):.2f} s"
    )
    print(
        f"  the same run with one generated case per property (--fuzz-examples=1): median "
        f"{statistics.median(fixed):.2f} s, {statistics.median(fixed) / statistics.median(startup):.2f}x pytest "
        f"start-up; the default budget's generated cases add {statistics.median(full) - statistics.median(fixed):.2f} s"
    )
    print(f"  {_rewrite_cache_state()}")
    ratio = statistics.median(full) / statistics.median(startup)
    print(f"full run / pytest start-up: {ratio:.2f}x")
    print(f"target <= {TARGET_RATIO:g}x pytest start-up: {'met' if ratio <= TARGET_RATIO else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
