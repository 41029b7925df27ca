"""Fail: fails its frame with Error/Cause (literal, *Path or JSONata)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from designer.asl.errors import ASLError, PathNotFound
from designer.asl.model import Fail
from designer.asl.scope import Scope
from executions.engine.errors import RUNTIME, StateFailure
from executions.engine.frames import StateRun, Work
from executions.engine.states.values import evaluate, show

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution


async def run(execution: Execution, run: StateRun[Fail], effective: Any) -> Work:
    state = run.state
    scope = run.scope(effective)
    error = _field(run, scope, state.error_path, state.error, "ErrorPath", effective)
    cause = _field(run, scope, state.cause_path, state.cause, "CausePath", effective)
    raise StateFailure(error, cause)


def _field(
    run: StateRun[Fail], scope: Scope, path: Any, literal: Any, path_field: str, effective: Any
) -> Any:
    """Error or Cause: its *Path (a path or an intrinsic), else the literal or JSONata value."""
    if path is not None:
        try:
            value = path.evaluate(scope)
        except PathNotFound:
            raise run.failure(
                RUNTIME,
                f"The JSONPath '{path.text}' specified for the field '{path_field}' could not be found in "
                f"the input '{show(effective)}'",
            ) from None
        except ASLError as exc:
            raise run.failure(exc.error, exc.cause) from None
        return value if isinstance(value, str) else show(value)
    return evaluate(literal, scope, run)
