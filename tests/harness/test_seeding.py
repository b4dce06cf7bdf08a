"""One `--seed`, the same cases, in whichever process draws them and whatever it loaded before."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from nyc_hiring.harness.seeding import every_module

DRAW = """
import hashlib, sys
from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st
from nyc_hiring.harness.seeding import load_every_module

for name in sys.argv[1:]:
    __import__(name)
load_every_module()
drawn = []

@settings(max_examples=300, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
@seed(20261203)
@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False))))
def draw(value):
    drawn.append(repr(value))

draw()
print(hashlib.sha256("\\n".join(drawn).encode()).hexdigest())
"""


def _drawn_after_loading(*modules: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", DRAW, *modules], capture_output=True, text=True, timeout=120, check=True
    )
    return completed.stdout.strip()


def test_a_seed_draws_the_same_cases_whatever_the_process_loaded_before() -> None:
    """As a narrowed run's worker (one check module) and a whole run's pytest process (the reports, the
    message rules) load different parts of the harness: in a checkout Hypothesis draws constants from both."""
    narrowed = _drawn_after_loading("nyc_hiring.harness.strategies")
    whole = _drawn_after_loading("nyc_hiring.harness.reports.html", "nyc_hiring.harness.compliance.message_rules")
    assert narrowed == whole


def test_a_worker_loads_every_module_before_its_first_job() -> None:
    check = textwrap.dedent(
        """
        import sys
        from nyc_hiring.harness import parallel, seeding
        parallel._import_checks(("nyc_hiring.harness.suite.test_auth",), sys.path)
        print([name for name in seeding.every_module() if name not in sys.modules])
        """
    )
    completed = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120, check=True)
    assert completed.stdout.strip() == "[]"


def test_every_module_is_the_harness_schemas_and_corpus_but_no_check_command_or_server() -> None:
    names = every_module()
    assert {"nyc_hiring.harness.reports.html", "nyc_hiring.harness.suite.conftest"} <= set(names)
    assert {"nyc_hiring.schemas.validation", "nyc_hiring.harness.compliance.message_rules"} <= set(names)
    assert not [name for name in names if name.rsplit(".", 1)[-1].startswith("test_")]
    assert not [name for name in names if name.endswith(("__main__", "campaign_preload"))]
    assert not [name for name in names if name.startswith("nyc_hiring.reference_server")]
    assert names == sorted(names)
