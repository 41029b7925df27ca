"""Parallel: every branch runs concurrently on the state's input; the result is the list
of branch outputs. The first branch failure aborts the others and fails the state with
that branch's error."""

from __future__ import annotations

import asyncio
from typing import Any

from executions.engine.errors import StateFailure
from executions.engine.interpreter import Work


async def run(execution: Any, run: Any, effective: Any) -> Work:
    state = run.state
    history = run.frame.history
    chain = run.frame.chain
    frames = run.children
    if frames is None:
        history.add(chain, "ParallelStateStarted", None)
        frames = run.children = [run.frame.child(chain.child(), "branch") for _ in state.branches]
    # A redrive runs again only the branches that did not succeed, from where they stopped.
    tasks = [
        _kept(frame.output)
        if frame.done
        else execution.run_machine(frame, branch, effective, redrive=frame.next_state is not None)
        for frame, branch in zip(frames, state.branches, strict=True)
    ]
    tasks = [asyncio.ensure_future(task) for task in tasks]
    try:
        results = await asyncio.gather(*tasks)
    except BaseException as failure:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for frame in frames:
            chain.absorb(frame.chain)
        if isinstance(failure, StateFailure):
            failure.on_final = lambda: history.add(chain, "ParallelStateFailed", None)
        raise
    for frame in frames:
        chain.absorb(frame.chain)
    chain.last = chain.published
    history.add(chain, "ParallelStateSucceeded", None, link=False)
    return Work(result=list(results))


async def _kept(output: Any) -> Any:
    return output
