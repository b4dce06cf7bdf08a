"""The employer profile: the facts about the employer that every explanation repeats.

A candidate message must point to the advance notice, the bias audit, the data policy and the ways
to ask for an accommodation or a review (contract MSG-003 to MSG-005, MSG-011; docs/sources.md#nyc-local-law-144).
Those facts belong to the employer, not to a decision, so they live in one TOML file that the
deployment loads at start-up. Text that is shown to candidates is checked here, once, so the
generator never has to guess whether an operator's wording breaks a message rule.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Annotated, Literal

import holidays
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from .factors import is_protected

SANDBOX_PROFILE = Path(__file__).with_name("sandbox-profile.toml")

_HTTPS_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s]*)?")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,23}[0-9]")
_RESIDUE = re.compile(r"\{\{|\}\}|\$\{|\[object|\b(?:none|null|nil|undefined|nan)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


class ProfileError(Exception):
    """The profile file cannot be used; the message names the file and the offending field."""


def _https_url(value: str) -> str:
    if not _HTTPS_URL.fullmatch(value):
        raise ValueError("must be an https:// URL without spaces")
    return value


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError("must be a plain email address such as jobs@example.com")
    return value


def _phone(value: str) -> str:
    if not _PHONE.fullmatch(value):
        raise ValueError("must be a phone number made of digits, spaces, '+', '-', '.' and parentheses")
    return value


def _display_text(value: str) -> str:
    """Reject wording that would make every message break a rule (MSG-006, MSG-009)."""
    text = value.strip()
    if not text:
        raise ValueError("must not be empty")
    if any(unicodedata.category(ch)[0] in "NC" for ch in text):
        raise ValueError("must not contain digits or control characters (write numbers in words)")
    if _RESIDUE.search(text):
        raise ValueError("must not contain template placeholders or words such as 'None' or 'null'")
    return text


def _policy_text(value: str) -> str:
    """Data-policy wording must not name a protected characteristic either (MSG-007).

    The employer's own name is exempt: it is a proper name, and "Old Navy" is not about age.
    """
    if is_protected("_".join(_WORD.findall(value.casefold()))):
        raise ValueError("must not name a protected characteristic or a ZIP code")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]
Email = Annotated[str, AfterValidator(_email)]
Phone = Annotated[str, AfterValidator(_phone)]
DisplayText = Annotated[str, Field(max_length=200), AfterValidator(_display_text)]
PolicyText = Annotated[DisplayText, AfterValidator(_policy_text)]


class _Model(BaseModel):
    # Frozen so that a loaded profile can be shared and its rendered text cached safely.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Notice(_Model):
    """The advance notice of AEDT use: NYC Admin. Code § 20-871(b), 6 RCNY § 5-304(a)."""

    date: dt.date
    method: Literal["website", "job_posting", "mail", "email"]


class BiasAudit(_Model):
    """The most recent bias audit: § 20-871(a)(1) (at most one year old), § 5-303 (published summary)."""

    date: dt.date
    summary_url: HttpsUrl
    auditor: str | None = Field(default=None, min_length=1, max_length=200)


class DataPolicy(_Model):
    """Type, source and retention of the data the tool uses: § 20-871(b)(3), § 5-304(d)."""

    types: list[PolicyText] = Field(min_length=1, max_length=20)
    sources: list[PolicyText] = Field(min_length=1, max_length=20)
    retention: PolicyText
    url: HttpsUrl


class Aedt(_Model):
    """The tool a webhook decision is attributed to; the role is the 6 RCNY § 5-300 branch."""

    name: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=200)
    role: Literal["sole", "weighted_most", "overrode", "assisted"] = "assisted"


class Calendar(_Model):
    """The business-day calendar for the ten-business-day notice rule.

    "Business day" is not defined in LL 144 or the DCWP rules (docs/sources.md#nyc-local-law-144), so the weekend-and-
    holiday calendar is configurable rather than fixed.
    """

    notice_business_days: int = Field(default=10, ge=0, le=365)
    holiday_country: str = "US"
    holiday_subdivision: str | None = None
    extra_holidays: list[dt.date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_calendar(self) -> Calendar:
        try:
            holidays.country_holidays(self.holiday_country, subdiv=self.holiday_subdivision, years=2026)
        except NotImplementedError as exc:
            raise ValueError(f"unknown holiday calendar: {exc}") from None
        return self


class EmployerProfile(_Model):
    """Everything the explanation generator needs to know about the employer."""

    name: Annotated[str, Field(max_length=80), AfterValidator(_display_text)]
    contact_email: Email
    contact_url: HttpsUrl
    phone: Phone | None = None
    accommodation_email: Email
    review_email: Email
    notice: Notice
    bias_audit: BiasAudit
    data_policy: DataPolicy
    aedt: dict[Literal["greenhouse", "lever", "workday"], Aedt] = Field(default_factory=dict)
    calendar: Calendar = Field(default_factory=Calendar)


def load_profile(path: Path | None = None) -> EmployerProfile:
    """Load and validate a profile; ``None`` loads the sandbox profile shipped with the server."""
    source = SANDBOX_PROFILE if path is None else Path(path)
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ProfileError(f"{source}: cannot read the profile: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source}: not valid TOML: {exc}") from None
    try:
        return EmployerProfile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(_describe(source, exc)) from None


def _describe(source: Path, exc: ValidationError) -> str:
    """One line: the file, the dotted field path, and what is wrong with it."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    field = ".".join(str(part) for part in first["loc"]) or "(top level)"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{source}: {field}: {message}{more}"
