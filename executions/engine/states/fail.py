"""Fail: fails its frame with Error/Cause (literal, *Path or JSONata)."""

from __future__ import annotations

from typing import Any

from designer.asl.errors import ASLError, PathNotFound
from executions.engine.errors import RUNTIME, StateFailure
from executions.engine.interpreter import Work
from executions.engine.states.values import evaluate, show


async def run(execution: Any, run: Any, effective: Any) -> Work:
    state = run.state
    scope = run.scope(effective)
    error = _field(run, scope, state, "error", "ErrorPath", effective)
    cause = _field(run, scope, state, "cause", "CausePath", effective)
    raise StateFailure(error, cause)


def _field(run: Any, scope: Any, state: Any, name: str, path_field: str, effective: Any) -> Any:
    path = getattr(state, f"{name}_path", None)
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
    value = evaluate(getattr(state, name, None), scope, run)
    return value
