"""AWS Step Functions Developer Guide, "Handling errors in Step Functions workflows"
(concepts-error-handling.html): error names, Retry, Catch, and their examples."""

import itertools
import json
import time
from datetime import timedelta

from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import details, execute, types

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


class ErrorA(Exception):
    pass


class ErrorB(Exception):
    pass


class ErrorC(Exception):
    pass


def raising(*errors: type[Exception], then=None):
    """A function that raises the given errors in turn, then returns `then`; it counts its calls."""
    calls = []

    def handler(event, context):
        calls.append(event)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1](f"attempt {len(calls)}")
        return then

    handler.calls = calls
    return handler


def task(**fields) -> dict:
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ARN + "f", "End": True, **fields}}}


def with_handler(definition: dict) -> dict:
    definition["States"]["T"].pop("End")
    definition["States"]["T"]["Next"] = "After"
    definition["States"]["After"] = {"Type": "Pass", "End": True}
    definition["States"]["Recovered"] = {"Type": "Pass", "End": True}
    return definition


def gaps(events: list[dict]) -> list[timedelta]:
    scheduled = [e["timestamp"] for e in events if e["type"] == "LambdaFunctionScheduled"]
    return [b - a for a, b in itertools.pairwise(scheduled)]


def test_a_state_error_fails_the_whole_execution_by_default():
    # "By default, when a state reports an error, Step Functions causes the execution to fail
    # entirely."
    outcome, events, _ = execute(task(), {}, functions={"f": raising(ErrorA)})
    assert outcome.status == "FAILED"
    assert outcome.error == "ErrorA"
    assert types(events)[-1] == "ExecutionFailed"


def test_error_names_are_case_sensitive():
    # "Error names": "Step Functions identifies errors ... using case-sensitive strings, known as
    # error names."
    f = raising(ErrorA, then="ok")
    outcome, _, _ = execute(task(Retry=[{"ErrorEquals": ["errora"]}]), {}, functions={"f": f})
    assert outcome.error == "ErrorA"
    assert len(f.calls) == 1


def test_states_all_matches_any_error_name():
    # "States.ALL: A wildcard that matches any known error name."
    definition = with_handler(task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Recovered"}]))
    outcome, _, _ = execute(definition, {}, functions={"f": raising(ErrorB)})
    assert outcome.status == "SUCCEEDED"
    assert outcome.output["Error"] == "ErrorB"


def test_states_all_must_appear_alone():
    # "The States.ALL error type must appear alone in a Catcher and can't catch..." (validation).
    definition = with_handler(task(Catch=[{"ErrorEquals": ["States.ALL", "ErrorA"], "Next": "Recovered"}]))
    assert any("States.ALL" in message for message in errors(definition))


def test_states_all_retrier_must_be_last():
    # "Retrying after an error": "States.ALL ... must appear alone ... in the last retrier".
    definition = task(Retry=[{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["ErrorA"]}])
    assert any("States.ALL" in message for message in errors(definition))


def test_states_all_catches_a_task_result_over_the_data_limit():
    # "States.DataLimitExceeded": the page calls it "a terminal error that can't be caught by the
    # States.ALL error type". The recording disagrees and wins: on AWS a Catch on States.ALL
    # catches the DataLimitExceeded of a Lambda result over 256 KiB (conformance
    # lambda_error_handling/test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response).
    definition = with_handler(task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Recovered"}]))
    outcome, _, _ = execute(definition, {}, functions={"f": lambda e, c: "x" * 300_000})
    assert outcome.status == "SUCCEEDED"
    assert outcome.output["Error"] == "States.DataLimitExceeded"


def test_data_limit_exceeded_uncaught_fails_the_execution():
    # "States.DataLimitExceeded": "...thrown when the output of a connector is larger than payload
    # size quota" - with no catcher the execution fails with it.
    outcome, _, _ = execute(task(), {}, functions={"f": lambda e, c: "x" * 300_000})
    assert outcome.error == "States.DataLimitExceeded"


def test_states_all_does_not_catch_states_runtime():
    # "States.Runtime": "An execution failed due to some exception that it couldn't process ...
    # A retry or catch on States.ALL won't catch States.Runtime errors."
    definition = with_handler(
        task(OutputPath="$.missing", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Recovered"}])
    )
    outcome, _, _ = execute(definition, {}, functions={"f": lambda e, c: {"a": 1}})
    assert outcome.status == "FAILED"
    assert outcome.error == "States.Runtime"


def test_states_task_failed_matches_task_errors_but_not_timeout():
    # "States.TaskFailed: A Task state failed during the execution. When used in a retry or catch,
    # States.TaskFailed acts as a wildcard that matches any known error name except for
    # States.Timeout."
    definition = with_handler(task(Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "Recovered"}]))
    outcome, _, _ = execute(definition, {}, functions={"f": raising(ErrorC)})
    assert outcome.status == "SUCCEEDED"
    assert outcome.output["Error"] == "ErrorC"

    def hang(event, context):
        time.sleep(1.3)

    definition = with_handler(
        task(TimeoutSeconds=1, Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "Recovered"}])
    )
    outcome, _, _ = execute(definition, {}, functions={"f": hang})
    assert outcome.error == "States.Timeout"


