"""Distributed Map: a map run (MapRunStarted, MapRunSucceeded|Failed) whose items (or batches)
run as child executions, each with a history of its own, as AWS does. The map run's progress
reaches `effects.map_run` (see map_runs.py); tolerated failures (count, percentage) decide
whether failed children fail the Map; a ResultWriter writes the results."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from designer.asl.model import Map
from executions.engine.errors import TOLERATED_FAILURE, StateFailure
from executions.engine.frames import StateRun, Work
from executions.engine.history import Chain, History, error_details, payload, to_json
from executions.engine.items import write_results, write_results_to
from executions.engine.map_runs import ChildExecution, MapRun
from executions.engine.states import map_fields

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution


async def run_distributed(
    execution: Execution,
    run: StateRun[Map],
    inputs: list[Any],
    max_concurrency: int,
    tolerated_count: int,
    tolerated_pct: float,
    reader_failure: StateFailure | None = None,
) -> Work:
    state = run.state
    processor = state.item_processor
    assert processor is not None  # the model builder always sets it
    history = run.frame.history
    chain = run.frame.chain
    info = execution.info
    key = f"{history.name}:{run.entered_id}:{run.retry_count}:maprun"
    run_id, run_part = state.label or execution.new_id(key + "0"), execution.new_id(key + "1")
    prefix = f"arn:aws:states:{info.region}:{info.account}"
    arn = f"{prefix}:mapRun:{info.state_machine_name}/{run_id}:{run_part}"
    history.add(chain, "MapRunStarted", {"mapRunArn": arn})
    express = (state.execution_type or "STANDARD") == "EXPRESS"
    map_run = MapRun(
        arn=arn,
        execution_arn=info.execution_arn,
        state_machine_arn=f"{prefix}:stateMachine:{info.state_machine_name}/{run_id}",
        label=run_id,
        execution_type="EXPRESS" if express else "STANDARD",
        processor_pointer=processor.pointer,
        start=history.events[-1]["timestamp"],
        max_concurrency=max_concurrency,
        tolerated_failure_count=tolerated_count,
        tolerated_failure_percentage=tolerated_pct,
        has_tolerated_count=map_fields.has_tolerated_count(state),
        has_tolerated_percentage=map_fields.has_tolerated_percentage(state),
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
                items=len(value["Items"]) if state.item_batcher is not None else 1,
            )
        )
    report = execution.effects.map_run
    report(map_run)
    if reader_failure is not None:
        # The ItemReader failed: the map run that started fails with its error.
        history.add(chain, "MapRunFailed", {"error": reader_failure.error, "cause": reader_failure.cause})
        map_run.finish("FAILED", history.last_time())
        report(map_run)
        reader_failure.on_final = lambda: history.add(chain, "MapStateFailed", None)
        raise reader_failure
    outcomes: list[tuple[bool, Any]] = [(True, None)] * len(inputs)
    results: list[Any] = [None] * len(inputs)

    async def child(index: int) -> None:
        record = map_run.children[index]

        def sink(event: dict[str, Any]) -> None:
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
            output = await execution.run_machine(frame, processor, inputs[index])
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
    writer = state.result_writer
    result: Any = list(results)
    if writer is not None and writer.resource:
        params = map_fields.template(run, writer.parameters, run.raw_input) or {}
        store = execution.effects.objects
        if store is not None:
            result = await write_results_to(store, params, arn, run_part, outcomes)
        else:
            result = write_results(execution.effects.files_root, params, arn, run_part, outcomes)
    history.add(chain, "MapRunSucceeded", None)
    map_run.finish("SUCCEEDED", history.last_time())
    report(map_run)
    history.add(chain, "MapStateSucceeded", None, link=False)
    return Work(result=result)


async def _schedule(map_run: MapRun, child: Callable[[int], Awaitable[None]]) -> None:
    """Start children in item order while fewer than MaxConcurrency run (0: no limit), taking
    a new MaxConcurrency (UpdateMapRun) as soon as it is set. Cancelling stops them all."""
    pending = list(range(len(map_run.children)))
    running: set[asyncio.Future[None]] = set()
    changed: asyncio.Future[Any] | None = None
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


def _threshold_cause() -> str:
    return "The specified tolerated failure threshold was exceeded"
