"""Hypothesis strategies for every payload the API receives, valid and deliberately broken.

Valid examples follow the formats as senders really write them (docs/sources.md, contract § 2 and § 3):
Greenhouse's escaped HTML (`\\u003c`), nulls where a field may be null, unicode names, Lever's
toArchived null for an unarchive, Workday bodies in the contract's shape, decision events with 0 to 100
factors and every optional field present, absent or null. Corruptions are strategies too, each a small
value (`harness.wire.Corruption`) that says exactly what it changes, so a failing example can be
re-signed later with the same fault (`harness.wire.deliver`, also used by `python -m nyc_hiring.harness replay
--resign`).

IDs are never drawn: each comes from the run's nonce and a counter (harness.payloads), because shrinking
re-runs an example many times against the same deployment, and drawn IDs would shrink to one value and
turn every re-run into a natural-key duplicate or a redelivery. Everything else comes from Hypothesis'
own choices, so the run's seed (a Hypothesis setting, never global random state) fixes the examples up
to those IDs.
"""

from __future__ import annotations

import json
import math
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from . import payloads
from .corruption import RESERIALISERS, WHITESPACE, WRONG_SCHEMES
from .wire import SOURCES, Corruption, Signing, WebhookEvent

SearchStrategy = st.SearchStrategy

# Fixed bounds, not "now": the same seed must give the same examples on any day. All lie in the past,
# so no decision timestamp is ever in the future (contract § 2).
EARLIEST = datetime(2019, 1, 1, tzinfo=UTC)
LATEST = datetime(2025, 6, 30, 23, 59, 59, tzinfo=UTC)
MAX_SHIFT_S = 30 * 24 * 3600

MAX_FACTORS = 100
TEXT_LIMITS = {"candidateIdRaw": 256, "jobIdRaw": 256, "aedtName": 200, "aedtVersion": 200, "jobTitle": 200}
# The lengths contract § 2 pins; a job title's, a factor name's and a factor value's are the deployment's
# to choose, so no generated case calls a longer one invalid.
PINNED_TEXT_LIMITS = {name: TEXT_LIMITS[name] for name in ("candidateIdRaw", "jobIdRaw", "aedtName", "aedtVersion")}
FACTOR_NAME_LIMIT = 100
FACTOR_VALUE_LIMIT = 500

# -- shared building blocks -----------------------------------------------------------------------

_TEXT = st.characters(codec="utf-8")
_ASCII_WORD = string.ascii_letters + string.digits


def unique_text(prefix: str) -> SearchStrategy[str]:
    """`prefix-<run nonce>-<n>`: a fresh value at every draw, whatever Hypothesis chose."""
    return st.just(prefix).map(payloads.unique)


def unique_number() -> SearchStrategy[int]:
    return st.just(0).map(lambda _: payloads.unique_number())


def text(max_size: int, min_size: int = 0) -> SearchStrategy[str]:
    return st.text(_TEXT, min_size=min_size, max_size=max_size)


def label_text(max_size: int) -> SearchStrategy[str]:
    """A non-blank label (`\\S` in the schema): it starts with an ASCII letter, so no engine's idea of
    whitespace can make it blank."""
    return st.tuples(st.sampled_from(string.ascii_letters), text(max_size - 1)).map("".join)


PERSON_NAMES = (
    "Zoë",
    "José",
    "Łukasz",
    "Nguyễn",
    "李",
    "Дмитрий",
    "O'Brien",
    "Ana-María",
    "Søren",
    "Ng",
    "Amélie",
    "Ólafur",
    "Chloé <Chloe>",
    "Smith & Sons",
    "Ｆｕｌｌ",
    "Ωmega",
)
PERSON_NAME = st.one_of(
    st.sampled_from(PERSON_NAMES), st.text(st.characters(categories=("L", "M")), min_size=1, max_size=30)
)
JOB_TITLES = (
    "Data Analyst",
    "Senior Product Designer",
    "Warehouse Associate",
    "Software Engineer II",
    "Ingeniero de datos",
    "Responsable RH",
    "R&D <Lab> Technician",
    "Développeuse back-end",
)
JOB_TITLE = st.one_of(st.sampled_from(JOB_TITLES), label_text(120))
REASONS = (
    "Too Junior",
    "Insufficient experience",
    "Wrong skill set",
    "Lacks SQL & Python",
    "Position filled",
    "Withdrew",
    "Salary <expectations>",
    "Überqualifiziert",
    "",
)
HTML_SNIPPETS = (
    "<p>Digital and print</p>",
    "<ul><li>SQL</li><li>Python</li></ul>",
    "R&D <b>team</b>",
    "a < b && c > d",
    "<p>Ωmega &amp; \u2028 line</p>",
)
FREE_TEXT = st.one_of(st.sampled_from(HTML_SNIPPETS), text(80), text(60).map(lambda t: f"<p>{t}</p>"))


