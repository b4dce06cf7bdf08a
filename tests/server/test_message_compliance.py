"""Every message the generator can produce passes the MSG and MEMO rules, as the harness checks them.

The checker (harness.compliance) was written independently of the generator and never imports it;
Hypothesis searches the generator's input space for a message that breaks a rule.
"""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nyc_hiring.harness.compliance import check_explanation
from nyc_hiring.reference_server.explanations import Decision, generate_explanation
from nyc_hiring.reference_server.profile import load_profile

PROFILE = load_profile()
WORDS = [
    "years",
    "experience",
    "technical",
    "score",
    "skills",
    "match",
    "culture",
    "fit",
    "xgb",
    "v2",
    "leadership",
    "python",
    "sql",
    "degree",
    "level",
    "communication",
    "age",
    "gender",
    "zip",
    "code",
    "race",
    "date",
    "of",
    "birth",
    "manager",
    "rating",
    "cert",
    "exp",
    "tech",
    "edu",
    "page",
    "count",
    "model",
    "pct",
    "2",
    "10001",
    "credit",
    "history",
    "salary",
    "female",
    "shap",
    "logit",
    "old",
    "criminal",
    "record",
    "null",
]

factor_names = (
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map("_".join).filter(lambda name: name[0].isalpha())
)
values = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.booleans(),
    st.text(string.ascii_letters + string.digits + " ", max_size=20),
)
factors = st.fixed_dictionaries(
    {
        "factor": factor_names,
        "value": values,
        "weight": st.one_of(st.sampled_from([0, 1, 0.5, 0.3, 0.25]), st.floats(0, 1)),
        "contribution": st.sampled_from(["positive", "negative", "neutral"]),
    }
)
job_titles = st.one_of(
    st.none(),
    st.sampled_from(
        ["Data Analyst", "Engineer II", "None", "Senior {{role}}", "Manager, Age-Tech", "Zoë Ðặng 李 Designer"]
    ),
    st.text(min_size=1, max_size=200),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    decision=st.sampled_from(["reject", "advance", "hire", "hold"]),
    factor_list=st.lists(factors, max_size=100),
    job_title=job_titles,
    role=st.sampled_from(["sole", "weighted_most", "overrode", "assisted"]),
    aedt_name=st.one_of(
        st.sampled_from(["CustomATS AI", "Scorer 3000", "NaN model"]),
        st.text(min_size=1, max_size=50).filter(str.strip),
    ),
    days_ago=st.integers(0, 800),
)
def test_generated_messages_pass_every_msg_and_memo_rule(
    decision: str, factor_list: list[dict[str, Any]], job_title: str | None, role: str, aedt_name: str, days_ago: int
) -> None:
    now = datetime.now(UTC)
    instant = now - timedelta(days=days_ago)
    request = {
        "candidateIdRaw": "candidate_12345",
        "jobIdRaw": "job_67890",
        "decision": decision,
        "decisionTimestamp": instant.isoformat(),
        "decisionFactors": factor_list,
        "aedtName": aedt_name,
        "aedtVersion": "1.0",
        "requestExplanation": True,
        "jobTitle": job_title,
        "aedtRole": role,
    }
    explanation = generate_explanation(
        Decision(
            decision_event_id="de_" + "a" * 26,
            explanation_id="ex_" + "b" * 26,
            candidate_id_hash="c" * 64,
            job_id_raw="job_67890",
            source="api",
            aedt_name=aedt_name,
            aedt_version="1.0",
            aedt_role=role,
            decision=decision,
            decision_timestamp=request["decisionTimestamp"],
            decision_instant=instant,  # type: ignore[arg-type]
            timestamp_assumed_utc=False,
            factors=tuple(factor_list),
            job_title=job_title,
            candidate_locale="en-US",
            received_at=now,
        ),
        PROFILE,
        now,
    )
    findings = check_explanation(explanation.candidate_message, explanation.internal_memo, request)
    assert not findings, [f"{f.requirement}: {f.message} [{f.excerpt}]" for f in findings]
