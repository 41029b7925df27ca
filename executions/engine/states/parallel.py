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
    history.add(chain, "ParallelStateStarted", None)
    frames = [run.frame.child(chain.child(), "branch") for _ in state.branches]
    tasks = [
        asyncio.ensure_future(execution.run_machine(frame, branch, effective))
        for frame, branch in zip(frames, state.branches, strict=True)
    ]
    try:
        results = await asyncio.gather(*tasks)
    except StateFailure as failure:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for frame in frames:
            chain.absorb(frame.chain)
        failure.on_final = lambda: history.add(chain, "ParallelStateFailed", None)
        raise
    for frame in frames:
        chain.absorb(frame.chain)
    chain.last = chain.published
    history.add(chain, "ParallelStateSucceeded", None, link=False)
    return Work(result=list(results))
