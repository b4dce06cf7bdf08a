"""Smoke tests of the independent deployment as a real process, restarted for real."""

from __future__ import annotations

import json
import shlex
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from tests.independent import launcher

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[launcher.Deployment]:
    running = launcher.start(tmp_path_factory.mktemp("independent"))
    yield running
    running.stop()


def _call(deployment: launcher.Deployment, method: str, path: str, body: object = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        deployment.base_url + path,
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {deployment.credentials['NYC_HIRING_API_KEY']}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _decision() -> dict[str, object]:
    return {
        "candidateIdRaw": f"candidate-{uuid.uuid4()}",
        "jobIdRaw": "job-7",
        "decision": "reject",
        "decisionTimestamp": "2026-11-30T15:00:00Z",
        "decisionFactors": [{"factor": "years_experience", "value": 2, "weight": 0.3, "contribution": "negative"}],
        "aedtName": "Screening Tool",
        "aedtVersion": "1.0",
        "requestExplanation": True,
        "jobTitle": "Data Analyst",
    }


def test_a_decision_and_its_explanation_survive_a_restart(deployment: launcher.Deployment) -> None:
    status, created = _call(deployment, "POST", "/decision-event", _decision())
    assert status == 201 and created["explanationId"]
    event_path = f"/decision-events/{created['decisionEventId']}"
    assert _call(deployment, "GET", event_path)[1]["complianceFlags"] == created["complianceFlags"]

    subprocess.run(shlex.split(deployment.restart_command), check=True, timeout=30)

    status, record = _call(deployment, "GET", event_path)
    assert status == 200 and "candidateIdRaw" not in record
    status, explanation = _call(deployment, "GET", f"/explanations/{created['explanationId']}")
    assert status == 200 and explanation["candidateMessage"] == created["candidateMessage"]


def test_the_same_decision_twice_is_a_409_duplicate_event(deployment: launcher.Deployment) -> None:
    decision = _decision()
    first = _call(deployment, "POST", "/decision-event", decision)[1]
    status, problem = _call(deployment, "POST", "/decision-event", decision)
    assert status == 409
    assert problem["code"] == "duplicate_event"
    assert problem["decisionEventId"] == first["decisionEventId"]
