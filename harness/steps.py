"""Steps: every assertion a check makes names the requirement clause it tests.

A check often exercises more than one requirement: to prove that a refused webhook recorded nothing,
it must then send the same delivery correctly signed and see it recorded, which is SIG-001's business.
If that last step fails, the deployment broke SIG-001 (a valid signature was refused) or SIG-004 (the
refused delivery was kept), and only the answer tells which. So a check runs its assertions inside
`steps.check(requirement, clause)`, and a failure is charged to that clause alone: the check's other
requirements are then not shown either way by this check, never failed by it (contract § 4).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from .catalog import requirement as catalog_requirement


class NotShown(Exception):
    """The check cannot show its requirement this run: a step it builds on failed, or a credential is missing.

    The plugin reports the check as skipped with this message. What failed is some other check's to fail:
    a valid signature refused is SIG-001's finding, not SIG-004's.
    """


class StepFailed(AssertionError):
    """A step's assertion failed: the deployment does not meet this clause of this requirement."""

    def __init__(self, requirement: str, clause: str, message: str) -> None:
        super().__init__(message)
        self.requirement = requirement
        self.clause = clause
        self.message = message

    def __reduce__(self) -> tuple[type[StepFailed], tuple[str, str, str]]:
        return StepFailed, (self.requirement, self.clause, self.message)


@dataclass
class Steps:
    """The clauses a check has shown met so far, by requirement (passed to reports and worker processes)."""

    passed: dict[str, set[str]] = field(default_factory=dict)

    @contextmanager
    def check(self, requirement: str, clause: str) -> Iterator[None]:
        """Charge any assertion failing inside to `requirement`'s `clause`; on success, record the clause met.

        A step nested in another keeps its own attribution. A timeout or a broken connection inside a step
        is the deployment's answer to that step, so it fails the step too.
        """
        catalog_requirement(requirement).clause(clause)
        try:
            yield
        except (StepFailed, NotShown):
            raise
        except AssertionError as exc:
            raise StepFailed(requirement, clause, str(exc).strip() or "failed") from None
        except httpx.TimeoutException as exc:
            raise StepFailed(requirement, clause, f"no answer in time ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise StepFailed(requirement, clause, f"the connection failed ({type(exc).__name__})") from None
        self.passed.setdefault(requirement, set()).add(clause)

    @contextmanager
    def needs(self, doing: str) -> Iterator[None]:
        """A step the check builds on: if it fails, the check shows nothing more (NotShown), and fails nothing."""
        try:
            yield
        except (StepFailed, NotShown):
            raise
        except (AssertionError, KeyError, TypeError, ValueError) as exc:  # an answer too odd to build on, too
            raise NotShown(f"not shown: {doing} failed: {str(exc).strip() or type(exc).__name__}") from None
        except httpx.TimeoutException as exc:
            raise NotShown(f"not shown: {doing} got no answer in time ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise NotShown(f"not shown: {doing}: the connection failed ({type(exc).__name__})") from None

    def merge(self, other: Steps) -> None:
        for requirement, clauses in other.passed.items():
            self.passed.setdefault(requirement, set()).update(clauses)