def nullable(strategy: SearchStrategy[Any]) -> SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


# Seconds since EARLIEST plus microseconds: two draws where st.datetimes() makes seven, and it shrinks to
# EARLIEST all the same.
_SECONDS = st.integers(0, int((LATEST - EARLIEST).total_seconds()))
_MICROSECONDS = st.integers(0, 999_999)
_OFFSET_MINUTES = st.sampled_from((0, 60, -300, -240, 330, 345, 540, 600, -600, 840, -720, 570, 780))
_DIGITS = st.integers(0, 9)
_EXTRA_DIGITS = st.integers(0, 999)


@st.composite
def _timestamps(draw: st.DrawFn, kinds: st.SearchStrategy[str]) -> str:
    moment = EARLIEST + timedelta(seconds=draw(_SECONDS), microseconds=draw(_MICROSECONDS))
    kind = draw(kinds)
    suffix = kind if kind in ("Z", "z") else ""
    if kind == "offset":
        minutes = draw(_OFFSET_MINUTES)
        moment = moment.astimezone(timezone(timedelta(minutes=minutes)))
        sign = "-" if minutes < 0 else "+"
        suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    digits = draw(_DIGITS)
    fraction = f"{moment.microsecond:06d}{draw(_EXTRA_DIGITS):03d}"[:digits]
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if digits else "") + suffix


def timestamps(*, offsets: bool = True, naive: bool = False, lowercase_z: bool = False) -> SearchStrategy[str]:
    """An RFC 3339 date-time between EARLIEST and LATEST: 0-9 fraction digits, `Z` or a numeric offset
    (or none at all, when `naive`: what the guide's `datetime.now().isoformat()` sends)."""
    kinds = ["Z"] + (["offset"] if offsets else []) + (["none"] if naive else []) + (["z"] if lowercase_z else [])
    return _timestamps(st.sampled_from(kinds))


UTC_TIMESTAMPS = timestamps(offsets=False)  # Greenhouse writes UTC with Z (docs/sources.md#greenhouse)
NULLABLE_UTC_TIMESTAMPS = st.one_of(st.none(), UTC_TIMESTAMPS)
OFFSET_TIMESTAMPS = timestamps()
DECISION_TIMESTAMPS = timestamps(naive=True, lowercase_z=True)


def wire_json(value: Any, *, escape_html: bool, ascii_only: bool, indent: int | None) -> bytes:
    """JSON as a sender's library writes it. `escape_html` is Rails' and Go's habit (Greenhouse:
    "<p>" goes out as "\\u003cp\\u003e", docs/sources.md#greenhouse); those characters only occur inside strings,
    so replacing them after serialising is exact."""
    separators = (",", ": ") if indent is not None else (",", ":")
    raw = json.dumps(value, ensure_ascii=ascii_only, indent=indent, separators=separators)
    if escape_html:
        for char, escape in (
            ("<", "\\u003c"),
            (">", "\\u003e"),
            ("&", "\\u0026"),
            ("\u2028", "\\u2028"),
            ("\u2029", "\\u2029"),
        ):
            raw = raw.replace(char, escape)
    return raw.encode()


# -- webhook events -------------------------------------------------------------------------------


