"""The deployment's own OpenAPI document, as a second judge of its answers (EVT-002, `served-openapi`).

A deployment that serves a document promises its answers match it; integrators generate clients from it.
Each answer is validated against what the document declares for that operation and status (or its `4XX`
range, or `default`). A status the document does not declare is not judged here: which status an answer
should have is the business of the requirement the request tests. Documents are OpenAPI 3.1 (JSON Schema
2020-12); a 3.0 document's `nullable` is read as 3.0 means it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import referencing
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from referencing.jsonschema import DRAFT202012

from nyc_hiring import schemas

from .client import TargetClient
from .config import BASE_PATH

DOCUMENT_URI = "urn:nyc-hiring:served-openapi"
_TEMPLATE = re.compile(r"\{[^}/]+\}")


class NotAnOpenApiDocument(ValueError):
    """What the deployment serves at /openapi.json cannot be read as an OpenAPI document."""


@dataclass
class ServedDocument:
    """One deployment's document, with its operations keyed by path shape relative to the API base path."""

    document: dict[str, Any]
    _validators: dict[str, Validator] = field(default_factory=dict, repr=False)
    _registry: referencing.Registry[Any] | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, value: Any) -> ServedDocument:
        if not isinstance(value, dict) or not isinstance(value.get("paths"), dict):
            raise NotAnOpenApiDocument("the document has no `paths` object")
        version = value.get("openapi")
        if not isinstance(version, str) or not version.startswith("3."):
            raise NotAnOpenApiDocument(f"`openapi` is {version!r}, not an OpenAPI 3 version")
        document = copy.deepcopy(value)
        if version.startswith("3.0"):
            _nullable_to_type(document)
        return cls(document)

    def problem(self, method: str, url: str, status: int, body: bytes) -> str | None:
        """Why the answer does not match what the document declares for it, or None (also when it declares nothing)."""
        pointer = self._response_schema(method, _api_path(url), status)
        if pointer is None:
            return None
        instance = _json(body)
        if instance is _NOT_JSON:
            return f"the body is not JSON, while the served document declares a JSON schema for HTTP {status}"
        error = best_match(self._validator(pointer).iter_errors(instance))
        if error is None:
            return None
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        return f"does not match the served document's schema for HTTP {status} at {where}: {error.message[:200]}"

    # -- finding what the document declares -----------------------------------------------------

    def _response_schema(self, method: str, path: str, status: int) -> str | None:
        found = self._operation(method.lower(), path)
        if found is None:
            return None
        template, responses = found
        for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
            if key in responses:
                base = f"/paths/{_escape(template)}/{method.lower()}/responses/{key}"
                return self._content_schema(base, responses[key])
        return None

    def _operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        prefixes = _server_paths(self.document)
        for template, item in self.document["paths"].items():
            shape = _relative(template, prefixes)
            operation = item.get(method) if isinstance(item, dict) else None
            if shape is not None and _matches(shape, path) and isinstance(operation, dict):
                responses = operation.get("responses")
                if isinstance(responses, dict):
                    return template, responses
        return None

    def _content_schema(self, pointer: str, response: Any) -> str | None:
        if isinstance(response, dict) and isinstance(response.get("$ref"), str):
            target = response["$ref"]
            pointer, response = target.removeprefix("#"), self._resolve(target)
        content = response.get("content") if isinstance(response, dict) else None
        if not isinstance(content, dict):
            return None
        json_types = [name for name in content if "json" in name.lower()]
        if len(json_types) != 1 or not isinstance(content[json_types[0]], dict):
            return None
        if "schema" not in content[json_types[0]]:
            return None
        return f"{pointer}/content/{_escape(json_types[0])}/schema"

    def _resolve(self, ref: str) -> Any:
        node: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
        return node

    def _validator(self, pointer: str) -> Validator:
        if pointer not in self._validators:
            if self._registry is None:
                resource = DRAFT202012.create_resource(self.document)
                self._registry = referencing.Registry().with_resource(DOCUMENT_URI, resource)
            self._validators[pointer] = schemas.ecma_validator({"$ref": f"{DOCUMENT_URI}#{pointer}"}, self._registry)
        return self._validators[pointer]


_NOT_JSON = object()


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _api_path(url: str) -> str:
    """The request's path relative to the API base path (`/decision-event`), or as it is when outside it."""
    path = urlsplit(url).path
    index = path.find(BASE_PATH)
    return path[index + len(BASE_PATH) :] or "/" if index >= 0 else path


def _server_paths(document: Mapping[str, Any]) -> list[str]:
    servers = document.get("servers")
    paths = (
        [urlsplit(str(server.get("url", ""))).path.rstrip("/") for server in servers if isinstance(server, dict)]
        if isinstance(servers, list)
        else []
    )
    return sorted({*paths, BASE_PATH, ""}, key=len, reverse=True)


def _relative(template: str, prefixes: list[str]) -> str | None:
    for prefix in prefixes:
        if prefix and template.startswith(prefix + "/"):
            return template[len(prefix) :]
    return template if template.startswith("/") else None


def _matches(template: str, path: str) -> bool:
    pattern = "^" + _TEMPLATE.sub("[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$"
    return re.match(pattern, path) is not None


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _nullable_to_type(node: Any) -> None:
    """OpenAPI 3.0's `nullable: true` is JSON Schema's `type: [..., "null"]`."""
    if isinstance(node, list):
        for item in node:
            _nullable_to_type(item)
        return
    if not isinstance(node, dict):
        return
    if node.pop("nullable", False) is True and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
    for value in node.values():
        _nullable_to_type(value)


_fetched: dict[str, ServedDocument | NotAnOpenApiDocument | None] = {}


def served_document(client: TargetClient) -> ServedDocument | NotAnOpenApiDocument | None:
    """The target's document, fetched once per base URL: under the base path, else at the host root.

    None when it serves none (both answer other than 200): the contract lists the route, but EVT-002
    judges answers against a served document only "where the deployment serves one".
    """
    if client.base_url not in _fetched:
        _fetched[client.base_url] = _fetch(client)
    return _fetched[client.base_url]


def _fetch(client: TargetClient) -> ServedDocument | NotAnOpenApiDocument | None:
    root = urlsplit(client.base_url)
    for where in ("/openapi.json", f"{root.scheme}://{root.netloc}/openapi.json"):
        response = client.get(where)
        if response.status_code == 200:
            try:
                return ServedDocument.parse(json.loads(response.content))
            except (ValueError, RecursionError) as exc:
                return NotAnOpenApiDocument(f"GET {where} answers 200, but {exc}")
    return None
