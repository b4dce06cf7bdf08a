"""Explanations generated once per run, for the MSG and MEMO checks to read.

Each message and memo rule must hold for every explanation a deployment writes, so the rules are run
over a spread of decisions (every decision kind, a protected factor, no factors, many factors, a
timestamp without offset, webhook decisions) rather than over one example. Generating them once keeps
the run fast; each sample keeps the exchange that produced it, so a failing check can show it as evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from harness import payloads
from harness.client import Exchange, TargetClient, json_dict
from harness.plugin import RUN_KEY
from harness.replay import sign
from harness.session import Run

WEBHOOK_SECRETS = {"greenhouse": "WEBHOOK_SECRET_GREENHOUSE", "workday": "WEBHOOK_SECRET_WORKDAY"}

# Qualifications a hiring tool might score; none is a protected characteristic.
MANY_FACTOR_NAMES = (
    "years_experience", "technical_score", "python_proficiency", "sql_proficiency", "communication_skills",
    "team_leadership", "project_management", "data_visualization", "statistics_knowledge", "machine_learning",
    "cloud_certification", "english_fluency", "customer_service", "problem_solving", "attention_to_detail",
    "written_assessment", "coding_challenge", "system_design", "portfolio_review", "reference_check",
    "work_authorization", "shift_availability", "travel_willingness", "degree_level", "typing_speed",
    "sales_experience", "security_clearance", "driver_license", "interview_rating", "spreadsheet_skills",
)  # fmt: skip
MANY_FACTOR_VALUES: tuple[Any, ...] = (3, 0.82, "advanced", True, 57, "B2", False, 12, 4.5, "intermediate")
MANY_FACTOR_WEIGHTS = (0.05, 0.12, 0.3, 0, 0.07, 1, 0.25, 0.6, 0.015, 0.9)
CONTRIBUTIONS = ("negative", "positive", "neutral")


@dataclass(frozen=True)
class ExplanationSample:
    """One generated explanation with what produced it: the request (None for a webhook) and the exchanges."""

    label: str
    request: dict[str, Any] | None
    explanation_id: str
    message: dict[str, Any]
    memo: dict[str, Any]
    exchanges: tuple[Exchange, ...]


@dataclass(frozen=True)
class SampleProblem:
    """A valid request that yielded no explanation: the rules could not be checked on that kind of decision."""

    message: str
    exchanges: tuple[Exchange, ...]


@dataclass(frozen=True)
class ExplanationSamples:
    """What the MSG and MEMO checks read: the explanations obtained, and the requests that yielded none."""

    samples: list[ExplanationSample]
    problems: list[SampleProblem]


def many_factors() -> list[dict[str, Any]]:
    """Thirty factors with every value type, a spread of weights and all three contributions."""
    return [
        {"factor": name, "value": MANY_FACTOR_VALUES[i % len(MANY_FACTOR_VALUES)],
         "weight": MANY_FACTOR_WEIGHTS[i % len(MANY_FACTOR_WEIGHTS)], "contribution": CONTRIBUTIONS[i % 3]}
        for i, name in enumerate(MANY_FACTOR_NAMES)
    ]


def api_requests() -> list[tuple[str, dict[str, Any]]]:
    """(label, request body) of every direct-API sample; all ask for an explanation."""
    protected = [{"factor": "age", "value": 52, "weight": 0.2, "contribution": "negative"},
                 {"factor": "zip_code", "value": "10027", "weight": 0.1, "contribution": "negative"},
                 {"factor": "years_experience", "value": 2, "weight": 0.7, "contribution": "negative"}]
    naive_now = datetime.now(UTC).replace(tzinfo=None).isoformat()  # the guide's datetime.now().isoformat()
    return [
        ("the integration guide's example", payloads.decision_event()),
        ("an advance decision", payloads.decision_event(decision="advance", jobTitle="Data Analyst")),
        ("a hire decision", payloads.decision_event(decision="hire", jobTitle="Senior Product Designer")),
        ("a hold decision", payloads.decision_event(decision="hold", jobTitle="Warehouse Associate")),
        ("protected factors (age, zip_code)", payloads.decision_event(decisionFactors=protected)),
        ("no decision factors", payloads.decision_event(decisionFactors=[], jobTitle="Accountant")),
        ("thirty decision factors", payloads.decision_event(decisionFactors=many_factors(), jobTitle="Data Engineer")),
        ("a timestamp without offset", payloads.decision_event(decisionTimestamp=naive_now)),
    ]


class SampleCollector:
    """Records the samples over its own client (fixtures outlive any one check's client)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.client = TargetClient(run.base_url, run.config.timeout)
        self.key = run.config.credential("NYC_HIRING_API_KEY") or ""

    def from_api(self, label: str, body: dict[str, Any]) -> ExplanationSample | SampleProblem:
        """The contract promises an explanation for every valid request that asks for one."""
        try:
            response = self.client.post("/decision-event", key=self.key, json_body=body)
        except httpx.HTTPError as exc:
            return SampleProblem(f"no explanation for sample '{label}': POST /decision-event got no answer "
                                 f"({type(exc).__name__})", (self.client.exchanges[-1],))
        exchange = self.client.exchanges[-1]
        created = json_dict(response)
        if response.status_code != 201 or not isinstance(created.get("explanationId"), str):
            return SampleProblem(f"no explanation for sample '{label}': POST /decision-event with "
                                 f"requestExplanation true answered {response.status_code} "
                                 f"({_one_line(response.text)})", (exchange,))
        return ExplanationSample(label, body, created["explanationId"], _object(created, "candidateMessage"),
                                 _object(created, "internalMemo"), (exchange,))

    def from_webhook(self, label: str, source: str, body: bytes) -> ExplanationSample | None:
        """The webhook's explanation, read back; None when there is none to read.

        Generating webhook explanations is the deployment's choice, and failing deliveries or
        unretrievable explanations are what SIG and EXPL-003 report, so such a sample is left out here.
        """
        secret = self.run.config.credential(WEBHOOK_SECRETS[source])
        if not secret:
            return None
        delivery = sign(source, body, secret)
        try:
            ack = self.client.post(delivery.path, headers=delivery.headers, content=delivery.body)
            explanation_id = json_dict(ack).get("explanationId")
            if ack.status_code != 200 or not isinstance(explanation_id, str):
                return None
            read = self.client.get(f"/explanations/{explanation_id}", key=self.key)
        except httpx.HTTPError:
            return None
        if read.status_code != 200:
            return None
        explanation = json_dict(read)
        return ExplanationSample(label, None, explanation_id, _object(explanation, "candidateMessage"),
                                 _object(explanation, "internalMemo"), tuple(self.client.exchanges[-2:]))




def _one_line(text: str) -> str:
    return " ".join(text.split())[:160]


def _object(body: dict[str, Any], name: str) -> dict[str, Any]:
    """A missing or mistyped message or memo reads as empty, which the rules then report."""
    value = body.get(name)
    return value if isinstance(value, dict) else {}


def _collect(collector: SampleCollector) -> ExplanationSamples:
    found = ExplanationSamples([], [])
    for label, body in api_requests():
        outcome = collector.from_api(label, body)
        if isinstance(outcome, SampleProblem):
            found.problems.append(outcome)
        else:
            found.samples.append(outcome)
    webhooks: list[tuple[str, str, Callable[[], bytes]]] = [
        ("a Greenhouse rejection web hook", "greenhouse", payloads.greenhouse),
        ("a Workday disposition event", "workday", payloads.workday),
    ]
    for label, source, build in webhooks:
        sample = collector.from_webhook(label, source, build())
        if sample is not None:
            found.samples.append(sample)
    return found


@pytest.fixture(scope="session")
def explanation_samples(request: pytest.FixtureRequest) -> Iterator[ExplanationSamples]:
    """Every sample explanation of the run, generated on first use."""
    run = request.config.stash.get(RUN_KEY, None)
    if run is None:
        pytest.skip("conformance checks run only with --target")
    if not run.config.credential("NYC_HIRING_API_KEY"):
        pytest.skip("set NYC_HIRING_API_KEY to generate explanations")
    collector = SampleCollector(run)
    try:
        yield _collect(collector)
    finally:
        collector.client.close()