GREENHOUSE_ACTIONS = ("reject_candidate", "application_rejected", "candidate_stage_change", "hire_candidate")
_STAGE_STATUS = st.sampled_from(("active", "rejected", "hired"))
_BOOL = st.booleans()
# Fields no rule reads vary little between deliveries: a few realistic shapes of them (from the documented
# examples, docs/sources.md#greenhouse) keep each example cheap to draw, while everything the API reads is drawn.
_GH_APPLICATION_NOISE: SearchStrategy[dict[str, Any]] = st.sampled_from(
    (
        {
            "prospect": False,
            "source": {"id": 27, "public_name": "LinkedIn"},
            "credited_to": None,
            "current_stage": {"id": 2708728, "name": "Offer", "interviews": []},
            "custom_fields": {},
        },
        {
            "prospect": True,
            "source": None,
            "current_stage": None,
            "credited_to": {"id": 15, "email": "ada@example.com", "name": "Ada Lacey", "employee_id": "123ABC"},
            "custom_fields": {
                "custom_application_field": {
                    "name": "Custom Application Field",
                    "type": "short_text",
                    "value": "Example",
                }
            },
        },
        {
            "prospect": False,
            "source": {"id": 31, "name": "Agency <Partners> & Co"},
            "credited_to": None,
            "current_stage": {
                "id": 71416,
                "name": "Assessment",
                "interviews": [
                    {
                        "id": 113101,
                        "name": "Assessment",
                        "status": "to_be_scheduled",
                        "interview_kit": {
                            "url": "https://app.greenhouse.io/guides/113153/people/265772",
                            "content": "<p>Assess their skills</p>",
                            "questions": [],
                        },
                        "interviewers": [{"id": 2622, "display_name": "Carl Buddha", "status": "tentative"}],
                    }
                ],
            },
            "custom_fields": {},
        },
    )
)
_GH_REASON = nullable(
    st.fixed_dictionaries(
        {
            "id": st.just(14),
            "name": st.one_of(st.sampled_from(REASONS), text(60)),
            "type": st.sampled_from(
                ({"id": 3, "name": "Wrong skill set"}, {"id": 1, "name": "We rejected them"}, None)
            ),
        }
    )
)
_GH_DETAILS = nullable(st.just({"custom_fields": {}}))
_GH_CANDIDATE_NOISE: SearchStrategy[dict[str, Any]] = st.sampled_from(
    (
        {
            "title": None,
            "company": None,
            "created_at": "2013-10-04T01:24:48Z",
            "external_id": None,
            "photo_url": None,
            "is_private": False,
            "can_email": True,
            "phone_numbers": [],
            "email_addresses": [],
            "tags": [],
        },
        {
            "title": "Great Person",
            "company": "Initech",
            "created_at": "2024-09-30T13:41:07Z",
            "external_id": "241b399ce4b0fd1c84e5528d",
            "photo_url": None,
            "is_private": False,
            "can_email": True,
            "phone_numbers": [{"value": "330-281-8004", "type": "home"}],
            "email_addresses": [{"value": "candidate@example.com", "type": "personal"}],
            "tags": ["Imported"],
        },
        {
            "title": "Ingénieure <données>",
            "company": "R&D Ltd",
            "created_at": "2025-02-11T15:50:41Z",
            "external_id": None,
            "photo_url": None,
            "is_private": True,
            "can_email": False,
            "phone_numbers": [
                {"value": "+44 20 7946 0958", "type": "work"},
                {"value": "+1 212 555 0147", "type": "mobile"},
            ],
            "email_addresses": [{"value": "zoe.porter@example.com", "type": "work"}],
            "tags": ["Import from Previous ATS", "Referral"],
        },
    )
)
_GH_CANDIDATE = st.fixed_dictionaries({"first_name": PERSON_NAME, "last_name": PERSON_NAME})
_GH_JOB_NOISE = st.sampled_from(
    (
        {
            "requisition_id": None,
            "confidential": False,
            "status": "open",
            "opened_at": "2015-01-23T00:25:04Z",
            "closed_at": None,
        },
        {
            "requisition_id": "REQ-0042",
            "confidential": True,
            "status": "closed",
            "opened_at": None,
            "closed_at": "2025-06-30T17:00:00Z",
            "departments": [{"id": 237, "name": "Community & Ops"}],
        },
    )
)
_GH_JOBS = st.lists(
    st.fixed_dictionaries(
        {"id": st.integers(1, 10**7), "name": JOB_TITLE, "notes": nullable(FREE_TEXT), "noise": _GH_JOB_NOISE}
    ),
    min_size=1,
    max_size=2,
).map(lambda jobs: [{**{k: v for k, v in job.items() if k != "noise"}, **job["noise"]} for job in jobs])
_FLAT_SHAPE = st.integers(0, 4).map(lambda n: n == 0)  # the guide's flat shape (candidate_id, job_id), 1 in 5
_GH_JOB_ID = st.integers(1, 10**7)
_UNIQUE_NUMBER = unique_number()


