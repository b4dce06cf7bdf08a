"""Validation against the API's JSON Schemas, resolved offline and with JSON Schema's own `pattern`.

Validators resolve cross-file references through a registry keyed by each file's `$id` (its file name),
so nothing is fetched over the network. `validator()` reads `pattern` as JSON Schema specifies it
(ECMA-262, where `$` is the very end of the string), so it agrees with the server's pydantic models and
with schemathesis on strings such as `"years_experience\\n"`, which Python's `$` would let through.
`standalone()` inlines everything one schema references, for tools that follow no references to other
files (hypothesis-jsonschema, code generators).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import jsonschema
import jsonschema.validators
import referencing
import referencing.jsonschema
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from referencing.jsonschema import DRAFT202012

from . import load, names, path, pattern_matches

if TYPE_CHECKING:
    from referencing._core import Resolver  # referencing exports its Resolver only from _core


@functools.cache
def registry() -> referencing.Registry[Any]:
    """Every schema under its `$id` and file name, so `$ref: "decision-factor.schema.json"` resolves offline.

    The API's schemas use the file name as `$id`; a schema whose `$id` is an absolute URL is registered
    under both, so either form of reference finds it. The registered copies carry no `$schema` (their
    dialect is fixed here instead): jsonschema picks the validator class for a referenced resource from its
    `$schema`, which would drop the ECMA-262 pattern semantics of `validator()` at the first cross-file ref.
    """
    resources: list[tuple[str, referencing.Resource[Any]]] = []
    for name in names():
        schema = {key: value for key, value in load(name).items() if key != "$schema"}
        resource = DRAFT202012.create_resource(schema)
        uris = {path(name).name, str(schema.get("$id", path(name).name))}
        resources.extend((uri, resource) for uri in sorted(uris))
    return referencing.Registry().with_resources(resources).crawl()


@functools.cache
def validator(name: str) -> Validator:
    """A 2020-12 validator that checks formats (so `format: date` or `email` is enforced, not just noted).

    It validates against `standalone(name)`, which accepts and refuses the same instances: following a
    `$ref` through the registry on every instance costs as much again as the validation itself, and the
    harness validates every answer it judges.
    """
    validator_: Validator = _Draft202012(
        standalone(name), registry=registry(), format_checker=_Draft202012.FORMAT_CHECKER
    )
    return validator_


def first_error(name: str, instance: Any) -> ValidationError | None:
    """The error a reader should see first (the one nearest the top of the instance), or None when valid."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda error: [str(part) for part in error.path])
    return errors[0] if errors else None


def _pattern_keyword(validator: Validator, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not pattern_matches(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# types-jsonschema leaves extend() unannotated; it returns a validator class like the one it extends.
_Draft202012: type[Validator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator, {"pattern": _pattern_keyword}
)


def ecma_validator(schema: dict[str, Any], registry: referencing.Registry[Any]) -> Validator:
    """A 2020-12 validator reading `pattern` as ECMA-262 and checking formats, for any schema folder."""
    validator_: Validator = _Draft202012(schema, registry=registry, format_checker=_Draft202012.FORMAT_CHECKER)
    return validator_


def standalone(name: str) -> dict[str, Any]:
    """A copy of the schema with every `$ref` replaced by its target, for tools that cannot resolve refs.

    A `$ref` with sibling keywords becomes those keywords plus `allOf: [target]`, which validates the same.
    The schemas have no recursive references, so full inlining ends (a cycle raises `ValueError`).
    """
    schema = load(name)
    resolver = registry().resolver(base_uri=schema["$id"])
    inlined: dict[str, Any] = _dereference(schema, resolver, ())
    inlined.pop("$defs", None)
    return inlined


def _dereference(node: Any, resolver: Resolver[Any], seen: tuple[int, ...]) -> Any:
    if isinstance(node, list):
        return [_dereference(item, resolver, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return {key: _dereference(value, resolver, seen) for key, value in node.items()}
    resolved = resolver.lookup(ref)
    # The registry holds the cached schemas, so a target's identity names it for cycle detection.
    if id(resolved.contents) in seen:
        raise ValueError(f"recursive $ref {ref!r} cannot be inlined")
    target = _dereference(resolved.contents, resolved.resolver, (*seen, id(resolved.contents)))
    if isinstance(target, dict):
        for key in ("$id", "$schema", "$defs"):
            target.pop(key, None)
    siblings = {key: _dereference(value, resolver, seen) for key, value in node.items() if key != "$ref"}
    if not siblings:
        return target
    siblings["allOf"] = [*siblings.get("allOf", []), target]
    return siblings
