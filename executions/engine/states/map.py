"""Map: runs the ItemProcessor once per item, concurrently under MaxConcurrency.

Inline mode records MapIterationStarted/Succeeded/Failed around each iteration's events;
distributed mode records a map run (MapRunStarted, MapRunSucceeded|Failed) and runs each item
(or batch) as a child execution with a history of its own, as AWS does; the map run's progress
reaches `effects.map_run` (see map_runs.py). Tolerated failures (count, percentage) apply to
distributed mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from designer.asl.errors import ASLError
from designer.asl.model import DEFAULT
from designer.asl.scope import Scope
from executions.engine.errors import (
    ITEM_READER_FAILED,
    QUERY_EVALUATION,
    RUNTIME,
    TOLERATED_FAILURE,
    StateFailure,
    from_asl,
)
from executions.engine.history import Chain, History, error_details, payload, to_json
from executions.engine.interpreter import Work
from executions.engine.items import batches, read_items, read_items_from, write_results, write_results_to
from executions.engine.map_runs import ChildExecution, MapRun
from executions.engine.states.values import is_int, show


async def run(execution: Any, run: Any, effective: Any) -> Work:
    state = run.state
    jsonata = state.query_language == "JSONata"
    distributed = getattr(state, "processor_mode", "INLINE") == "DISTRIBUTED"
    reader_failure: StateFailure | None = None
    try:
        if getattr(state, "item_reader", None) is not None:
            items = await _read_from_store(execution, run, state, effective, jsonata)
        else:
            items = _items(run, state, effective, jsonata)
    except StateFailure as failure:
        if not (distributed and failure.error == ITEM_READER_FAILED):
            failure.on_final = lambda: run.frame.history.add(run.frame.chain, "MapStateFailed", None)
            raise
        # The map run starts, then fails with the reader's error (recorded: s3_scenarios_map).
        reader_failure, items = failure, []
    max_concurrency = _integer(run, state, "max_concurrency", "MaxConcurrencyPath", effective, 0)
    history = run.frame.history
    chain = run.frame.chain
    redriving = run.children is not None
    if not redriving:
        # AWS reports no length for items an ItemReader reads (recorded: s3_scenarios_map).
        length = 0 if getattr(state, "item_reader", None) is not None else len(items)
        history.add(chain, "MapStateStarted", {"length": length})
    tolerated_count = _integer(
        run, state, "tolerated_failure_count", "ToleratedFailureCountPath", effective, 0
    )
    tolerated_pct = _percentage(run, state, effective)
    inputs = [_item_input(run, state, effective, i, item, jsonata) for i, item in enumerate(items)]
    batcher = getattr(state, "item_batcher", None)
    if batcher is not None:
        inputs = batches(
            inputs,
            _number(run, batcher, "max_items_per_batch", effective),
            _number(run, batcher, "max_input_bytes_per_batch", effective),
            _template(run, batcher.batch_input, effective, jsonata),
        )
    if distributed:
        return await _distributed(
            execution, run, inputs, max_concurrency, tolerated_count, tolerated_pct, reader_failure
        )
    processor = state.item_processor
    results: list[Any] = [None] * len(inputs)
    # A redrive keeps the iterations that succeeded and starts the others again, a stopped
    # one from where it stopped.
    frames: dict[int, Any] = run.children if redriving else {}
    run.children = frames
    for index, frame in frames.items():
        if frame.done:
            results[index] = frame.output
    pending = iter([i for i in range(len(inputs)) if i not in frames or not frames[i].done])
    failed = False

    # MaxConcurrency workers take items in order (0: one worker per item); after a failure no
    # new iteration starts, as on AWS.
    async def worker() -> None:
        nonlocal failed
        for index in pending:
            if failed:
                return
            frame = frames.get(index)
            again = frame is not None and frame.next_state is not None
            if frame is None:
                frame = frames[index] = run.frame.child(chain.child(), "iteration")
            detail = {"index": index, "name": state.name}
            history.add(frame.chain, "MapIterationStarted", detail)
            try:
                results[index] = await execution.run_machine(frame, processor, inputs[index], redrive=again)
            except StateFailure:
                failed = True
                history.add(frame.chain, "MapIterationFailed", detail, link=False)
                chain.absorb(frame.chain)
                raise
            except asyncio.CancelledError:
                history.add(frame.chain, "MapIterationAborted", detail, link=False)
                chain.absorb(frame.chain)
                raise
            history.add(frame.chain, "MapIterationSucceeded", detail, link=False)
            chain.absorb(frame.chain)

    todo = sum(1 for i in range(len(inputs)) if not (i in frames and frames[i].done))
    count = todo if max_concurrency <= 0 else min(max_concurrency, todo)
    tasks = [asyncio.ensure_future(worker()) for _ in range(count)]
    try:
        await asyncio.gather(*tasks)
    except BaseException as failure:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if isinstance(failure, StateFailure):
            failure.on_final = lambda: history.add(chain, "MapStateFailed", None)
        raise
    chain.last = chain.published
    history.add(chain, "MapStateSucceeded", None, link=False)
    return Work(result=list(results))


async def _distributed(
    execution: Any,
    run: Any,
    inputs: list,
    max_concurrency: int,
    tolerated_count: int,
    tolerated_pct: float,
    reader_failure: StateFailure | None = None,
) -> Work:
    state = run.state
    history = run.frame.history
    chain = run.frame.chain
    info = execution.info
    key = f"{history.name}:{run.entered_id}:{run.retry_count}:maprun"
    run_id, run_part = state.label or execution.new_id(key + "0"), execution.new_id(key + "1")
    prefix = f"arn:aws:states:{info.region}:{info.account}"
    arn = f"{prefix}:mapRun:{info.state_machine_name}/{run_id}:{run_part}"
    history.add(chain, "MapRunStarted", {"mapRunArn": arn})
    express = (getattr(state, "execution_type", None) or "STANDARD") == "EXPRESS"
    map_run = MapRun(
        arn=arn,
        execution_arn=info.execution_arn,
        state_machine_arn=f"{prefix}:stateMachine:{info.state_machine_name}/{run_id}",
        label=run_id,
        execution_type="EXPRESS" if express else "STANDARD",
        processor_pointer=state.item_processor.pointer,
        start=history.events[-1]["timestamp"],
        max_concurrency=max_concurrency,
        tolerated_failure_count=tolerated_count,
        tolerated_failure_percentage=tolerated_pct,
        has_tolerated_count=_is_set(state, "tolerated_failure_count"),
        has_tolerated_percentage=_is_set(state, "tolerated_failure_percentage"),
    )
    for index, value in enumerate(inputs):
        name = execution.new_id(f"{key}#{index}:name")
        kind = "express" if express else "execution"
        suffix = f":{execution.new_id(f'{key}#{index}:express')}" if express else ""
        map_run.add_child(
            ChildExecution(
                index=index,
                arn=f"{prefix}:{kind}:{info.state_machine_name}/{run_id}:{name}{suffix}",
                name=name,
                input_text=to_json(value),
                items=len(value["Items"]) if getattr(state, "item_batcher", None) is not None else 1,
            )
        )
    report = getattr(execution.effects, "map_run", None) or (lambda _run: None)
    report(map_run)
    if reader_failure is not None:
        history.add(chain, "MapRunFailed", {"error": reader_failure.error, "cause": reader_failure.cause})
        map_run.finish("FAILED", history.last_time())
        report(map_run)
        reader_failure.on_final = lambda: history.add(chain, "MapStateFailed", None)
        raise reader_failure
    outcomes: list[tuple[bool, Any]] = [(True, None)] * len(inputs)
    results: list[Any] = [None] * len(inputs)

    async def child(index: int) -> None:
        record = map_run.children[index]

        def sink(event: dict) -> None:
            record.new_events.append(event)
            map_run.child_changed(record)
            report(map_run)

        child_history = History(history.now, sink, name=f"{key}#{index}")
        top = Chain()
        record.status, record.start = "RUNNING", child_history.now()
        started = {
            "input": payload(record.input_text)[0],
            "inputDetails": {"truncated": False},
            "roleArn": info.role_arn,
        }
        child_history.add(top, "ExecutionStarted", started, link=False)
        frame = run.frame.child(top, "execution")
        frame.history = child_history
        try:
            output = await execution.run_machine(frame, state.item_processor, inputs[index])
        except StateFailure as failure:
            error = {"Error": failure.error, "Cause": failure.cause}
            outcomes[index] = (False, error)
            results[index] = error
            record.status, record.error, record.cause = "FAILED", failure.error, failure.cause
            child_history.add(top, "ExecutionFailed", error_details(failure.error, failure.cause))
        except BaseException:  # stopped, or the parent timed out: the child goes with it
            record.status = "ABORTED"
            child_history.add(top, "ExecutionAborted", None)
            raise
        else:
            outcomes[index] = (True, output)
            results[index] = output
            record.status, record.output_text = "SUCCEEDED", to_json(output)
            text, flags = payload(record.output_text)
            child_history.add(top, "ExecutionSucceeded", {"output": text, "outputDetails": flags})
        finally:
            record.stop = child_history.last_time()
            map_run.child_changed(record)
            report(map_run)

    try:
        await _schedule(map_run, child)
    except BaseException:
        map_run.finish("ABORTED", history.now())
        report(map_run)
        raise
    if map_run.exceeds_tolerance():
        history.add(chain, "MapRunFailed", {"error": TOLERATED_FAILURE, "cause": _threshold_cause()})
        map_run.finish("FAILED", history.last_time())
        report(map_run)
        failure = StateFailure(TOLERATED_FAILURE, _threshold_cause())
        failure.on_final = lambda: history.add(chain, "MapStateFailed", None)
        raise failure
    writer = getattr(state, "result_writer", None)
    result: Any = list(results)
    if writer is not None and writer.resource:
        params = _template(run, writer.parameters, run.raw_input, state.query_language == "JSONata") or {}
        resources = getattr(execution.effects, "resources", None)
        store = getattr(resources, "objects", None)
        if store is not None:
            result = await write_results_to(store, params, arn, run_part, outcomes)
        else:
            result = write_results(getattr(resources, "files_root", None), params, arn, run_part, outcomes)
    history.add(chain, "MapRunSucceeded", None)
    map_run.finish("SUCCEEDED", history.last_time())
    report(map_run)
    history.add(chain, "MapStateSucceeded", None, link=False)
    return Work(result=result)


async def _schedule(map_run: MapRun, child: Any) -> None:
    """Start children in item order while fewer than MaxConcurrency run (0: no limit), taking
    a new MaxConcurrency (UpdateMapRun) as soon as it is set. Cancelling stops them all."""
    pending = list(range(len(map_run.children)))
    running: set[asyncio.Task] = set()
    changed: asyncio.Task | None = None
    try:
        while pending or running:
            limit = map_run.max_concurrency
            while pending and (limit <= 0 or len(running) < limit):
                running.add(asyncio.ensure_future(child(pending.pop(0))))
            if changed is None or changed.done():
                changed = asyncio.ensure_future(map_run.settings_changed())
            done, _ = await asyncio.wait({*running, changed}, return_when=asyncio.FIRST_COMPLETED)
            for task in done - {changed}:
                running.discard(task)
                task.result()  # anything but a child's own failure ends the map run
    finally:
        if changed is not None:
            changed.cancel()
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


@dataclass
class Settings:
    """What a Map would run, before it runs: its items, MaxConcurrency and tolerated failures
    (None when the state does not set them)."""

    items: list
    max_concurrency: int
    tolerated_count: int | None
    tolerated_percentage: float | None


def settings(execution: Any, run: Any, effective: Any, items: list | None = None) -> Settings:
    """The Map's settings evaluated as `run` does (TestState's mocked Map); `items` stands in
    for what the ItemReader would read."""
    state = run.state
    jsonata = state.query_language == "JSONata"
    if items is None:
        if getattr(state, "item_reader", None) is not None:
            items = _read(execution, run, state, effective, jsonata)
        else:
            items = _items(run, state, effective, jsonata)
    max_concurrency = _integer(run, state, "max_concurrency", "MaxConcurrencyPath", effective, 0)
    count = (
        _integer(run, state, "tolerated_failure_count", "ToleratedFailureCountPath", effective, 0)
        if _is_set(state, "tolerated_failure_count")
        else None
    )
    percentage = (
        _percentage(run, state, effective) if _is_set(state, "tolerated_failure_percentage") else None
    )
    return Settings(items, max_concurrency, count, percentage)


def _is_set(state: Any, name: str) -> bool:
    return getattr(state, name, None) is not None or getattr(state, f"{name}_path", None) is not None


def _read(execution: Any, run: Any, state: Any, effective: Any, jsonata: bool) -> list:
    reader = state.item_reader
    params = _template(run, reader.parameters, run.raw_input if jsonata else effective, jsonata) or {}
    max_items = _number(run, reader, "max_items", effective)
    root = getattr(getattr(execution.effects, "resources", None), "files_root", None)
    return read_items(root, reader.resource, reader.reader_config, params, max_items)


async def _read_from_store(execution: Any, run: Any, state: Any, effective: Any, jsonata: bool) -> list:
    """The items from the resolver's object store (S3) when it has one, else from files."""
    store = getattr(getattr(execution.effects, "resources", None), "objects", None)
    if store is None:
        return _read(execution, run, state, effective, jsonata)
    reader = state.item_reader
    params = _template(run, reader.parameters, run.raw_input if jsonata else effective, jsonata) or {}
    max_items = _number(run, reader, "max_items", effective)
    return await read_items_from(store, reader.resource, reader.reader_config, params, max_items)


