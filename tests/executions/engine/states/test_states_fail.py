"""Fail and Succeed."""

from tests.executions.engine.support import chain, execute


def test_fail_with_error_and_cause():
    definition = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}
    outcome, events, _ = execute(definition, {})
    assert (outcome.status, outcome.error, outcome.cause) == ("FAILED", "E", "C")
    assert chain(events) == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "FailStateEntered"),
        (3, 2, "ExecutionFailed"),
    ]


def test_fail_paths_read_the_input_and_report_missing_paths():
    definition = {"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}}}
    outcome, _, _ = execute(definition, {"e": "Bad", "c": "because"})
    assert (outcome.error, outcome.cause) == ("Bad", "because")
    outcome, _, _ = execute(definition, {"c": "because"})
    assert outcome.error == "States.Runtime"
    assert "The JSONPath '$.e' specified for the field 'ErrorPath' could not be found" in outcome.cause


def test_succeed_ends_with_its_input():
    definition = {"StartAt": "S", "States": {"S": {"Type": "Succeed", "OutputPath": "$.a"}}}
    outcome, events, _ = execute(definition, {"a": [1]})
    assert outcome.output == [1]
    assert events[-2]["type"] == "SucceedStateExited"
