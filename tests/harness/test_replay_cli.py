"""`python -m nyc_hiring.harness replay`: the payload corpus replays cleanly against a fresh sandbox, a saved case is
judged by the contract (not by what was observed when it was saved), `--resign` keeps a saved fault, and
unusable input exits 2 with a reason."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from nyc_hiring import payload_fixtures
from nyc_hiring.harness.__main__ import main
from nyc_hiring.harness.cases import Case, Step, save_case
from nyc_hiring.harness.judge import Expectation, Observation
from nyc_hiring.harness.sandbox import SandboxProcess, fresh_credentials
from nyc_hiring.harness.wire import Corruption, Signing, WebhookEvent, deliver

from .conftest import export_credentials

pytestmark = pytest.mark.slow

# The recorded captures in payload_fixtures/ were signed with these, so a sandbox using them can be sent
# the captures byte for byte.
FIXTURE_SECRETS = {
    "WEBHOOK_SECRET_GREENHOUSE": "gh_fixture_secret",
    "WEBHOOK_SECRET_LEVER": "lever_fixture_token",
    "WEBHOOK_SECRET_WORKDAY": "whsec_bnljLWhpcmluZyBmaXh0dXJlIHdvcmtkYXkga2V5ISE=",
}
REFUSED = Expectation((401,), "SIG-004", "wrong-secret", "problem")
RECORDED = Expectation((200,), "SIG-003", "accepted", "webhook-ack", ack="recorded")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        tmp_path_factory.mktemp("replay") / "sandbox.sqlite3", credentials={**fresh_credentials(), **FIXTURE_SECRETS}
    )
    process.start()
    yield process
    process.close()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, sandbox: SandboxProcess) -> pytest.MonkeyPatch:
    """The sandbox's exports, as a user would have them in their shell."""
    export_credentials(monkeypatch, sandbox.credentials)
    monkeypatch.delenv("NYC_HIRING_TARGET", raising=False)
    return monkeypatch