def test_states_timeout_when_a_task_runs_longer_than_timeout_seconds():
    # "States.Timeout: A Task state either ran longer than the TimeoutSeconds value, or failed to
    # send a heartbeat for a period longer than the HeartbeatSeconds value."
    def hang(event, context):
        time.sleep(1.3)

    definition = with_handler(
        task(TimeoutSeconds=1, Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "Recovered"}])
    )
    outcome, _, _ = execute(definition, {}, functions={"f": hang})
    assert outcome.status == "SUCCEEDED"
    assert outcome.output["Error"] == "States.Timeout"


def test_retry_defaults_interval_1_max_attempts_3_backoff_2():
    # "IntervalSeconds (Optional) ... The default value is 1." "MaxAttempts (Optional) ... The
    # default value is 3." "BackoffRate (Optional) ... The default value is 2.0."
    f = raising(ErrorA, ErrorA, ErrorA, ErrorA)
    outcome, events, _ = execute(task(Retry=[{"ErrorEquals": ["ErrorA"]}]), {}, functions={"f": f})
    assert outcome.error == "ErrorA"
    assert len(f.calls) == 4  # the first attempt and 3 retries
    assert gaps(events) == [timedelta(seconds=1), timedelta(seconds=2), timedelta(seconds=4)]


def test_retry_succeeds_when_a_later_attempt_succeeds():
    # "Retrying after an error": a retried state that then succeeds continues the workflow.
    f = raising(ErrorA, then={"ok": True})
    outcome, events, _ = execute(task(Retry=[{"ErrorEquals": ["ErrorA"]}]), {}, functions={"f": f})
    assert outcome.output == {"ok": True}
    assert types(events).count("LambdaFunctionFailed") == 1


def test_max_attempts_zero_never_retries():
    # "MaxAttempts ... A value of 0 causes the error to never be retried."
    f = raising(ErrorA, then="ok")
    outcome, _, _ = execute(
        task(Retry=[{"ErrorEquals": ["ErrorA"], "MaxAttempts": 0}]), {}, functions={"f": f}
    )
    assert outcome.error == "ErrorA"
    assert len(f.calls) == 1


def test_max_delay_seconds_caps_the_interval():
    # "MaxDelaySeconds (Optional): sets the maximum value, in seconds, up to which a retry
    # interval can increase."
    f = raising(*[ErrorA] * 5)
    retry = {
        "ErrorEquals": ["ErrorA"],
        "IntervalSeconds": 2,
        "BackoffRate": 3,
        "MaxAttempts": 4,
        "MaxDelaySeconds": 10,
    }
    _, events, _ = execute(task(Retry=[retry]), {}, functions={"f": f})
    assert gaps(events) == [
        timedelta(seconds=2),
        timedelta(seconds=6),
        timedelta(seconds=10),
        timedelta(seconds=10),
    ]


