"""The contract's schemas: what the harness judges a deployment's answers by, and nothing more.

They encode contract §§ 1 and 2 alone: required fields and their types, every object open, IDs opaque, any
problem `code`. The richer documents beside this folder (`schemas/openapi.yaml` and the JSON Schemas it
refers to) are the reference server's own choices, which it serves and its own tests hold it to; a
deployment that chose otherwise, as contract § 1 allows, must not fail for it. A schema here also
leaves to other requirements what they judge (a memo's factors are MEMO-001's), so one fault in a
deployment fails one requirement.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import referencing
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from referencing.jsonschema import DRAFT202012

from .. import ecma_validator

CONTRACT_DIR = Path(__file__).parent
_SUFFIX = ".schema.json"

__all__ = ["CONTRACT_DIR", "first_error", "load", "names", "validator"]


def names() -> list[str]:
    return sorted(file.name.removesuffix(_SUFFIX) for file in CONTRACT_DIR.glob("*" + _SUFFIX))


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The parsed schema, shared between callers: treat it as read-only."""
    if name not in names():
        raise FileNotFoundError(f"no contract schema {name!r} in {CONTRACT_DIR}; known: {', '.join(names())}")
    schema: dict[str, Any] = json.loads((CONTRACT_DIR / (name + _SUFFIX)).read_text(encoding="utf-8"))
    return schema


@functools.cache
def _registry() -> referencing.Registry[Any]:
    resources = [(load(name)["$id"], DRAFT202012.create_resource(load(name))) for name in names()]
    return referencing.Registry().with_resources(resources).crawl()


@functools.cache
def validator(name: str) -> Validator:
    return ecma_validator(load(name), _registry())


def first_error(name: str, instance: Any) -> ValidationError | None:
    """The most telling error (jsonschema's best match, which looks inside `oneOf`), or None when valid."""
    # types-jsonschema gives best_match no return type: it returns the chosen error, or None when there is none
    error: ValidationError | None = best_match(validator(name).iter_errors(instance))
    return error
