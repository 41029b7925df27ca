"""Task with local functions: Lambda ARNs and lambda:invoke, errors, Retry, Catch, timeouts."""

import itertools
import time
from datetime import timedelta

from tests.executions.engine.support import chain, details, execute, types

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def double(event, context):
    return {"value": event["value"] * 2, "name": context.function_name}


def test_lambda_arn_records_lambda_events_and_result_pipeline():
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "double",
                "Parameters": {"value.$": "$.n"},
                "ResultSelector": {"v.$": "$.value"},
                "ResultPath": "$.out",
                "End": True,
            }
        },
    }
    outcome, events, _ = execute(definition, {"n": 21}, functions={"double": double})
    assert outcome.output == {"n": 21, "out": {"v": 42}}
    assert chain(events) == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "TaskStateEntered"),
        (3, 2, "LambdaFunctionScheduled"),
        (4, 3, "LambdaFunctionStarted"),
        (5, 4, "LambdaFunctionSucceeded"),
        (6, 5, "TaskStateExited"),
        (7, 6, "ExecutionSucceeded"),
    ]
    assert details(events[2])["resource"] == ARN + "double"
    assert details(events[2])["input"] == '{"value":21}'


def test_lambda_invoke_answers_with_the_aws_envelope():
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "double", "Payload": {"value": 2}},
                "OutputPath": "$.Payload",
                "End": True,
            }
        },
    }
    outcome, events, _ = execute(definition, {}, functions={"double": double})
    assert outcome.output == {"value": 4, "name": "double"}
    assert types(events)[2:5] == ["TaskScheduled", "TaskStarted", "TaskSucceeded"]
    scheduled = details(events[2])
    assert (scheduled["resource"], scheduled["resourceType"]) == ("invoke", "lambda")
    succeeded = details(events[4])
    assert '"StatusCode":200' in succeeded["output"] and '"ExecutedVersion":"$LATEST"' in succeeded["output"]


class PaymentDeclined(Exception):
    pass


def decline(event, context):
    raise PaymentDeclined("card expired")


def test_an_exception_is_the_error_named_by_its_class():
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ARN + "decline", "End": True}}}
    outcome, events, _ = execute(definition, {}, functions={"decline": decline})
    assert outcome.error == "PaymentDeclined"
    assert '"errorMessage": "card expired"' in outcome.cause
    assert '"errorType": "PaymentDeclined"' in outcome.cause
    assert "raise PaymentDeclined" in outcome.cause  # the handler's own stack trace
    assert types(events)[-2:] == ["LambdaFunctionFailed", "ExecutionFailed"]


def test_unknown_function_fails_with_lambda_not_found():
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "x"},
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {})
    assert outcome.error == "Lambda.ResourceNotFoundException"
    assert outcome.cause.startswith(
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:x:$LATEST"
    )


def test_retry_waits_with_backoff_on_the_clock_then_catch_takes_over():
    calls = []

    def flaky(event, context):
        calls.append(1)
        raise PaymentDeclined("no")

    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "flaky",
                "Retry": [
                    {
                        "ErrorEquals": ["PaymentDeclined"],
                        "IntervalSeconds": 2,
                        "MaxAttempts": 3,
                        "BackoffRate": 3,
                    }
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}],
                "End": True,
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }
    outcome, events, _ = execute(definition, {"a": 1}, functions={"flaky": flaky})
    assert len(calls) == 4
    assert outcome.output["a"] == 1 and outcome.output["error"]["Error"] == "PaymentDeclined"
    scheduled = [e["timestamp"] for e in events if e["type"] == "LambdaFunctionScheduled"]
    gaps = [b - a for a, b in itertools.pairwise(scheduled)]
    assert gaps == [timedelta(seconds=2), timedelta(seconds=6), timedelta(seconds=18)]
    assert types(events).count("TaskStateExited") == 1


def test_max_attempts_zero_and_max_delay():
    calls = []

    def fail(event, context):
        calls.append(1)
        raise PaymentDeclined("no")

    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "fail",
                "Retry": [
                    {"ErrorEquals": ["Other"], "MaxAttempts": 0},
                    {
                        "ErrorEquals": ["States.ALL"],
                        "IntervalSeconds": 10,
                        "MaxAttempts": 2,
                        "MaxDelaySeconds": 12,
                    },
                ],
                "End": True,
            }
        },
    }
    outcome, events, _ = execute(definition, {}, functions={"fail": fail})
    assert outcome.status == "FAILED" and len(calls) == 3
    scheduled = [e["timestamp"] for e in events if e["type"] == "LambdaFunctionScheduled"]
    assert [b - a for a, b in itertools.pairwise(scheduled)] == [
        timedelta(seconds=10),
        timedelta(seconds=12),
    ]


def test_a_function_that_hangs_times_out():
    def hang(event, context):
        time.sleep(3)

    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": ARN + "hang", "TimeoutSeconds": 1, "End": True}},
    }
    outcome, events, _ = execute(definition, {}, functions={"hang": hang})
    assert outcome.error == "States.Timeout"
    assert "LambdaFunctionTimedOut" in types(events)


def test_a_result_that_is_not_json_fails_the_task():
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ARN + "bad", "End": True}}}
    outcome, _, _ = execute(definition, {}, functions={"bad": lambda e, c: object()})
    assert outcome.status == "FAILED"
    assert outcome.error == "Runtime.MarshalError"


def test_a_result_over_256_kib_is_data_limit_exceeded():
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ARN + "big", "End": True}}}
    outcome, _, _ = execute(definition, {}, functions={"big": lambda e, c: "x" * 300_000})
    assert outcome.error == "States.DataLimitExceeded"


def test_state_machine_timeout_interrupts_a_running_task_on_a_running_clock():
    from executions.engine.effects import Clock

    def slow(event, context):
        time.sleep(2)
        return event

    definition = {
        "TimeoutSeconds": 1,
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": ARN + "slow", "End": True}},
    }
    outcome, events, _ = execute(definition, {}, functions={"slow": slow}, clock=Clock(scale=0.05))
    assert outcome.status == "TIMED_OUT"
    assert types(events)[-1] == "ExecutionTimedOut"
