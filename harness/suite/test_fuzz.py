"""Generated cases (Hypothesis, harness/strategies.py): properties that must hold for every valid or
deliberately broken request, not just the hand-written ones.

Each check runs `--fuzz-examples` examples (quick: 25) from the run's `--seed` (a random one otherwise,
recorded with any failure). When a property fails, Hypothesis shrinks the example; the smallest failing
requests are saved under `<report-dir>/cases/` and the failure message names the file and the
`python -m nyc_hiring.harness replay` command that sends them again. Every answer is judged by harness.cases.judge
(status, schema, acknowledgement), the same code the replay uses, so a replay agrees with the check.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from nyc_hiring.harness import strategies
from nyc_hiring.harness.cases import Case, Step, save_case
from nyc_hiring.harness.client import TargetClient
from nyc_hiring.harness.context import Conformance
from nyc_hiring.harness.judge import Expectation, Observation, Problem, judge, judged_clauses
from nyc_hiring.harness.parallel import pooled
from nyc_hiring.harness.replay import accepting_clause
from nyc_hiring.harness.steps import NotShown, StepFailed
from nyc_hiring.harness.wire import SOURCES, WEBHOOK_SECRETS, Corruption, Signing, deliver, redelivery, uncorrupted

requirement = pytest.mark.requirement
T = TypeVar("T")

MESSAGE_LIMIT = 300  # the report keeps the first line of a failure, up to this length
JSON_TYPE = "application/json"
ACCEPTING = {"greenhouse": "SIG-001", "lever": "SIG-002", "workday": "SIG-003"}
REDELIVERED = {"greenhouse": "greenhouse-body", "lever": "lever-token", "workday": "workday-id"}
CREATED = Expectation((201,), "EVT-001", "schema", "decision-event-created")
INVALID = Expectation((422,), "EVT-001", "schema", "problem")


def acceptance(signing: Signing) -> tuple[str, str]:
    """The clause a correctly signed delivery tests: SIG-001 to SIG-003's `accepted`; an escaped Greenhouse
    body `raw-bytes`, a Workday signature listed after retired ones `any-entry`."""
    clause = "any-entry" if signing.retired_keys else accepting_clause(signing.source, signing.event.body)
    return ACCEPTING[signing.source], clause


def ignored(signing: Signing) -> Expectation:
    """SIG-007 for an event the deployment must ignore; a 401 is its signature not accepted."""
    return Expectation((200,), "SIG-007", "exactly-200", "webhook-ack", ack="ignored", refused_as=acceptance(signing))


def recorded(signing: Signing) -> Expectation:
    return Expectation((200,), *acceptance(signing), "webhook-ack", ack="recorded")


def refused(requirement_id: str, clause: str) -> Expectation:
    return Expectation((401,), requirement_id, clause, "problem")


def recorded_after_refusal(requirement_id: str, clause: str) -> Expectation:
    """Recording it is SIG-001 to SIG-003's business; a duplicate means the refused delivery was kept, which
    is SIG-004's `nothing-recorded` for a delivery refused for its signature, SIG-006's clause for a stale one."""
    kept = (requirement_id, clause) if requirement_id == "SIG-006" else ("SIG-004", "nothing-recorded")
    return Expectation((200,), *kept, "webhook-ack", ack="recorded", precondition=True, kept_when="duplicate")


def duplicate_of(index: int, source: str) -> Expectation:
    return Expectation((200,), "IDEM-004", REDELIVERED[source], "webhook-ack", ack="duplicate", same_event_as=index)


def conflict_with(index: int) -> Expectation:
    return Expectation((409,), "IDEM-001", "conflict", "problem", problem_code="duplicate_event", same_event_as=index)


# -- running a property ----------------------------------------------------------------------------


class Trail:
    """The requests of the example being run. Hypothesis runs the shrunk failing example last, so after
    it re-raises, `failure` holds exactly the requests that make up the case."""

    def __init__(self, conformance: Conformance) -> None:
        self.conformance = conformance
        self.steps: list[Step] = []
        self.observed: list[Observation] = []
        self.failure: tuple[list[Step], list[Observation], Problem] | None = None
        self.unshown: str | None = None  # the first example whose precondition failed, when none could run

    def begin(self) -> None:
        self.steps, self.observed = [], []
        self.conformance.generated_cases += 1

    def send(self, step: Step) -> None:
        """Send one request; a difference fails its clause, a failed precondition discards the example."""
        observation = self._exchange(step)
        problems = judge(step.expected, observation, self.observed)
        self.steps.append(step)
        self.observed.append(observation)
        charged = [problem for problem in problems if not problem.precondition]
        if charged:
            self.failure = (list(self.steps), list(self.observed), charged[0])
            problem = charged[0]
            raise StepFailed(problem.requirement, problem.clause, f"{step.label}: {problem.message}")
        if problems:
            self.unshown = self.unshown or f"{step.label}: {problems[0].message}"
            reject()
        for requirement_id, clause in judged_clauses(step.expected, observation.status):
            self.conformance.steps.passed.setdefault(requirement_id, set()).add(clause)

    def _exchange(self, step: Step) -> Observation:
        try:
            response = self.conformance.client.request(step.method, step.path, headers=step.headers, content=step.body)
        except httpx.LocalProtocolError:
            raise  # the harness built a request HTTP cannot carry: its own bug, not the target's
        except httpx.TimeoutException:
            observation = Observation(None, error=f"no answer within {self.conformance.run.config.timeout:g} s")
        except httpx.TransportError as exc:
            observation = Observation(None, error=f"the connection failed ({type(exc).__name__})")
        else:
            observation = Observation.of(response)
        if observation.status is None or observation.status >= 500:
            self._reconnect()
        return observation

    def _reconnect(self) -> None:
        """A server that failed may drop the connection; the next example must not inherit that."""
        old = self.conformance.client
        old.close()
        self.conformance.client = TargetClient(old.base_url, old.timeout, old.exchanges)


def fuzz(
    conformance: Conformance, strategy: st.SearchStrategy[T], example: Callable[[Trail, T], None], description: str
) -> Trail:
    """Run `example` on `fuzz_examples` generated values; on failure save the shrunk case and fail with
    a one-line message naming it and the command that replays it."""
    config = conformance.run.config
    run_seed = config.seed if config.seed is not None else secrets.randbits(32)
    trail = Trail(conformance)

    @settings(
        max_examples=config.fuzz_examples,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        print_blob=False,
        report_multiple_bugs=False,
    )
    @hypothesis_seed(run_seed)
    @given(strategy)
    def prop(value: T) -> None:
        trail.begin()
        example(trail, value)

    try:
        prop()
    except Unsatisfiable:
        raise NotShown(
            f"not shown: no generated case got past the steps other requirements own; the first: {trail.unshown}"
        ) from None
    except Exception as exc:  # what Hypothesis re-raises once it has shrunk the failure
        raise _saved(conformance, trail, run_seed, description, exc) from exc
    return trail


def _saved(conformance: Conformance, trail: Trail, run_seed: int, description: str, exc: Exception) -> AssertionError:
    if trail.failure is None:
        return AssertionError(f"{description}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}")
    steps, observed, problem = trail.failure
    message = problem.message
    exchanges = conformance.client.exchanges
    del exchanges[: max(len(exchanges) - len(steps), 0)]  # the evidence is the saved case, not the search
    run = conformance.run
    check = conformance.check_id
    case = Case(
        problem.requirement,
        description,
        steps,
        observed,
        run_seed,
        check,
        "sandbox" if run.config.is_sandbox else run.base_url,
        {
            "rerun": f"pytest --target={run.config.target} --seed {run_seed} "
            f"--fuzz-examples {run.config.fuzz_examples} -k {check.rsplit('::', 1)[-1] or 'fuzz'}"
        },
    )
    path, command = save_case(case, run.config.report_dir, run.config.secrets(), run.base_url)
    suffix = f"; case saved: {command}"
    first = _fitted(steps[-1].label, message, MESSAGE_LIMIT - len(suffix))
    return StepFailed(
        problem.requirement,
        problem.clause,
        f"{first}{suffix}\n(seed {run_seed}; shrunk after {conformance.generated_cases} runs; case file {path})",
    )


def _fitted(label: str, problem: str, room: int) -> str:
    """The step and what went wrong in `room` characters: the step's label is cut before the problem is."""
    whole = f"{label}: {problem}"
    if len(whole) <= room:
        return whole
    label_room = room - len(problem) - 5
    if label_room >= 20:
        return f"{label[:label_room]}...: {problem}"
    if room - 28 >= 40:
        return f"{label[:20]}...: {problem[: room - 28]}..."
    return whole[: max(room - 3, 40)] + "..."  # too little room to choose: as much as fits, from the start


