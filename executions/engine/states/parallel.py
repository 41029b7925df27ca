"""Parallel: every branch runs concurrently on the state's input; the result is the list
of branch outputs. The first branch failure aborts the others and fails the state with
that branch's error."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from designer.asl.model import Parallel
from executions.engine.errors import StateFailure
from executions.engine.frames import StateRun, Work

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution


async def run(execution: Execution, run: StateRun[Parallel], effective: Any) -> Work:
    state = run.state
    history = run.frame.history
    chain = run.frame.chain
    frames = run.children
    if frames is None:
        history.add(chain, "ParallelStateStarted", None)
        frames = run.children = {
            index: run.frame.child(chain.child(), "branch") for index in range(len(state.branches))
        }
    # A redrive runs again only the branches that did not succeed, from where they stopped.
    works = [
        _kept(frame.output)
        if frame.done
        else execution.run_machine(frame, branch, effective, redrive=frame.next_state is not None)
        for frame, branch in zip(frames.values(), state.branches, strict=True)
    ]
    tasks = [asyncio.ensure_future(work) for work in works]
    try:
        results = await asyncio.gather(*tasks)
    except BaseException as failure:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for frame in frames.values():
            chain.absorb(frame.chain)
        if isinstance(failure, StateFailure):
            failure.on_final = lambda: history.add(chain, "ParallelStateFailed", None)
        raise
    for frame in frames.values():
        chain.absorb(frame.chain)
    chain.last = chain.published
    history.add(chain, "ParallelStateSucceeded", None, link=False)
    return Work(result=list(results))


async def _kept(output: Any) -> Any:
    return output
