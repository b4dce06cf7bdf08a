"""Schemathesis over the project's OpenAPI document, driven from Python, reported by catalog requirement.

The document (`schemas/openapi.yaml`) is the project's, never the one a target serves: EVT-002 asks that
every response match *the project's* document, so a deployment cannot pass by publishing a looser one.

One campaign generates positive and negative requests for each direct-API operation, sends them with the
run's key, and runs Schemathesis's standard checks on every response, one check at a time so each failure
keeps the name of the check that raised it (that name decides the requirement). Webhook operations are
authenticated by signatures a generator cannot produce, so there the campaign only asks that unsigned or
garbage deliveries get a 4xx, never a 2xx or a 5xx, and with fewer examples than the direct API.

Only Schemathesis's fuzzing phase runs (Hypothesis generation, under the run's seed), plus fixed cases: the
guide's example and reads of the IDs it returns, which give ignored_auth accepted requests to repeat
without credentials. Generation is what a campaign spends its time on, so the coverage phase (over a
hundred boundary cases for the decision event alone) and the stateful phase are left out; the suite's
EVT checks send the boundary cases that matter one by one. `/health` and `/openapi.json` are fuzzed under
the base path only: the root copies are the same handlers, and the suite checks that they are served.

Schemathesis is imported only when a campaign runs: collecting the suite (and `--requirement` runs that
deselect these checks) stays free of its import cost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from nyc_hiring.schemas import contract

from . import payloads
from .bounded_requests import bounded_session, schemathesis_sessions_bounded, truncated_at
from .client import Exchange, TargetClient, curl_command
from .config import BASE_PATH, HarnessConfig
from .judge import body_mismatch
from .served_openapi import ServedDocument, served_document

if TYPE_CHECKING:
    from typing import TypeAlias

    import requests
    from schemathesis import APIOperation, Case, Response
    from schemathesis.core.failures import Failure
    from schemathesis.specs.openapi.schemas import OpenApiSchema

    Operation: TypeAlias = APIOperation[Any, Any, Any, Any]
    GeneratedCase: TypeAlias = Case[Any]

Clause = tuple[str, str]  # (requirement ID, clause ID)
API_KEY = "NYC_HIRING_API_KEY"  # the key every generated request is sent with

# Schemathesis's check names → the catalog requirement clause their failures break. Its checks of status
# codes, media types, headers and response schemas judge by the generating document, which is the
# reference server's choice; the harness's own contract_schema and served_openapi checks replace them.
CHECK_REQUIREMENTS: dict[str, Clause] = {
    "not_a_server_error": ("EVT-001", "no-server-error"),
    "negative_data_rejection": ("EVT-001", "schema"),
    "positive_data_acceptance": ("EVT-001", "schema"),
    "ignored_auth": ("AUTH-002", "malformed"),
}
# The harness's own checks over the same exchanges.
HARNESS_CHECK_REQUIREMENTS: dict[str, Clause] = {
    "answered": ("EVT-001", "no-server-error"),  # an answer within the timeout: never a hang or a dropped connection
    "unsigned_webhook_refused": ("SIG-004", "missing"),  # unsigned or garbage deliveries get no 2xx
    "contract_schema": ("EVT-002", "contract-schemas"),  # every body matches the contract's schema for it
    "served_openapi": ("EVT-002", "served-openapi"),  # and what the deployment's own document declares
}
# ignored_auth says which credentials got through: none (AUTH-001) or bad ones (AUTH-002).
AUTH_SCENARIO_REQUIREMENTS: dict[str, Clause] = {
    "no_auth": ("AUTH-001", "status"),
    "invalid_auth": ("AUTH-002", "malformed"),  # Schemathesis sends a credential of no key's format
    "generated_auth": ("AUTH-002", "malformed"),
}

RESPONSE_CHECKS = ("not_a_server_error", "negative_data_rejection", "positive_data_acceptance")
DECISION_EVENT = "POST /decision-event"
WEBHOOK_OPERATIONS = ("POST /webhook/greenhouse", "POST /webhook/lever", "POST /webhook/workday")
READ_OPERATIONS = {
    "GET /decision-events/{decisionEventId}": ("decisionEventId", "decisionEventId"),
    "GET /explanations/{explanationId}": ("explanationId", "explanationId"),
}
#: The campaign in parts that worker processes run side by side, about equal in generation time; in this
#: order, one process runs them all. The reads are in the decision event's part: they read its IDs.
CAMPAIGN_PARTS: tuple[tuple[str, ...], ...] = (
    (DECISION_EVENT, *READ_OPERATIONS),
    ("GET /health", "GET /openapi.json", *WEBHOOK_OPERATIONS),
)
EVERY_OPERATION = tuple(name for part in CAMPAIGN_PARTS for name in part)

# Schema-valid requests the contract still refuses: the timestamp pattern admits month 13 and future
# instants (422), and a decision already recorded is a duplicate (409).
TOLERATED_POSITIVE_REJECTIONS: dict[str, frozenset[int]] = {DECISION_EVENT: frozenset({409, 422})}

REVEALING: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("stack-trace", "a stack trace", re.compile(r"Traceback \(most recent call last\)")),
    ("file-path", "a source location", re.compile(r'File "[^"\n]+", line \d+')),
    ("file-path", "a file path", re.compile(r"site-packages/|/usr/lib/python|/home/[a-z_][a-z0-9_-]*/")),
    ("sql", "a database error", re.compile(r"\bsqlite3\.\w+|\bpsycopg2?\.\w+|OperationalError")),
    ("sql", "SQL", re.compile(r"\bSELECT\s+[\w*,\s]+\s+FROM\s+\w+|\bINSERT\s+INTO\s+\w+")),
)
MAX_CURL_IN_LINE = 1200
_TIMESTAMP = re.compile(r"^.{19}(?P<fraction>\.[0-9]{1,9})?(?P<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})?$", re.DOTALL)


def requirements_for(check: str, scenario: str | None = None) -> Clause:
    """The requirement clause a failure of `check` breaks; an auth failure names the one its scenario breaks."""
    if check == "ignored_auth" and scenario in AUTH_SCENARIO_REQUIREMENTS:
        return AUTH_SCENARIO_REQUIREMENTS[scenario]
    if check in CHECK_REQUIREMENTS:
        return CHECK_REQUIREMENTS[check]
    return HARNESS_CHECK_REQUIREMENTS[check]


def webhook_examples(max_examples: int) -> int:
    """A fifth of the budget: without a signature every delivery stops at the same 401."""
    return max(2, max_examples // 5) if max_examples > 0 else 0


# -- failures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FuzzFailure:
    """One failed check on one exchange; failures with the same `key` are one distinct failure."""

    operation: str  # "POST /decision-event", as the contract names it
    check: str
    requirement: Clause
    status: int | None
    detail: str
    exchange: Exchange | None = None
    identity: str = ""  # what makes two failures of one check the same; the detail when empty

    @property
    def key(self) -> tuple[str, str, int | None, str]:
        return self.operation, self.check, self.status, self.identity or self.detail

    def line(self, secrets: Mapping[str, str]) -> str:
        """The one line the report shows: operation, check, status, what broke, and how to reproduce it."""
        status = f"HTTP {self.status}" if self.status is not None else "no answer"
        text = f"{self.operation}: {self.check} failed ({status}): {self.detail}"
        if self.exchange is not None:
            curl = curl_command(self.exchange, secrets)
            if len(curl) > MAX_CURL_IN_LINE:
                curl = curl[:MAX_CURL_IN_LINE] + "... (the full command is in the evidence)"
            text += f"; reproduce: {curl}"
        return text


@dataclass
class FuzzReport:
    seed: int
    requests: int = 0
    failures: list[FuzzFailure] = field(default_factory=list)
    unsent: int = 0  # generated cases the HTTP client could not put on the wire (not the target's fault)
    auth_probed: list[str] = field(default_factory=list)  # operations whose credentials were probed

    @classmethod
    def merged(cls, parts: Iterable[FuzzReport]) -> FuzzReport:
        """The campaign's parts as one report, in the order the parts are given (one seed drew them all)."""
        reports = list(parts)
        whole = cls(seed=reports[0].seed if reports else 0)
        for part in reports:
            whole.requests += part.requests
            whole.failures.extend(part.failures)
            whole.unsent += part.unsent
            whole.auth_probed.extend(name for name in part.auth_probed if name not in whole.auth_probed)
        return whole

    def distinct(self, requirement: str) -> list[FuzzFailure]:
        """The first of each distinct failure breaking `requirement`, in the order found."""
        seen: dict[tuple[str, str, int | None, str], FuzzFailure] = {}
        for failure in self.failures:
            if failure.requirement[0] == requirement and failure.key not in seen:
                seen[failure.key] = failure
        return list(seen.values())


