"""The adapter of AWS services (`aws-sdk:*`, DynamoDB, SQS, SNS, EventBridge): the call itself
is the callable the runner hands to `Resources.aws` (`aws.invoke` for the execution's account);
`.waitForTaskToken` makes the call, then waits for the token's answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from executions.engine.effects import Effects
from executions.engine.tasks import TaskRequest


@dataclass
class AwsServices:
    call: Callable[[TaskRequest], Awaitable[Any]]

    async def invoke(self, request: TaskRequest, effects: Effects) -> Any:
        if request.target.pattern == "waitForTaskToken":
            # The token is answerable before the message that carries it is sent.
            await effects.hold_token(request.task_token or "", request.state_name)
            with effects.clock.working():
                await self.call(request)
            return await effects.wait_for_token(request)
        with effects.clock.working():
            return await self.call(request)