def replay(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["replay", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _workday_case(
    tmp_path: Path, sandbox: SandboxProcess, corruption: Corruption | None, expected: Expectation, signed_at: float
) -> Path:
    """A saved Workday case signed `signed_at`, as a failing check would have written it."""
    body = json.dumps(
        {
            "eventType": "JobApplication.Hired",
            "eventId": f"evt-{time.time_ns()}",
            "occurredAt": "2025-11-28T10:00:00Z",
            "tenant": "acme",
            "jobApplication": {
                "id": f"JA-{time.time_ns()}",
                "candidate": {"id": f"C-{time.time_ns()}"},
                "jobRequisition": {"id": "JR-11111"},
            },
        }
    ).encode()
    signing = Signing(
        WebhookEvent("workday", "JobApplication.Hired", "hire", body), f"msg_{time.time_ns()}", corruption=corruption
    )
    delivery = deliver(signing, sandbox.credentials["WEBHOOK_SECRET_WORKDAY"], signed_at)
    step = Step(
        "POST /webhook/workday JobApplication.Hired",
        "POST",
        delivery.path,
        delivery.headers,
        delivery.body,
        expected,
        signing.to_json(),
    )
    case = Case("SIG-003", "a saved Workday delivery", [step], [Observation(500)], 7, "", "sandbox")
    path, _ = save_case(case, tmp_path, sandbox.credentials, sandbox.base_url)
    return path


def test_the_payload_fixtures_folder_replays_as_its_manifest_says(
    env: pytest.MonkeyPatch, sandbox: SandboxProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = replay(capsys, str(payload_fixtures.FIXTURE_DIR), "--target", sandbox.base_url)
    assert code == 0, out[-2000:]
    total = len(payload_fixtures.manifest())
    assert f"{total} replayed, 0 failed, 0 skipped" in out
    assert out.count("as expected") == total and "recorded capture, byte for byte" in out


def test_one_fixture_file_replays_and_the_target_may_come_from_the_environment(
    env: pytest.MonkeyPatch, sandbox: SandboxProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("NYC_HIRING_TARGET", sandbox.base_url)
    code, out, _ = replay(capsys, str(payload_fixtures.fixture_path("greenhouse/ping.json")))
    assert code == 0 and "1 replayed, 0 failed" in out and "as expected" in out


def test_a_saved_case_is_judged_by_the_contract_not_by_what_was_saved(
    env: pytest.MonkeyPatch, sandbox: SandboxProcess, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key = sandbox.credentials["NYC_HIRING_API_KEY"]
    body = json.dumps(
        {
            "candidateIdRaw": 12345,
            "jobIdRaw": "job_1",
            "decision": "reject",
            "decisionTimestamp": "2025-01-01T00:00:00Z",
            "decisionFactors": [],
            "aedtName": "A",
            "aedtVersion": "1",
        }
    ).encode()
    step = Step(
        "POST /decision-event with candidateIdRaw as JSON integer",
        "POST",
        "/decision-event",
        {"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        body,
        Expectation((422,), "EVT-001", "schema", "problem"),
    )
    case = Case(
        "EVT-001", "a wrong type is a 422", [step], [Observation(500, "application/problem+json")], 1, "", "sandbox"
    )
    path, command = save_case(case, tmp_path, sandbox.credentials, sandbox.base_url)
    saved = path.read_text()
    assert key not in saved and "Bearer $NYC_HIRING_API_KEY" in saved
    assert command == f'python -m nyc_hiring.harness replay {path} --target "$NYC_HIRING_TARGET"'
    code, out, _ = replay(capsys, str(path), "--target", sandbox.base_url)
    assert code == 0, out
    assert "not reproduced" in out and "when saved: HTTP 500" in out


def test_a_case_is_replayed_as_saved_without_cookies_from_earlier_answers(
    httpserver: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A later step of a case must not carry what an earlier answer set: the case was sent without it."""
    target = httpserver.url_for("/api/v1/nyc-hiring")
    httpserver.expect_request("/api/v1/nyc-hiring/health").respond_with_data("ok")
    httpserver.expect_request("/api/v1/nyc-hiring/decision-event", method="POST").respond_with_data(
        "", headers={"Set-Cookie": "session=1; Path=/"}
    )
    steps = [
        Step(
            f"POST /decision-event ({n})",
            "POST",
            "/decision-event",
            {"X-Step": str(n)},
            b"{}",
            Expectation((200,), "EVT-001", "schema"),
        )
        for n in (1, 2)
    ]
    path, _ = save_case(Case("EVT-001", "two steps", steps, [Observation(200), Observation(200)]), tmp_path, {}, target)

    code, out, _ = replay(capsys, str(path), "--target", target)

    assert code == 0 and "not reproduced" in out, out
    posts = [request for request, _ in httpserver.log if request.method == "POST"]
    assert [request.headers["X-Step"] for request in posts] == ["1", "2"]
    assert "Cookie" not in posts[1].headers


def test_resign_refreshes_an_expired_delivery_and_keeps_a_saved_fault(
    env: pytest.MonkeyPatch, sandbox: SandboxProcess, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    an_hour_ago = time.time() - 3600
    expired = _workday_case(tmp_path / "expired", sandbox, None, RECORDED, an_hour_ago)
    code, out, _ = replay(capsys, str(expired), "--target", sandbox.base_url)
    assert code == 1 and "byte for byte" in out and "reproduced: expected HTTP 200, got 401" in out
    assert "--resign" in out  # the note on why a byte-for-byte delivery may fail
    code, out, _ = replay(capsys, str(expired), "--target", sandbox.base_url, "--resign")
    assert code == 0 and "re-signed" in out and "not reproduced" in out

    faulty = _workday_case(tmp_path / "faulty", sandbox, Corruption("wrong_secret"), REFUSED, an_hour_ago)
    code, out, _ = replay(capsys, str(faulty), "--target", sandbox.base_url, "--resign")
    assert code == 0 and "not reproduced" in out  # re-signed with the wrong secret again: still a 401


def test_a_folder_of_cases_fails_when_one_reproduces(
    env: pytest.MonkeyPatch, sandbox: SandboxProcess, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _workday_case(tmp_path, sandbox, None, RECORDED, time.time())
    wrong = Expectation((202,), "SIG-003", "accepted")  # a wrong expectation "reproduces"
    _workday_case(tmp_path, sandbox, None, wrong, time.time())
    code, out, _ = replay(capsys, str(tmp_path), "--target", sandbox.base_url)  # a report folder: its cases/
    assert code == 1 and "2 replayed, 1 failed" in out


REASONS = {
    "missing path": "no such file or folder",
    "not a case": "not a saved case",
    "empty folder": "no saved cases",
    "unlisted fixture": "not a payload fixture listed in manifest.json",
    "no target": "--target URL is required",
    "unreachable target": "cannot reach the target",
    "missing credential": "nothing could be replayed",
}


@pytest.mark.parametrize("problem", sorted(REASONS))
def test_unusable_input_exits_2_with_a_reason(
    problem: str,
    env: pytest.MonkeyPatch,
    sandbox: SandboxProcess,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    target = ["--target", sandbox.base_url]
    path = tmp_path / "nothing.json"
    if problem == "not a case":
        path.write_text('{"action": "ping"}')
    elif problem == "empty folder":
        path = tmp_path
    elif problem == "unlisted fixture":
        path = payload_fixtures.FIXTURE_DIR / "_generate.py"
    elif problem == "no target":
        path, target = _workday_case(tmp_path, sandbox, None, RECORDED, time.time()), []
    elif problem == "unreachable target":
        path, target = _workday_case(tmp_path, sandbox, None, RECORDED, time.time()), ["--target", "http://127.0.0.1:9"]
    elif problem == "missing credential":
        path = _workday_case(tmp_path, sandbox, None, RECORDED, time.time())
        env.delenv("WEBHOOK_SECRET_WORKDAY")
        target.append("--resign")
    code, out, err = replay(capsys, str(path), *target)
    assert code == 2, out + err
    assert REASONS[problem] in err


def test_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nyc_hiring.harness", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "replay" in result.stdout