def failure_message(failures: Iterable[FuzzFailure], secrets: Mapping[str, str], seed: int) -> str:
    """One line per distinct failure (the report shows the first), then how to generate the same cases."""
    lines = [failure.line(secrets) for failure in failures]
    lines.append(f"(Schemathesis cases generated with --seed {seed}; the same seed generates the same cases)")
    return "\n".join(lines)


# -- realistic positive decision events ------------------------------------------------------------


def realistic_timestamp(generated: str, now: datetime) -> str:
    """A past instant in the generated value's shape (fraction digits, `Z`, offset or none).

    The schema's pattern admits month 13 and future instants, which the contract answers with 422; a
    real past instant lets positive cases reach 201 and exercise the success responses. Offsets are kept
    within the ±14:00 real clocks use and the instant two days back, so any offset leaves it in the past.
    """
    match = _TIMESTAMP.match(generated)
    if match is None:
        return generated
    offset = match["offset"] or ""
    if offset[:1] in ("+", "-"):
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        if hours >= 14 or minutes >= 60:
            hours, minutes = min(hours, 14), 0
        offset = f"{offset[0]}{hours:02d}:{minutes:02d}"
    moment = now.astimezone(UTC) - timedelta(days=2)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (match["fraction"] or "") + offset


def unique_candidate(generated: Any) -> Any:
    """The generated ID behind a per-run unique prefix, so no two cases (or runs) share a natural key."""
    if not isinstance(generated, str):
        return generated
    return (payloads.unique("fuzz") + "~" + generated)[:256]


