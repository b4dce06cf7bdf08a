"""Explanations generated once per run, for the EXPL, MSG and MEMO checks to read.

Each message and memo rule must hold for every explanation a deployment writes, so the rules are run
over a spread of decisions (every decision kind, a protected factor, no factors, many factors, a
timestamp without offset, webhook decisions) rather than over one example. The notice and bias-audit
flags (MEMO-003) are only worth checking where they change, so once the first memo shows the
deployment's notice and audit dates, decisions dated on either side of each boundary are added: the
tenth business day after the notice, the day before it, a window that a federal holiday shortens, and
the days around the audit's anniversary and before the audit. Generating them once keeps the run fast;
each sample keeps the exchanges that produced it, so a failing check can show them as evidence.

A valid request that yields no explanation is not the message rules' failure: it is kept as a problem
for the requirement it breaks (EXPL-001 when the event was recorded without its explanation, EVT-001
when a valid request was refused), which test_explanations.py reports.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import time
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest

from nyc_hiring.harness import payloads
from nyc_hiring.harness.acks import outcome
from nyc_hiring.harness.client import Exchange, TargetClient, json_dict
from nyc_hiring.harness.compliance import calendar
from nyc_hiring.harness.config import CREDENTIAL_VARIABLES
from nyc_hiring.harness.items import requirement_ids
from nyc_hiring.harness.openapi_fuzz import API_KEY, CAMPAIGN_PARTS, FuzzReport, campaign_against
from nyc_hiring.harness.plugin import POOL_KEY, RUN_KEY
from nyc_hiring.harness.session import Run
from nyc_hiring.harness.signing import lever_sign_body
from nyc_hiring.harness.steps import NotShown
from nyc_hiring.harness.wire import WEBHOOK_SECRETS, sign

DECISION_HOUR = time_of_day(12, 0)  # noon in New York: the decision's calendar date is unambiguous

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
    """One generated explanation with what produced it.

    `request` is the body sent (None for a webhook decision); `source` the way it came; `ids` the
    decisionEventId and explanationId the deployment returned; `response_flags` the complianceFlags of
    the 201 answer (None for a webhook decision, whose acknowledgement need not carry them).
    """

    label: str
    source: str
    request: dict[str, Any] | None
    ids: dict[str, str]
    message: dict[str, Any]
    memo: dict[str, Any]
    response_flags: list[Any] | None
    exchanges: tuple[Exchange, ...]

    @property
    def explanation_id(self) -> str:
        return self.ids["explanationId"]


@dataclass(frozen=True)
class SampleProblem:
    """A valid request that yielded no explanation: the requirement and clause it breaks, and why."""

    requirement: str
    clause: str
    message: str
    exchanges: tuple[Exchange, ...]


@dataclass
class ExplanationSamples:
    """What the EXPL, MSG and MEMO checks read: the explanations obtained, and the requests that yielded none."""

    samples: list[ExplanationSample] = field(default_factory=list)
    problems: list[SampleProblem] = field(default_factory=list)

    def add(self, found: ExplanationSample | SampleProblem | None) -> None:
        if isinstance(found, ExplanationSample):
            self.samples.append(found)
        elif isinstance(found, SampleProblem):
            self.problems.append(found)


def many_factors() -> list[dict[str, Any]]:
    """Thirty factors with every value type, a spread of weights and all three contributions."""
    return [
        {
            "factor": name,
            "value": MANY_FACTOR_VALUES[i % len(MANY_FACTOR_VALUES)],
            "weight": MANY_FACTOR_WEIGHTS[i % len(MANY_FACTOR_WEIGHTS)],
            "contribution": CONTRIBUTIONS[i % 3],
        }
        for i, name in enumerate(MANY_FACTOR_NAMES)
    ]


def api_requests() -> list[tuple[str, dict[str, Any]]]:
    """(label, request body) of every direct-API sample; all ask for an explanation."""
    protected = [
        {"factor": "age", "value": 52, "weight": 0.2, "contribution": "negative"},
        {"factor": "zip_code", "value": "10027", "weight": 0.1, "contribution": "negative"},
        {"factor": "years_experience", "value": 2, "weight": 0.7, "contribution": "negative"},
    ]
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


def boundary_dates(
    notice: date | None, audit: date | None, today: date, holiday_country: str, notice_days: int = 10
) -> list[tuple[str, date]]:
    """(label, decision date) on both sides of where notice_too_late and bias_audit_expired change.

    Only dates up to today: a decision may not lie in the future. A window that a holiday shortens is
    included when there is one, so a count of weekdays alone is told apart from a count of business days.
    """
    found: list[tuple[str, date]] = []
    if notice is not None:
        enough = _first_day_with(notice, notice_days, holiday_country)
        found += [
            (f"a decision on {enough}, the {notice_days}th business day after the notice ({notice})", enough),
            (
                f"a decision on {enough - timedelta(days=1)}, a day short of {notice_days} business days after "
                f"the notice ({notice})",
                enough - timedelta(days=1),
            ),
        ]
        weekdays_only = _first_day_with(notice, notice_days, None)
        if weekdays_only != enough:
            found.append(
                (
                    f"a decision on {weekdays_only}, {notice_days} weekdays but fewer business days after the "
                    f"notice ({notice}): a federal holiday lies between",
                    weekdays_only,
                )
            )
    if audit is not None:
        anniversary = calendar.one_year_after(audit)
        found += [
            (
                f"a decision on {audit - timedelta(days=1)}, the day before the bias audit ({audit})",
                audit - timedelta(days=1),
            ),
            (f"a decision on {anniversary}, a year after the bias audit ({audit})", anniversary),
            (
                f"a decision on {anniversary + timedelta(days=1)}, more than a year after the bias audit ({audit})",
                anniversary + timedelta(days=1),
            ),
        ]
    unique = {day: label for label, day in reversed(found)}
    return [(label, day) for day, label in sorted(unique.items()) if day <= today]


def _first_day_with(start: date, count: int, country: str | None) -> date:
    day = start
    while calendar.business_days_between(start, day, country) < count:
        day += timedelta(days=1)
    return day


def noon_in_new_york(day: date) -> str:
    return datetime.combine(day, DECISION_HOUR, calendar.NEW_YORK).isoformat()


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
            return SampleProblem(
                "EVT-001",
                "no-server-error",
                f"no explanation for sample '{label}': POST /decision-event got no answer ({type(exc).__name__})",
                (self.client.exchanges[-1],),
            )
        exchange = self.client.exchanges[-1]
        created = json_dict(response)
        doing = f"sample '{label}': POST /decision-event with requestExplanation true answered"
        if response.status_code >= 500:
            return SampleProblem("EVT-001", "no-server-error", f"{doing} {response.status_code}", (exchange,))
        if response.status_code != 201:
            return SampleProblem(
                "EVT-001",
                "schema",
                f"{doing} {response.status_code}: a valid request was refused ({_one_line(response.text)})",
                (exchange,),
            )
        ids = {
            name: created[name] for name in ("decisionEventId", "explanationId") if isinstance(created.get(name), str)
        }
        if "explanationId" not in ids or not isinstance(created.get("internalMemo"), dict):
            return SampleProblem("EXPL-001", "present", f"{doing} 201 without an explanation and memo", (exchange,))
        flags = created.get("complianceFlags")
        return ExplanationSample(
            label,
            "api",
            body,
            ids,
            _object(created, "candidateMessage"),
            _object(created, "internalMemo"),
            flags if isinstance(flags, list) else [],
            (exchange,),
        )

    def from_webhook(self, label: str, source: str, body: bytes) -> ExplanationSample | None:
        """The webhook's explanation, read back; None when there is none to read.

        Whether webhook decisions get one, and whether deliveries are accepted, is what EXPL-003 and SIG
        report, so such a sample is left out here.
        """
        secret = self.run.config.credential(WEBHOOK_SECRETS[source])
        if not secret or not self.run.config.webhook_explanations:
            return None
        delivery = sign(source, body, secret)
        try:
            ack = self.client.post(delivery.path, headers=delivery.headers, content=delivery.body)
            answer = json_dict(ack)
            explanation_id = answer.get("explanationId")
            if ack.status_code != 200 or outcome(answer) != "recorded" or not isinstance(explanation_id, str):
                return None
            read = self.client.get(f"/explanations/{explanation_id}", key=self.key)
        except httpx.HTTPError:
            return None
        if read.status_code != 200:
            return None
        explanation = json_dict(read)
        ids = {"decisionEventId": str(answer["decisionEventId"]), "explanationId": explanation_id}
        return ExplanationSample(
            label,
            source,
            None,
            ids,
            _object(explanation, "candidateMessage"),
            _object(explanation, "internalMemo"),
            None,
            tuple(self.client.exchanges[-2:]),
        )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:160]


def _object(body: dict[str, Any], name: str) -> dict[str, Any]:
    """A missing or mistyped message or memo reads as empty, which the rules then report."""
    value = body.get(name)
    return value if isinstance(value, dict) else {}


def _memo_date(samples: list[ExplanationSample], record: str) -> date | None:
    """The deployment's notice or audit date, as its first memo that records a valid one says."""
    for sample in samples:
        value = sample.memo.get(record)
        try:
            return calendar.parse_date(value.get("date") if isinstance(value, dict) else None)
        except ValueError:
            continue
    return None


