"""The values of a Map state's fields, in both query languages: its items (Items, ItemsPath,
ItemReader), each item's input (ItemSelector), MaxConcurrency, the tolerated failures, and the
numbers of ItemReader and ItemBatcher. Shared by inline and distributed Map."""

from __future__ import annotations

import contextlib
import json
import math
import re
from pathlib import Path
from typing import Any

from designer.asl.errors import ASLError, json_type_name
from designer.asl.jsonata import JsonataTemplate
from designer.asl.jsonpath import Path as JsonPath
from designer.asl.model import DEFAULT, ItemReader, Map
from designer.asl.model.states import NumberOrExpression, Template
from designer.asl.scope import Scope
from executions.engine.errors import QUERY_EVALUATION, RUNTIME, from_asl
from executions.engine.frames import StateRun
from executions.engine.items import ObjectStore, read_items, read_items_from
from executions.engine.states.values import is_int, show

# The largest count a Map setting may hold (a 32-bit integer, as the map run's record holds it).
MAX_INTEGER = 2**31 - 1


def has_tolerated_count(state: Map) -> bool:
    return state.tolerated_failure_count is not None or state.tolerated_failure_count_path is not None


def has_tolerated_percentage(state: Map) -> bool:
    return (
        state.tolerated_failure_percentage is not None or state.tolerated_failure_percentage_path is not None
    )


def max_concurrency(run: StateRun[Map], effective: Any) -> int:
    state = run.state
    value = _integer(
        run, state.max_concurrency_path, state.max_concurrency, "MaxConcurrencyPath", effective, 0
    )
    if value < 0:
        raise run.failure(
            RUNTIME, f"Expected non-negative integer for MaxConcurrency, got '{value}' instead."
        )
    return value


def tolerated_count(run: StateRun[Map], effective: Any) -> int:
    state = run.state
    path, value = state.tolerated_failure_count_path, state.tolerated_failure_count
    count = _integer(run, path, value, "ToleratedFailureCountPath", effective, 0)
    if count < 0:
        raise run.failure(RUNTIME, "ToleratedFailureCount cannot be negative.")
    return count


def read(
    files_root: Path | None, run: StateRun[Map], reader: ItemReader, effective: Any, jsonata: bool
) -> list[Any]:
    """The items `reader` reads (S3 buckets are folders under `files_root`)."""
    params = template(run, reader.parameters, run.raw_input if jsonata else effective) or {}
    max_items = number(run, reader.max_items_path, reader.max_items, "max_items", effective)
    return read_items(files_root, reader.resource, reader.reader_config, params, max_items)


async def read_from(
    store: ObjectStore, run: StateRun[Map], reader: ItemReader, effective: Any, jsonata: bool
) -> list[Any]:
    """The items `reader` reads from the object store (S3)."""
    params = template(run, reader.parameters, run.raw_input if jsonata else effective) or {}
    max_items = number(run, reader.max_items_path, reader.max_items, "max_items", effective)
    return await read_items_from(store, reader.resource, reader.reader_config, params, max_items)


def template(run: StateRun[Map], template: Template, value: Any) -> Any:
    if template is None:
        return None
    try:
        return template.evaluate(Scope(value, run.context, run.frame.variables))
    except ASLError as exc:
        raise from_asl(exc, run.prefix) from None


def number(
    run: StateRun[Map], path: JsonPath | None, value: NumberOrExpression, name: str, effective: Any
) -> int | None:
    """A number of ItemReader or ItemBatcher: its *Path's value, else the literal or JSONata one."""
    found: Any
    if path is not None:
        found = _read_path(run, path, effective)
    elif isinstance(value, JsonataTemplate):
        found = template(run, value, run.raw_input)
    else:
        found = value
    if found is None:
        return None
    if not isinstance(found, int | float) or isinstance(found, bool):
        raise run.failure(RUNTIME, f"The {name} value {show(found)} is not a number.")
    return int(found)