def unique_idempotency_key(generated: Any) -> Any:
    """A fresh key of the generated form (sf-string or bare token): a reused key is a 422 by design."""
    if not isinstance(generated, str) or not generated:
        return generated
    fresh = payloads.unique("fuzz-key")
    return f'"{fresh}"' if generated.startswith('"') else fresh


def realistic_decision(body: Any, now: datetime) -> Any:
    """A positive body that records a new decision: unique candidate, real past timestamp, rest as drawn."""
    if not isinstance(body, dict):
        return body
    changed = dict(body)
    if "candidateIdRaw" in changed:
        changed["candidateIdRaw"] = unique_candidate(changed["candidateIdRaw"])
    if isinstance(changed.get("decisionTimestamp"), str):
        changed["decisionTimestamp"] = realistic_timestamp(changed["decisionTimestamp"], now)
    return changed


# -- exchanges and leaks ---------------------------------------------------------------------------


def exchange_of(response: Response) -> Exchange:
    """Schemathesis's response (with the request it answered) in the form the reports show."""
    request = response.request
    body = request.body if isinstance(request.body, str | bytes) else b""
    return Exchange(
        method=str(request.method),
        url=str(request.url),
        request_headers={name: _header_text(value) for name, value in request.headers.items()},
        request_body=body.encode() if isinstance(body, str) else body,
        status=response.status_code,
        response_headers={name: ", ".join(values) for name, values in response.headers.items()},
        response_body=response.content or b"",
        truncated_at=truncated_at(request),
    )


