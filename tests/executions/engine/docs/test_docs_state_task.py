"""AWS Step Functions Developer Guide, "Task workflow state" (state-task.html), "Wait for a
Callback with Task Token" (connect-to-resource.html#connect-wait-token) and "Invoke an AWS
Lambda function with Step Functions" (connect-lambda.html): one test per statement that can be
tested."""

import asyncio
import json
import time

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects, Resources
from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import details, execute, info, types

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def echo(event, context):
    return event


def task(resource: str = ARN + "echo", **fields) -> dict:
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": True, **fields}}}


def test_a_lambda_arn_resource_invokes_the_function_with_the_state_input():
    # "Task workflow state": "Resource (Required): A URI, especially an ARN that uniquely identifies
    # the specific task to execute." A Lambda function ARN receives the effective input.
    outcome, events, _ = execute(task(), {"a": 1}, functions={"echo": echo})
    assert outcome.output == {"a": 1}
    assert types(events)[2:5] == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
    ]


def test_lambda_invoke_returns_the_invoke_response_with_payload():
    # "Invoke an AWS Lambda function": with "arn:aws:states:::lambda:invoke" the state's result is
    # the Invoke API response: the function's result is in "Payload", beside "StatusCode" 200 and
    # "ExecutedVersion".
    definition = task(
        "arn:aws:states:::lambda:invoke", Parameters={"FunctionName": ARN + "echo", "Payload": {"x.$": "$.x"}}
    )
    outcome, events, _ = execute(definition, {"x": 5}, functions={"echo": echo})
    assert outcome.output["Payload"] == {"x": 5}
    assert outcome.output["StatusCode"] == 200
    assert outcome.output["ExecutedVersion"] == "$LATEST"
    assert types(events)[2:5] == ["TaskScheduled", "TaskStarted", "TaskSucceeded"]


def test_lambda_invoke_function_name_may_be_a_name_or_an_arn():
    # "Invoke an AWS Lambda function": FunctionName is "the name of the Lambda function ... Name
    # formats: function name, function ARN, partial ARN", with an optional version or alias.
    for name in ("echo", ARN + "echo", "000000000000:function:echo", ARN + "echo:$LATEST"):
        definition = task(
            "arn:aws:states:::lambda:invoke", Parameters={"FunctionName": name, "Payload": {"n": 1}}
        )
        outcome, _, _ = execute(definition, {}, functions={"echo": echo})
        assert outcome.output["Payload"] == {"n": 1}, name


def test_lambda_function_error_is_the_error_type_with_its_cause():
    # "Handling errors": when a Lambda function raises, the error name is the function's errorType
    # and the cause holds errorMessage, errorType and stackTrace.
    class OrderRejected(Exception):
        pass

    def reject(event, context):
        raise OrderRejected("out of stock")

    outcome, _, _ = execute(task(ARN + "reject"), {}, functions={"reject": reject})
    assert outcome.error == "OrderRejected"
    cause = json.loads(outcome.cause)
    assert cause["errorMessage"] == "out of stock"
    assert cause["errorType"] == "OrderRejected"
    assert isinstance(cause["stackTrace"], list)


def test_timeout_seconds_fails_a_long_task_with_states_timeout():
    # "TimeoutSeconds (Optional): If the task runs longer than the specified seconds, this state
    # fails with a States.Timeout error name."
    def slow(event, context):
        time.sleep(1.3)
        return "late"

    outcome, events, _ = execute(task(ARN + "slow", TimeoutSeconds=1), {}, functions={"slow": slow})
    assert outcome.error == "States.Timeout"
    assert "LambdaFunctionTimedOut" in types(events)


def test_timeout_seconds_path_reads_the_timeout_from_the_input():
    # "TimeoutSecondsPath (Optional, JSONPath only): ... provide a timeout value dynamically from
    # the state input using a reference path".
    def slow(event, context):
        time.sleep(1.3)

    definition = task(ARN + "slow", TimeoutSecondsPath="$.limit")
    outcome, _, _ = execute(definition, {"limit": 1}, functions={"slow": slow})
    assert outcome.error == "States.Timeout"


def test_a_task_within_its_timeout_succeeds():
    # TimeoutSeconds limits only tasks that run longer.
    outcome, _, _ = execute(task(TimeoutSeconds=60), {"a": 1}, functions={"echo": echo})
    assert outcome.status == "SUCCEEDED"


def test_jsonata_arguments_and_output_with_states_result():
    # "Task workflow state" (JSONata): "Arguments (Optional): ... the input to the API or service";
    # "Output" may use $states.result, the task's result, and $states.input, the state's input.
    definition = task(
        "arn:aws:states:::lambda:invoke",
        QueryLanguage="JSONata",
        Arguments={"FunctionName": "echo", "Payload": {"n": "{% $states.input.n * 2 %}"}},
        Output={"doubled": "{% $states.result.Payload.n %}", "was": "{% $states.input.n %}"},
    )
    outcome, events, _ = execute(definition, {"n": 4}, functions={"echo": echo})
    assert outcome.output == {"doubled": 8, "was": 4}
    assert json.loads(details(events[2])["parameters"]) == {"FunctionName": "echo", "Payload": {"n": 8}}


