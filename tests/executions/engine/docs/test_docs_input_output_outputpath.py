"""AWS Step Functions Developer Guide, "Filtering state output using OutputPath"
(input-output-outputpath.html)."""

from tests.executions.engine.support import execute

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def test_output_path_selects_part_of_the_state_output():
    # "OutputPath enables you to select a portion of the state output to pass to the next state."
    # The page's Lambda example: the whole Invoke response is the result, "OutputPath": "$.Payload"
    # keeps only the function's return value.
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                "OutputPath": "$.Payload",
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {"a": 1}, functions={"f": lambda e, c: {"got": e}})
    assert outcome.output == {"got": {"a": 1}}


def test_output_path_applies_after_result_path():
    # "Input and Output Processing": ResultPath places the result into the input, then OutputPath
    # filters the combination.
    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "OutputPath": "$.r.x", "End": True}
        },
    }
    outcome, _, _ = execute(definition, {"keep": 1})
    assert outcome.output == 1


def test_without_output_path_the_whole_output_passes():
    # "If you don't specify an OutputPath, the default value is $": the whole output passes on.
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    outcome, _, _ = execute(definition, {"a": {"b": 1}})
    assert outcome.output == {"a": {"b": 1}}


def test_output_path_null_sends_an_empty_object():
    # "Using JSONPath paths": "If OutputPath is null ... the state's output is an empty JSON object {}".
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "OutputPath": None, "End": True}}}
    outcome, _, _ = execute(definition, {"a": 1})
    assert outcome.output == {}


def test_output_path_that_matches_nothing_fails_the_execution():
    # Silent on the page; recorded ("States.Runtime ... attempting to apply InputPath or OutputPath
    # on a null JSON payload" in "Handling errors"): a path that selects nothing fails the execution.
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "OutputPath": "$.nope", "End": True}}}
    outcome, _, _ = execute(definition, {"a": 1})
    assert outcome.error == "States.Runtime"
