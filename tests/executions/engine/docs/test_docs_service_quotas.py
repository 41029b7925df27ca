"""AWS Step Functions Developer Guide, "Step Functions service quotas" (service-quotas.html):
the quotas an execution meets at run time."""

from datetime import timedelta

from executions.engine.effects import FakeClock
from tests.executions.engine.support import execute, types

KIB = 1024


def test_state_output_over_256_kib_fails_with_data_limit_exceeded():
    # "Quotas related to state throttling ... Maximum input or output size for a task, state, or
    # execution: 256 KiB of data as a UTF-8 encoded string" - over it, States.DataLimitExceeded
    # ("Handling errors": "...the output of a state is larger than payload size quota").
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "x" * (256 * KIB), "End": True}}}
    outcome, _, _ = execute(definition, {})
    assert outcome.error == "States.DataLimitExceeded"


def test_the_limit_counts_utf8_bytes_not_characters():
    # "...256 KiB of data as a UTF-8 encoded string": 100,000 three-byte characters are 300,000
    # bytes, over the quota, though fewer than 256 Ki characters.
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "€" * 100_000, "End": True}}}
    outcome, _, _ = execute(definition, {})
    assert outcome.error == "States.DataLimitExceeded"


def test_output_just_under_the_limit_passes():
    # The quota is a maximum: an output that fits is fine.
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "x" * (250 * KIB), "End": True}}}
    outcome, _, _ = execute(definition, {})
    assert outcome.status == "SUCCEEDED"


def test_task_input_after_parameters_over_the_limit_fails():
    # "Handling errors", States.DataLimitExceeded: "...after Parameters processing, the input of a
    # state is larger than the payload size quota".
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Pass",
                "Parameters": {"a.$": "$.s", "b.$": "$.s", "c.$": "$.s"},
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {"s": "x" * (100 * KIB)})
    assert outcome.error == "States.DataLimitExceeded"


def test_execution_history_is_limited_to_25000_events():
    # "Maximum execution history size: 25,000 events. If the execution history reaches this quota,
    # the execution fails." A loop that never ends on its own stops there.
    definition = {
        "StartAt": "Loop",
        "States": {"Loop": {"Type": "Pass", "Next": "Again"}, "Again": {"Type": "Pass", "Next": "Loop"}},
    }
    outcome, events, _ = execute(definition, {})
    assert outcome.status == "FAILED"
    assert len(events) == 25_000
    assert types(events)[-1] == "ExecutionFailed"
    assert events[-1]["executionFailedEventDetails"]["error"] == outcome.error == "States.Runtime"


def test_state_machine_timeout_seconds_times_the_execution_out():
    # "State machine structure": "TimeoutSeconds (Optional): The maximum number of seconds an
    # execution of the state machine can run. If it runs longer than the specified time, the
    # execution fails with a States.Timeout error name." ("Maximum execution time" quota: 1 year
    # for Standard workflows.)
    definition = {
        "TimeoutSeconds": 60,
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}},
    }
    outcome, events, _ = execute(definition, {}, clock=FakeClock())
    assert outcome.status == "TIMED_OUT"
    assert outcome.error == "States.Timeout"
    assert types(events)[-1] == "ExecutionTimedOut"
    assert events[-1]["timestamp"] - events[0]["timestamp"] == timedelta(seconds=60)
