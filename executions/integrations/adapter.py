"""The one interface every service adapter has: `invoke(request, effects)` answers a Task with
its JSON result, or raises TaskError / TaskTimeout (executions.engine.tasks)."""

from __future__ import annotations

from typing import Any, Protocol

from executions.engine.effects import Effects
from executions.engine.tasks import Target, TaskError, TaskRequest


class Adapter(Protocol):
    async def invoke(self, request: TaskRequest, effects: Effects) -> Any:
        """Run `request` against the service (through `effects` for clock and tokens)."""
        ...


def no_local_implementation(target: Target) -> TaskError:
    return TaskError(
        "States.Runtime",
        f"The resource '{target.resource}' has no local implementation and no mocked response.",
    )
