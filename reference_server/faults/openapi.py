"""Changes to the OpenAPI document a broken variant serves, so that it describes what the variant answers.

A fault should fail its own clause only; where it answers with a status or shape the reference's
document does not allow, its document allows it, as a deployment documenting its own API would.
"""

from __future__ import annotations

from typing import Any

Document = dict[str, Any]


def schema(document: Document, name: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def allow_status(document: Document, code: str, status: int) -> None:
    """Problems with this `code` may also come with `status` (the document pairs each code with one)."""
    for rule in schema(document, "Problem")["allOf"]:
        if rule["if"]["properties"]["code"].get("const") == code:
            allowed = rule["then"]["properties"]["status"]
            allowed["enum"] = [allowed.pop("const"), status]


def add_code(document: Document, code: str) -> None:
    schema(document, "Problem")["properties"]["code"]["enum"].append(code)


def declare_response(document: Document, status: str, response: dict[str, Any], *, paths: str = "") -> None:
    """Every operation under `paths` (a path fragment) that requires credentials or a signature may answer
    `status` with `response`, unless it declares that status already."""
    for path, operations in document["paths"].items():
        for operation in operations.values():
            responses = operation.get("responses", {}) if isinstance(operation, dict) else {}
            if paths in path and "401" in responses:
                responses.setdefault(status, response)
