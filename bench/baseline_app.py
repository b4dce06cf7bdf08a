"""The baseline the reference server is measured against: the least a decision-event endpoint can do.

FastAPI + a pydantic model of the request + a Bearer check + one SQLite INSERT (WAL, synchronous=NORMAL,
one transaction per request) + the JSON response: the least such an endpoint is usually built with,
without signatures, dedup rules, idempotency or explanations.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from typing import Literal

from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel, ConfigDict

API_KEY = os.environ.get("NYC_HIRING_API_KEY", "haiec_test_" + "b" * 40)
db = sqlite3.connect(os.environ.get("BASELINE_DB", "baseline.sqlite3"), isolation_level=None, check_same_thread=False)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, natural_key TEXT UNIQUE, body TEXT)")


class Factor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    factor: str
    value: float | str | bool
    weight: float
    contribution: Literal["positive", "negative", "neutral"]


class DecisionEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    candidateIdRaw: str
    jobIdRaw: str
    decision: Literal["reject", "advance", "hire", "hold"]
    decisionTimestamp: str
    decisionFactors: list[Factor]
    aedtName: str
    aedtVersion: str
    requestExplanation: bool = False


class Created(BaseModel):
    decisionEventId: str
    explanationId: str | None
    environment: str
    receivedAt: str


app = FastAPI()


@app.post("/api/v1/nyc-hiring/decision-event", status_code=201, response_model=Created)
async def decision_event(event: DecisionEvent, authorization: str = Header("")) -> Created:
    if authorization != f"Bearer {API_KEY}":
        raise HTTPException(401)
    event_id = "de_" + uuid.uuid4().hex
    key = f"{event.candidateIdRaw}|{event.jobIdRaw}|{event.decision}|{event.decisionTimestamp}|{event.aedtName}"
    db.execute("INSERT INTO events VALUES (?, ?, ?)", (event_id, key, json.dumps(event.model_dump())))
    return Created(decisionEventId=event_id, explanationId=None, environment="test", receivedAt="now")