def test_jitter_strategy_full_randomizes_between_zero_and_the_interval():
    # "JitterStrategy (Optional): ... FULL ... randomizes the delay intervals between 0 and the
    # computed interval"; "NONE" (the default) keeps it.
    f = raising(*[ErrorA] * 4)
    retry = {"ErrorEquals": ["ErrorA"], "IntervalSeconds": 8, "MaxAttempts": 3, "JitterStrategy": "FULL"}
    _, events, _ = execute(task(Retry=[retry]), {}, functions={"f": f})
    for gap, ceiling in zip(gaps(events), (8, 16, 32), strict=True):
        assert timedelta(0) <= gap <= timedelta(seconds=ceiling)


def test_complex_retry_scenario_counts_attempts_per_retrier():
    # "Complex retry scenarios": "A retrier's parameters apply across all visits to the retrier in
    # the context of a single-state execution." The page's example: the task fails with ErrorA,
    # ErrorB, ErrorC, ErrorB: the first two are retried by the first retrier (1 s, then 2 s), the
    # ErrorC by the second (5 s), and the fourth failure (ErrorB) finds the first retrier's
    # MaxAttempts (2) used up, so the state fails.
    f = raising(ErrorA, ErrorB, ErrorC, ErrorB, then="never")
    retry = [
        {"ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 2},
        {"ErrorEquals": ["ErrorC"], "IntervalSeconds": 5},
    ]
    outcome, events, _ = execute(task(Retry=retry), {}, functions={"f": f})
    assert outcome.error == "ErrorB"
    assert len(f.calls) == 4
    assert gaps(events) == [timedelta(seconds=1), timedelta(seconds=2), timedelta(seconds=5)]


def test_retriers_are_checked_in_order():
    # "Retrying after an error": the first retrier whose ErrorEquals holds the error applies.
    f = raising(ErrorA, then="ok")
    retry = [
        {"ErrorEquals": ["ErrorA"], "IntervalSeconds": 7},
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1},
    ]
    _, events, _ = execute(task(Retry=retry), {}, functions={"f": f})
    assert gaps(events) == [timedelta(seconds=7)]


def test_catch_error_output_replaces_the_input_by_default():
    # "Fallback states": "...the catcher's ResultPath defaults to $, so the error output replaces
    # the input": {"Error": ..., "Cause": ...}.
    definition = with_handler(task(Catch=[{"ErrorEquals": ["ErrorA"], "Next": "Recovered"}]))
    outcome, events, _ = execute(definition, {"keep": 1}, functions={"f": raising(ErrorA)})
    assert set(outcome.output) == {"Error", "Cause"}
    assert outcome.output["Error"] == "ErrorA"
    cause = json.loads(outcome.output["Cause"])
    assert (cause["errorType"], cause["errorMessage"]) == ("ErrorA", "attempt 1")
    assert [e for e in types(events) if e.endswith("StateEntered")] == [
        "TaskStateEntered",
        "PassStateEntered",
    ]


def test_catch_result_path_keeps_the_input_with_the_error():
    # "Error handling examples using ResultPath": "ResultPath": "$.error" includes the error with
    # the original input.
    definition = with_handler(
        task(Catch=[{"ErrorEquals": ["ErrorA"], "ResultPath": "$.error", "Next": "Recovered"}])
    )
    outcome, _, _ = execute(definition, {"keep": 1}, functions={"f": raising(ErrorA)})
    assert outcome.output["keep"] == 1
    assert outcome.output["error"]["Error"] == "ErrorA"


def test_catchers_are_checked_in_order():
    # "Fallback states": "...the first catcher whose ErrorEquals matches ... transitions to the
    # state named in its Next field."
    definition = with_handler(
        task(
            Catch=[
                {"ErrorEquals": ["ErrorB"], "Next": "After"},
                {"ErrorEquals": ["ErrorA"], "Next": "Recovered"},
                {"ErrorEquals": ["States.ALL"], "Next": "After"},
            ]
        )
    )
    _, events, _ = execute(definition, {}, functions={"f": raising(ErrorA)})
    entered = [details(e)["name"] for e in events if e["type"].endswith("StateEntered")]
    assert entered == ["T", "Recovered"]