@st.composite
def _greenhouse_application(draw: st.DrawFn, action: str) -> tuple[dict[str, Any], str]:
    status = (
        draw(_STAGE_STATUS)
        if action == "candidate_stage_change"
        else ("hired" if action == "hire_candidate" else "rejected")
    )
    decision = {"reject_candidate": "reject", "application_rejected": "reject", "hire_candidate": "hire"}.get(
        action, "reject" if status == "rejected" else "advance"
    )
    application_id, candidate_id = draw(_UNIQUE_NUMBER), draw(_UNIQUE_NUMBER)
    rejected = status == "rejected"
    application: dict[str, Any] = {
        "id": application_id,
        "rejected_at": draw(NULLABLE_UTC_TIMESTAMPS) if rejected else None,
        "status": status,
        "applied_at": draw(UTC_TIMESTAMPS),
        "last_activity_at": draw(NULLABLE_UTC_TIMESTAMPS),
        "url": f"https://app.greenhouse.io/people/{candidate_id}?application_id={application_id}",
        "rejection_reason": draw(_GH_REASON) if rejected else None,
        "rejection_details": draw(_GH_DETAILS) if rejected else None,
        **draw(_GH_APPLICATION_NOISE),
    }
    if draw(_FLAT_SHAPE):
        application["candidate_id"], application["job_id"] = candidate_id, draw(_GH_JOB_ID)
    else:
        application["candidate"] = {"id": candidate_id, **draw(_GH_CANDIDATE), **draw(_GH_CANDIDATE_NOISE)}
        application["jobs"] = draw(_GH_JOBS)
    return application, decision


_GH_ACTIONS = st.sampled_from(GREENHOUSE_ACTIONS)
# Built once: a strategy made inside a draw is validated again at every draw.
_GH_APPLICATIONS = {action: _greenhouse_application(action) for action in GREENHOUSE_ACTIONS}
_INDENT = st.sampled_from((None, None, 2))


@st.composite
def greenhouse_events(draw: st.DrawFn) -> WebhookEvent:
    """A Greenhouse application event as Greenhouse writes it: HTML escaped as `\\u003c`, non-ASCII either
    escaped or raw UTF-8, compact or indented (docs/sources.md#greenhouse)."""
    action = draw(_GH_ACTIONS)
    application, decision = draw(_GH_APPLICATIONS[action])
    body = wire_json(
        {"action": action, "payload": {"application": application}},
        escape_html=True,
        ascii_only=draw(_BOOL),
        indent=draw(_INDENT),
    )
    return WebhookEvent("greenhouse", action, decision, body)


LEVER_EVENTS = ("candidateStageChange", "candidateArchiveChange", "candidateArchived", "candidateHired")
_LEVER_CONTACT = nullable(unique_text("lever-contact"))
_LEVER_OPPORTUNITY = unique_text("lever-opportunity")
_LEVER_POSTING = nullable(st.sampled_from(("f2b4c6d8-0a1b-4c3d-8e5f-6a7b8c9d0e1f", "posting-42")))
_LEVER_FROM_STAGE = nullable(st.sampled_from(("lead-new", "applicant-new", "offer")))
_LEVER_TO_STAGE = st.sampled_from(("applicant-new", "phone-screen", "onsite", "offer"))
_LEVER_ARCHIVED = st.fixed_dictionaries(
    {
        "archivedAt": st.integers(1_500_000_000_000, 1_800_000_000_000),
        "reason": st.one_of(
            st.sampled_from(("9a1e4c7b-5d3f-4b8e-a2c6-1f0d8e7b6a54", "Underqualified", "Withdrew")), text(40)
        ),
    }
)
_LEVER_TO_ARCHIVED = st.sampled_from((True, True, False))


@st.composite
def _lever_events(draw: st.DrawFn, events: st.SearchStrategy[str], unarchive: bool) -> WebhookEvent:
    event = draw(events)
    opportunity = draw(_LEVER_OPPORTUNITY)
    data: dict[str, Any] = {"opportunityId": opportunity, "contactId": draw(_LEVER_CONTACT)}
    if draw(_BOOL):
        data["candidateId"] = opportunity  # the legacy alias, equal to opportunityId
    if draw(_BOOL):
        data["postingId"] = draw(_LEVER_POSTING)
    decision: str | None = {"candidateStageChange": "advance", "candidateHired": "hire"}.get(event, "reject")
    if event == "candidateStageChange":
        data["fromStageId"], data["toStageId"] = draw(_LEVER_FROM_STAGE), draw(_LEVER_TO_STAGE)
    elif event in ("candidateArchiveChange", "candidateArchived"):
        archived = draw(_LEVER_ARCHIVED)
        to_archived = draw(_LEVER_TO_ARCHIVED) if unarchive else True
        data["fromArchived"] = None if to_archived else archived
        data["toArchived"] = archived if to_archived else None
        decision = "reject" if to_archived else None
    body = json.dumps({"event": event, "data": data}, ensure_ascii=False).encode()
    return WebhookEvent("lever", event, decision, body)


