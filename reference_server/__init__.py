"""The reference implementation of the NYC hiring-compliance API: the sandbox integrators develop
against, and the proof that every conformance check can pass."""

__version__ = "0.1.0"
