"""Succeed: ends its frame with its input as output."""

from __future__ import annotations

from typing import Any

from executions.engine.interpreter import Work


async def run(execution: Any, run: Any, effective: Any) -> Work:
    return Work(end=True)
