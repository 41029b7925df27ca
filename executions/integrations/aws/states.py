"""`arn:aws:states:::states:startExecution[.sync|.sync:2]` on a deploy target's Step Functions,
for a run pointed at the target (the local adapter, `executions/integrations/states.py`, starts
Symphony's own state machines otherwise).

Request and answer as the developer guide's "Start a new AWS Step Functions state machine
execution": StartExecution's StateMachineArn, Input (a JSON value is sent as its text) and Name;
the request-response answer is `{"ExecutionArn", "StartDate"}`; `.sync` waits for the child and
answers DescribeExecution's fields (`.sync:2`: Input and Output as JSON); a child that does not
succeed fails the task with States.TaskFailed and that description as its cause. `.sync`
polls DescribeExecution, as Step Functions does for a child.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from botocore.exceptions import ClientError

from executions.engine.effects import Effects
from executions.engine.tasks import TaskError, TaskRequest
from executions.integrations.adapter import no_local_implementation
from executions.integrations.aws import sdk
from executions.integrations.aws.clients import ROUTE, Remote
from executions.integrations.aws.errors import sdk_error

POLL_SECONDS = 1.0


class TargetStateMachines:
    """The adapter of `states:*` for a run pointed at the deploy target `via`."""

    def __init__(self, via: Remote, account: str) -> None:
        self.via = via
        self.account = account

    async def invoke(self, request: TaskRequest, effects: Effects) -> Any:
        if request.target.action != "startExecution":
            raise no_local_implementation(request.target)
        route = ROUTE.set(self.via)
        try:
            with effects.clock.working():
                return await self._start(request)
        finally:
            ROUTE.reset(route)

    async def _call(self, action: str, params: dict[str, Any], region: str) -> dict[str, Any]:
        model, operation = sdk.operation_of("sfn", action)
        prepared = sdk.prepare(model, operation, params)
        try:
            response, _ = await sdk.send("sfn", model, operation, prepared, self.account, region)
        except ClientError as exc:
            raise sdk_error(exc, model) from None
        answer: dict[str, Any] = await asyncio.to_thread(sdk.to_json, response)
        return answer

    async def _start(self, request: TaskRequest) -> Any:
        given = request.input if isinstance(request.input, dict) else {}
        child_input = given.get("Input", {})
        params = {
            "stateMachineArn": given.get("StateMachineArn"),
            "input": child_input if isinstance(child_input, str) else json.dumps(child_input),
            # AWS names an unnamed execution with a UUID; say so, as some emulators (moto) do not.
            "name": given.get("Name") or str(uuid.uuid4()),
        }
        started = await self._call("startExecution", params, request.region)
        if request.target.pattern not in ("sync", "sync:2"):
            return {"ExecutionArn": started["executionArn"], "StartDate": started["startDate"]}
        while True:
            described = await self._call(
                "describeExecution", {"executionArn": started["executionArn"]}, request.region
            )
            if described.get("status") != "RUNNING":
                break
            await asyncio.sleep(POLL_SECONDS)
        answer = {key[:1].upper() + key[1:]: value for key, value in described.items()}
        if request.target.pattern == "sync:2":
            for field in ("Input", "Output"):
                if isinstance(answer.get(field), str):
                    answer[field] = json.loads(answer[field])
        if answer.get("Status") == "SUCCEEDED":
            return answer
        raise TaskError("States.TaskFailed", json.dumps(answer, separators=(",", ":")))
