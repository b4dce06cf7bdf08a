"""Webhook receivers, one module per ATS: each verifies its own signature scheme over the raw bytes
and turns a delivery into a decision (contract § 3) or an acknowledgement that it is ignored;
`endpoint.py` runs the steps they share."""

from .common import Ignored, VerifiedDelivery, WebhookDecision, WebhookSource
from .greenhouse import GREENHOUSE
from .lever import LEVER
from .workday import WORKDAY

SOURCES: dict[str, WebhookSource] = {source.name: source for source in (GREENHOUSE, LEVER, WORKDAY)}

__all__ = ["SOURCES", "Ignored", "VerifiedDelivery", "WebhookDecision", "WebhookSource"]
