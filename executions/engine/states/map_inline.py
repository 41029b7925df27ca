"""Inline Map: each item runs as an iteration in the execution's own history, recorded with
MapIterationStarted/Succeeded/Failed/Aborted around its events; the first failure stops the
Map (no new iteration starts, the running ones are aborted)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from designer.asl.model import Map
from executions.engine.errors import StateFailure
from executions.engine.frames import Frame, StateRun, Work

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution


async def run_inline(
    execution: Execution, run: StateRun[Map], inputs: list[Any], max_concurrency: int
) -> Work:
    state = run.state
    processor = state.item_processor
    assert processor is not None  # the model builder always sets it
    history = run.frame.history
    chain = run.frame.chain
    results: list[Any] = [None] * len(inputs)
    # A redrive keeps the iterations that succeeded and starts the others again, a stopped
    # one from where it stopped.
    frames: dict[int, Frame] = run.children if run.children is not None else {}
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
