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
from designer.asl.model import DEFAULT
from designer.asl.scope import MISSING, Scope

JSONATA = "JSONata"


def is_jsonata(state: Any) -> bool:
    return state.query_language == JSONATA


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


def parameters(state: Any, value: Any, scope: Scope) -> Any:
    """JSONPath Parameters over the value InputPath selected (absent: that value)."""
    template = getattr(state, "parameters", None)
    if template is None:
        return value
    return template.evaluate(Scope(value, scope.context, scope.variables))


def arguments(state: Any, raw: Any, scope: Scope) -> Any:
    """JSONata Arguments (absent: the state's input)."""
    args = getattr(state, "arguments", None)
    if args is None:
        return raw
    return args.evaluate(Scope(raw, scope.context, scope.variables))


def input_path_only(state: Any, raw: Any, scope: Scope) -> Any:
    """InputPath alone (Map applies its ItemSelector per item, not to the whole input)."""
    return _path(getattr(state, "input_path", DEFAULT), raw, scope, "InputPath")


def select_result(state: Any, result: Any, scope: Scope) -> Any:
    """ResultSelector over a state's result (absent: the result itself)."""
    selector = getattr(state, "result_selector", None)
    if selector is None:
        return result
    return selector.evaluate(Scope(result, scope.context, scope.variables))


def apply_state_result_path(state: Any, raw: Any, result: Any) -> Any:
    """The state's ResultPath: where `result` goes in the state's input (absent: replaces it)."""
    result_path = getattr(state, "result_path", DEFAULT)
    return result if result_path is DEFAULT else apply_result_path(result_path, raw, result)


def output_path(state: Any, value: Any, scope: Scope) -> Any:
    """OutputPath (absent: the whole value)."""
    return _path(getattr(state, "output_path", DEFAULT), value, scope, "OutputPath")


def jsonpath_output_without_result(state: Any, effective: Any, scope: Scope) -> Any:
    """OutputPath for states without a result (Choice, Wait, Succeed)."""
    return _path(getattr(state, "output_path", DEFAULT), effective, scope, "OutputPath")


def apply_catch_result_path(catcher: Any, raw: Any, error: dict[str, Any]) -> Any:
    """A Catcher's ResultPath places the error output into the state's input."""
    result_path = getattr(catcher, "result_path", DEFAULT)
    if result_path is DEFAULT:
        return error
    return apply_result_path(result_path, raw, error)


def jsonata_output(state: Any, raw: Any, result: Any, scope: Scope) -> Any:
    """JSONata Output (absent: the result, or the input for states without one)."""
    output = getattr(state, "output", None)
    if output is None:
        return raw if result is MISSING else result
    return output.evaluate(Scope(raw, scope.context, scope.variables, result=result))


def assign(
    state_assign: Any, raw: Any, result: Any, scope: Scope, error_output: Any = MISSING
) -> dict[str, Any] | None:
    """The variables a state (or a Choice rule, or a Catcher) assigns, or None."""
    if state_assign is None:
        return None
    return state_assign.evaluate(
        Scope(raw, scope.context, scope.variables, result=result, error_output=error_output)
    )