def lever_events(events: tuple[str, ...] = LEVER_EVENTS, unarchive: bool = True) -> SearchStrategy[WebhookEvent]:
    """A Lever event before signing (docs/sources.md#lever): an archive with `toArchived` set rejects; with it null
    it is an unarchive, which is acknowledged and ignored (contract § 3)."""
    return _lever_events(st.sampled_from(events), unarchive)


WORKDAY_EVENTS = {
    "JobApplication.Dispositioned": "reject",
    "JobApplication.StageChanged": "advance",
    "JobApplication.Hired": "hire",
}
_WD_EVENT = st.sampled_from(tuple(WORKDAY_EVENTS))
_WD_REQUISITION = st.fixed_dictionaries(
    {"id": st.sampled_from(("JR-11111", "JR-20417", "REQ_0042")), "title": nullable(JOB_TITLE)}
)
_WD_STAGE = nullable(
    st.fixed_dictionaries({"name": st.sampled_from(("Screen", "Interview", "Offer", "Ready for Hire"))})
)
_WD_DISPOSITION = st.integers(0, 5).map(bool)  # present 5 times in 6 when dispositioned
_WD_DISPOSITION_BODY = nullable(
    st.fixed_dictionaries(
        {
            "reason": nullable(st.one_of(st.sampled_from(REASONS), text(60))),
            "category": nullable(st.sampled_from(("Qualifications", "Candidate withdrew", "Other"))),
        }
    )
)
_WD_TENANT = st.sampled_from(("acme", "globex", "initech"))
_UNIQUE = {prefix: unique_text(prefix) for prefix in ("JA", "C", "evt")}


@st.composite
def workday_events(draw: st.DrawFn) -> WebhookEvent:
    """A Workday event in the contract's fixed body (contract § 3); `disposition` only when dispositioned.
    Serialised as an integration's library might: HTML escaped or not, ASCII or UTF-8, compact or indented."""
    event = draw(_WD_EVENT)
    application: dict[str, Any] = {
        "id": draw(_UNIQUE["JA"]),
        "candidate": {"id": draw(_UNIQUE["C"])},
        "jobRequisition": draw(_WD_REQUISITION),
        "stage": draw(_WD_STAGE),
    }
    if event == "JobApplication.Dispositioned" and draw(_WD_DISPOSITION):
        application["disposition"] = draw(_WD_DISPOSITION_BODY)
    body = {
        "eventType": event,
        "eventId": draw(_UNIQUE["evt"]),
        "occurredAt": draw(OFFSET_TIMESTAMPS),
        "tenant": draw(_WD_TENANT),
        "jobApplication": application,
    }
    raw = wire_json(body, escape_html=draw(_BOOL), ascii_only=draw(_BOOL), indent=draw(_INDENT))
    return WebhookEvent("workday", event, WORKDAY_EVENTS[event], raw)


_EVENTS: dict[tuple[str, bool], SearchStrategy[WebhookEvent]] = {
    ("greenhouse", False): greenhouse_events(),
    ("lever", False): lever_events(),
    ("lever", True): lever_events(unarchive=False),
    ("workday", False): workday_events(),
}


def webhook_events(source: str, *, decisions_only: bool = False) -> SearchStrategy[WebhookEvent]:
    """Valid events of one ATS; `decisions_only` leaves out those that record nothing (Lever unarchives)."""
    if source not in SOURCES:
        raise ValueError(f"unknown webhook source {source!r}")
    return _EVENTS[(source, decisions_only and source == "lever")]


_IDENTITIES = {
    source: unique_text(prefix)
    for source, prefix in (("greenhouse", "gh-event"), ("lever", "lever-token"), ("workday", "msg"))
}
# How far back the sender's own clock may be when it sends (Lever retries keep triggeredAt; a
# Standard Webhooks retry is re-signed later).
_DELAYS = {"greenhouse": st.just(0), "lever": st.integers(-3600, 0), "workday": st.integers(-200, 0)}
_RETIRED_KEYS = {"greenhouse": st.just(0), "lever": st.just(0), "workday": st.integers(0, 2)}