# -- building requests -----------------------------------------------------------------------------


def webhook_step(signing: Signing, secret: str, now: float, label: str, expected: Expectation) -> Step:
    delivery = deliver(signing, secret, now)
    return Step(label, "POST", delivery.path, delivery.headers, delivery.body, expected, signing.to_json())


def api_step(conformance: Conformance, body: Any, label: str, expected: Expectation) -> Step:
    headers = {"Content-Type": JSON_TYPE, "Authorization": f"Bearer {conformance.key}"}
    return Step(label, "POST", "/decision-event", headers, strategies.api_json(body), expected)


def configured_sources(conformance: Conformance, sources: tuple[str, ...]) -> dict[str, str]:
    """The sources whose secret is configured; the check skips when there is none."""
    found = {source: conformance.run.config.credential(WEBHOOK_SECRETS[source]) for source in sources}
    usable = {source: secret for source, secret in found.items() if secret}
    if not usable:
        pytest.skip("set " + " or ".join(WEBHOOK_SECRETS[source] for source in sources) + " to run this check")
    return usable


def _what(signing: Signing) -> str:
    retired = f" (listed after {signing.retired_keys} signatures under retired keys)" if signing.retired_keys else ""
    return f"POST /webhook/{signing.source} {signing.event.event}{retired}"


