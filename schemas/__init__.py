"""The API's JSON Schemas and OpenAPI document, loaded from the files shipped beside this module.

The JSON Schema files are the single definition of every body; `openapi.yaml` points at them by relative
`$ref`. Validators resolve those cross-file references through a registry keyed by each file's `$id` (its
file name), so nothing is fetched over the network. `openapi_document()` inlines the files into
`components/schemas` because clients of `GET /openapi.json` cannot follow references to files they were
never given, and `standalone()` inlines everything one schema references, for tools that follow no
references to other files (hypothesis-jsonschema, code generators).

`validator()` reads `pattern` as JSON Schema specifies it (ECMA-262, where `$` is the very end of the
string), so it agrees with the server's pydantic models and with schemathesis on strings such as
`"years_experience\n"`, which Python's `$` would let through.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import jsonschema.validators
import referencing
import referencing.jsonschema
import yaml
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from referencing.jsonschema import DRAFT202012

if TYPE_CHECKING:
    from referencing._core import Resolver  # referencing exports its Resolver only from _core

if __name__ != "nyc_hiring.schemas":  # a second copy under the folder's name would split module state
    raise ImportError(f"import this package as nyc_hiring.schemas, not {__name__!r}")

__all__ = [
    "SCHEMA_DIR",
    "ecma_validator",
    "first_error",
    "load",
    "names",
    "openapi_document",
    "path",
    "pattern_matches",
    "registry",
    "standalone",
    "validator",
]

SCHEMA_DIR: Path = Path(__file__).parent
_SUFFIX = ".schema.json"
_OPENAPI_FILE = "openapi.yaml"
_COMPONENTS_PREFIX = "#/components/schemas/"


def path(name: str) -> Path:
    """Accept a bare name (`decision-event-request`) or a file name, as callers find either handy."""
    file_name = name if name.endswith((".json", ".yaml")) else name + _SUFFIX
    candidate = SCHEMA_DIR / file_name
    if candidate.parent != SCHEMA_DIR or not candidate.is_file():
        raise FileNotFoundError(f"no schema {name!r} in {SCHEMA_DIR}; known: {', '.join(names())}")
    return candidate


def names() -> list[str]:
    """Bare names of every JSON Schema shipped, so tests and tools can iterate without globbing."""
    return sorted(file.name.removesuffix(_SUFFIX) for file in SCHEMA_DIR.glob("*" + _SUFFIX))


def load(name: str) -> dict[str, Any]:
    """The parsed schema. Shared between callers (cached), so treat it as read-only."""
    return _load_file(path(name).name)


@functools.cache
def _load_file(file_name: str) -> dict[str, Any]:
    with (SCHEMA_DIR / file_name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


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


def _ecma_pattern(pattern: str) -> str:
    """Rewrite `$` to `\\Z`: in ECMA-262 regexes, which JSON Schema specifies, `$` matches only at the end.

    Python's `$` also matches before a final newline, so `"years_experience\\n"` would pass a snake_case
    pattern here while the server's pydantic models and schemathesis (both ECMA-like) reject it.
    """
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = "\\Z"
        out.append(char)
    return "".join(out)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(_ecma_pattern(pattern))


def pattern_matches(pattern: str, text: str) -> bool:
    """Whether `text` matches a schema's `pattern` as JSON Schema reads it (ECMA-262, unanchored search)."""
    return _compiled(pattern).search(text) is not None


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


def _safe_loader() -> type[yaml.SafeLoader] | type[yaml.CSafeLoader]:
    """PyYAML's safe loader in C where libyaml is built in (the wheels have it): the same document, read in
    a tenth of the time, which every server and harness process pays once at start.

    The C extension is set up once per process and keeps the node classes of the PyYAML it was first
    imported with. Once PyYAML is imported again in the same process (pytest's in-process runs drop the
    modules they imported), its C loader names no node it builds, and only the Python loader reads a
    document.
    """
    bound = getattr(sys.modules.get("yaml._yaml"), "MappingNode", None) is yaml.nodes.MappingNode
    return yaml.CSafeLoader if bound and hasattr(yaml, "CSafeLoader") else yaml.SafeLoader


@functools.cache
def _openapi_raw() -> dict[str, Any]:
    with (SCHEMA_DIR / _OPENAPI_FILE).open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=_safe_loader())  # noqa: S506 (a safe loader)
    return document


@functools.cache
def _openapi_bundled() -> dict[str, Any]:
    document = copy.deepcopy(_openapi_raw())
    _Bundler(document).run()
    return document


def openapi_document(bundled: bool = True) -> dict[str, Any]:
    """The OpenAPI document; bundled (as served at `GET /openapi.json`) it refers to no other file.

    Each call returns a fresh copy, so a server may add `servers` or the like without affecting others.
    """
    return copy.deepcopy(_openapi_bundled() if bundled else _openapi_raw())


class _Bundler:
    """Moves every referenced schema file into `components/schemas` and points each `$ref` there.

    A component that is nothing but a reference to a whole file (`Problem: {$ref: ./problem.schema.json}`)
    gives that file its component name; a file reached only from another file gets a name derived from
    its file name. The inlined copies lose `$id` and `$schema`: inside the document they would make their
    references resolve against the file name again.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
        self.names: dict[str, str] = {}
        self.pending: list[str] = []
        for component, schema in self.components.items():
            ref = schema.get("$ref") if isinstance(schema, dict) and len(schema) == 1 else None
            if isinstance(ref, str) and _is_external(ref) and "#" not in ref:
                self.names[_file_name(ref)] = component

    def run(self) -> None:
        self._rewrite(self.document, base=None)
        done: set[str] = set()
        while self.pending:
            file_name = self.pending.pop()
            if file_name in done:
                continue
            done.add(file_name)
            content = copy.deepcopy(_load_file(file_name))
            content.pop("$id", None)
            content.pop("$schema", None)
            self._rewrite(content, base=file_name)
            self.components[self.names[file_name]] = content

    def _rewrite(self, node: Any, base: str | None) -> None:
        """Rewrites in place, so `self.components` stays the dict inside the document."""
        children = node if isinstance(node, list) else node.values() if isinstance(node, dict) else ()
        for child in children:
            self._rewrite(child, base)
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node["$ref"] = self._target(node["$ref"], base)

    def _target(self, ref: str, base: str | None) -> str:
        location, _, fragment = ref.partition("#")
        if not location:
            if base is None:
                return ref
            location = base
        file_name = _file_name(location)
        if file_name not in self.names:
            self.names[file_name] = self._new_component_name(file_name)
        self.pending.append(file_name)
        return _COMPONENTS_PREFIX + self.names[file_name] + fragment

    def _new_component_name(self, file_name: str) -> str:
        stem = file_name.removesuffix(_SUFFIX).removesuffix(".json")
        name = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", stem) if part)
        taken = set(self.components) | set(self.names.values())
        candidate, counter = name, 2
        while candidate in taken:
            candidate, counter = f"{name}{counter}", counter + 1
        return candidate


def _is_external(ref: str) -> bool:
    return not ref.startswith("#")


def _file_name(location: str) -> str:
    """Only sibling files may be referenced: the folder is what ships, so nothing else would resolve."""
    file_name = location.removeprefix("./")
    if "/" in file_name or "\\" in file_name or not (SCHEMA_DIR / file_name).is_file():
        raise ValueError(f"$ref to {location!r} does not name a file in {SCHEMA_DIR}")
    return file_name
