"""Loading the employer profile: the sandbox default, and one clear error line for each mistake."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pydantic
import pytest

from nyc_hiring.reference_server.profile import (
    SANDBOX_PROFILE,
    Aedt,
    BiasAudit,
    Calendar,
    DataPolicy,
    EmployerProfile,
    Notice,
    ProfileError,
    load_profile,
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _sandbox_with(tmp_path: Path, old: str, new: str) -> Path:
    text = SANDBOX_PROFILE.read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, text.replace(old, new, 1))


def test_the_sandbox_profile_is_the_default() -> None:
    profile = load_profile()
    assert profile == load_profile(SANDBOX_PROFILE)
    assert profile.name == "Example Corp"
    assert profile.notice.date == dt.date(2026, 1, 5)
    assert profile.notice.method == "website"
    assert profile.bias_audit.date == dt.date(2026, 6, 1)
    assert profile.bias_audit.summary_url.startswith("https://careers.example.com/")
    assert profile.data_policy.retention == "four years after we make our hiring decision"
    assert profile.phone is None
    for email in (profile.contact_email, profile.accommodation_email, profile.review_email):
        assert email.endswith("@example.com")
    assert {ats: (aedt.name, aedt.version) for ats, aedt in profile.aedt.items()} == {
        "greenhouse": ("Greenhouse Screening Assistant", "2.1"),
        "lever": ("Lever Match", "1.4"),
        "workday": ("Workday Skills Match", "3.0"),
    }
    assert profile.calendar == Calendar()
    assert profile.calendar.notice_business_days == 10


def _keys(table: dict[str, object]) -> Iterator[str]:
    for key, value in table.items():
        yield key
        if isinstance(value, dict):
            yield from _keys(value)


def test_every_sandbox_setting_is_documented_by_a_comment() -> None:
    text = SANDBOX_PROFILE.read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    settings = set(_keys(tomllib.loads(text))) | {"phone", "holiday_subdivision"}
    assert {key for key in settings if not re.search(rf"\b{key}\b", comments)} == set()
    assert set(_model_fields()) <= settings


def _model_fields() -> Iterator[str]:
    for model in (EmployerProfile, Notice, BiasAudit, DataPolicy, Aedt, Calendar):
        yield from model.model_fields


def test_a_loaded_profile_cannot_be_changed() -> None:
    profile = load_profile()
    with pytest.raises(pydantic.ValidationError):
        profile.name = "Other Corp"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('method = "website"', 'method = "fax"', "notice.method"),
        ("[notice]\ndate = 2026-01-05", '[notice]\ndate = "soon"', "notice.date"),
        ('url = "https://careers.example.com/data"', 'url = "http://careers.example.com/data"', "data_policy.url"),
        ('review_email = "review@example.com"', 'review_email = "review at example"', "review_email"),
        ('retention = "four years', 'retention = "4 years', "data_policy.retention"),
        ('types = ["your resume"', 'types = ["your date of birth"', "data_policy.types.0"),
        ('sources = ["the forms', 'sources = ["{{source}} the forms', "data_policy.sources.0"),
        ('holiday_country = "US"', 'holiday_country = "Atlantis"', "calendar"),
        ("notice_business_days = 10", "notice_business_days = -1", "calendar.notice_business_days"),
        ('role = "assisted"', 'role = "decides"', "aedt.greenhouse.role"),
        ("[aedt.lever]", "[aedt.taleo]", "aedt.taleo"),
        ('name = "Example Corp"', 'name = "Example Corp"\ncolour = "blue"', "colour"),
        ('name = "Example Corp"', f'name = "{"E" * 81}"', "name"),
        ('name = "Example Corp"', 'name = "3M"', "name"),
        ("# phone = ", "phone = 'call us' # ", "phone"),
    ],
)
def test_a_bad_field_is_named_with_the_file(tmp_path: Path, old: str, new: str, field: str) -> None:
    path = _sandbox_with(tmp_path, old, new)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {field}")


def test_a_configured_phone_is_kept(tmp_path: Path) -> None:
    profile = load_profile(_sandbox_with(tmp_path, "# phone = ", "phone = "))
    assert profile.phone == "212-555-0100"


def test_a_missing_required_field_is_named(tmp_path: Path) -> None:
    path = _sandbox_with(tmp_path, 'review_email = "review@example.com"', "")
    with pytest.raises(ProfileError, match=r"profile\.toml: review_email: Field required"):
        load_profile(path)


def test_unreadable_and_malformed_files_are_profile_errors(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "absent.toml")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(_write(tmp_path, "name = \n"))