# -- (a) valid deliveries are accepted, and recorded once -------------------------------------------


def accepted_once(conformance: Conformance, source: str) -> None:
    secret = conformance.secret(source)

    def example(trail: Trail, signing: Signing) -> None:
        now = time.time()
        ignoring = signing.event.decision is None
        trail.send(
            webhook_step(
                signing,
                secret,
                now,
                f"{_what(signing)}, correctly signed",
                ignored(signing) if ignoring else recorded(signing),
            )
        )
        again = redelivery(signing)
        trail.send(
            webhook_step(
                again,
                secret,
                now,
                f"the same {source} delivery again (a retry)",
                ignored(again) if ignoring else duplicate_of(0, source),
            )
        )

    fuzz(
        conformance,
        strategies.signed(source),
        example,
        f"a correctly signed {source} event is acknowledged with 200 and recorded once",
    )


@requirement("SIG-001", "IDEM-004")
@pooled
def test_generated_greenhouse_events_are_accepted_and_recorded_once(conformance: Conformance) -> None:
    accepted_once(conformance, "greenhouse")


@requirement("SIG-002", "IDEM-004")
@pooled
def test_generated_lever_events_are_accepted_and_recorded_once(conformance: Conformance) -> None:
    accepted_once(conformance, "lever")


@requirement("SIG-003", "IDEM-004")
@pooled
def test_generated_workday_events_are_accepted_and_recorded_once(conformance: Conformance) -> None:
    accepted_once(conformance, "workday")


# -- (b) corrupted signed material is refused, and nothing is recorded ----------------------------


