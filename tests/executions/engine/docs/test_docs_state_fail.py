"""AWS Step Functions Developer Guide, "Fail workflow state" (state-fail.html)."""

from tests.executions.engine.support import details, execute, types


def test_fail_stops_the_execution_and_marks_it_a_failure_with_error_and_cause():
    # "A Fail state ("Type": "Fail") stops the execution of the state machine and marks it as a
    # failure". "Cause (Optional): A custom failure string"; "Error (Optional): An error name".
    # Example: "FailState" with Error "ErrorA" and Cause "Kaiju attack".
    definition = {
        "StartAt": "F",
        "States": {"F": {"Type": "Fail", "Error": "ErrorA", "Cause": "Kaiju attack"}},
    }
    outcome, events, _ = execute(definition, {})
    assert outcome.status == "FAILED"
    assert (outcome.error, outcome.cause) == ("ErrorA", "Kaiju attack")
    assert types(events) == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    assert details(events[-1]) == {"error": "ErrorA", "cause": "Kaiju attack"}


def test_error_and_cause_are_optional():
    # Both fields are "(Optional)": the execution fails with neither.
    definition = {"StartAt": "F", "States": {"F": {"Type": "Fail"}}}
    outcome, events, _ = execute(definition, {})
    assert outcome.status == "FAILED"
    assert (outcome.error, outcome.cause) == (None, None)
    assert details(events[-1]) == {}


def test_error_path_and_cause_path_read_the_input():
    # "ErrorPath (Optional, JSONPath only): To dynamically provide an error name from the state
    # input using a reference path." "CausePath (Optional, JSONPath only): ... a reference path".
    definition = {"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}}}
    outcome, _, _ = execute(definition, {"e": "Oops", "c": "because"})
    assert (outcome.error, outcome.cause) == ("Oops", "because")


def test_error_path_and_cause_path_accept_intrinsic_functions():
    # CausePath: "...or use an intrinsic function" - the page lists States.Format, States.JsonToString,
    # States.ArrayGetItem, ..., States.UUID among those usable.
    definition = {
        "StartAt": "F",
        "States": {
            "F": {
                "Type": "Fail",
                "ErrorPath": "States.Format('{}Error', $.kind)",
                "CausePath": "States.Format('Custom message for {}, caused by {}.', $.Error, $.Cause)",
            }
        },
    }
    outcome, _, _ = execute(definition, {"kind": "Custom", "Error": "X", "Cause": "Y"})
    assert outcome.error == "CustomError"
    assert outcome.cause == "Custom message for X, caused by Y."


def test_jsonata_error_and_cause_expressions():
    # Error/Cause (JSONata): "...you can also use a JSONata expression".
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "F",
        "States": {
            "F": {"Type": "Fail", "Error": "{% $states.input.e %}", "Cause": "{% 'n=' & $states.input.n %}"}
        },
    }
    outcome, _, _ = execute(definition, {"e": "Bad", "n": 3})
    assert (outcome.error, outcome.cause) == ("Bad", "n=3")


def test_fail_inside_a_branch_fails_the_enclosing_state_unless_caught():
    # "Fail" is terminal for its branch; the Parallel state it is in fails with its error
    # ("Parallel workflow state", Error Handling).
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E1"}}}],
                "Catch": [{"ErrorEquals": ["E1"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    outcome, _, _ = execute(definition, {})
    assert outcome.status == "SUCCEEDED"
    assert outcome.output == {"Error": "E1"}
