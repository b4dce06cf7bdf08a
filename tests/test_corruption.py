"""Deliberate corruptions (harness.corruption): each changes exactly one thing, and never to something
that still verifies."""

from __future__ import annotations

import base64
import json

import pytest

from nyc_hiring.harness import corruption


@pytest.mark.parametrize(
    ("sig", "prefix"),
    [
        ("sha256 6abb0ae2181eadc104e2f50546d2fc4f3b531456326d3d16480b8295941f0134", "sha256 "),
        ("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1,"),
        ("d6762c91609e4a47b0c9f34c65457f5938523a17416f527a1c1f77ea88a1f379", ""),
        ("ff", ""),
    ],
)
def test_alter_one_char_changes_exactly_one_digest_character(sig: str, prefix: str) -> None:
    altered = corruption.alter_one_char(sig)
    assert altered.startswith(prefix)
    assert len(altered) == len(sig)
    assert sum(a != b for a, b in zip(altered, sig, strict=True)) == 1


def test_alter_one_char_still_decodes_to_a_different_digest() -> None:
    altered = corruption.alter_one_char("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    original = base64.b64decode("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    changed = base64.b64decode(altered.removeprefix("v1,"), validate=True)
    assert len(changed) == 32
    assert changed != original


def test_alter_one_char_touches_only_the_first_entry_of_a_list() -> None:
    altered = corruption.alter_one_char("v1,AAAA v1,BBBB")
    assert altered.split(" ")[1] == "v1,BBBB"
    assert altered.split(" ")[0] != "v1,AAAA"


def test_alter_one_char_needs_a_digest() -> None:
    with pytest.raises(ValueError):
        corruption.alter_one_char("v1,")


def test_truncate_keeps_the_prefix() -> None:
    assert corruption.truncate("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") == "v1,g0hM9SsE"
    assert corruption.truncate("sha256 6abb0ae2181eadc1", keep=4) == "sha256 6abb"
    assert corruption.truncate("sha256 6abb0ae2", keep=0) == "sha256 "
    with pytest.raises(ValueError):
        corruption.truncate("v1,abcd", keep=4)


def test_greenhouse_equals_variant() -> None:
    assert corruption.greenhouse_equals_variant("sha256 abc123") == "sha256=abc123"
    with pytest.raises(ValueError):
        corruption.greenhouse_equals_variant("v1,abc")


def test_split_signature() -> None:
    assert corruption.split_signature("sha256=ab") == ("sha256=", "ab")
    assert corruption.split_signature("v1a,xyz") == ("v1a,", "xyz")
    assert corruption.split_signature("abcdef") == ("", "abcdef")


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_late_character_altered_still_decodes_to_a_different_digest(where: str) -> None:
    """The final base64 character holds padding bits: the last one altered is the last all-data one."""
    digest = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    altered = corruption.alter_one_char("v1," + digest, where).removeprefix("v1,")
    assert base64.b64decode(altered, validate=True) != base64.b64decode(digest)
    assert sum(a != b for a, b in zip(altered, digest, strict=True)) == 1


def test_the_last_hex_character_can_be_altered() -> None:
    digest = "6abb0ae2181eadc104e2f50546d2fc4f3b531456326d3d16480b8295941f0134"
    assert corruption.alter_one_char("sha256 " + digest, "last") == "sha256 " + digest[:-1] + "5"


def test_a_changed_byte_keeps_the_body_json() -> None:
    """Only letters and digits inside strings change, never an escape: the signature is what breaks."""
    body = b'{"a": "value", "b": [1, "x\\u003cy"]}'
    for position in range(20):
        changed = corruption.changed_byte(body, position)
        assert changed != body and len(changed) == len(body)
        assert isinstance(json.loads(changed), dict) and b"\\u003c" in changed