def _template(run: Any, template: Any, value: Any, jsonata: bool) -> Any:
    if template is None:
        return None
    try:
        return template.evaluate(Scope(value, run.context, run.frame.variables))
    except ASLError as exc:
        raise from_asl(exc, run.prefix) from None


def _number(run: Any, node: Any, name: str, effective: Any) -> int | None:
    path = getattr(node, f"{name}_path", None)
    if path is not None:
        value = _read_path(run, path, effective)
    else:
        value = getattr(node, name, None)
        if hasattr(value, "evaluate"):
            value = _template(run, value, run.raw_input, True)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise run.failure(RUNTIME, f"The {name} value {show(value)} is not a number.")
    return int(value)


def _threshold_cause() -> str:
    return "The specified tolerated failure threshold was exceeded"


def _items(run: Any, state: Any, effective: Any, jsonata: bool) -> list:
    scope = run.scope(effective)
    items_expr = getattr(state, "items", None)
    if jsonata and items_expr is not None:
        if hasattr(items_expr, "evaluate"):
            try:
                value = items_expr.evaluate(Scope(run.raw_input, run.context, run.frame.variables))
            except ASLError as exc:
                raise from_asl(exc, run.prefix, location="Items") from None
        else:
            value = items_expr
        if not isinstance(value, list):
            expression = getattr(items_expr, "expression", None)
            text = (
                expression.text
                if expression is not None
                else show(getattr(items_expr, "template", items_expr))
            )
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
                f"result type. Expected 'array', but was '{_json_type(value)}' for value: {_json(value)}",
                location="Items",
            )
        return value
    path = getattr(state, "items_path", None)
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


