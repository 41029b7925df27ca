"""Activities and callbacks: tasks a worker (GetActivityTask) or another system answers with
their task token (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat). The answer reaches
the execution through its effects (`wait_for_token`), in this process or from the database."""

from __future__ import annotations

from typing import Any

from executions.engine.effects import Effects
from executions.engine.tasks import TaskRequest


class Callbacks:
    """The adapter of activity ARNs and of `.waitForTaskToken` integrations (other than Lambda's,
    which runs its function first): the task's result is its token's answer."""

    async def invoke(self, request: TaskRequest, effects: Effects) -> Any:
        return await effects.wait_for_token(request)
