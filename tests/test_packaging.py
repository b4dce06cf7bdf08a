"""The installed package finds its data: schemas and payload fixtures ship inside the wheel."""

import importlib


def test_data_packages_import() -> None:
    for name in ("harness", "reference_server", "schemas", "payload_fixtures"):
        assert importlib.import_module(name) is not None
