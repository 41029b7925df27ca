"""A state's data pipeline, both query languages.

JSONPath: InputPath -> Parameters -> (the state's work) -> ResultSelector -> ResultPath
-> OutputPath. JSONata: Arguments -> (work) -> Output. Assign, in both, sees the variables
as they were before the state (all assignments of one state happen at once).

Every function takes values and returns values; errors come out as `ASLError` from the
language core and are turned into the state's failure by the interpreter.
"""

from __future__ import annotations

from typing import Any

from designer.asl.errors import ASLError, PathNotFound
from designer.asl.jsonpath import apply_result_path
from designer.asl.model import DEFAULT, Catcher, Map, Parallel, Pass, State, Task
from designer.asl.model.states import Template
from designer.asl.scope import MISSING, Scope

# The state types that have each field (the others behave as if it were absent).
_WITH_PARAMETERS = (Pass, Task, Parallel)  # Map's legacy Parameters is its ItemSelector
_WITH_ARGUMENTS = (Task, Parallel)
_WITH_RESULT_SELECTOR = (Task, Parallel, Map)
_WITH_RESULT_PATH = (Pass, Task, Parallel, Map)


def is_jsonata(state: State) -> bool:
    return state.is_jsonata


def _path(path: Any, value: Any, scope: Scope, field: str) -> Any:
    """InputPath/OutputPath: absent means `$`, JSON null means `{}`."""
    if path is DEFAULT:
        return value
    if path is None:
        return {}
    try:
        return path.evaluate(Scope(value, scope.context, scope.variables))
    except PathNotFound as exc:
        raise ASLError("States.Runtime", exc.cause) from None


def parameters(state: State, value: Any, scope: Scope) -> Any:
    """JSONPath Parameters over the value InputPath selected (absent: that value)."""
    template = state.parameters if isinstance(state, _WITH_PARAMETERS) else None
    if template is None:
        return value
    return template.evaluate(Scope(value, scope.context, scope.variables))


def arguments(state: State, raw: Any, scope: Scope) -> Any:
    """JSONata Arguments (absent: the state's input)."""
    args = state.arguments if isinstance(state, _WITH_ARGUMENTS) else None
    if args is None:
        return raw
    return args.evaluate(Scope(raw, scope.context, scope.variables))


def input_path_only(state: State, raw: Any, scope: Scope) -> Any:
    """InputPath alone (Map applies its ItemSelector per item, not to the whole input)."""
    return _path(state.input_path, raw, scope, "InputPath")


def select_result(state: State, result: Any, scope: Scope) -> Any:
    """ResultSelector over a state's result (absent: the result itself)."""
    selector = state.result_selector if isinstance(state, _WITH_RESULT_SELECTOR) else None
    if selector is None:
        return result
    return selector.evaluate(Scope(result, scope.context, scope.variables))


def apply_state_result_path(state: State, raw: Any, result: Any) -> Any:
    """The state's ResultPath: where `result` goes in the state's input (absent: replaces it)."""
    result_path = state.result_path if isinstance(state, _WITH_RESULT_PATH) else DEFAULT
    return result if result_path is DEFAULT else apply_result_path(result_path, raw, result)


def output_path(state: State, value: Any, scope: Scope) -> Any:
    """OutputPath (absent: the whole value)."""
    return _path(state.output_path, value, scope, "OutputPath")


def jsonpath_output_without_result(state: State, effective: Any, scope: Scope) -> Any:
    """OutputPath for states without a result (Choice, Wait, Succeed)."""
    return _path(state.output_path, effective, scope, "OutputPath")


def apply_catch_result_path(catcher: Catcher, raw: Any, error: dict[str, Any]) -> Any:
    """A Catcher's ResultPath places the error output into the state's input."""
    result_path = catcher.result_path
    if result_path is DEFAULT:
        return error
    return apply_result_path(result_path, raw, error)


def jsonata_output(state: State, raw: Any, result: Any, scope: Scope) -> Any:
    """JSONata Output (absent: the result, or the input for states without one)."""
    output = state.output
    if output is None:
        return raw if result is MISSING else result
    return output.evaluate(Scope(raw, scope.context, scope.variables, result=result))


def assign(
    state_assign: Template, raw: Any, result: Any, scope: Scope, error_output: Any = MISSING
) -> dict[str, Any] | None:
    """The variables a state (or a Choice rule, or a Catcher) assigns, or None."""
    if state_assign is None:
        return None
    assigned: dict[str, Any] = state_assign.evaluate(
        Scope(raw, scope.context, scope.variables, result=result, error_output=error_output)
    )
    return assigned