def signed(source: str, *, decisions_only: bool = False) -> SearchStrategy[Signing]:
    """A correctly signed delivery of a valid event of `source`, with a fresh identity."""
    return st.builds(
        Signing,
        webhook_events(source, decisions_only=decisions_only),
        _IDENTITIES[source],
        _DELAYS[source],
        st.none(),
        _RETIRED_KEYS[source],
    )


def signature_corruptions(source: str) -> SearchStrategy[Corruption]:
    """Missing, malformed, wrong-secret, truncated or one-character-altered signatures (SIG-004)."""
    return st.one_of(
        st.builds(Corruption, st.just("altered_char"), st.integers(0, 63)),
        st.builds(Corruption, st.just("truncated"), st.integers(0, 40)),
        st.just(Corruption("wrong_secret")),
        st.builds(Corruption, st.just("wrong_scheme"), st.integers(0, len(WRONG_SCHEMES[source]) - 1)),
        st.builds(Corruption, st.just("empty"), st.integers(0, 1)),
    )


def timestamp_corruptions() -> SearchStrategy[Corruption]:
    """Stale or future deliveries beyond the window (SIG-006): Workday's ±300 s, Lever's 24 h / 5 min."""
    return st.builds(Corruption, st.sampled_from(("stale", "future")), st.integers(0, MAX_SHIFT_S))


def signed_bytes_corruptions(source: str) -> SearchStrategy[Corruption]:
    """The signed material changed after signing: the body bytes (SIG-005; Greenhouse and Workday sign the
    raw body), or for Lever, which signs `token` + `triggeredAt`, one of those two fields (SIG-004)."""
    if source == "lever":
        return st.one_of(
            st.builds(Corruption, st.just("token_altered"), st.integers(0, 40)),
            st.builds(
                Corruption, st.just("triggered_at_altered"), st.one_of(st.integers(1, 10**6), st.integers(-(10**6), -1))
            ),
        )
    return st.one_of(
        st.builds(Corruption, st.just("byte_changed"), st.integers(0, 10**6)),
        st.builds(Corruption, st.just("reserialised"), st.integers(0, len(RESERIALISERS) - 1)),
        st.builds(Corruption, st.just("whitespace"), st.integers(0, len(WHITESPACE) - 1)),
    )


# -- decision events (POST /decision-event) ---------------------------------------------------------

FACTOR_NAMES = (
    "years_experience",
    "technical_score",
    "sql_proficiency",
    "communication_skills",
    "portfolio_review",
    "coding_challenge",
    "english_fluency",
    "shift_availability",
    "typing_speed",
)
LOCALES = ("en-US", "en", "es-US", "zh-Hant-TW", "fr-CA", "pt-BR", "yue", "sr-Latn-RS")
ID_STYLES = ("candidate", "C", "gh", "lever-opportunity", "wd-cand", "kandidát")


_LOWER_DIGITS = string.ascii_lowercase + string.digits
_FACTOR_NAMES = st.one_of(
    st.sampled_from(FACTOR_NAMES),
    st.tuples(
        st.sampled_from(string.ascii_lowercase),
        st.text(_LOWER_DIGITS, max_size=11),
        st.lists(st.text(_LOWER_DIGITS, min_size=1, max_size=12), max_size=6),
    ).map(lambda parts: "_".join([parts[0] + parts[1], *parts[2]])),
)


def factor_names() -> SearchStrategy[str]:
    """snake_case, 1 to 84 characters (the limit is 100): `^[a-z][a-z0-9]*(_[a-z0-9]+)*$`."""
    return _FACTOR_NAMES


def factors(max_value_length: int = FACTOR_VALUE_LIMIT) -> SearchStrategy[dict[str, Any]]:
    value = st.one_of(
        st.integers(-(10**9), 10**9),
        st.floats(allow_nan=False, allow_infinity=False),
        text(max_value_length),
        st.booleans(),
    )
    weight = st.one_of(st.floats(0, 1), st.sampled_from((0, 1)))
    return st.fixed_dictionaries(
        {
            "factor": _FACTOR_NAMES,
            "value": value,
            "weight": weight,
            "contribution": st.sampled_from(("positive", "negative", "neutral")),
        }
    )


_FACTORS = factors()
_SHORT_FACTORS = factors(40)


