"""AWS Step Functions Developer Guide, "Accessing execution data from the Context object in Step
Functions" (input-output-contextobject.html)."""

import asyncio
from datetime import UTC, datetime

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects
from tests.executions.engine.support import execute, info

START = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def context_of(**fields) -> dict:
    """The Context object a Pass state sees, through Parameters "ctx.$": "$$"."""
    definition = {
        "StartAt": "Look",
        "States": {"Look": {"Type": "Pass", "Parameters": {"ctx.$": "$$"}, **fields, "End": True}},
    }
    outcome, _, _ = execute(definition, {"in": 1}, clock=FakeClock(START))
    return outcome.output["ctx"]


def test_context_object_fields():
    # "Context object fields": Execution {Id, Input, Name, RoleArn, StartTime, RedriveCount},
    # State {EnteredTime, Name, RetryCount}, StateMachine {Id, Name}.
    ctx = context_of()
    execution = info()
    assert ctx["Execution"]["Id"] == execution.execution_arn
    assert ctx["Execution"]["Input"] == {"in": 1}
    assert ctx["Execution"]["Name"] == execution.name
    assert ctx["Execution"]["RoleArn"] == execution.role_arn
    assert ctx["Execution"]["RedriveCount"] == 0
    assert ctx["State"]["Name"] == "Look"
    # The page lists State.RetryCount with no condition; the recordings (context_object
    # test_input_path, test_output_path) show a Pass state's State without it, and win: it is
    # there for states that can retry (see test_retry_count_counts_the_retries_of_the_state).
    assert "RetryCount" not in ctx["State"]
    assert ctx["StateMachine"] == {"Id": execution.state_machine_arn, "Name": execution.state_machine_name}


def test_times_are_iso_8601():
    # "StartTime": "Format: ISO 8601"; "EnteredTime": "Format: ISO 8601".
    ctx = context_of()
    for value in (ctx["Execution"]["StartTime"], ctx["State"]["EnteredTime"]):
        assert datetime.fromisoformat(value.replace("Z", "+00:00")) == START


def test_redrive_time_is_absent_unless_the_execution_was_redriven():
    # "The RedriveTime Context object is only available if you've redriven an execution."
    assert "RedriveTime" not in context_of()["Execution"]


def test_task_token_is_absent_outside_callback_tasks():
    # "Task": {"Token"} - "Context object data for Task tokens" is populated only for a Task state
    # with the .waitForTaskToken pattern.
    assert "Task" not in context_of()


def test_context_can_be_read_from_the_documented_jsonpath_fields():
    # "JSONPath states can refer to the context ($$.) from the following JSONPath fields:
    # InputPath, OutputPath, ItemsPath (in Map states), Variable (in Choice states), ResultSelector,
    # Parameters, Variable to variable comparison operators."
    definition = {
        "StartAt": "In",
        "States": {
            "In": {"Type": "Pass", "InputPath": "$$.Execution.Input.a", "Next": "Out"},
            "Out": {"Type": "Pass", "OutputPath": "$$.State", "Next": "Choose"},
            "Choose": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$$.State.Name", "StringEquals": "Choose", "Next": "Each"},
                    {"Variable": "$.Name", "StringEqualsPath": "$$.State.Name", "Next": "Each"},
                ],
            },
            "Each": {
                "Type": "Map",
                "ItemsPath": "$$.Execution.Input.items",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                "ResultSelector": {"items.$": "$", "state.$": "$$.State.Name"},
                "End": True,
            },
        },
    }
    outcome, _, _ = execute(definition, {"a": {"x": 1}, "items": [1, 2]})
    assert outcome.output == {"items": [1, 2], "state": "Each"}


def test_jsonata_reads_the_context_as_states_context():
    # "To access the Context object in JSONata states, use $states.context in a JSONata expression",
    # e.g. {"ExecutionID": "{% $states.context.Execution.Id %}"}.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Pass",
                "Output": {"ExecutionID": "{% $states.context.Execution.Id %}"},
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {})
    assert outcome.output == {"ExecutionID": info().execution_arn}


def test_retry_count_counts_the_retries_of_the_state():
    # "State": "RetryCount": the number of retries of the current state.
    seen = []

    def flaky(event, context):
        seen.append(event["retry"])
        if len(seen) < 3:
            raise RuntimeError("again")
        return seen

    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "flaky",
                "Parameters": {"retry.$": "$$.State.RetryCount"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}],
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {}, functions={"flaky": flaky})
    assert outcome.output == [0, 1, 2]


def test_entered_time_is_when_the_state_was_entered():
    # "State": "EnteredTime": the time the current state was entered (after a Wait, later than
    # the execution's StartTime).
    definition = {
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": 90, "Next": "Look"},
            "Look": {
                "Type": "Pass",
                "Parameters": {"entered.$": "$$.State.EnteredTime", "start.$": "$$.Execution.StartTime"},
                "End": True,
            },
        },
    }
    outcome, _, _ = execute(definition, {}, clock=FakeClock(START))
    entered = datetime.fromisoformat(outcome.output["entered"].replace("Z", "+00:00"))
    start = datetime.fromisoformat(outcome.output["start"].replace("Z", "+00:00"))
    assert (start, (entered - start).total_seconds()) == (START, 90)


def test_map_item_index_and_value_in_item_selector():
    # "Context object data for Map states": "Index: the index number for the array item that is
    # being processed", "Value: the array item being processed", available in ItemSelector.
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemSelector": {
                    "ContextIndex.$": "$$.Map.Item.Index",
                    "ContextValue.$": "$$.Map.Item.Value",
                },
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, input_text='[{"who": "bob"}, {"who": "meg"}]')
    assert outcome.output == [
        {"ContextIndex": 0, "ContextValue": {"who": "bob"}},
        {"ContextIndex": 1, "ContextValue": {"who": "meg"}},
    ]


def test_task_token_in_a_callback_task():
    # "Context object data for Task tokens": "$$.Task.Token" in a .waitForTaskToken task.
    definition = {
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
    effects = LocalEffects(clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())

    async def main():
        running = asyncio.ensure_future(execution.run())
        for _ in range(10_000):
            if effects.tokens.pending():
                break
            await asyncio.sleep(0)
        token = effects.tokens.pending()[0]
        effects.tokens.send_success(token, {"token": token})
        return await running, token

    outcome, token = asyncio.run(main())
    assert token and outcome.output == {"token": token}