def _item_input(run: Any, state: Any, effective: Any, index: int, item: Any, jsonata: bool) -> Any:
    selector = getattr(state, "item_selector", None)
    if selector is None:
        return item
    context = dict(run.context)
    context["Map"] = {"Item": {"Index": index, "Value": item}}
    base = run.raw_input if jsonata else effective
    try:
        return selector.evaluate(Scope(base, context, run.frame.variables))
    except ASLError as exc:
        raise from_asl(exc, run.prefix) from None


def _integer(run: Any, state: Any, name: str, path_field: str, effective: Any, default: int) -> int:
    path = getattr(state, f"{name}_path", None)
    if path is not None:
        value = _read_path(run, path, effective)
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
            return int(value)
        if not is_int(value):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            raise run.failure(
                RUNTIME,
                f'The {path_field} field refers to value "{show(value)}" which is not a valid integer: '
                f"{path.text}",
            )
        return value
    value = getattr(state, name, None)
    if hasattr(value, "evaluate"):
        try:
            value = value.evaluate(Scope(run.raw_input, run.context, run.frame.variables))
        except ASLError as exc:
            raise from_asl(exc, run.prefix) from None
    return default if value is None else int(value)


def _percentage(run: Any, state: Any, effective: Any) -> float:
    path = getattr(state, "tolerated_failure_percentage_path", None)
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
        value = getattr(state, "tolerated_failure_percentage", None)
        if hasattr(value, "evaluate"):
            value = value.evaluate(Scope(run.raw_input, run.context, run.frame.variables))
        if value is None:
            return 0.0
    if not (0 <= value <= 100) or math.isnan(value):
        raise run.failure(RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
    return float(value)


def _read_path(run: Any, path: Any, effective: Any) -> Any:
    try:
        return path.evaluate(run.scope(effective))
    except ASLError as exc:
        raise from_asl(exc, run.prefix) from None


def _is_json(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