def refused_then_recorded(
    conformance: Conformance,
    sources: tuple[str, ...],
    corruptions: Callable[[str], st.SearchStrategy[Corruption]],
    description: str,
) -> None:
    """401 for the corrupted delivery; then the same delivery, correctly signed with the same identity,
    is *recorded*: a duplicate would mean the refused one had been kept."""
    secrets_by_source = configured_sources(conformance, sources)

    def example(trail: Trail, drawn: tuple[Signing, Corruption]) -> None:
        signing, corruption = drawn
        bad, secret, now = replace(signing, corruption=corruption), secrets_by_source[signing.source], time.time()
        requirement_id, clause = corruption.requirement(signing.source)
        trail.send(
            webhook_step(
                bad, secret, now, f"{_what(signing)} with {corruption.describe()}", refused(requirement_id, clause)
            )
        )
        if corruption.target == "timestamp" and signing.source == "lever":
            # Lever's dedup key includes triggeredAt, so only the same stale delivery shows it was kept.
            trail.send(
                webhook_step(
                    bad,
                    secret,
                    now,
                    "the same refused Lever delivery again (an ack means the first was kept)",
                    refused(requirement_id, clause),
                )
            )
        trail.send(
            webhook_step(
                uncorrupted(signing),
                secret,
                now,
                "then the same delivery correctly signed (a duplicate means the refused one was recorded)",
                recorded_after_refusal(requirement_id, clause),
            )
        )

    drawn = st.one_of(
        *(
            st.tuples(strategies.signed(source, decisions_only=True), corruptions(source))
            for source in secrets_by_source
        )
    )
    fuzz(conformance, drawn, example, description)


def _signature_faults(source: str) -> st.SearchStrategy[Corruption]:
    found = strategies.signature_corruptions(source)
    return st.one_of(found, strategies.signed_bytes_corruptions(source)) if source == "lever" else found


@requirement("SIG-004")
@pooled
def test_generated_bad_signatures_are_401_and_record_nothing(conformance: Conformance) -> None:
    refused_then_recorded(
        conformance,
        SOURCES,
        _signature_faults,
        "a delivery whose signature is missing, malformed, truncated, altered or made with the "
        "wrong secret is refused with 401 and records nothing",
    )


@requirement("SIG-005")
@pooled
def test_generated_bodies_altered_after_signing_are_401_and_record_nothing(conformance: Conformance) -> None:
    refused_then_recorded(
        conformance,
        ("greenhouse", "workday"),
        strategies.signed_bytes_corruptions,
        "a body changed after signing (a byte, re-serialised, whitespace) is refused with 401 and records nothing",
    )


@requirement("SIG-006")
@pooled
def test_generated_stale_or_future_deliveries_are_401_and_record_nothing(conformance: Conformance) -> None:
    refused_then_recorded(
        conformance,
        ("lever", "workday"),
        lambda _: strategies.timestamp_corruptions(),
        "a delivery timestamped outside the freshness window is refused with 401 and records nothing",
    )


# -- (c) valid decision events: 201 with a valid answer, then 409 --------------------------------


@requirement("EVT-001", "IDEM-001")
@pooled
def test_generated_decision_events_are_201_then_409_with_answers_matching_the_schemas(
    conformance: Conformance,
) -> None:
    def example(trail: Trail, body: dict[str, Any]) -> None:
        trail.send(api_step(conformance, body, "POST /decision-event with a valid generated body", CREATED))
        trail.send(api_step(conformance, body, "the same body again at once", conflict_with(0)))

    fuzz(
        conformance,
        strategies.decision_events(),
        example,
        "a valid decision event is recorded (201, answer matching the schemas), and a repeat is a 409 duplicate",
    )


# -- (d) invalid decision events: 422 problem details, never 5xx ----------------------------------


@requirement("EVT-001")
@pooled
def test_generated_bodies_with_a_wrong_type_or_size_are_422_problem_details(conformance: Conformance) -> None:
    def example(trail: Trail, invalid: strategies.InvalidBody) -> None:
        trail.send(api_step(conformance, invalid.body, f"POST /decision-event with {invalid.fault}", INVALID))

    fuzz(
        conformance,
        strategies.invalid_decision_events(),
        example,
        "a decision event with one wrong type or size is refused with 422 problem details, never a 5xx",
    )
