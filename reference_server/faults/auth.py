"""AUTH faults: API keys and scopes checked the ways deployments get them wrong."""

from __future__ import annotations

import secrets

from ..auth import ALL_SCOPES, READ_SCOPE, REALM, WRITE_SCOPE, ApiKeys, Principal, bearer_token
from ..problems import ProblemError
from ..store import ApiKeyRow, Store
from . import openapi
from .asgi import DECISION_EVENT, Forward, Incoming, Reply, intercept
from .registry import Variant, fault, mix

# A caller that stands for "whoever sent a refused write", for the faults that record it anyway.
_RECORDED_ANYWAY = f"Bearer haiec_test_{secrets.token_urlsafe(32)}"
_TEST_PRINCIPAL = Principal("key_unchecked", "test", ALL_SCOPES)


class RecordsRefusedWrites(ApiKeys):
    def identify(self, authorization: str | None) -> Principal:
        return _TEST_PRINCIPAL if authorization == _RECORDED_ANYWAY else super().identify(authorization)


def _record_refused_writes(variant: Variant, refused: str) -> None:
    """Pass each write refused with `refused` (a problem code) on once more as the test environment's,
    then answer with the refusal: the write is recorded although the client was told 401."""

    async def handler(incoming: Incoming, forward: Forward) -> Reply:
        reply = await forward(incoming)
        if reply.status == 401 and (reply.json() or {}).get("code") == refused:
            await forward(incoming.with_headers({"authorization": _RECORDED_ANYWAY}))
        return reply

    variant.authenticator = mix(variant.authenticator, RecordsRefusedWrites)
    variant.middleware.append(intercept(DECISION_EVENT, handler))


# -- AUTH-001 --------------------------------------------------------------------------------------


class AnonymousIsTest(ApiKeys):
    def identify(self, authorization: str | None) -> Principal:
        return super().identify(authorization) if authorization else _TEST_PRINCIPAL


@fault(
    "AUTH-001", "status", "a request without Authorization is served as the test environment's, not refused with 401"
)
def auth_optional(variant: Variant) -> None:
    variant.authenticator = mix(variant.authenticator, AnonymousIsTest)


class NoChallenge(ApiKeys):
    def missing(self) -> ProblemError:
        problem = super().missing()
        return ProblemError(problem.status, problem.code, problem.detail)


@fault("AUTH-001", "challenge", "the 401 for a missing Authorization carries no WWW-Authenticate challenge")
def auth_no_challenge(variant: Variant) -> None:
    variant.authenticator = mix(variant.authenticator, NoChallenge)


@fault(
    "AUTH-001",
    "nothing-recorded",
    "a write without Authorization is recorded as the test environment's, then refused with 401",
)
def auth_missing_recorded(variant: Variant) -> None:
    _record_refused_writes(variant, "missing_credentials")


# -- AUTH-002 --------------------------------------------------------------------------------------


class AnyWellFormedKey(ApiKeys):
    def lookup(self, token: str) -> ApiKeyRow | None:
        row = super().lookup(token)
        return row or ApiKeyRow("key_unknown", "", "test", ALL_SCOPES, revoked=False)


@fault("AUTH-002", "unknown", "a well-formed key that is not on file is accepted as a test key with every scope")
def auth_accept_any_key(variant: Variant) -> None:
    variant.authenticator = mix(variant.authenticator, AnyWellFormedKey)


class MalformedIs400(ApiKeys):
    def identify(self, authorization: str | None) -> Principal:
        if authorization and bearer_token(authorization) is None:
            raise ProblemError(
                400,
                "invalid_credentials",
                "The Authorization header is malformed (RFC 6750 § 3.1: invalid_request).",
                headers={"WWW-Authenticate": f'Bearer realm="{REALM}", error="invalid_request"'},
            )
        return super().identify(authorization)


@fault(
    "AUTH-002",
    "malformed",
    "a malformed Authorization (not Bearer, or not shaped like a key) gets 400 invalid_request, not 401",
)
def auth_malformed_400(variant: Variant) -> None:
    variant.authenticator = mix(variant.authenticator, MalformedIs400)
    openapi.declare_response(variant.openapi, "400", {"$ref": "#/components/responses/BadRequest"})
    openapi.allow_status(variant.openapi, "invalid_credentials", 400)


