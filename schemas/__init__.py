"""The API's JSON Schemas and OpenAPI document, loaded from the files shipped beside this module.

The JSON Schema files are the single definition of every body; `openapi.yaml` points at them by relative
`$ref`. `openapi_document()` inlines the files into `components/schemas` because clients of
`GET /openapi.json` cannot follow references to files they were never given. Validation against the
schemas (`validator()`, `first_error()`, `registry()`, `standalone()`, `ecma_validator()`) lives in
`validation.py` and is reached from here too.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from .validation import ecma_validator, first_error, registry, standalone, validator

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
#: Validation needs jsonschema, which the reference server never uses; `validation` is imported on first
#: use, so a server starts without it (about 40 ms of every start).
_VALIDATION = frozenset({"ecma_validator", "first_error", "registry", "standalone", "validator"})
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


def __getattr__(name: str) -> Any:
    if name in _VALIDATION:
        from . import validation

        return getattr(validation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
