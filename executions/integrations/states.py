"""Step Functions (`arn:aws:states:::states:startExecution[.sync|.sync:2]`): starts a local
state machine as a child execution on the same effects. `.sync` waits and answers like
DescribeExecution (`.sync:2` with JSON Input/Output instead of strings); a child that does not
succeed fails the task with States.TaskFailed and that description as its cause."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from designer.asl.model import build_state_machine
from executions.engine.effects import Effects
from executions.engine.interpreter import Execution, ExecutionInfo, iso_time
from executions.engine.tasks import TaskError, TaskRequest
from executions.integrations.adapter import no_local_implementation


class LocalStateMachines:
    """The adapter: local state machines by ARN (definition text or dict); the executions it
    started are kept in `children`."""

    def __init__(self, state_machines: dict[str, Any], children: list[Execution]) -> None:
        self.state_machines = state_machines
        self.children = children

    async def invoke(self, request: TaskRequest, effects: Effects) -> Any:
        if request.target.action != "startExecution":
            raise no_local_implementation(request.target)
        params = request.input if isinstance(request.input, dict) else {}
        arn = params.get("StateMachineArn")
        definition = self.state_machines.get(arn) if isinstance(arn, str) else None
        if not isinstance(arn, str) or definition is None:
            raise TaskError(
                "StepFunctions.StateMachineDoesNotExistException", f"State Machine Does Not Exist: '{arn}'"
            )
        machine = build_state_machine(json.loads(definition) if isinstance(definition, str) else definition)
        child_input = params.get("Input", {})
        input_text = child_input if isinstance(child_input, str) else json.dumps(child_input)
        name = str(params.get("Name") or uuid.uuid4())
        sm_name = arn.split(":")[-1]
        exec_arn = f"arn:aws:states:{request.region}:{request.account}:execution:{sm_name}:{name}"
        role = f"arn:aws:iam::{request.account}:role/{sm_name}"
        child = Execution(
            machine,
            input_text,
            effects,
            ExecutionInfo(exec_arn, arn, name, sm_name, role, request.region, request.account),
        )
        self.children.append(child)
        running = asyncio.ensure_future(child.run())
        if request.target.pattern not in ("sync", "sync:2"):
            return {"ExecutionArn": exec_arn, "StartDate": iso_time(child.start_time)}
        outcome = await running
        as_json = request.target.pattern == "sync:2"
        described: dict[str, Any] = {
            "ExecutionArn": exec_arn,
            "Input": json.loads(input_text) if as_json else input_text,
            "InputDetails": {"Included": True},
            "Name": name,
            "StartDate": iso_time(child.start_time),
            "StateMachineArn": arn,
            "Status": outcome.status,
            "StopDate": iso_time(child.history.events[-1]["timestamp"]),
        }
        if outcome.status == "SUCCEEDED":
            described["Output"] = outcome.output if as_json else outcome.output_text
            described["OutputDetails"] = {"Included": True}
            return described
        described["Error"], described["Cause"] = outcome.error, outcome.cause
        raise TaskError("States.TaskFailed", json.dumps(described, separators=(",", ":")))