def collect(collector: SampleCollector) -> ExplanationSamples:
    found = ExplanationSamples()
    for label, body in api_requests():
        found.add(collector.from_api(label, body))
    config = collector.run.config
    today = datetime.now(calendar.NEW_YORK).date()
    dates = boundary_dates(
        _memo_date(found.samples, "notice"),
        _memo_date(found.samples, "biasAudit"),
        today,
        config.holiday_country,
        config.notice_business_days,
    )
    for label, day in dates:
        found.add(
            collector.from_api(
                label, payloads.decision_event(decisionTimestamp=noon_in_new_york(day), jobTitle="Data Analyst")
            )
        )
    found.add(collector.from_webhook("a Greenhouse rejection web hook", "greenhouse", payloads.greenhouse()))
    found.add(collector.from_webhook("a Workday disposition event", "workday", payloads.workday()))
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
        yield collect(collector)
    finally:
        collector.client.close()


# -- a Lever delivery recorded just inside its window, sent again once past it (SIG-006 lever-seen) -----

LEVER_WINDOW_S = 24 * 3600


@dataclass(frozen=True)
class LeverMargins:
    """How far inside the 24 hours the first delivery is (the time it takes to arrive and be judged, and
    more), and how far past them the retry is."""

    inside_s: float
    past_s: float


