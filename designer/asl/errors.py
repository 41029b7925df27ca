"""Errors raised while compiling or evaluating ASL expressions, and AWS's error-name matching.

`ASLError` is a run-time failure with AWS's error name and cause. Its `cause` is the part of
AWS's message that the expression alone determines; AWS prefixes state failures with
"An error occurred while executing the state '<name>' (entered at the event id #<id>). ",
which only the interpreter knows, so `state_cause()` builds that prefix for it.
`ASLSyntaxError` is a static problem found at compile time.
"""

from __future__ import annotations

from typing import Any

STATES_ALL = "States.ALL"
TASK_FAILED = "States.TaskFailed"
RUNTIME = "States.Runtime"
TIMEOUT = "States.Timeout"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
INTRINSIC_FAILURE = "States.IntrinsicFailure"
RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"


def json_type_name(value: Any) -> str:
    """The JSON type name AWS's messages give a value ('array', 'object', 'null', ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class ASLError(Exception):
    """A run-time error as AWS names it: `error` (e.g. "States.Runtime") and `cause`."""

    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(f"{error}: {cause}" if cause else error)
        self.error = error
        self.cause = cause


class PathNotFound(ASLError):
    """A JSONPath that matched nothing. `path` is the expression text, `detail` Jayway's reason.

    The default cause is AWS's wording for InputPath/OutputPath/*Path fields; callers that
    report another wording (payload templates, ErrorPath, ...) build it from `path`.
    """

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(RUNTIME, f"Invalid path '{path}' : {detail}")
        self.path = path
        self.detail = detail


class ASLSyntaxError(ValueError):
    """A static problem in an expression: bad JSONPath, unknown intrinsic, JSONata that does not parse."""

    def __init__(self, message: str, offset: int | None = None, pointer: str | None = None) -> None:
        super().__init__(message if pointer is None else f"{pointer}: {message}")
        self.message = message
        self.offset = offset
        self.pointer = pointer


def state_cause(state_name: str, entered_event_id: int, cause: str) -> str:
    """AWS's cause for an error raised while a state runs (see the module docstring)."""
    return (
        f"An error occurred while executing the state '{state_name}' "
        f"(entered at the event id #{entered_event_id}). {cause}"
    )


def error_matches(error_equals: tuple[str, ...] | list[str], error: str) -> bool:
    """Whether a Retrier's or Catcher's ErrorEquals matches `error`.

    AWS: "A States.Runtime error isn't retriable, and will always cause the execution to fail";
    States.ALL matches any other error; States.Timeout also a heartbeat timeout; States.TaskFailed
    any other error except the timeouts.
    """
    if error == RUNTIME:
        # Recorded on AWS: even a Catch naming States.Runtime lets the execution fail.
        return False
    if error in error_equals or STATES_ALL in error_equals:
        return True
    if error == HEARTBEAT_TIMEOUT:
        # "States.Timeout: A Task state either ran longer than the TimeoutSeconds value, or failed
        # to send a heartbeat for a period longer than the HeartbeatSeconds value."
        return TIMEOUT in error_equals
    return TASK_FAILED in error_equals and error != TIMEOUT
