"""Stand-in checks for tests/harness/test_parallel.py: each ends in one way a worker must report back."""

from __future__ import annotations

import os

import pytest

from nyc_hiring.harness.client import Exchange
from nyc_hiring.harness.context import Conformance

EXCHANGE = Exchange(
    method="POST",
    url="http://target.test/decision-event",
    request_headers={},
    request_body=b"{}",
    status=500,
    response_headers={},
    response_body=b"oops",
    error=None,
)


def passes(conformance: Conformance) -> None:
    conformance.generated_cases += 7
    print("Trying example: passes()")  # noqa: T201 - what Hypothesis prints goes back with the outcome


def fails(conformance: Conformance) -> None:
    conformance.client.exchanges.append(EXCHANGE)
    raise AssertionError("expected HTTP 422, got 500")


def skips(conformance: Conformance) -> None:
    pytest.skip("set WEBHOOK_SECRET_LEVER to run this check")


def raises(conformance: Conformance) -> None:
    raise KeyError("a bug in the check itself")


def names_its_process(conformance: Conformance) -> None:
    raise AssertionError(str(os.getpid()))