def _header_text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def revealed(exchange: Exchange, secrets: Mapping[str, str]) -> tuple[Clause, str] | None:
    """The clause and what the response reveals (a stack trace, path, SQL, a configured credential)."""
    body = exchange.response_body.decode("utf-8", errors="replace")
    headers = "\n".join(f"{name}: {value}" for name, value in exchange.response_headers.items())
    for clause, label, pattern in REVEALING:
        found = pattern.search(body + "\n" + headers)
        if found:
            return ("EVT-003", clause), f"the response reveals {label}: {' '.join(found.group(0).split())[:80]!r}"
    for name, value in secrets.items():
        if value and value in body:
            return ("AUTH-005", "body"), f"the response body contains the value of ${name}"
        if value and value in headers:
            return ("AUTH-005", "headers"), f"a response header contains the value of ${name}"
    return None


# -- the campaign ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FuzzSettings:
    base_url: str  # the API base path URL, as the run resolved it (…/api/v1/nyc-hiring)
    api_key: str
    max_examples: int  # generated cases per operation; 0 sends only the fixed cases (and probes their auth)
    seed: int
    timeout: float = 10.0
    secrets: Mapping[str, str] = field(default_factory=dict)
    served: ServedDocument | None = None  # the deployment's own document, when it serves a usable one

    @property
    def root(self) -> str:
        """The document's paths carry the base path, so Schemathesis is pointed at what precedes it."""
        return self.base_url.removesuffix(BASE_PATH)


