"""AWS Step Functions Developer Guide, "Start a new AWS Step Functions state machine from a
running execution" (connect-stepfunctions.html): the states:startExecution integration in its
three patterns."""

import asyncio
import json

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects, Resources
from tests.executions.engine.support import info

CHILD_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:child"
CHILD = {
    "StartAt": "Double",
    "States": {"Double": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, $.n)"}, "End": True}},
}
FAILING_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:failing"
FAILING = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "ChildError", "Cause": "child says no"}}}


def run_parent(resource: str, parameters: dict, value=None, **fields):
    definition = {
        "StartAt": "Start",
        "States": {
            "Start": {"Type": "Task", "Resource": resource, "Parameters": parameters, **fields, "End": True}
        },
    }
    resources = Resources(state_machines={CHILD_ARN: CHILD, FAILING_ARN: FAILING})
    execution = Execution(
        build_state_machine(definition),
        json.dumps(value or {}),
        LocalEffects(resources=resources, clock=FakeClock()),
        info(),
    )
    return asyncio.run(execution.run()), resources


def test_start_execution_answers_with_the_arn_and_start_date():
    # "Request Response": "arn:aws:states:::states:startExecution" starts the execution and the
    # task's result is StartExecution's response, {"ExecutionArn", "StartDate"}.
    outcome, resources = run_parent(
        "arn:aws:states:::states:startExecution",
        {"StateMachineArn": CHILD_ARN, "Name": "kid", "Input": {"n": 2}},
    )
    assert set(outcome.output) == {"ExecutionArn", "StartDate"}
    assert outcome.output["ExecutionArn"] == "arn:aws:states:us-east-1:000000000000:execution:child:kid"
    assert len(resources.children) == 1


def test_sync_waits_and_answers_like_describe_execution_with_string_output():
    # "Run a Job (.sync)": the task waits for the child to complete; its result is the
    # DescribeExecution response, in which "Output" is the child's output as a JSON string.
    outcome, _ = run_parent(
        "arn:aws:states:::states:startExecution.sync", {"StateMachineArn": CHILD_ARN, "Input": {"n": 21}}
    )
    assert outcome.status == "SUCCEEDED"
    result = outcome.output
    assert result["Status"] == "SUCCEEDED"
    assert isinstance(result["Output"], str) and json.loads(result["Output"]) == {"n": 42}
    assert result["StateMachineArn"] == CHILD_ARN
    assert {"ExecutionArn", "Input", "Name", "StartDate", "StopDate"} <= set(result)


def test_sync_2_answers_with_json_output():
    # ".sync:2": "...the Output field of the response is a JSON object" rather than a string.
    outcome, _ = run_parent(
        "arn:aws:states:::states:startExecution.sync:2", {"StateMachineArn": CHILD_ARN, "Input": {"n": 5}}
    )
    assert outcome.output["Output"] == {"n": 10}
    assert outcome.output["Input"] == {"n": 5}


def test_a_failed_child_fails_the_sync_task():
    # ".sync": "If the child execution fails, the parent's Task state fails" with States.TaskFailed;
    # the cause holds the child's description, its Error and Cause included.
    outcome, _ = run_parent("arn:aws:states:::states:startExecution.sync", {"StateMachineArn": FAILING_ARN})
    assert outcome.error == "States.TaskFailed"
    cause = json.loads(outcome.cause)
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "ChildError", "child says no")


def test_the_child_failure_can_be_caught():
    # "Handling errors": the parent's Catch handles the failed child like any task error.
    definition = {
        "StartAt": "Start",
        "States": {
            "Start": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": FAILING_ARN},
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.child", "Next": "Handled"}],
                "End": True,
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }
    resources = Resources(state_machines={FAILING_ARN: FAILING})
    effects = LocalEffects(resources=resources, clock=FakeClock())
    outcome = asyncio.run(Execution(build_state_machine(definition), '{"a": 1}', effects, info()).run())
    assert outcome.status == "SUCCEEDED"
    assert outcome.output["a"] == 1
    assert outcome.output["child"]["Error"] == "States.TaskFailed"


def test_context_execution_id_can_be_passed_to_the_child():
    # "Associate Workflow Executions": pass "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":
    # "$$.Execution.Id" in the child's Input; the child receives the parent's execution ARN.
    echo_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:echo"
    definition = {
        "StartAt": "Start",
        "States": {
            "Start": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {
                    "StateMachineArn": echo_arn,
                    "Input": {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"},
                },
                "End": True,
            }
        },
    }
    resources = Resources(
        state_machines={echo_arn: {"StartAt": "E", "States": {"E": {"Type": "Pass", "End": True}}}}
    )
    execution = Execution(
        build_state_machine(definition), "{}", LocalEffects(resources=resources, clock=FakeClock()), info()
    )
    outcome = asyncio.run(execution.run())
    assert outcome.output["Output"] == {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": info().execution_arn}
