"""AWS Step Functions Developer Guide, "Invoke an AWS Lambda function with Step Functions"
(connect-lambda.html), with the Lambda Invoke API reference for the request fields it passes on."""

import asyncio
import json

import pytest

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects
from tests.executions.engine.support import execute, info, types

INVOKE = "arn:aws:states:::lambda:invoke"


def invoke(parameters: dict, value=None, functions=None, **fields):
    definition = {
        "StartAt": "L",
        "States": {
            "L": {"Type": "Task", "Resource": INVOKE, "Parameters": parameters, **fields, "End": True}
        },
    }
    return execute(definition, {} if value is None else value, functions=functions)


def seen(event, context):
    return {"event": event}


def test_the_result_wraps_the_function_response_in_payload():
    # "Optimized integration": the response is the Invoke API response: "Payload" holds what the
    # function returned, "StatusCode" 200 for a synchronous invoke, "ExecutedVersion" the version run.
    outcome, events, _ = invoke({"FunctionName": "seen", "Payload": {"k": "v"}}, functions={"seen": seen})
    assert outcome.output["Payload"] == {"event": {"k": "v"}}
    assert (outcome.output["StatusCode"], outcome.output["ExecutedVersion"]) == (200, "$LATEST")
    assert {"SdkHttpMetadata", "SdkResponseMetadata"} <= set(outcome.output)
    assert types(events)[2:5] == ["TaskScheduled", "TaskStarted", "TaskSucceeded"]


def test_payload_from_the_state_input():
    # The page's example passes the state input with "Payload.$": "$".
    outcome, _, _ = invoke({"FunctionName": "seen", "Payload.$": "$"}, {"order": 7}, functions={"seen": seen})
    assert outcome.output["Payload"] == {"event": {"order": 7}}


def test_without_payload_the_function_gets_an_empty_event():
    # Lambda Invoke "Payload" is optional; with none the function's event is {} (recorded:
    # lambda_services cases).
    outcome, _, _ = invoke({"FunctionName": "seen"}, functions={"seen": seen})
    assert outcome.output["Payload"] == {"event": {}}


def test_a_string_payload_is_the_json_request_body():
    # Lambda Invoke: "Payload: The JSON that you want to provide to your Lambda function as input";
    # a string is sent as that body, so a JSON text arrives parsed.
    outcome, _, _ = invoke({"FunctionName": "seen", "Payload": '{"raw": true}'}, functions={"seen": seen})
    assert outcome.output["Payload"] == {"event": {"raw": True}}


def test_a_string_payload_that_is_not_json_is_invalid_request_content():
    # Lambda Invoke errors: "InvalidRequestContentException: The request body could not be parsed
    # as JSON" - Step Functions names it Lambda.InvalidRequestContentException.
    outcome, _, _ = invoke({"FunctionName": "seen", "Payload": "not json"}, functions={"seen": seen})
    assert outcome.error == "Lambda.InvalidRequestContentException"


def test_function_errors_carry_the_error_type_message_and_trace():
    # "Handling errors" with Lambda: an unhandled function error fails the task with the function's
    # errorType as the error name; the cause is the function's error JSON.
    class CardDeclined(Exception):
        pass

    def charge(event, context):
        raise CardDeclined("insufficient funds")

    outcome, events, _ = invoke({"FunctionName": "charge"}, functions={"charge": charge})
    assert outcome.error == "CardDeclined"
    cause = json.loads(outcome.cause)
    assert (cause["errorType"], cause["errorMessage"]) == ("CardDeclined", "insufficient funds")
    assert "TaskFailed" in types(events)


def test_an_unknown_function_is_resource_not_found():
    # Lambda Invoke errors: "ResourceNotFoundException: The resource specified in the request does
    # not exist." - as Lambda.ResourceNotFoundException.
    outcome, _, _ = invoke({"FunctionName": "missing"})
    assert outcome.error == "Lambda.ResourceNotFoundException"


def test_wait_for_task_token_uses_the_token_answer_not_the_function_result():
    # "Wait for a Callback with Task Token": with "lambda:invoke.waitForTaskToken" the function gets
    # the token (from $$.Task.Token) and the task's result is what SendTaskSuccess sends.
    tokens_seen = []

    def hand_off(event, context):
        tokens_seen.append(event["token"])
        return "ignored"

    definition = {
        "StartAt": "L",
        "States": {
            "L": {
                "Type": "Task",
                "Resource": INVOKE + ".waitForTaskToken",
                "Parameters": {"FunctionName": "hand_off", "Payload": {"token.$": "$$.Task.Token"}},
                "End": True,
            }
        },
    }
    effects = LocalEffects(clock=FakeClock())
    effects.resources.register("hand_off", hand_off)
    execution = Execution(build_state_machine(definition), "{}", effects, info())

    async def main():
        running = asyncio.ensure_future(execution.run())
        for _ in range(100_000):
            if tokens_seen:
                break
            await asyncio.sleep(0)
        effects.tokens.send_success(tokens_seen[0], {"approved": True})
        return await running

    outcome = asyncio.run(main())
    assert outcome.output == {"approved": True}


@pytest.mark.xfail(
    strict=True,
    reason="InvocationType Event: the engine invokes every function synchronously; the 202 response "
    "Step Functions records for an asynchronous invoke (no ExecutedVersion, empty Payload) is not "
    "recorded in the cases to copy its exact shape",
)
def test_invocation_type_event_does_not_wait_for_the_function():
    # Lambda Invoke: "InvocationType: Event - Invoke the function asynchronously ... The API
    # response only includes a status code", and "StatusCode ... For the Event invocation type,
    # this status code is 202."
    outcome, _, _ = invoke(
        {"FunctionName": "seen", "InvocationType": "Event", "Payload": {}}, functions={"seen": seen}
    )
    assert outcome.output["StatusCode"] == 202
    assert outcome.output["Payload"] == ""


def test_page_example_jsonata_invoke_with_only_a_function_name():
    # "Workflow Examples": a JSONata Task with "Arguments": {"FunctionName": ...} and no Payload;
    # "Key features of Optimized Lambda integration": "The Payload field of the response is parsed
    # from escaped Json to Json."
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "CallLambda",
        "States": {
            "CallLambda": {
                "Type": "Task",
                "Resource": INVOKE,
                "Arguments": {
                    "FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:seen",
                    "Qualifier": "prod-v1",
                },
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {"ignored": True}, functions={"seen": seen})
    assert outcome.output["Payload"] == {"event": {}}
    assert outcome.output["StatusCode"] == 200
