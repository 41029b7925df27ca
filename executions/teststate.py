"""TestState: run one state on its own with a given input, through the same engine.

The state runs as the start of a small machine whose every transition target is a Succeed
state, so the history says where it would go next (``nextState``). Time is virtual (a Wait
or a retry interval takes no time) and local functions answer tasks, as in a real run. Not
like AWS: a state with a Retry is retried here until it succeeds or the retriers give up,
where AWS stops at the first failure and answers RETRIABLE.
"""

import asyncio
import json
from typing import Any

from designer.asl import build_state_machine
from executions import definitions
from executions.engine.effects import FakeClock, LocalEffects
from executions.engine.interpreter import Execution, ExecutionInfo
from executions.engine.resources import Resources
from executions.exceptions import InvalidDefinition, InvalidExecutionInput

STATE_NAME = "TestState"
TIME_LIMIT_SECONDS = 60.0
FAILURE_EVENTS = ("Failed", "TimedOut")


def _targets(state: dict) -> set[str]:
    targets = {state.get("Next"), state.get("Default")}
    targets |= {rule.get("Next") for rule in state.get("Choices", []) if isinstance(rule, dict)}
    targets |= {catcher.get("Next") for catcher in state.get("Catch", []) if isinstance(catcher, dict)}
    return {t for t in targets if isinstance(t, str) and t != STATE_NAME}


def machine_for(state_text: str) -> dict:
    try:
        state = json.loads(state_text)
    except ValueError as exc:
        raise InvalidDefinition(f"Invalid State Machine Definition: 'The state is not JSON: {exc}'") from None
    if not isinstance(state, dict):
        raise InvalidDefinition("Invalid State Machine Definition: 'A state must be a JSON object'")
    states = {STATE_NAME: state, **{name: {"Type": "Succeed"} for name in sorted(_targets(state))}}
    machine = {"StartAt": STATE_NAME, "States": states}
    if "QueryLanguage" in state:
        machine["QueryLanguage"] = state["QueryLanguage"]
    return machine


async def test_state(state_text: str, input_text: str | None, role_arn: str, resources: Resources) -> dict:
    definition = machine_for(state_text)
    text = json.dumps(definition)
    definitions.require_valid(text)
    input_text = input_text if input_text is not None else "{}"
    try:
        json.loads(input_text)
    except ValueError as exc:
        raise InvalidExecutionInput(f"Invalid input: {exc}") from None
    info = ExecutionInfo(
        execution_arn="arn:aws:states:us-east-1:000000000000:execution:TestStateMachine:test-state",
        state_machine_arn="arn:aws:states:us-east-1:000000000000:stateMachine:TestStateMachine",
        name="test-state",
        state_machine_name="TestStateMachine",
        role_arn=role_arn,
    )
    engine = Execution(
        build_state_machine(definition),
        input_text,
        LocalEffects(resources=resources, clock=FakeClock()),
        info,
    )
    try:
        outcome = await asyncio.wait_for(engine.run(), TIME_LIMIT_SECONDS)
    except TimeoutError:
        return {
            "status": "FAILED",
            "error": "States.Timeout",
            "cause": "The state did not finish in 60 seconds.",
        }
    return _answer(engine.history.events, outcome, input_text)


def _answer(events: list[dict], outcome: Any, input_text: str) -> dict:
    answer: dict[str, Any] = {"inspectionData": {"input": input_text}}
    failure = None
    for event in events:
        kind = event["type"]
        details = next((v for k, v in event.items() if k.endswith("EventDetails")), {}) or {}
        if kind.endswith("StateExited") and details.get("name") == STATE_NAME:
            answer["output"] = details.get("output")
        elif kind.endswith("StateEntered") and details.get("name") != STATE_NAME:
            answer["nextState"] = details["name"]
        elif kind.endswith(FAILURE_EVENTS) or kind == "EvaluationFailed":
            failure = details
        elif kind.endswith("Succeeded") and "output" in details and not kind.startswith("Execution"):
            answer["inspectionData"]["result"] = details["output"]
    if outcome.status != "SUCCEEDED":
        answer.update(status="FAILED", error=outcome.error, cause=outcome.cause)
        answer.pop("output", None)
    elif failure is not None:
        answer.update(status="CAUGHT_ERROR", error=failure.get("error"), cause=failure.get("cause"))
    else:
        answer["status"] = "SUCCEEDED"
    return {k: v for k, v in answer.items() if v is not None}
