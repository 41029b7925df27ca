"""Succeed: ends its frame with its input as output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from designer.asl.model import Succeed
from executions.engine.frames import StateRun, Work

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution


async def run(execution: Execution, run: StateRun[Succeed], effective: Any) -> Work:
    return Work(end=True)
