"""The decision-event request both rule test modules build their cases from."""

from __future__ import annotations

from typing import Any


def factor(name: str, value: Any, weight: float, contribution: str = "negative") -> dict[str, Any]:
    return {"factor": name, "value": value, "weight": weight, "contribution": contribution}


def make_request(**overrides: Any) -> dict[str, Any]:
    request = {
        "candidateIdRaw": "C-12345",
        "jobIdRaw": "JR-11111",
        "decision": "reject",
        "decisionTimestamp": "2026-06-22T14:00:00Z",
        "decisionFactors": [factor("years_experience", 2, 0.3), factor("technical_score", 45, 0.4)],
        "aedtName": "ScreenRank",
        "aedtVersion": "3.1",
        "jobTitle": "Data Analyst",
        "requestExplanation": True,
    }
    request.update(overrides)
    return request
