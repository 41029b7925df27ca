"""Pass: Result, the JSONPath pipeline, JSONata Output, Assign and the events AWS records."""

from tests.executions.engine.support import chain, details, execute


def test_result_lands_at_result_path_and_output_path_selects():
    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "OutputPath": "$.r", "End": True}
        },
    }
    outcome, events, _ = execute(definition, {"a": 1})
    assert outcome.status == "SUCCEEDED"
    assert outcome.output == {"x": 1}
    assert chain(events) == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "PassStateEntered"),
        (3, 2, "PassStateExited"),
        (4, 3, "ExecutionSucceeded"),
    ]
    assert details(events[2]) == {"name": "P", "output": '{"x":1}', "outputDetails": {"truncated": False}}


def test_input_path_and_parameters_with_intrinsic_and_context():
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Pass",
                "InputPath": "$.in",
                "Parameters": {"sum.$": "States.MathAdd($.a, 2)", "name.$": "$$.State.Name"},
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {"in": {"a": 40}})
    assert outcome.output == {"sum": 42, "name": "P"}


def test_missing_input_path_fails_with_aws_cause():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.nope", "End": True}}}
    outcome, events, _ = execute(definition, {"a": 1})
    assert outcome.status == "FAILED"
    assert outcome.error == "States.Runtime"
    assert outcome.cause == (
        "An error occurred while executing the state 'P' (entered at the event id #2). "
        "Invalid path '$.nope' : No results for path: $['nope']"
    )
    assert chain(events)[-1] == (3, 2, "ExecutionFailed")


def test_jsonata_output_and_assign_see_variables_before_the_state():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "B"},
            "B": {
                "Type": "Pass",
                "Assign": {"n": "{% $n + 1 %}"},
                "Output": {"seen": "{% $n %}"},
                "End": True,
            },
        },
    }
    outcome, events, _ = execute(definition, {})
    assert outcome.output == {"seen": 1}
    exited = [e for e in events if e["type"] == "PassStateExited"]
    assert details(exited[1])["assignedVariables"] == {"n": "2"}


def test_jsonata_undefined_output_records_evaluation_failed():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Output": "{% $nope %}", "End": True}},
    }
    outcome, events, _ = execute(definition, {})
    assert outcome.error == "States.QueryEvaluationError"
    assert chain(events)[2:] == [(3, 0, "EvaluationFailed"), (4, 3, "ExecutionFailed")]
    assert details(events[2])["location"] == "Output"


def test_an_infinite_loop_ends_at_the_history_limit():
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}
    outcome, events, _ = execute(definition, {})
    assert outcome.status == "FAILED"
    assert len(events) == 25_000
