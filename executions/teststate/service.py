"""TestState: run one state on its own with a given input, through the same engine.

The state runs as the start of a small Express-like execution whose every transition target
is a Succeed state, so the history says where it would go next (``nextState``). Time is
virtual (a Wait takes no time) and local functions answer tasks, as in a real run; a mock
answers instead when the request has one (mocks.py). One attempt only: a failure a Retrier
would retry answers RETRIABLE (inspection.py).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from designer.asl import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution, ExecutionInfo
from executions.integrations import LocalEffects, Resources
from executions.teststate import mock_schema, mocks
from executions.teststate.inspection import Inspector, Retriable, text
from executions.teststate.request import TestRequest, read

# API_TestState.html: "The TestState API can run for up to five minutes" (then States.Timeout).
TIME_LIMIT_SECONDS = 300.0
DEFAULT_ROLE = "arn:aws:iam::000000000000:role/test-state"


async def test_state(
    params: dict, resources: Resources, *, region: str = "us-east-1", account: str = "000000000000"
) -> dict:
    """TestState's answer to `params` (the request's members), or AWS's error raised."""
    request = read(params, DEFAULT_ROLE)
    mock = request.mock
    if mock is not None and mock.has_result and request.state.get("Type") == "Task":
        mock_schema.check(request.state.get("Resource", ""), mock.result, mock.validation_mode)
    return await run(request, resources, region=region, account=account)


async def run(request: TestRequest, resources: Resources, *, region: str, account: str) -> dict:
    machine_name, name = str(uuid.uuid4()), str(uuid.uuid4())
    prefix = f"arn:aws:states:{region}:{account}"
    info = ExecutionInfo(
        execution_arn=f"{prefix}:express:{machine_name}:{name}",
        state_machine_arn=f"{prefix}:stateMachine:{machine_name}",
        name=name,
        state_machine_name=machine_name,
        role_arn=request.role_arn,
        region=region,
        account=account,
        express=True,
    )
    inspector = Inspector(request)
    engine = Execution(
        build_state_machine(request.machine),
        request.input_text,
        LocalEffects(resources=resources, clock=FakeClock()),
        info,
        variables=request.variables,
        inspector=inspector,
    )
    engine.runners = mocks.runners(request, inspector)
    try:
        outcome = await asyncio.wait_for(engine.run(), TIME_LIMIT_SECONDS)
    except Retriable as stop:
        answer = {"status": "RETRIABLE", "error": stop.error, "cause": stop.cause}
        return _with_inspection(answer, inspector)
    except TimeoutError:
        answer = {
            "status": "FAILED",
            "error": "States.Timeout",
            "cause": "The state did not finish in 60 seconds.",
        }
        return _with_inspection(answer, inspector)
    return _with_inspection(_answer(request, engine, outcome, inspector), inspector)


def _answer(request: TestRequest, engine: Execution, outcome: Any, inspector: Inspector) -> dict:
    if outcome.status != "SUCCEEDED":
        return {"status": "FAILED", "error": outcome.error, "cause": outcome.cause}
    answer: dict[str, Any] = {"status": "SUCCEEDED"}
    for event in engine.history.events:
        kind = event["type"]
        details = next((v for k, v in event.items() if k.endswith("EventDetails")), {}) or {}
        if kind.endswith("StateExited") and details.get("name") == request.state_name:
            answer["output"] = text(json.loads(details["output"]))
            assigned = {k: json.loads(v) for k, v in (details.get("assignedVariables") or {}).items()}
            inspector.variables = {**request.variables, **assigned}
        elif kind.endswith("StateEntered") and details.get("name") != request.state_name:
            answer["nextState"] = details["name"]
    if inspector.caught is not None:
        answer.update(status="CAUGHT_ERROR", error=inspector.caught[0], cause=inspector.caught[1])
    return answer


def _with_inspection(answer: dict, inspector: Inspector) -> dict:
    data = inspector.inspection_data()
    if data is not None:
        answer["inspectionData"] = data
    return {k: v for k, v in answer.items() if v is not None}
