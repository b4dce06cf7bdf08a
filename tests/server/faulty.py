"""An in-process reference server broken by deliberate faults, with the same facade as the correct one."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from nyc_hiring.reference_server import faults
from nyc_hiring.reference_server.profile import load_profile

from .conftest import Sandbox


class FaultSandbox(Sandbox):
    def __init__(self, db_path: Path, names: Iterable[str], **settings: Any) -> None:
        self.names = list(names)
        super().__init__(db_path, **settings)
        self.validate_responses = False  # a broken server answers what it answers

    def build(self) -> Starlette:
        variant = faults.variant(self.settings, load_profile(), self.names)
        variant.clock = self.clock
        return variant.build(self.db_path)
