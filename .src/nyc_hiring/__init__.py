"""The import root of the conformance suite, its reference server, its schemas and its payload corpus.

The four packages stay at the top of the repository, where people look for them; they are imported as
``nyc_hiring.harness``, ``nyc_hiring.reference_server``, ``nyc_hiring.schemas`` and ``nyc_hiring.payload_fixtures``,
so that installing the suite never shadows a user's own ``harness`` or ``schemas`` package. The folders beside this
file are links to the top-level ones.
"""
