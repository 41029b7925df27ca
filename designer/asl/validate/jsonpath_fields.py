"""JSONPath fields of JSONPath states: InputPath/OutputPath are paths; ResultPath, ItemsPath and every
`*Path` field that names a number or timestamp are Reference Paths (one node: no wildcards, filters or
`..`), and ResultPath writes into the state input, so it takes no `$$` or `$variable`; Fail's ErrorPath
and CausePath may also be intrinsic function calls."""

from __future__ import annotations

from typing import Any

from designer.asl.diagnostics import SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import Context, pointer_join
from designer.asl.validate.expressions import intrinsic_problem, path_problem

PATHS = ("InputPath", "OutputPath")
REFERENCE_PATHS = (
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
)
PATH_OR_INTRINSIC = ("ErrorPath", "CausePath")


def check(ctx: Context) -> None:
    for state in ctx.states:
        body = state.body
        if state.jsonata or not isinstance(body, dict):
            continue
        for field in PATHS:
            _path(ctx, state.pointer, body, field)
        for field in REFERENCE_PATHS:
            _path(ctx, state.pointer, body, field, reference=True)
        _result_path(ctx, state.pointer, body)
        catchers = body.get("Catch")
        for i, catcher in enumerate(catchers if isinstance(catchers, list) else []):
            if isinstance(catcher, dict):
                _result_path(ctx, pointer_join(state.pointer, "Catch", i), catcher)
        for field in PATH_OR_INTRINSIC:
            value = body.get(field)
            if isinstance(value, str):
                problem = intrinsic_problem(value) if value.startswith("States.") else path_problem(value)
                if problem:
                    ctx.report(
                        SCHEMA_VALIDATION_FAILED,
                        pointer_join(state.pointer, field),
                        f"The value for the field '{field}' must be a valid JSONPath or a valid "
                        f"intrinsic function call: {problem}",
                    )
        reader = body.get("ItemReader")
        if isinstance(reader, dict) and isinstance(reader.get("ReaderConfig"), dict):
            _path(
                ctx,
                pointer_join(state.pointer, "ItemReader", "ReaderConfig"),
                reader["ReaderConfig"],
                "MaxItemsPath",
                reference=True,
            )
        batcher = body.get("ItemBatcher")
        if isinstance(batcher, dict):
            for field in ("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"):
                _path(ctx, pointer_join(state.pointer, "ItemBatcher"), batcher, field, reference=True)


def _path(ctx: Context, pointer: str, body: dict[str, Any], field: str, *, reference: bool = False) -> None:
    value: Any = body.get(field)
    if not isinstance(value, str):
        return
    problem: str | None
    if value.startswith("States."):
        problem = "intrinsic functions are only supported in payload templates and Fail's ErrorPath/CausePath"
    else:
        problem = path_problem(value, reference=reference)
    if problem:
        ctx.report(
            SCHEMA_VALIDATION_FAILED,
            pointer_join(pointer, field),
            f"The value for the field '{field}' must be a valid "
            f"{'Reference Path' if reference else 'JSONPath'}: {problem}",
        )


def _result_path(ctx: Context, pointer: str, body: dict[str, Any]) -> None:
    value = body.get("ResultPath")
    if isinstance(value, str):
        problem = path_problem(value, reference=True, context=False, variables=False)
        if problem:
            ctx.report(
                SCHEMA_VALIDATION_FAILED,
                pointer_join(pointer, "ResultPath"),
                f"The value for the field 'ResultPath' must be a valid Reference Path: {problem}",
            )
