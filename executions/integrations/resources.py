"""The resolver of Task resources: a mocked response if the mock config has one, else the
adapter of the resource's service (one module per service, all behind `Adapter`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from executions.engine.effects import Effects
from executions.engine.interpreter import Execution
from executions.engine.items import ObjectStore
from executions.engine.tasks import TaskRequest
from executions.integrations import mocks
from executions.integrations.activities import Callbacks
from executions.integrations.adapter import Adapter, no_local_implementation
from executions.integrations.http import HttpEndpoints
from executions.integrations.lambda_ import DEFAULT_FUNCTION_TIMEOUT, LocalFunctions
from executions.integrations.mocks import MockConfig
from executions.integrations.states import LocalStateMachines


@dataclass
class Resources:
    """What answers this process's Tasks: local functions by name, local state machines
    `states:startExecution` can start (ARN -> definition text or dict), an optional mock config,
    and AWS services through a callable the runner hands in (the engine never imports boto3)."""

    functions: dict[str, Callable[[Any, Any], Any]] = field(default_factory=dict)
    mock: MockConfig | None = None
    function_timeout: float = DEFAULT_FUNCTION_TIMEOUT
    # S3 buckets of distributed Map ItemReader/ResultWriter are folders under this one.
    files_root: Path | None = None
    state_machines: dict[str, Any] = field(default_factory=dict)
    children: list[Execution] = field(default_factory=list)
    # AWS service integrations (`aws-sdk:*`, dynamodb, sqs, sns, events): `aws(request)` makes
    # the call (executions.integrations.aws.invoke); `aws_services(service)` says which
    # services it answers.
    aws: Callable[[TaskRequest], Awaitable[Any]] | None = None
    aws_services: Callable[[str], bool] = field(default=lambda service: False)
    # The distributed Map's S3 (ItemReader, ResultWriter); None: folders under files_root.
    objects: ObjectStore | None = None
    # `states:*` tasks of a run pointed at a deploy target go to its Step Functions; None:
    # Symphony's own state machines.
    states: Adapter | None = None

    def register(self, name: str, handler: Callable[[Any, Any], Any]) -> None:
        self.functions[name] = handler

    async def invoke(self, request: TaskRequest, effects: Effects) -> Any:
        if self.mock is not None:
            response = self.mock.response(request)
            if response is not None:
                return mocks.answer(response)
        return await self.adapter(request).invoke(request, effects)

    def adapter(self, request: TaskRequest) -> Adapter:
        target = request.target
        # Lambda's invoke.waitForTaskToken runs the function first; other callbacks only wait.
        lambda_invoke = target.service == "lambda" and target.action == "invoke"
        if self.aws is not None and self.aws_services(target.service):
            # Its `.waitForTaskToken` sends first, then waits (imported here: only a runner
            # that hands in `aws` has loaded boto3).
            from executions.integrations.aws.adapter import AwsServices

            return AwsServices(self.aws)
        if target.kind == "activity" or (target.pattern == "waitForTaskToken" and not lambda_invoke):
            return Callbacks()
        if target.service == "lambda":
            return LocalFunctions(self.functions, self.function_timeout)
        if target.service == "http":
            return HttpEndpoints()
        if target.service == "states":
            return self.states or LocalStateMachines(self.state_machines, self.children)
        raise no_local_implementation(target)
