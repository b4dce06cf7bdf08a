"""The conformance checks `pytest --target` runs: one module per requirement group, each check marked
with the catalog IDs it tests."""