def test_jsonata_task_without_output_outputs_the_result():
    # "Transforming data with JSONata": with no Output, a Task state's output is its result.
    definition = task(QueryLanguage="JSONata", Arguments={"k": "{% $states.input.v %}"})
    outcome, _, _ = execute(definition, {"v": 3}, functions={"echo": echo})
    assert outcome.output == {"k": 3}


WAIT_FOR_TOKEN = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "End": True,
        }
    },
}


def run_answering(definition: dict, answer) -> tuple:
    effects = LocalEffects(resources=Resources(), clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())

    async def main():
        running = asyncio.ensure_future(execution.run())
        for _ in range(10_000):
            if effects.tokens.pending():
                break
            await asyncio.sleep(0)
        token = effects.tokens.pending()[0]
        answer(effects.tokens, token)
        return await running, token

    (outcome, token) = asyncio.run(main())
    return outcome, token, execution.history.events


def test_wait_for_task_token_pauses_until_send_task_success():
    # "Wait for a Callback with Task Token": "...pass a task token ... then wait until that token is
    # returned with SendTaskSuccess or SendTaskFailure"; "$$.Task.Token" holds the token. The output
    # given to SendTaskSuccess is the task's result.
    outcome, token, events = run_answering(
        WAIT_FOR_TOKEN, lambda t, tok: t.send_success(tok, {"approved": True})
    )
    assert outcome.output == {"approved": True}
    assert json.loads(details(events[2])["parameters"])["MessageBody"]["token"] == token


def test_send_task_failure_fails_the_task_with_its_error_and_cause():
    # "Wait for a Callback with Task Token": SendTaskFailure fails the state with the error and
    # cause it carries.
    outcome, _, events = run_answering(
        WAIT_FOR_TOKEN, lambda t, tok: t.send_failure(tok, "Denied", "by a reviewer")
    )
    assert (outcome.error, outcome.cause) == ("Denied", "by a reviewer")
    assert "TaskFailed" in types(events)


def test_heartbeat_seconds_times_out_a_silent_callback_task():
    # "HeartbeatSeconds (Optional): If more time than the specified seconds elapses between
    # heartbeats from the task, this state fails with a States.Timeout error name." The recorded
    # error name is the more specific States.HeartbeatTimeout ("Handling errors", error names),
    # and the recording wins.
    definition = json.loads(json.dumps(WAIT_FOR_TOKEN))
    definition["States"]["Ask"]["HeartbeatSeconds"] = 30
    effects = LocalEffects(clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())
    outcome = asyncio.run(execution.run())
    assert outcome.error == "States.HeartbeatTimeout"
    assert "TaskTimedOut" in types(execution.history.events)


def test_timeout_seconds_times_out_an_unanswered_callback_task():
    # "Wait for a Callback with Task Token": "...specify a TimeoutSeconds ... if the task token is
    # not returned in time, the state fails with States.Timeout".
    definition = json.loads(json.dumps(WAIT_FOR_TOKEN))
    definition["States"]["Ask"]["TimeoutSeconds"] = 300
    effects = LocalEffects(clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())
    outcome = asyncio.run(execution.run())
    assert outcome.error == "States.Timeout"
    events = execution.history.events
    timed_out = next(e for e in events if e["type"] == "TaskTimedOut")
    entered = next(e for e in events if e["type"] == "TaskStateEntered")
    assert (timed_out["timestamp"] - entered["timestamp"]).total_seconds() == 300


def test_states_timeout_catches_a_heartbeat_timeout():
    # "Handling errors", States.Timeout: "A Task state either ran longer than the TimeoutSeconds
    # value, or failed to send a heartbeat for a period longer than the HeartbeatSeconds value."
    # States.TaskFailed "matches any known error name except for States.Timeout".
    for error_equals, caught in ((["States.Timeout"], True), (["States.TaskFailed"], False)):
        definition = json.loads(json.dumps(WAIT_FOR_TOKEN))
        ask = definition["States"]["Ask"]
        ask.update(HeartbeatSeconds=30, Catch=[{"ErrorEquals": error_equals, "Next": "Caught"}])
        definition["States"]["Caught"] = {"Type": "Pass", "End": True}
        execution = Execution(build_state_machine(definition), "{}", LocalEffects(clock=FakeClock()), info())
        outcome = asyncio.run(execution.run())
        assert (outcome.status == "SUCCEEDED") is caught, error_equals
        if caught:
            assert outcome.output["Error"] == "States.HeartbeatTimeout"


def test_timeout_seconds_must_be_a_positive_integer():
    # TimeoutSeconds: "Must be a positive, non-zero integer."
    assert errors(task(TimeoutSeconds=0))
    assert not errors(task(TimeoutSeconds=1))


def test_heartbeat_seconds_must_be_less_than_timeout_seconds():
    # HeartbeatSeconds: "This value must be less than the number specified in the TimeoutSeconds
    # field."
    assert errors(task(TimeoutSeconds=10, HeartbeatSeconds=10))
    assert not errors(task(TimeoutSeconds=10, HeartbeatSeconds=9))
