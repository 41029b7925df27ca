"""Pass: its result is `Result` (JSONPath) or its input; in JSONata it has no result."""

from __future__ import annotations

from typing import Any

from designer.asl.model import DEFAULT
from designer.asl.scope import MISSING
from executions.engine.dataflow import is_jsonata
from executions.engine.interpreter import Work


async def run(execution: Any, run: Any, effective: Any) -> Work:
    state = run.state
    if is_jsonata(state):
        return Work()
    result = getattr(state, "result", MISSING)
    if result is MISSING or result is DEFAULT:
        return Work(result=effective)
    return Work(result=result)
