"""AWS Step Functions Developer Guide, "Wait workflow state" (state-wait.html): one test per
statement that can be tested. The engine runs on a fake clock, so the waits take no time."""

from datetime import UTC, datetime, timedelta

from executions.engine.effects import FakeClock
from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import details, execute, types

START = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)


def waited(events: list[dict]) -> timedelta:
    entered = next(e for e in events if e["type"] == "WaitStateEntered")
    exited = next(e for e in events if e["type"] == "WaitStateExited")
    return exited["timestamp"] - entered["timestamp"]


def run_wait(wait: dict, value=None, query_language: str | None = None):
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", **wait, "End": True}}}
    if query_language:
        definition["QueryLanguage"] = query_language
    return execute(definition, value if value is not None else {}, clock=FakeClock(START))


def test_seconds_waits_that_many_seconds():
    # "Seconds: A time, in seconds, to wait before beginning the state specified in the Next field."
    outcome, events, _ = run_wait({"Seconds": 10})
    assert outcome.status == "SUCCEEDED"
    assert waited(events) == timedelta(seconds=10)
    assert types(events) == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"]


def test_wait_passes_its_input_through():
    # A Wait state does no work: its output is its input (InputPath/OutputPath apply).
    outcome, _, _ = run_wait({"Seconds": 1, "OutputPath": "$.keep"}, {"keep": {"k": 1}, "drop": 2})
    assert outcome.output == {"k": 1}


def test_timestamp_waits_until_that_absolute_time():
    # "Timestamp: An absolute time to wait until beginning the state specified in the Next field."
    # Example: "Timestamp": "2016-03-14T01:59:00Z" (here an hour after the fake clock's start).
    outcome, events, _ = run_wait({"Timestamp": "2026-01-01T13:00:00Z"})
    assert outcome.status == "SUCCEEDED"
    assert waited(events) == timedelta(hours=1)


def test_timestamp_with_an_offset_is_honoured():
    # "Timestamps must conform to the RFC3339 profile of ISO 8601": a numeric offset is part of it.
    _outcome, events, _ = run_wait({"Timestamp": "2026-01-01T14:00:00+01:00"})
    assert waited(events) == timedelta(hours=1)


def test_timestamp_milliseconds_are_truncated():
    # Note: "if you specify the wait time as a timestamp, Step Functions considers the time value
    # up to seconds and truncates milliseconds."
    _outcome, events, _ = run_wait({"Timestamp": "2026-01-01T12:00:05.900Z"})
    assert waited(events) == timedelta(seconds=5)


def test_timestamp_in_the_past_continues_at_once():
    # An absolute time that has already passed leaves nothing to wait for.
    outcome, events, _ = run_wait({"Timestamp": "2020-01-01T00:00:00Z"})
    assert outcome.status == "SUCCEEDED"
    assert waited(events) == timedelta(0)


def test_seconds_path_takes_the_seconds_from_the_input():
    # "SecondsPath: A time, in seconds, to wait ... specified using a path from the state's input
    # data." Example: "SecondsPath": "$.waitSeconds"... here $.delay.
    _outcome, events, _ = run_wait({"SecondsPath": "$.delay"}, {"delay": 30})
    assert waited(events) == timedelta(seconds=30)


def test_timestamp_path_takes_the_time_from_the_input():
    # "TimestampPath: An absolute time to wait until ..., specified using a path from the state's
    # input data." Example: "TimestampPath": "$.expirydate".
    _outcome, events, _ = run_wait({"TimestampPath": "$.expirydate"}, {"expirydate": "2026-01-01T12:02:00Z"})
    assert waited(events) == timedelta(minutes=2)


def test_seconds_path_that_is_not_a_number_fails_the_execution():
    # SecondsPath must select a non-negative integer; anything else is a runtime error.
    outcome, events, _ = run_wait({"SecondsPath": "$.delay"}, {"delay": "soon"})
    assert outcome.status == "FAILED"
    assert outcome.error == "States.Runtime"
    assert types(events)[-1] == "ExecutionFailed"


def test_timestamp_path_that_is_not_a_timestamp_fails_the_execution():
    # "Timestamps must conform to the RFC3339 profile of ISO 8601 ... uppercase T ... uppercase Z".
    outcome, _, _ = run_wait({"TimestampPath": "$.at"}, {"at": "2026-01-01 12:00:00"})
    assert outcome.status == "FAILED"
    assert outcome.error == "States.Runtime"


def test_jsonata_seconds_accepts_an_expression():
    # "Seconds (JSONata): ... you can also use a JSONata expression", e.g. "{% $waitTime %}".
    _outcome, events, _ = run_wait({"Seconds": "{% $states.input.n * 2 %}"}, {"n": 4}, "JSONata")
    assert waited(events) == timedelta(seconds=8)


def test_jsonata_timestamp_accepts_an_expression():
    # "Timestamp (JSONata): ... you can also use a JSONata expression".
    _outcome, events, _ = run_wait(
        {"Timestamp": "{% $states.input.at %}"}, {"at": "2026-01-01T12:00:07Z"}, "JSONata"
    )
    assert waited(events) == timedelta(seconds=7)


def test_jsonata_wait_output_and_assign():
    # Wait states allow Output and Assign (JSONata) like every state but Fail.
    outcome, events, _ = run_wait(
        {"Seconds": 1, "Assign": {"w": "{% $states.input.n %}"}, "Output": {"n": "{% $states.input.n %}"}},
        {"n": 3, "other": 1},
        "JSONata",
    )
    assert outcome.output == {"n": 3}
    exited = next(e for e in events if e["type"] == "WaitStateExited")
    assert details(exited)["assignedVariables"] == {"w": "3"}


def test_jsonata_seconds_outside_0_to_99999999_is_a_query_evaluation_error():
    # Seconds: "specified as an integer value from 0 to 99999999. In JSONata states, you can
    # alternatively specify a JSONata expression which must evaluate to an integer in the stated range."
    for seconds in ("{% -1 %}", "{% 100000000 %}", "{% 1.5 %}"):
        outcome, _, _ = run_wait({"Seconds": seconds}, {}, "JSONata")
        assert outcome.error == "States.QueryEvaluationError", seconds


def test_seconds_path_to_a_negative_number_fails_the_execution():
    # SecondsPath: "a path in the states input data to an integer value": a negative one is refused.
    outcome, _, _ = run_wait({"SecondsPath": "$.delay"}, {"delay": -1})
    assert outcome.error == "States.Runtime"


def test_exactly_one_of_the_four_wait_fields():
    # Note: "You must specify exactly one of Seconds, Timestamp, SecondsPath, or TimestampPath."
    both = {
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Seconds": 1, "Timestamp": "2024-03-14T01:59:00Z", "End": True}},
    }
    neither = {"StartAt": "W", "States": {"W": {"Type": "Wait", "End": True}}}
    assert errors(both) and errors(neither)


def test_seconds_must_be_from_0_to_99999999():
    # Seconds: "You must specify time as an integer value from 0 to 99999999."
    for seconds, valid in ((0, True), (99_999_999, True), (100_000_000, False), (-1, False), (1.5, False)):
        definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": True}}}
        assert (not errors(definition)) is valid, seconds
