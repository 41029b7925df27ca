"""Wait on the fake clock: a year takes no real time, virtual time moves, bad values fail."""

import time
from datetime import UTC, datetime, timedelta

from executions.engine.effects import FakeClock
from tests.executions.engine.support import chain, execute

YEAR = 365 * 24 * 3600


def test_a_wait_of_a_year_moves_virtual_time_only():
    definition = {
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": YEAR, "Next": "P"},
            "P": {"Type": "Pass", "Parameters": {"t.$": "$$.State.EnteredTime"}, "End": True},
        },
    }
    clock = FakeClock(datetime(2024, 1, 1, tzinfo=UTC))
    started = time.monotonic()
    outcome, events, _ = execute(definition, {}, clock=clock)
    assert time.monotonic() - started < 30  # no real waiting (a bound, not a measurement)
    assert outcome.output == {"t": "2024-12-31T00:00:00.000Z"}
    assert events[-1]["timestamp"] - events[0]["timestamp"] == timedelta(seconds=YEAR)


def test_timestamp_path_waits_until_then_and_past_times_do_not_wait():
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.at", "End": True}}}
    clock = FakeClock(datetime(2024, 1, 1, tzinfo=UTC))
    outcome, events, _ = execute(definition, {"at": "2024-01-02T00:00:00Z"}, clock=clock)
    assert outcome.status == "SUCCEEDED"
    assert events[-1]["timestamp"] == datetime(2024, 1, 2, tzinfo=UTC)
    clock = FakeClock(datetime(2024, 1, 1, tzinfo=UTC))
    outcome, events, _ = execute(definition, {"at": "2016-01-01T00:00:00+01:00"}, clock=clock)
    assert outcome.status == "SUCCEEDED"
    assert events[-1]["timestamp"] == datetime(2024, 1, 1, tzinfo=UTC)


def test_seconds_path_errors_are_aws_runtime_errors():
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}}}
    outcome, events, _ = execute(definition, {"s": -1})
    assert outcome.error == "States.Runtime"
    assert outcome.cause.endswith("The SecondsPath parameter references a negative value: $.s == -1")
    outcome, _, _ = execute(definition, {"s": 1.5})
    assert outcome.cause.endswith("The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5")
    assert chain(events)[-1] == (3, 2, "ExecutionFailed")


def test_malformed_timestamp_path_fails():
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.at", "End": True}}}
    outcome, _, _ = execute(definition, {"at": "2016-12-05 21:29:29Z"})
    assert outcome.error == "States.Runtime"
    assert "does not reference a valid ISO-8601 extended offset date-time" in outcome.cause


def test_state_machine_timeout_stops_a_long_wait():
    definition = {
        "TimeoutSeconds": 10,
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}},
    }
    outcome, events, _ = execute(definition, {})
    assert outcome.status == "TIMED_OUT"
    assert events[-1]["type"] == "ExecutionTimedOut"
    assert events[-1]["timestamp"] - events[0]["timestamp"] == timedelta(seconds=10)
