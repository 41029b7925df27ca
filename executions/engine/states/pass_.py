"""Pass: its result is `Result` (JSONPath) or its input; in JSONata it has no result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from designer.asl.model import DEFAULT, Pass
from designer.asl.scope import MISSING
from executions.engine.dataflow import is_jsonata
from executions.engine.frames import StateRun, Work

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution


async def run(execution: Execution, run: StateRun[Pass], effective: Any) -> Work:
    state = run.state
    if is_jsonata(state):
        return Work()
    result = state.result
    if result is MISSING or result is DEFAULT:
        return Work(result=effective)
    return Work(result=result)
