"""Strict reading of request bodies as JSON text.

The API speaks I-JSON (RFC 7493): UTF-8 only, no duplicate member names, no lone
surrogates, no non-finite numbers. Python's json module lets all of these through,
and such a value fails later (encoding a lone surrogate, storing Infinity), which must
never become a server error. Every body is therefore read here, once.
"""

from __future__ import annotations

import json
import math


class MalformedBody(ValueError):
    """The bytes are not a JSON text this API can hold."""


def parse_json(raw: bytes) -> object:
    """Decode *raw* as UTF-8 JSON, refusing anything I-JSON forbids."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedBody("The body is not valid UTF-8.") from exc
    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_members,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
        )
    except MalformedBody:
        raise
    except (ValueError, RecursionError) as exc:
        raise MalformedBody("The body is not well-formed JSON.") from exc
    _require_unicode_scalars(value)
    return value


def _unique_members(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """Build an object, refusing a member name given twice (its meaning would be a guess)."""
    result: dict[str, object] = {}
    for name, value in pairs:
        if name in result:
            raise MalformedBody("The body repeats a member name inside one object.")
        result[name] = value
    return result


def _reject_constant(name: str) -> float:
    """NaN and Infinity are not JSON, though Python's parser accepts them."""
    raise MalformedBody("The body uses NaN or Infinity, which JSON does not allow.")


def _finite_float(text: str) -> float:
    """A number too large for a double would be stored as Infinity: refuse it instead."""
    number = float(text)
    if not math.isfinite(number):
        raise MalformedBody("The body holds a number too large to represent.")
    return number


def _require_unicode_scalars(value: object) -> None:
    """Refuse lone surrogates (``"\\ud800"``): they cannot be written back as UTF-8."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            _encodable(item)
        elif isinstance(item, dict):
            for name, member in item.items():
                _encodable(name)
                pending.append(member)
        elif isinstance(item, list):
            pending.extend(item)


def _encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedBody("The body holds a string that is not valid Unicode text.") from exc


def canonical(value: object) -> bytes:
    """One byte form per JSON value, so two bodies are compared as values, not as bytes.

    Member order and white space do not count, and ``1.0`` is the same number as ``1``.
    """
    return json.dumps(_same_numbers(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _same_numbers(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {name: _same_numbers(member) for name, member in value.items()}
    if isinstance(value, list):
        return [_same_numbers(item) for item in value]
    return value


def dump(value: object) -> bytes:
    """Serialise a response body."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