class Campaign:
    """Generates, sends and checks; collects every failure instead of stopping at the first."""

    def __init__(self, settings: FuzzSettings, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.settings = settings
        self.clock = clock
        self.report = FuzzReport(seed=settings.seed)
        self.schema = document_schema()
        self.session: requests.Session = bounded_session(settings.base_url, settings.timeout)
        self.auth = {"Authorization": f"Bearer {settings.api_key}"}
        self.created: dict[str, str] = {}
        self.kinds: list[Failure] = []  # one of each distinct failure, as Schemathesis compares them

    def run(self, operations: Iterable[str] = EVERY_OPERATION) -> FuzzReport:
        """Every request for `operations`, Schemathesis's own probes included, within the run's deadline
        and body cap. A read learns the IDs it reads from the decision event before it, when there is one."""
        try:
            with schemathesis_sessions_bounded(self.settings.base_url, self.settings.timeout):
                for name in operations:
                    if name == DECISION_EVENT:
                        self._decision_events()
                    elif name in WEBHOOK_OPERATIONS:
                        self._webhook(name)
                    else:
                        self._direct(name)
        finally:
            self.session.close()
        return self.report

    # -- operations ------------------------------------------------------------------------------

    def operation(self, name: str) -> Operation:
        method, path = name.split(" ", 1)
        return self.schema[BASE_PATH + path][method]

    def _decision_events(self) -> None:
        """The guide's example first: its IDs feed the reads, and it is where auth is probed for sure."""
        operation = self.operation(DECISION_EVENT)
        example = operation.Case(body=payloads.decision_event(requestExplanation=True), media_type="application/json")
        response = self._check(DECISION_EVENT, example, self.auth)
        if response is not None and response.status_code == 201:
            created = _json_object(response.content)
            self.created = {
                key: value for key in ("decisionEventId", "explanationId") if isinstance(value := created.get(key), str)
            }
        for case in self._generate(operation, self.settings.max_examples):
            if _is_positive(case):
                case.body = realistic_decision(case.body, self.clock())
                if "Idempotency-Key" in (case.headers or {}):
                    case.headers["Idempotency-Key"] = unique_idempotency_key(case.headers["Idempotency-Key"])
            self._check(DECISION_EVENT, case, self.auth)

    def _direct(self, name: str) -> None:
        operation = self.operation(name)
        if name in READ_OPERATIONS:
            parameter, created_key = READ_OPERATIONS[name]
            if created_key in self.created:
                known = operation.Case(path_parameters={parameter: self.created[created_key]})
                self._check(name, known, self.auth)
        for case in self._generate(operation, self.settings.max_examples):
            self._check(name, case, self.auth)

    def _webhook(self, name: str) -> None:
        operation = self.operation(name)
        for case in self._generate(operation, webhook_examples(self.settings.max_examples)):
            response = self._send(name, case, {})
            if response is None:
                continue
            exchange = exchange_of(response)
            self._scan(name, exchange)
            self._run_checks(name, case, response, exchange, {}, ("not_a_server_error",))
            if response.status_code < 400:
                self._found(
                    name,
                    "unsigned_webhook_refused",
                    response.status_code,
                    "a delivery without a valid signature must be refused with 401",
                    exchange,
                )

    # -- generation, sending, checking -----------------------------------------------------------

    def _generate(self, operation: Operation, count: int) -> list[GeneratedCase]:
        """Up to `count` cases drawn by Hypothesis under the run's seed, positive and negative mixed.

        As in Schemathesis's own runs, the budget is per operation, not per mode: Hypothesis draws from
        both modes at once, and an operation without parameters or body has one case and nothing to negate.
        """
        import hypothesis
        from hypothesis import HealthCheck, Phase
        from hypothesis import strategies as st
        from hypothesis.errors import Unsatisfiable
        from schemathesis import GenerationMode

        if count <= 0:
            return []
        cases: list[GeneratedCase] = []
        strategy = st.one_of([operation.as_strategy(generation_mode=mode) for mode in GenerationMode])

        @hypothesis.settings(
            max_examples=count,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            verbosity=hypothesis.Verbosity.quiet,
            print_blob=False,
        )
        @hypothesis.seed(self.settings.seed)
        @hypothesis.given(strategy)
        def collect(case: GeneratedCase) -> None:
            cases.append(case)

        try:
            collect()
        except Unsatisfiable:
            return []
        return cases[:count]

    def _send(self, name: str, case: GeneratedCase, headers: dict[str, str]) -> Response | None:
        import requests

        try:
            response = case.call(
                base_url=self.settings.root, session=self.session, headers=headers, timeout=self.settings.timeout
            )
        except (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL, UnicodeError):
            self.report.unsent += 1  # a generated value the HTTP client refuses to put on the wire
            return None
        except requests.RequestException as exc:
            self._found(name, "answered", None, _unanswered(exc, self.settings.timeout), None)
            return None
        self.report.requests += 1
        return response

    def _check(self, name: str, case: GeneratedCase, headers: dict[str, str]) -> Response | None:
        response = self._send(name, case, headers)
        if response is None:
            return None
        exchange = exchange_of(response)
        self._scan(name, exchange)
        self._run_checks(name, case, response, exchange, headers, RESPONSE_CHECKS)
        if 200 <= response.status_code < 300 and name in _PROTECTED and name not in self.report.auth_probed:
            self.report.auth_probed.append(name)  # enforcement is a property of the operation: probe it once
            self._probe_auth(name, case, response, headers)
        return response

    def _run_checks(
        self,
        name: str,
        case: GeneratedCase,
        response: Response,
        exchange: Exchange,
        headers: dict[str, str],
        checks: Iterable[str],
    ) -> None:
        """A 5xx is EVT-001's failure; that the document does not list it is not reported again (EVT-002)."""
        if response.status_code >= 500:
            checks = [check for check in checks if check == "not_a_server_error"]
        tolerated = TOLERATED_POSITIVE_REJECTIONS.get(name, frozenset())
        for check in checks:
            if check == "negative_data_rejection" and not contract_refuses(name, case):
                continue  # refused by the generating document, but a choice the contract leaves open
            for failure in self._failures(case, response, headers, check, None):
                if check == "positive_data_acceptance" and response.status_code in tolerated:
                    continue
                detail = _summary(failure)
                if check == "not_a_server_error":
                    detail += f" {_snippet(response.content)}"
                self._found(name, check, response.status_code, detail, exchange, self._kind(failure))

    def _probe_auth(self, name: str, case: GeneratedCase, response: Response, headers: dict[str, str]) -> None:
        """Schemathesis re-sends the request without credentials and with invalid ones (ignored_auth)."""
        import requests
        from schemathesis.engine.recorder import ScenarioRecorder

        recorder = ScenarioRecorder(label=name)
        try:
            failures = self._failures(case, response, headers, "ignored_auth", recorder)
        except requests.RequestException as exc:
            self._found(
                name,
                "answered",
                None,
                "the same request without valid credentials: " + _unanswered(exc, self.settings.timeout),
                None,
            )
            return
        for failure in failures:
            probes = [interaction.response for interaction in recorder.interactions.values() if interaction.response]
            probe = probes[-1] if probes else response
            scenario = str(getattr(failure, "scenario", "")) or None
            self._found(
                name,
                "ignored_auth",
                probe.status_code,
                _summary(failure),
                exchange_of(probe),
                self._kind(failure),
                requirements_for("ignored_auth", scenario),
            )
            break  # one scenario's failure says enough: the others repeat it

    def _failures(
        self, case: GeneratedCase, response: Response, headers: dict[str, str], check: str, recorder: Any
    ) -> list[Failure]:
        import schemathesis.checks
        from schemathesis.core.failures import FailureGroup

        try:
            case.validate_response(
                response,
                checks=[getattr(schemathesis.checks, check)],
                headers=headers,
                transport_kwargs=self._transport_kwargs(headers),
                recorder=recorder,
            )
        except FailureGroup as group:
            return list(group.exceptions)
        return []

    def _transport_kwargs(self, headers: dict[str, str]) -> dict[str, Any]:
        return {"base_url": self.settings.root, "headers": dict(headers), "timeout": self.settings.timeout}

    def _scan(self, name: str, exchange: Exchange) -> None:
        leak = revealed(exchange, self.settings.secrets)
        if leak is not None:
            clause, detail = leak
            self._found(name, "no_internals_revealed", exchange.status, detail, exchange, requirement=clause)
        self._judge_body(name, exchange)

    def _judge_body(self, name: str, exchange: Exchange) -> None:
        """EVT-002: the body against the contract's schema for it, and the served document's."""
        schema = contract_schema_for(name, exchange.status)
        if schema is not None:
            mismatch = body_mismatch(schema, exchange.response_body)
            if mismatch:
                self._found(name, "contract_schema", exchange.status, mismatch, exchange)
        if self.settings.served is not None and exchange.status is not None:
            problem = self.settings.served.problem(
                exchange.method, exchange.url, exchange.status, exchange.response_body
            )
            if problem:
                self._found(name, "served_openapi", exchange.status, problem, exchange)

    def _kind(self, failure: Failure) -> str:
        """Schemathesis's own notion of "the same failure" (kind, operation and e.g. the schema path)."""
        code = getattr(failure, "code", type(failure).__name__)
        for index, known in enumerate(self.kinds):
            if known == failure:
                return f"{code}#{index}"
        self.kinds.append(failure)
        return f"{code}#{len(self.kinds) - 1}"

    def _found(
        self,
        name: str,
        check: str,
        status: int | None,
        detail: str,
        exchange: Exchange | None,
        identity: str = "",
        requirement: Clause | None = None,
    ) -> None:
        kept = exchange.trimmed() if exchange is not None else None  # what a report shows: failures add up
        self.report.failures.append(
            FuzzFailure(name, check, requirement or requirements_for(check), status, detail, kept, identity)
        )


_PROTECTED = frozenset({DECISION_EVENT, *READ_OPERATIONS})


def contract_refuses(name: str, case: GeneratedCase) -> bool:
    """Whether the contract itself makes this negative case invalid: only a decision-event body it pins.

    Headers (an Idempotency-Key's syntax), path IDs (opaque) and limits the contract leaves open are the
    deployment's choice, so a case negated there proves nothing when it is accepted.
    """
    if name != DECISION_EVENT or case.meta is None:
        return False
    body = case.body if isinstance(case.body, dict | list | str | int | float | bool) or case.body is None else None
    return contract.first_error("decision-event-request", body) is not None


def contract_schema_for(name: str, status: int | None) -> str | None:
    """The contract schema an answer to `name` with `status` must match; None where the contract has none."""
    if status is None:
        return None
    if 400 <= status < 500:
        return "problem"
    if name == DECISION_EVENT and status == 201:
        return "decision-event-created"
    if name == "GET /decision-events/{decisionEventId}" and status == 200:
        return "decision-event-record"
    if name == "GET /explanations/{explanationId}" and status == 200:
        return "explanation"
    return None


def _schemathesis_config() -> Any:
    """Explicit, so no schemathesis.toml found near the working directory changes what a run checks.

    EVT-001 asks a 4xx of every schema-violating request, whatever its code; 5xx answers are reported by
    not_a_server_error, so they are not repeated as rejected negative data. Credentials are the run's,
    never generated: a generated or missing Authorization only earns a 401 and spends the budget that
    schema violations should get; ignored_auth probes missing and invalid credentials instead.

    Cases come from the document and the seed alone: Schemathesis's analysis of literal values in an
    application's Python source is off, explicitly. A deployment's source is never here to read.
    """
    import schemathesis

    return schemathesis.Config.from_dict(
        {
            "generation": {"with-security-parameters": False},
            "analysis": {"constants": {"enabled": False}},
            "checks": {"negative_data_rejection": {"expected-statuses": ["4xx", "5xx"]}},
        }
    )


def _is_positive(case: GeneratedCase) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_positive


def _summary(failure: Failure) -> str:
    """The failure's title and the first line of its message, on one line."""
    message = next((line.strip() for line in str(failure.message or "").splitlines() if line.strip()), "")
    text = f"{failure.title}: {message}" if message and message != failure.title else str(failure.title)
    return " ".join(text.split())[:240]


def _unanswered(exc: Exception, timeout: float) -> str:
    import requests

    if isinstance(exc, requests.Timeout):
        return f"no answer within {timeout:g} s (a hang)"
    return f"no readable answer: the connection failed ({type(exc).__name__})"


def _snippet(content: bytes | None) -> str:
    text = " ".join((content or b"").decode("utf-8", errors="replace").split())
    return f"({text[:120]})" if text else "(empty body)"


def _json_object(content: bytes | None) -> dict[str, Any]:
    try:
        value = json.loads(content or b"")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def document_schema() -> OpenApiSchema:
    """The project's document as Schemathesis reads it, new for each campaign: Schemathesis keeps what it
    observes of a run's answers in the schema, and feeds it to later generation."""
    import schemathesis

    from nyc_hiring import schemas

    return schemathesis.openapi.from_dict(schemas.openapi_document(), config=_schemathesis_config())


def prepare_generation() -> None:
    """Draw one case of each operation, as a warm-up.

    A process's first schema and first draws fill Schemathesis's and Hypothesis's module-level caches
    (resolved references, compiled patterns, strategies), which costs a worker half a second before its
    first real case. Done once in the process workers are forked from, every worker starts with them
    filled. The draws are seeded and their cases dropped: they change nothing a campaign later draws under
    its own seed (a test holds that), and the campaign's own schema is a new one.
    """
    campaign = Campaign(FuzzSettings(base_url="http://127.0.0.1" + BASE_PATH, api_key="", max_examples=1, seed=0))
    try:
        for name in EVERY_OPERATION:
            campaign._generate(campaign.operation(name), 1)
    finally:
        campaign.session.close()


def run_campaign(settings: FuzzSettings, operations: tuple[str, ...] = EVERY_OPERATION) -> FuzzReport:
    """Generate, send and check every case; the report holds every failure found."""
    return Campaign(settings).run(operations)


def campaign_against(
    config: HarnessConfig,
    base_url: str,
    seed: int,
    max_examples: int,
    operations: tuple[str, ...] = EVERY_OPERATION,
) -> FuzzReport:
    """The run's campaign (or one of its parts), from what a worker process is given: the run's config and
    the target's URL.

    The served document is fetched here, so that a campaign in a worker leaves the main process free.
    """
    client = TargetClient(base_url, config.timeout)
    try:
        served = served_document(client)
    finally:
        client.close()
    settings = FuzzSettings(
        base_url=base_url,
        api_key=config.credential(API_KEY) or "",
        max_examples=max_examples,
        seed=seed,
        timeout=config.timeout,
        secrets=config.secrets(),
        served=served if isinstance(served, ServedDocument) else None,
    )
    return run_campaign(settings, operations)
