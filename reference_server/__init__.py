"""The reference implementation of the NYC hiring-compliance API: the sandbox integrators develop
against, and the proof that every conformance check can pass."""

if __name__ != "nyc_hiring.reference_server":  # a second copy under the folder's name would split module state
    raise ImportError(f"import this package as nyc_hiring.reference_server, not {__name__!r}")

__version__ = "0.1.0"