def items(run: StateRun[Map], effective: Any, jsonata: bool) -> list[Any]:
    state = run.state
    scope = run.scope(effective)
    items_expr = state.items
    if jsonata and items_expr is not None:
        try:
            value = items_expr.evaluate(Scope(run.raw_input, run.context, run.frame.variables))
        except ASLError as exc:
            raise from_asl(exc, run.prefix, location="Items") from None
        if not isinstance(value, list):
            expression = items_expr.expression
            text = expression.text if expression is not None else show(items_expr.template)
            if callable(value) or not _is_json(value):
                raise run.failure(
                    QUERY_EVALUATION,
                    f"The JSONata expression '{text}' specified for the field 'Items' returned an "
                    "unsupported result type.",
                    location="Items",
                )
            raise run.failure(
                QUERY_EVALUATION,
                f"The JSONata expression '{text}' specified for the field 'Items' returned an unexpected "
                f"result type. Expected 'array', but was '{json_type_name(value)}' for value: {_json(value)}",
                location="Items",
            )
        return value
    path = state.items_path
    value = effective
    if path is not None and path is not DEFAULT and not jsonata:
        try:
            value = path.evaluate(scope)
        except ASLError as exc:
            raise from_asl(exc, run.prefix) from None
    if not isinstance(value, list):
        error = QUERY_EVALUATION if jsonata else RUNTIME
        raise run.failure(error, f"Map state input must be an array but was: {_json(value)}")
    return value


def item_input(run: StateRun[Map], effective: Any, index: int, item: Any, jsonata: bool) -> Any:
    selector = run.state.item_selector
    if selector is None:
        return item
    context = dict(run.context)
    context["Map"] = {"Item": {"Index": index, "Value": item}}
    base = run.raw_input if jsonata else effective
    try:
        return selector.evaluate(Scope(base, context, run.frame.variables))
    except ASLError as exc:
        raise from_asl(exc, run.prefix) from None


def _integer(
    run: StateRun[Map],
    path: JsonPath | None,
    value: NumberOrExpression,
    path_field: str,
    effective: Any,
    default: int,
) -> int:
    if path is not None:
        found = _read_path(run, path, effective)
        numeric_text = isinstance(found, str) and re.fullmatch(r"[+-]?\d{1,10}", found.strip())
        if numeric_text or (isinstance(found, float) and found.is_integer()):
            found = int(found)
        if not is_int(found) or not -MAX_INTEGER <= found <= MAX_INTEGER:
            raise run.failure(
                RUNTIME,
                f'The {path_field} field refers to value "{show(found)}" which is not a valid integer: '
                f"{path.text}",
            )
        return int(found)
    number: Any = value
    if isinstance(value, JsonataTemplate):
        try:
            number = value.evaluate(Scope(run.raw_input, run.context, run.frame.variables))
        except ASLError as exc:
            raise from_asl(exc, run.prefix) from None
    count = default if number is None else int(number)
    if not -MAX_INTEGER <= count <= MAX_INTEGER:
        raise run.failure(
            RUNTIME, f"The {path_field.removesuffix('Path')} value {count} is not a valid integer"
        )
    return count


def tolerated_percentage(run: StateRun[Map], effective: Any) -> float:
    state = run.state
    path = state.tolerated_failure_percentage_path
    value: Any
    if path is not None:
        value = _read_path(run, path, effective)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = float(value)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise run.failure(
                RUNTIME,
                f'The ToleratedFailurePercentagePath field refers to value "{show(value)}" which is not a '
                f"valid float: {path.text}",
            )
    else:
        value = state.tolerated_failure_percentage
        if isinstance(value, JsonataTemplate):
            value = value.evaluate(Scope(run.raw_input, run.context, run.frame.variables))
        if value is None:
            return 0.0
    if not (0 <= value <= 100) or math.isnan(value):
        raise run.failure(RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
    return float(value)


def _read_path(run: StateRun[Map], path: JsonPath, effective: Any) -> Any:
    try:
        return path.evaluate(run.scope(effective))
    except ASLError as exc:
        raise from_asl(exc, run.prefix) from None


def _is_json(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