class RevocationIgnored(Store):
    def api_key_by_hash(self, key_hash: str) -> ApiKeyRow | None:
        row = super().api_key_by_hash(key_hash)
        return ApiKeyRow(row.id, row.key_hash, row.environment, row.scopes, revoked=False) if row else None


@fault("AUTH-002", "revoked", "revoked keys are still accepted: the key lookup ignores revocation")
def auth_revoked_accepted(variant: Variant) -> None:
    variant.store = mix(variant.store, RevocationIgnored)


@fault(
    "AUTH-002",
    "nothing-recorded",
    "a write with an unknown, malformed or revoked key is recorded as the test environment's, then refused with 401",
)
def auth_refused_recorded(variant: Variant) -> None:
    _record_refused_writes(variant, "invalid_credentials")


# -- AUTH-003 --------------------------------------------------------------------------------------


class WriteScopeUnchecked(ApiKeys):
    def authorize(self, principal: Principal, scope: str) -> None:
        if scope != WRITE_SCOPE:
            super().authorize(principal, scope)


@fault("AUTH-003", "write-scope", "writes are accepted from a key without nyc:hiring.write (reads are still checked)")
def auth_ignore_write_scope(variant: Variant) -> None:
    variant.authenticator = mix(variant.authenticator, WriteScopeUnchecked)


class ReadScopeUnchecked(ApiKeys):
    def authorize(self, principal: Principal, scope: str) -> None:
        if scope != READ_SCOPE:
            super().authorize(principal, scope)


@fault("AUTH-003", "read-scope", "reads are served to a key without nyc:hiring.read (writes are still checked)")
def auth_ignore_read_scope(variant: Variant) -> None:
    variant.authenticator = mix(variant.authenticator, ReadScopeUnchecked)


# -- AUTH-004 --------------------------------------------------------------------------------------


def _reads_across(reader: str) -> type[Store]:
    """A store whose reads for `reader` keys look in every environment."""

    class ReadsAcross(Store):
        def event_record(self, event_id: str, environment: str) -> dict[str, object] | None:
            if environment != reader:
                return super().event_record(event_id, environment)
            return super().event_record(event_id, "live") or super().event_record(event_id, "test")

        def explanation(self, explanation_id: str, environment: str) -> dict[str, object] | None:
            if environment != reader:
                return super().explanation(explanation_id, environment)
            return super().explanation(explanation_id, "live") or super().explanation(explanation_id, "test")

    return ReadsAcross


@fault("AUTH-004", "test-hidden-from-live", "a live key reads test records (live keys read every environment)")
def auth_live_reads_test(variant: Variant) -> None:
    variant.store = mix(variant.store, _reads_across("live"))


@fault("AUTH-004", "live-hidden-from-test", "a test key reads live records (test keys read every environment)")
def auth_test_reads_live(variant: Variant) -> None:
    variant.store = mix(variant.store, _reads_across("test"))


# -- AUTH-005 --------------------------------------------------------------------------------------


class EchoesKey(ApiKeys):
    def invalid(self, token: str) -> ProblemError:
        problem = super().invalid(token)
        return ProblemError(
            problem.status, problem.code, f"The API key {token!r} is not valid.", headers=problem.headers
        )


@fault("AUTH-005", "body", "a refused key is quoted back in the 401's detail")
def auth_echo_key(variant: Variant) -> None:
    variant.authenticator = mix(variant.authenticator, EchoesKey)


class EchoesKeyInChallenge(ApiKeys):
    def invalid(self, token: str) -> ProblemError:
        problem = super().invalid(token)
        challenge = f'{problem.headers["WWW-Authenticate"]}, error_description="unknown key {token}"'
        return ProblemError(problem.status, problem.code, problem.detail, headers={"WWW-Authenticate": challenge})


@fault("AUTH-005", "headers", "a refused key is quoted back in the 401's WWW-Authenticate error_description")
def auth_echo_key_header(variant: Variant) -> None:
    variant.authenticator = mix(variant.authenticator, EchoesKeyInChallenge)
