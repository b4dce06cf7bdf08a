"""Deliberate corruptions of signed deliveries: one engine for the hand-written checks and the generated ones.

Every corruption leaves exactly one thing wrong with a request (contract § 1: one fault per request): a
signature altered, cut short or under the wrong scheme, or a body changed after it was signed, still
JSON of the same shape. Both the SIG checks and the generated cases (harness.wire) take them from here,
so "one character altered" means the same everywhere.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from typing import Any

HEX = "0123456789abcdef"
BASE64 = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"
_SIGNATURE_PREFIX = re.compile(r"^(?:sha(?:1|256|512)[ =]|v\d+a?,)")
_ASCII_WORD = string.ascii_letters + string.digits


def next_char(char: str) -> str:
    """Another character of the same alphabet: hex stays hex (valid base64 too), base64 stays base64."""
    for alphabet in (HEX, BASE64):
        if char in alphabet:
            return alphabet[(alphabet.index(char) + 1) % len(alphabet)]
    return "x" if char != "x" else "y"


def split_signature(sig: str) -> tuple[str, str]:
    """Split a signature into its scheme prefix (`sha256 `, `sha256=`, `v1,`, or none) and digest."""
    match = _SIGNATURE_PREFIX.match(sig)
    prefix = match.group(0) if match else ""
    return prefix, sig[len(prefix) :]


def data_characters(digest: str) -> int:
    """How many leading digest characters carry only data bits.

    The final data character of padded base64 also holds padding bits, which may decode to the same
    digest when altered: that would make a "one character off" check vacuous.
    """
    data = digest.rstrip("=")
    return len(data) if all(char in HEX for char in data) else max(len(data) - 1, 1)


def alter_digest(digest: str, position: int) -> str:
    """The digest with the character at `position` (modulo the data characters) changed."""
    index = position % data_characters(digest)
    return digest[:index] + next_char(digest[index]) + digest[index + 1 :]


def alter_one_char(sig: str, where: str = "first") -> str:
    """Change one digest character (`first`, `middle` or `last`), keeping the prefix and the alphabet.

    Altering a late character catches a verifier that compares only a prefix of the digest. For a
    space-separated list (Standard Webhooks) only the first entry changes.
    """
    first, sep, rest = (sig, "", "") if sig.startswith("sha") else sig.partition(" ")
    prefix, digest = split_signature(first)
    if not digest:
        raise ValueError("signature has no digest to alter")
    usable = data_characters(digest)
    position = {"first": 0, "middle": usable // 2, "last": usable - 1}[where]
    return prefix + alter_digest(digest, position) + sep + rest


def truncate(sig: str, keep: int = 8) -> str:
    """Keep the prefix and only the first `keep` digest characters.

    Eight characters is the Rust library's negative case (Standard Webhooks): a verifier that compares
    only a prefix of the digest accepts it.
    """
    prefix, digest = split_signature(sig)
    if not 0 <= keep < len(digest):
        raise ValueError("nothing to truncate")
    return prefix + digest[:keep]


def greenhouse_equals_variant(sig: str) -> str:
    """Turn `sha256 <hex>` into `sha256=<hex>`.

    That is GitHub's and Ashby's form; Greenhouse uses a space (developers.greenhouse.io/webhooks), and
    a verifier that accepts both has copied the wrong scheme.
    """
    if not sig.startswith("sha256 "):
        raise ValueError("not a Greenhouse signature")
    return "sha256=" + sig.removeprefix("sha256 ")


# Wrong prefixes around a correct digest: GitHub's `sha256=`, another algorithm's name, no prefix at
# all; for Standard Webhooks another version or `v1a` (ed25519) in place of `v1`.
WRONG_SCHEMES: dict[str, tuple[Callable[[str], str], ...]] = {
    "greenhouse": (lambda d: "sha256=" + d, lambda d: "sha1 " + d, lambda d: d, lambda d: "sha512 " + d),
    "lever": (lambda d: "sha256=" + d, lambda d: "sha256 " + d, lambda d: "v1," + d),
    "workday": (lambda d: "v1=" + d, lambda d: "v2," + d, lambda d: d, lambda d: "v1a," + d),
}

# -- bodies changed after signing ---------------------------------------------------------------------

RESERIALISERS: tuple[tuple[str, Callable[[Any], str]], ...] = (
    ("compact, escapes written out", lambda v: json.dumps(v, separators=(",", ":"), ensure_ascii=False)),
    ("with spaces", lambda v: json.dumps(v)),
    ("with sorted keys", lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)),
    ("indented", lambda v: json.dumps(v, indent=2, ensure_ascii=False)),
)
WHITESPACE: tuple[Callable[[bytes], bytes], ...] = (
    lambda b: b + b"\n",
    lambda b: b" " + b,
    lambda b: b + b"\r\n",
    lambda b: b[:1] + b" " + b[1:],
    lambda b: b[:-1] + b"\t" + b[-1:],
)


def changed_byte(body: bytes, position: int) -> bytes:
    """One ASCII letter or digit inside a JSON string changed: still JSON of the same shape."""
    positions = string_byte_positions(body)
    index = positions[position % len(positions)]
    return body[:index] + next_char(chr(body[index])).encode() + body[index + 1 :]


def reserialised(body: bytes, style: int) -> tuple[str, bytes]:
    """(style name, bytes) of the first re-serialisation from `style` on that differs from `body`."""
    value = json.loads(body)
    for step in range(len(RESERIALISERS)):
        name, dump = RESERIALISERS[(style + step) % len(RESERIALISERS)]
        out = dump(value).encode()
        if out != body:
            return name, out
    return "with a trailing newline", body + b"\n"


def string_byte_positions(body: bytes) -> list[int]:
    """Offsets of ASCII letters and digits inside JSON strings, outside escapes: changing one keeps the
    body valid JSON of the same shape."""
    positions: list[int] = []
    inside, index = False, 0
    while index < len(body):
        byte = body[index]
        if inside and byte == 0x5C:  # backslash: skip the escape (\uXXXX or \x)
            index += 6 if body[index + 1 : index + 2] == b"u" else 2
            continue
        if byte == 0x22:
            inside = not inside
        elif inside and byte < 0x80 and chr(byte) in _ASCII_WORD:
            positions.append(index)
        index += 1
    return positions
