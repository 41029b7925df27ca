"""AWS Step Functions Developer Guide, "Specifying state output using ResultPath in Step
Functions" (input-output-resultpath.html), with the page's examples."""

import json

from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import execute

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
EXAMPLE_INPUT = {
    "comment": "This is a test of the input and output of a Task state.",
    "details": "Default example",
    "who": "AWS Step Functions",
}


def hello(event, context):
    return f"Hello, {event['who']}!"


def task(**fields) -> dict:
    return {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": ARN + "hello", "End": True, **fields}},
    }


def test_result_path_dollar_replaces_the_input_with_the_result():
    # "Use ResultPath to replace the input with the result": "ResultPath": "$" (also the default).
    for fields in ({}, {"ResultPath": "$"}):
        outcome, _, _ = execute(task(**fields), EXAMPLE_INPUT, functions={"hello": hello})
        assert outcome.output == "Hello, AWS Step Functions!"


def test_result_path_null_discards_the_result_and_keeps_the_input():
    # "Discard the result and keep the original input": "ResultPath": null.
    outcome, _, _ = execute(task(ResultPath=None), EXAMPLE_INPUT, functions={"hello": hello})
    assert outcome.output == EXAMPLE_INPUT


def test_result_path_includes_the_result_with_the_input():
    # "Use ResultPath to include the result with the input": "ResultPath": "$.taskresult".
    outcome, _, _ = execute(task(ResultPath="$.taskresult"), EXAMPLE_INPUT, functions={"hello": hello})
    assert outcome.output == {**EXAMPLE_INPUT, "taskresult": "Hello, AWS Step Functions!"}


def test_result_path_updates_a_node_in_the_input():
    # "Use ResultPath to update a node in the input with the result": "ResultPath":
    # "$.strings.lambdaresult" replaces that node and keeps its siblings.
    state_input = {**EXAMPLE_INPUT, "strings": {"xstring": "x", "lambdaresult": "old"}}
    outcome, _, _ = execute(
        task(ResultPath="$.strings.lambdaresult"), state_input, functions={"hello": hello}
    )
    assert outcome.output["strings"] == {"xstring": "x", "lambdaresult": "Hello, AWS Step Functions!"}
    assert outcome.output["who"] == "AWS Step Functions"


def test_result_path_creates_missing_nodes():
    # A ResultPath whose nodes are not in the input adds them (the "$.taskresult" example adds a
    # new field; nested fields are created the same way).
    outcome, _, _ = execute(task(ResultPath="$.a.b.c"), EXAMPLE_INPUT, functions={"hello": hello})
    assert outcome.output["a"] == {"b": {"c": "Hello, AWS Step Functions!"}}


def test_result_path_in_a_catcher_includes_the_error_with_the_input():
    # "Use ResultPath to include both error and input in a Catch": "ResultPath": "$.error".
    def fail(event, context):
        raise ValueError("bad who")

    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "fail",
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}],
                "End": True,
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }
    outcome, _, _ = execute(definition, EXAMPLE_INPUT, functions={"fail": fail})
    assert {k: outcome.output[k] for k in EXAMPLE_INPUT} == EXAMPLE_INPUT
    assert outcome.output["error"]["Error"] == "ValueError"
    assert json.loads(outcome.output["error"]["Cause"])["errorMessage"] == "bad who"


def test_result_path_must_be_a_reference_path():
    # "ResultPath ... is limited to using reference paths, which limit scope so the path must
    # identify only a single node in JSON" (Using JSONPath paths, Reference paths).
    assert any(line.startswith("/States/T/ResultPath") for line in errors(task(ResultPath="$.items[*]")))


def test_result_path_on_a_pass_state_places_its_result():
    # "ResultPath" applies the same way to a Pass state's Result.
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.n", "End": True}},
    }
    outcome, _, _ = execute(definition, {"m": 0})
    assert outcome.output == {"m": 0, "n": 1}