def _spread(drawn: tuple[list[dict[str, Any]], int]) -> list[dict[str, Any]]:
    """`count` factors cycling through the drawn ones, each name made distinct with `_<n>`."""
    distinct, count = drawn
    return [
        {**distinct[i % len(distinct)], "factor": f"{distinct[i % len(distinct)]['factor']}_{i}"} for i in range(count)
    ]


_FACTOR_LISTS = st.one_of(
    st.lists(_FACTORS, max_size=6),
    # 90 to 100 factors: a few drawn ones spread over the list keeps generation fast (a hundred fully
    # drawn factors cost ~40 ms an example) and every body far below 256 KiB.
    st.tuples(st.lists(_SHORT_FACTORS, min_size=1, max_size=4), st.integers(90, MAX_FACTORS)).map(_spread),
)


def factor_lists() -> SearchStrategy[list[dict[str, Any]]]:
    """0 to 100 decision factors."""
    return _FACTOR_LISTS


def candidate_ids() -> SearchStrategy[str]:
    return st.sampled_from(ID_STYLES).map(payloads.unique)


_DECISION_EVENTS = st.fixed_dictionaries(
    {
        "candidateIdRaw": candidate_ids(),
        "jobIdRaw": st.one_of(
            st.sampled_from(("job_67890", "JR-11111", "3485", "f2b4c6d8-0a1b-4c3d")),
            label_text(TEXT_LIMITS["jobIdRaw"]),
        ),
        "decision": st.sampled_from(("reject", "advance", "hire", "hold")),
        "decisionTimestamp": DECISION_TIMESTAMPS,
        "decisionFactors": _FACTOR_LISTS,
        "aedtName": st.one_of(st.sampled_from(("CustomATS AI", "HireScore", "Résumé Ranker")), label_text(200)),
        "aedtVersion": st.one_of(st.sampled_from(("1.0", "2024.11-rc2", "v3")), label_text(200)),
    },
    optional={
        "requestExplanation": nullable(st.booleans()),
        "jobTitle": nullable(JOB_TITLE),
        "candidateLocale": nullable(st.sampled_from(LOCALES)),
        "aedtRole": nullable(st.sampled_from(("sole", "weighted_most", "overrode", "assisted"))),
    },
)


def decision_events() -> SearchStrategy[dict[str, Any]]:
    """Valid bodies of POST /decision-event (schemas/decision-event-request.schema.json), each with a fresh
    candidate, so no two examples are natural-key duplicates (IDEM-001)."""
    return _DECISION_EVENTS


