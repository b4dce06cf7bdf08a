"""Imported by the process that the run's workers are forked from: builds the OpenAPI campaign's
generation caches there once, so that no worker spends its first half second on them (harness.parallel).

A module rather than a call because a forkserver is told what to do before forking only as modules to import.
"""

from __future__ import annotations

from .openapi_fuzz import prepare_generation

prepare_generation()
