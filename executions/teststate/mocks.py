"""TestState's `mock`: the tested state's work answered by the mock instead of being done.

A mock replaces the work only (the Task's call, the Parallel's branches, the Map's
iterations); the state's input processing, Retry, Catch and output processing run as in an
execution, through the same engine. A mocked Map still evaluates its items and settings;
`stateConfiguration.mapIterationFailureCount` says how many of its iterations failed, which
the Map's tolerated failure count or percentage then judges (a Map that sets neither does
not, as recorded against AWS).
"""

from __future__ import annotations

from typing import Any

from designer.asl.errors import ASLError
from designer.asl.model import DEFAULT
from executions.engine.errors import RUNTIME, TOLERATED_FAILURE, StateFailure
from executions.engine.interpreter import Work
from executions.engine.states import RUNNERS
from executions.engine.states import map as map_state
from executions.exceptions import ValidationException
from executions.teststate.inspection import Inspector
from executions.teststate.request import TestRequest

TOLERATED_CAUSE = "The specified tolerated failure threshold was exceeded"


def runners(request: TestRequest, inspector: Inspector) -> dict:
    """The engine's state runners, the tested state's type answering from the mock."""
    if request.mock is None:
        return RUNNERS
    kind = request.state["Type"]
    real = RUNNERS[kind]

    async def mocked(execution: Any, run: Any, effective: Any) -> Work:
        if not inspector.tested(run.state, run.frame):
            return await real(execution, run, effective)
        if kind == "Map":
            return _map(execution, run, effective, request, inspector)
        return _answer(request)

    return {**RUNNERS, kind: mocked}


def _require_array(run: Any, effective: Any) -> None:
    """TestState's own message when ItemsPath does not select an array (recorded against AWS:
    the context path `$$.Execution.Input` shows as `$.Execution.Input`)."""
    path = getattr(run.state, "items_path", None)
    if path is None or path is DEFAULT:
        items, text = effective, "$"
    else:
        try:
            items = path.evaluate(run.scope(effective))
        except ASLError:
            return  # the engine reports it
        text = path.text.removeprefix("$") if path.text.startswith("$$") else path.text
    if not isinstance(items, list):
        raise StateFailure(RUNTIME, f'Reference path "{text}" must point to array.')


def _answer(request: TestRequest) -> Work:
    mock = request.mock
    if mock.has_result:
        return Work(result=mock.result)
    raise StateFailure(mock.error, mock.cause)


def _map(execution: Any, run: Any, effective: Any, request: TestRequest, inspector: Inspector) -> Work:
    if not request.jsonata and request.map_item_reader_data is None:
        _require_array(run, effective)
    settings = map_state.settings(execution, run, effective, items=request.map_item_reader_data)
    if not request.jsonata:
        inspector.stage(run, "afterItemsPath", settings.items)
    inspector.stage(run, "maxConcurrency", settings.max_concurrency)
    if settings.tolerated_count is not None:
        inspector.stage(run, "toleratedFailureCount", settings.tolerated_count)
    if settings.tolerated_percentage is not None:
        inspector.stage(run, "toleratedFailurePercentage", settings.tolerated_percentage)
    failures = request.map_iteration_failure_count or 0
    if failures > len(settings.items):
        raise ValidationException(
            "Map iteration failure count must be less than or equal to the number of Map iterations"
        )
    if not request.mock.has_result:
        return _answer(request)
    count, percentage = settings.tolerated_count, settings.tolerated_percentage
    if failures and (
        (count is not None and failures > count)
        or (percentage is not None and failures * 100 / len(settings.items) > percentage)
    ):
        raise StateFailure(TOLERATED_FAILURE, TOLERATED_CAUSE)
    return Work(result=request.mock.result)
