"""EVT, AUTH and SIG, generated: Schemathesis over the OpenAPI document, against the target (contract § 4).

One campaign per run (the `campaign` fixture in conftest.py, with its own HTTP session) generates positive
and negative requests for the direct-API operations, sends them with the run's key and judges every answer by
the contract (harness/openapi_fuzz.py); each check below reports the failures that break its requirement, one
line per distinct failure, charged to the clause the first one breaks. The failing exchanges are added to the
check's evidence, so the report shows the request and a curl.

`--fuzz-examples` sets the cases per operation (Schemathesis's meaning of max_examples, positive and
negative together; webhooks get a fifth), `--seed` makes them reproducible. Without `--seed` a seed is
drawn and named in every failure message, so a failing run can be repeated exactly.
"""

from __future__ import annotations

import pytest

from nyc_hiring.harness.context import Conformance
from nyc_hiring.harness.openapi_fuzz import FuzzReport, failure_message
from nyc_hiring.harness.results import MAX_EVIDENCE
from nyc_hiring.harness.steps import StepFailed

requirement = pytest.mark.requirement
# The campaign (the `campaign` fixture in conftest.py) runs in a worker process when the run has them.
pytestmark = pytest.mark.from_a_worker


def expect_no_failures(
    conformance: Conformance, report: FuzzReport, requirement_id: str, exercised: tuple[str, ...]
) -> None:
    """Fail with one line per distinct failure breaking the requirement; show the first ones as evidence.

    With none, the clauses the campaign exercised are met.
    """
    failures = report.distinct(requirement_id)
    if failures:
        shown = [failure.exchange for failure in failures if failure.exchange is not None][:MAX_EVIDENCE]
        conformance.client.exchanges.extend(shown)  # the report shows the check's last exchanges: these
        raise StepFailed(
            requirement_id,
            failures[0].requirement[1],
            failure_message(failures, conformance.run.config.secrets(), report.seed),
        )
    for clause in exercised:
        with conformance.step(requirement_id, clause):
            pass


@requirement("EVT-001")
def test_openapi_generated_requests_get_no_server_error_and_invalid_ones_get_4xx(
    conformance: Conformance, campaign: FuzzReport
) -> None:
    expect_no_failures(conformance, campaign, "EVT-001", ("no-server-error", "schema"))


@requirement("EVT-002")
def test_openapi_responses_match_the_contract_and_the_served_document(
    conformance: Conformance, campaign: FuzzReport
) -> None:
    served = ("served-openapi",) if conformance.served_document() is not None else ()
    expect_no_failures(conformance, campaign, "EVT-002", ("contract-schemas", *served))


@requirement("EVT-003")
def test_openapi_responses_reveal_no_internals(conformance: Conformance, campaign: FuzzReport) -> None:
    expect_no_failures(conformance, campaign, "EVT-003", ("stack-trace", "file-path", "sql"))


@requirement("AUTH-005")
def test_openapi_responses_reveal_no_credentials(conformance: Conformance, campaign: FuzzReport) -> None:
    expect_no_failures(conformance, campaign, "AUTH-005", ("body", "headers"))


@requirement("SIG-004")
def test_openapi_generated_unsigned_deliveries_are_refused(conformance: Conformance, campaign: FuzzReport) -> None:
    expect_no_failures(conformance, campaign, "SIG-004", ("missing",))


def _expect_auth_probed(campaign: FuzzReport) -> None:
    if not campaign.auth_probed:
        pytest.skip(
            "no request was accepted, not even the guide's example, so there was none to repeat "
            "without valid credentials"
        )


@requirement("AUTH-001")
def test_openapi_operations_refuse_requests_without_credentials(conformance: Conformance, campaign: FuzzReport) -> None:
    _expect_auth_probed(campaign)
    expect_no_failures(conformance, campaign, "AUTH-001", ("status",))


@requirement("AUTH-002")
def test_openapi_operations_refuse_invalid_credentials(conformance: Conformance, campaign: FuzzReport) -> None:
    _expect_auth_probed(campaign)
    expect_no_failures(conformance, campaign, "AUTH-002", ("malformed",))
