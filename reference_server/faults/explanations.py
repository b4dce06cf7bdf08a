"""EXPL faults: explanations generated, returned and stored the ways deployments get them wrong."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from ..explanations import Decision, rfc3339_utc
from ..profile import EmployerProfile
from ..recording import Explainer, new_id
from ..store import Store
from ..timestamps import parse_timestamp
from . import openapi
from .asgi import DECISION_EVENT, READ_EXPLANATION, Forward, Incoming, Reply, intercept
from .registry import Variant, fault, mix

# -- EXPL-001 --------------------------------------------------------------------------------------


async def _memo_left_out(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    body = reply.json()
    if reply.status != 201 or not isinstance(body, dict) or body.get("internalMemo") is None:
        return reply
    return reply.with_json({**body, "internalMemo": None})


@fault("EXPL-001", "present", "a requested explanation comes back without its memo (GET /explanations has it)")
def memo_not_returned(variant: Variant) -> None:
    variant.middleware.append(intercept(DECISION_EVENT, _memo_left_out))
    with_explanation = openapi.schema(variant.openapi, "DecisionEventResponse")["oneOf"][0]
    with_explanation["properties"]["internalMemo"] = {"type": ["object", "null"]}


async def _regenerated(incoming: Incoming, forward: Forward) -> Reply:
    reply = await forward(incoming)
    body = reply.json()
    if reply.status != 200 or not isinstance(body, dict) or not isinstance(body.get("internalMemo"), dict):
        return reply
    now = rfc3339_utc(incoming.state.recorder.clock())
    return reply.with_json({**body, "internalMemo": {**body["internalMemo"], "generatedAt": now}})


@fault(
    "EXPL-001",
    "served-same",
    "GET /explanations/{id} serves the memo generated anew, with the time of the read as generatedAt",
)
def explanation_regenerated_on_read(variant: Variant) -> None:
    variant.middleware.append(intercept(READ_EXPLANATION, _regenerated))


# -- EXPL-002 --------------------------------------------------------------------------------------


def _decision_of(record: dict[str, Any], explanation_id: str) -> Decision:
    """The decision a record describes, as the explanation generator takes it."""
    instant = parse_timestamp(record["decisionTimestamp"])
    return Decision(
        decision_event_id=record["decisionEventId"],
        explanation_id=explanation_id,
        candidate_id_hash=record["candidateIdHash"],
        job_id_raw=record["jobIdRaw"],
        source=record["source"],
        aedt_name=record["aedtName"],
        aedt_version=record["aedtVersion"],
        aedt_role=record["aedtRole"],
        decision=record["decision"],
        decision_timestamp=record["decisionTimestamp"],
        decision_instant=instant.instant,
        timestamp_assumed_utc=instant.assumed_utc,
        factors=tuple(record["decisionFactors"]),
        job_title=record["jobTitle"],
        candidate_locale=record["candidateLocale"],
        received_at=datetime.fromisoformat(record["receivedAt"].replace("Z", "+00:00")),
    )


class ExplainsEverything(Store):
    """Writes an explanation for every API decision, asked for or not."""

    profile: EmployerProfile
    explainer: Explainer

    def insert_event(
        self,
        db: sqlite3.Connection,
        *,
        event_id: str,
        environment: str,
        source: str,
        explanation_id: str | None,
        record: dict[str, Any],
        **columns: Any,
    ) -> None:
        if explanation_id is not None or source != "api":
            super().insert_event(
                db,
                event_id=event_id,
                environment=environment,
                source=source,
                explanation_id=explanation_id,
                record=record,
                **columns,
            )
            return
        explanation_id = new_id("ex_")
        decision = _decision_of(record, explanation_id)
        explanation = self.explainer(decision, self.profile, decision.received_at)
        super().insert_event(
            db,
            event_id=event_id,
            environment=environment,
            source=source,
            explanation_id=explanation_id,
            record={**record, "explanationId": explanation_id},
            **columns,
        )
        self.insert_explanation(
            db,
            explanation_id,
            environment,
            event_id,
            {
                "explanationId": explanation_id,
                "decisionEventId": event_id,
                "candidateMessage": explanation.candidate_message,
                "internalMemo": explanation.internal_memo,
            },
        )


def _returned_unasked(explainer: Explainer, profile: EmployerProfile) -> Any:
    async def handler(incoming: Incoming, forward: Forward) -> Reply:
        reply = await forward(incoming)
        body = reply.json()
        if reply.status != 201 or not isinstance(body, dict) or body.get("explanationId") is not None:
            return reply
        record = incoming.state.store.event_record(body["decisionEventId"], body["environment"])
        if record is None:
            return reply
        decision = _decision_of(record, "ex_" + record["decisionEventId"].removeprefix("de_"))
        explanation = explainer(decision, profile, decision.received_at)  # the same every time it is asked
        return reply.with_json(
            {
                **body,
                "explanationId": decision.explanation_id,
                "candidateMessage": explanation.candidate_message,
                "internalMemo": explanation.internal_memo,
            }
        )

    return handler


@fault(
    "EXPL-002",
    "null",
    "an explanation is written into every response, requested or not (it is stored only when requested)",
)
def always_explain(variant: Variant) -> None:
    variant.middleware.append(intercept(DECISION_EVENT, _returned_unasked(variant.explainer, variant.profile)))


@fault(
    "EXPL-002",
    "nothing-generated",
    "an explanation is generated and stored for every decision; the response leaves it out when not requested, "
    "but the recorded event names it",
)
def explanation_always_generated(variant: Variant) -> None:
    variant.store = mix(
        variant.store, ExplainsEverything, profile=variant.profile, explainer=staticmethod(variant.explainer)
    )


# -- EXPL-003 --------------------------------------------------------------------------------------


@fault(
    "EXPL-003",
    "generated",
    "webhook decisions are recorded without an explanation, although the sandbox is to generate them",
)
def webhook_explanations_off(variant: Variant) -> None:
    variant.settings = variant.settings.model_copy(update={"webhook_explanations": False})


class WebhookExplanationsDropped(Store):
    def insert_explanation(
        self, db: sqlite3.Connection, explanation_id: str, environment: str, event_id: str, body: dict[str, Any]
    ) -> None:
        if body["internalMemo"].get("source") == "api":
            super().insert_explanation(db, explanation_id, environment, event_id, body)


@fault(
    "EXPL-003",
    "retrievable",
    "a webhook decision's explanation is announced by ID but never stored: GET /explanations/{id} is 404",
)
def webhook_explanations_unstored(variant: Variant) -> None:
    variant.store = mix(variant.store, WebhookExplanationsDropped)