#: A target on this host reads our own clock: the margins cover only the time a delivery takes to arrive.
SAME_CLOCK = LeverMargins(inside_s=1.0, past_s=0.3)
#: Elsewhere they cover a clock that differs from ours by up to the Date header's resolution, and more.
OTHER_CLOCK = LeverMargins(inside_s=2.0, past_s=0.5)
LEVER_SEEN_CHECK = "test_lever_delivery_already_recorded_is_a_duplicate_whatever_its_age"


def sign_lever(secret: str, body: dict[str, Any], triggered_at_ms: int) -> bytes:
    return json.dumps(lever_sign_body(secret, body, triggered_at_ms=triggered_at_ms)).encode()


@dataclass
class LeverDelivery:
    """A Lever delivery triggered 24 hours ago less a moment, recorded when the run starts.

    Lever retries keep their triggeredAt, so a delivery recorded inside the window must still be a
    duplicate when a retry arrives after it (contract SIG-006). Sending it at the start of the run lets
    the retry come later without the run waiting for it.
    """

    body: bytes
    retry_after: float  # time.monotonic() from which the delivery's triggeredAt is past the 24 hours
    answer: dict[str, Any] | None
    problem: str | None = None

    def first(self) -> dict[str, Any]:
        if self.answer is None:
            raise NotShown(f"not shown: a Lever delivery just inside the 24 hours was not recorded: {self.problem}")
        return self.answer

    def wait_until_past_the_window(self) -> None:
        time.sleep(max(self.retry_after - time.monotonic(), 0.0))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The Lever retry waits until its delivery is past 24 hours old: its check comes after the others the
    pytest process answers (the plugin's order keeps it there), so they run during that wait."""
    items.sort(key=lambda item: getattr(item, "originalname", item.name) == LEVER_SEEN_CHECK)


def _target_clock(client: TargetClient) -> tuple[float, LeverMargins]:
    """The target's clock where its Date header shows it visibly off ours (one-second resolution), and the
    margins that clock allows: a loopback target that agrees with us shares our clock."""
    local = time.time()
    ours = SAME_CLOCK if _is_loopback(client.base_url) else OTHER_CLOCK
    try:
        date = client.get("/health").headers.get("date")
        remote = parsedate_to_datetime(date).timestamp() + 0.5 if date else local
    except (httpx.HTTPError, TypeError, ValueError):
        return local, ours
    return (remote, OTHER_CLOCK) if abs(remote - local) > 3 else (local, ours)


def _is_loopback(base_url: str) -> bool:
    host = httpx.URL(base_url).host
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(scope="session", autouse=True)
def lever_near_the_window(request: pytest.FixtureRequest) -> Iterator[LeverDelivery | None]:
    """Sent as the run starts, and only when the check that needs it runs (and a Lever secret is set)."""
    run = request.config.stash.get(RUN_KEY, None)
    wanted = any(getattr(item, "originalname", item.name) == LEVER_SEEN_CHECK for item in request.session.items)
    secret = run.config.credential("WEBHOOK_SECRET_LEVER") if run is not None else None
    if run is None or not wanted or not secret:
        yield None
        return
    client = TargetClient(run.base_url, run.config.timeout)
    try:
        started = time.monotonic()
        now, margins = _target_clock(client)
        triggered_at = int((now - LEVER_WINDOW_S + margins.inside_s) * 1000)
        delivery = sign_lever(secret, payloads.lever(), triggered_at)
        try:
            answer = client.post("/webhook/lever", headers={"Content-Type": "application/json"}, content=delivery)
            recorded: dict[str, Any] | None = (
                json_dict(answer) if answer.status_code == 200 and outcome(json_dict(answer)) == "recorded" else None
            )
            problem = None if recorded else f"HTTP {answer.status_code} {_one_line(answer.text)}"
        except httpx.HTTPError as exc:
            recorded, problem = None, f"no answer ({type(exc).__name__})"
        yield LeverDelivery(delivery, started + margins.inside_s + margins.past_s, recorded, problem)
    finally:
        client.close()


# -- the OpenAPI campaign, read by test_openapi.py's checks and started with the run -----------------

PROBE_ONLY = frozenset({"AUTH-001", "AUTH-002"})
CAMPAIGN_KEY: pytest.StashKey[list[Future[FuzzReport]]] = pytest.StashKey()


def campaign_plan(run: Run, items: list[pytest.Item]) -> tuple[int, int]:
    """The seed and the cases per operation of the run's campaign, for the selected checks that read it.

    Without `--seed` a seed is drawn, and named in every failure message. The AUTH checks repeat accepted
    requests without valid credentials; the guide's example and the reads of its IDs are accepted requests
    enough, so a run of only those checks generates nothing.
    """
    seed = run.config.seed if run.config.seed is not None else secrets.randbelow(2**31)
    selected = {rid for item in items if _reads_the_campaign(item) for rid in requirement_ids(item)}
    return seed, 0 if selected <= PROBE_ONLY else run.config.fuzz_examples


def _reads_the_campaign(item: pytest.Item) -> bool:
    return "campaign" in getattr(item, "fixturenames", ())


def pytest_collection_finish(session: pytest.Session) -> None:
    """Hand the campaign's parts to the worker processes before any check runs, when the run has workers.

    Its generation takes seconds of CPU; in workers, side by side, it overlaps every check the main process
    answers, and no one part keeps the run waiting after the others are done.
    """
    run, pool = session.config.stash.get(RUN_KEY, None), session.config.stash.get(POOL_KEY, None)
    if run is None or pool is None or not run.config.credential(API_KEY):
        return
    if any(_reads_the_campaign(item) for item in session.items):
        plan = campaign_plan(run, session.items)
        session.config.stash[CAMPAIGN_KEY] = [
            pool.submit(campaign_against, run.config, run.base_url, *plan, part) for part in CAMPAIGN_PARTS
        ]


@pytest.fixture(scope="session")
def campaign(request: pytest.FixtureRequest) -> FuzzReport:
    """Every generated case of the run, sent and checked once for all the checks that read it: from the
    workers its parts were handed to, or run here and now when the run has no workers."""
    run = request.config.stash.get(RUN_KEY, None)
    if run is None:
        pytest.skip("conformance checks run only with --target")
    if not run.config.credential(API_KEY):
        pytest.skip(f"set {API_KEY} ({CREDENTIAL_VARIABLES[API_KEY]}) to run this check")
    started = request.config.stash.get(CAMPAIGN_KEY, None)
    if started is None:
        return campaign_against(run.config, run.base_url, *campaign_plan(run, request.session.items))
    try:
        return FuzzReport.merged(part.result() for part in started)
    except BrokenProcessPool:
        raise RuntimeError("the worker process running the OpenAPI campaign died before it finished") from None