def test_retry_first_then_catch():
    # "When a state has both Retry and Catch fields, Step Functions uses any appropriate retriers
    # first. If the retry policy fails to resolve the error, Step Functions applies the matching
    # catcher transition."
    f = raising(ErrorA, ErrorA, ErrorA)
    definition = with_handler(
        task(
            Retry=[{"ErrorEquals": ["ErrorA"], "MaxAttempts": 2, "IntervalSeconds": 1}],
            Catch=[{"ErrorEquals": ["ErrorA"], "Next": "Recovered"}],
        )
    )
    outcome, _, _ = execute(definition, {}, functions={"f": f})
    assert len(f.calls) == 3
    assert outcome.output["Error"] == "ErrorA"


def test_unmatched_error_is_not_caught():
    # A catcher applies only to the errors in its ErrorEquals.
    definition = with_handler(task(Catch=[{"ErrorEquals": ["ErrorB"], "Next": "Recovered"}]))
    outcome, _, _ = execute(definition, {}, functions={"f": raising(ErrorA)})
    assert outcome.error == "ErrorA"


def test_jsonata_catch_output_and_assign_see_the_error_output():
    # "Passing data between states with variables" / "Transforming data with JSONata": in a Catch,
    # $states.errorOutput holds the error output; the catcher's Output and Assign may use it.
    definition = with_handler(
        task(
            QueryLanguage="JSONata",
            Catch=[
                {
                    "ErrorEquals": ["States.ALL"],
                    "Output": {"failed": "{% $states.errorOutput.Error %}", "in": "{% $states.input %}"},
                    "Assign": {"lastError": "{% $states.errorOutput.Error %}"},
                    "Next": "Recovered",
                }
            ],
        )
    )
    outcome, events, _ = execute(definition, {"x": 1}, functions={"f": raising(ErrorC)})
    assert outcome.output == {"failed": "ErrorC", "in": {"x": 1}}
    exited = next(e for e in events if e["type"] == "TaskStateExited")
    assert details(exited)["assignedVariables"] == {"lastError": '"ErrorC"'}


def test_retrier_field_values_are_checked():
    # "BackoffRate (Optional) ... must be greater than or equal to 1.0"; "JitterStrategy
    # (Optional): ... Supported values are FULL and NONE"; "MaxAttempts ... A value of 0 causes the
    # error to never be retried"; a negative one is not valid.
    assert errors(task(Retry=[{"ErrorEquals": ["ErrorA"], "BackoffRate": 0.5}]))
    assert errors(task(Retry=[{"ErrorEquals": ["ErrorA"], "JitterStrategy": "HALF"}]))
    assert errors(task(Retry=[{"ErrorEquals": ["ErrorA"], "MaxAttempts": -1}]))
    assert not errors(task(Retry=[{"ErrorEquals": ["ErrorA"], "BackoffRate": 1.0, "MaxAttempts": 0}]))


def test_catchers_are_for_task_parallel_and_map_states():
    # "Step Functions catchers are available for Task, Parallel, and Map states": a Pass state
    # has no Catch field.
    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Pass", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "E"}], "End": True},
            "E": {"Type": "Succeed"},
        },
    }
    assert errors(definition)


def test_result_path_that_cannot_be_applied_is_result_path_match_failure():
    # "States.ResultPathMatchFailure: Step Functions failed to apply a state's ResultPath field to
    # the input the state received."
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": True}},
    }
    outcome, _, _ = execute(definition, {"a": "not an object"})
    assert outcome.error == "States.ResultPathMatchFailure"


def test_states_runtime_is_not_retried():
    # "States.Runtime ... A States.Runtime error isn't retriable, and will always cause the
    # execution to fail."
    f = raising(then={"a": 1})
    definition = task(OutputPath="$.missing", Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}])
    outcome, _, _ = execute(definition, {}, functions={"f": f})
    assert outcome.error == "States.Runtime"
    assert len(f.calls) == 1
