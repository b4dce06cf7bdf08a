"""Waiting for a deployment to answer, as the sandbox's start and every restart do."""

from __future__ import annotations

import ssl
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from nyc_hiring.harness.client import shared_tls_context
from nyc_hiring.harness.sandbox import SandboxError, wait_for_health


def test_health_is_polled_until_200_with_the_run_s_one_tls_context(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each new TLS context loads the CA bundle again (about 25 ms): however many polls it takes, the run
    builds one, shared with its other clients."""
    built: list[object] = []
    original = ssl.create_default_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        context = original(*args, **kwargs)
        built.append(context)
        return context

    monkeypatch.setattr(ssl, "create_default_context", counted)
    shared_tls_context.cache_clear()
    for status in (503, 503, 200):
        httpserver.expect_ordered_request("/health").respond_with_data("{}", status=status)
    wait_for_health(httpserver.url_for("").rstrip("/"), timeout=10)
    httpserver.check_assertions()
    assert len(httpserver.log) == 3
    assert len(built) == 1 and built[0] is shared_tls_context()


def test_a_deployment_that_never_answers_200_is_a_clear_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/health").respond_with_data("down", status=503)
    with pytest.raises(SandboxError, match="did not return 200"):
        wait_for_health(httpserver.url_for("").rstrip("/"), timeout=0.3)