def api_json(body: Any) -> bytes:
    """Compact UTF-8 JSON, as JavaScript's JSON.stringify writes it (the guide's Node.js example)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class InvalidBody:
    """A decision-event body with exactly one schema violation, at `pointer` (RFC 6901)."""

    body: dict[str, Any]
    pointer: str
    fault: str


# JSON types a field does not accept (contract § 2; optional fields accept null, so null is no fault there).
_REQUIRED_TEXT = ("candidateIdRaw", "jobIdRaw", "decision", "decisionTimestamp", "aedtName", "aedtVersion")
_WRONG_TYPES: dict[str, tuple[str, ...]] = {
    **{name: ("integer", "number", "boolean", "null", "array", "object") for name in _REQUIRED_TEXT},
    "decisionFactors": ("object", "string", "integer", "null"),
    "requestExplanation": ("string", "integer", "array", "object"),
    "jobTitle": ("integer", "boolean", "array", "object"),
    "candidateLocale": ("integer", "boolean", "array", "object"),
    "aedtRole": ("integer", "boolean", "array", "object"),
    "factor": ("integer", "null", "boolean", "array", "object"),
    "value": ("null", "array", "object"),
    "weight": ("string", "boolean", "null", "array", "object"),
    "contribution": ("integer", "null", "boolean", "array", "object"),
    "item": ("string", "integer", "null", "array"),
}
_VALUES_OF_TYPE: dict[str, SearchStrategy[Any]] = {
    "integer": st.integers(-(10**6), 10**6),
    "number": st.floats(-1e6, 1e6).filter(lambda x: not x.is_integer()),
    "string": st.sampled_from(("0.5", "true", "reject", "")),
    "boolean": st.booleans(),
    "null": st.none(),
    "array": st.lists(st.integers(0, 9), max_size=2),
    "object": st.dictionaries(st.sampled_from(("a", "value")), st.integers(0, 9), max_size=2),
}
_FACTOR_FIELDS = ("factor", "value", "weight", "contribution", "item")


_INVALID_KINDS = st.sampled_from(
    ("wrong_type", "wrong_type", "too_long", "empty", "too_many_factors", "weight_out_of_range")
)
_TOP_LEVEL_FIELDS = st.sampled_from(tuple(name for name in _WRONG_TYPES if name not in _FACTOR_FIELDS))
_WRONG_TYPE_OF = {name: st.sampled_from(types) for name, types in _WRONG_TYPES.items()}
_TEXT_FIELDS = st.sampled_from(tuple(PINNED_TEXT_LIMITS))
_LONG_TAIL = text(200)
_TOO_MANY = st.lists(_SHORT_FACTORS, min_size=1, max_size=3).map(lambda few: _spread((few, MAX_FACTORS + 1)))
_FACTOR_FAULTS = st.sampled_from(_FACTOR_FIELDS)
# Negative weights end at the largest negative float, not at a `< 0` filter: Hypothesis turns such a
# filter into an exclusive bound at 0, and from there it has drawn both 0.0 and -0.0, which are valid.
_LARGEST_NEGATIVE = math.nextafter(0.0, -math.inf)
_OUT_OF_RANGE = st.one_of(
    st.floats(min_value=1, exclude_min=True, allow_infinity=False),
    st.floats(max_value=_LARGEST_NEGATIVE, allow_infinity=False),
    st.sampled_from((2, -1, 100)),
)


def weights_out_of_range() -> SearchStrategy[float]:
    """Factor weights outside 0-1 (contract § 2): above 1, below 0 down to the smallest magnitude."""
    return _OUT_OF_RANGE


_INDEX = st.integers(0, MAX_FACTORS - 1)


def _over_limit(limit: int) -> SearchStrategy[str]:
    """A label one character longer than `limit` allows."""
    return label_text(limit).map(lambda t: t.ljust(limit + 1, "x"))


_LONG_TEXT = {name: _over_limit(limit) for name, limit in PINNED_TEXT_LIMITS.items()}


@st.composite
def invalid_decision_events(draw: st.DrawFn) -> InvalidBody:
    """A valid body with one type or size fault: a wrong JSON type for one field, an over-long string,
    an empty required string, 101 factors, or a weight outside 0-1 (EVT-001: 422 problem details)."""
    body = draw(_DECISION_EVENTS)
    kind = draw(_INVALID_KINDS)
    if kind == "too_many_factors":
        body["decisionFactors"] = draw(_TOO_MANY)
        return InvalidBody(body, "/decisionFactors", f"{MAX_FACTORS + 1} decision factors")
    if kind == "weight_out_of_range" or (kind == "wrong_type" and draw(_BOOL)):
        return _invalid_factor(draw, body, kind)
    if kind == "wrong_type":
        field = draw(_TOP_LEVEL_FIELDS)
        json_type = draw(_WRONG_TYPE_OF[field])
        body[field] = draw(_VALUES_OF_TYPE[json_type])
        return InvalidBody(body, f"/{field}", f"{field} as JSON {json_type}")
    field = draw(_TEXT_FIELDS)
    if kind == "empty":
        body[field] = ""
        return InvalidBody(body, f"/{field}", f"{field} empty")
    limit = PINNED_TEXT_LIMITS[field]
    body[field] = draw(_LONG_TEXT[field]) + draw(_LONG_TAIL)
    return InvalidBody(body, f"/{field}", f"{field} of {len(body[field])} characters (at most {limit})")


def _invalid_factor(draw: st.DrawFn, body: dict[str, Any], kind: str) -> InvalidBody:
    if not body["decisionFactors"]:
        body["decisionFactors"] = [draw(_FACTORS)]
    index = draw(_INDEX) % len(body["decisionFactors"])
    factor = body["decisionFactors"][index]
    where = f"/decisionFactors/{index}"
    if kind == "weight_out_of_range":
        factor["weight"] = draw(_OUT_OF_RANGE)
        return InvalidBody(body, f"{where}/weight", f"weight {factor['weight']!r} (outside 0-1)")
    fault = draw(_FACTOR_FAULTS)
    json_type = draw(_WRONG_TYPE_OF[fault])
    if fault == "item":
        body["decisionFactors"][index] = draw(_VALUES_OF_TYPE[json_type])
        return InvalidBody(body, where, f"decision factor {index} as JSON {json_type}")
    factor[fault] = draw(_VALUES_OF_TYPE[json_type])
    return InvalidBody(body, f"{where}/{fault}", f"decisionFactors[{index}].{fault} as JSON {json_type}")
