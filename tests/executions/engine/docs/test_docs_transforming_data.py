"""AWS Step Functions Developer Guide, "Transforming data with JSONata in Step Functions"
(transforming-data.html): one test per statement that can be tested."""

import hashlib
import json
import time
import uuid

import pytest

from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import execute

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def jsonata(output, value=None):
    """Evaluate `output` as a JSONata Pass state's Output."""
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Output": output, "End": True}},
    }
    return execute(definition, {} if value is None else value)[0]


def test_top_level_query_language_applies_to_every_state():
    # "Enable JSONata ... set the top-level QueryLanguage field to JSONata": every state uses it.
    assert jsonata("{% 1 + 1 %}").output == 2


def test_a_jsonpath_machine_can_have_a_jsonata_state():
    # "You can also set QueryLanguage on individual states": a JSONPath state machine with one
    # state opting in to JSONata.
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Next": "B"},
            "B": {
                "Type": "Pass",
                "QueryLanguage": "JSONata",
                "Output": "{% $states.input.n * 10 %}",
                "End": True,
            },
        },
    }
    assert execute(definition, {"n": 2})[0].output == 20


def test_a_jsonata_machine_cannot_have_a_jsonpath_state():
    # "...if the top-level QueryLanguage is JSONata, a state can't set JSONPath" - a state may opt
    # in to JSONata in a JSONPath machine, not the reverse.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}},
    }
    assert errors(definition)


@pytest.mark.parametrize("field", ["InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath"])
def test_jsonpath_fields_are_not_allowed_in_jsonata_states(field):
    # "JSONata states ... don't use InputPath, Parameters, ResultSelector, ResultPath, OutputPath":
    # they are replaced by Arguments and Output.
    value = {"a": 1} if field in ("Parameters", "ResultSelector") else "$.a"
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": ARN + "f", field: value, "End": True}},
    }
    assert errors(definition)


def test_only_strings_wrapped_in_delimiters_are_expressions():
    # "JSONata expressions are written between {% and %}"; any other string is a literal.
    assert jsonata(
        {"lit": "$states.input.a", "expr": "{% $states.input.a %}", "n": 1}, {"a": "v"}
    ).output == {
        "lit": "$states.input.a",
        "expr": "v",
        "n": 1,
    }


def test_states_input_result_error_output_and_context():
    # "$states" holds "input", "result" (in Output/Assign after a Task, Parallel or Map),
    # "errorOutput" (in a Catch) and "context".
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "f",
                "Arguments": {"n": "{% $states.input.n %}"},
                "Output": {
                    "input": "{% $states.input %}",
                    "result": "{% $states.result %}",
                    "state": "{% $states.context.State.Name %}",
                },
                "Next": "Fail",
            },
            "Fail": {
                "Type": "Task",
                "Resource": ARN + "boom",
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Output": "{% $states.errorOutput.Error %}",
                        "Next": "Done",
                    }
                ],
                "End": True,
            },
            "Done": {"Type": "Succeed"},
        },
    }

    def boom(event, context):
        raise LookupError("x")

    outcome, events, _ = execute(definition, {"n": 1}, functions={"f": lambda e, c: {"got": e}, "boom": boom})
    assert outcome.output == "LookupError"
    first = json.loads(
        next(e for e in events if e["type"] == "TaskStateExited")["stateExitedEventDetails"]["output"]
    )
    assert first == {"input": {"n": 1}, "result": {"got": {"n": 1}}, "state": "T"}


def test_states_result_is_not_available_in_arguments():
    # "$states.result" is the result of the state's work, so it exists only in Output and Assign:
    # read in Arguments it is undefined, and a field that evaluates to nothing fails the state with
    # States.QueryEvaluationError (the message recorded on AWS: "returned nothing (undefined)").
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": ARN + "f", "Arguments": "{% $states.result %}", "End": True}
        },
    }
    outcome, _, _ = execute(definition, {}, functions={"f": lambda e, c: e})
    assert outcome.error == "States.QueryEvaluationError"
    assert "returned nothing (undefined)" in outcome.cause


def test_an_expression_that_fails_is_a_query_evaluation_error():
    # "Errors": a JSONata expression that cannot be evaluated fails the state with
    # States.QueryEvaluationError.
    outcome = jsonata("{% $number('not a number') + {} %}")
    assert outcome.status == "FAILED"
    assert outcome.error == "States.QueryEvaluationError"


def test_intrinsic_functions_are_not_available():
    # "Intrinsic functions ... are only available to states that use the JSONPath query language":
    # in JSONata "States.MathAdd" is a plain string.
    assert jsonata("States.MathAdd(1, 2)").output == "States.MathAdd(1, 2)"


def test_partition():
    # "$partition(array, size)": "partitions an array into chunks"; the page's example gives
    # [[1,2,3,4],[5,6,7,8],[9,10]] for 1..10 and size 4.
    assert jsonata("{% $partition([1,2,3,4,5,6,7,8,9,10], 4) %}").output == [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10],
    ]


def test_range():
    # "$range(start, end, step)": an array of values from start to end by step, both ends
    # included; the page's example $range(0, 10, 2) gives [0, 2, 4, 6, 8, 10].
    assert jsonata("{% $range(0, 10, 2) %}").output == [0, 2, 4, 6, 8, 10]


def test_hash():
    # "$hash(value, algorithm)": the hash of a string with MD5, SHA-1, SHA-256, SHA-384 or SHA-512.
    for name, algorithm in (
        ("MD5", "md5"),
        ("SHA-1", "sha1"),
        ("SHA-256", "sha256"),
        ("SHA-384", "sha384"),
        ("SHA-512", "sha512"),
    ):
        assert (
            jsonata(f"{{% $hash('Hello World', '{name}') %}}").output
            == hashlib.new(algorithm, b"Hello World").hexdigest()
        )


def test_random():
    # "$random()": a random number n, 0 <= n < 1; "$random(seed)" returns the same number for the
    # same seed.
    value = jsonata("{% $random() %}").output
    assert 0 <= value < 1
    assert jsonata("{% $random(7) %}").output == jsonata("{% $random(7) %}").output


def test_uuid():
    # "$uuid()": a version 4 UUID.
    assert uuid.UUID(jsonata("{% $uuid() %}").output).version == 4


def test_parse():
    # "$parse(jsonString)": deserializes JSON text into a value.
    assert jsonata("{% $parse($states.input.text) %}", {"text": '{"a": [1, true]}'}).output == {
        "a": [1, True]
    }


def test_converting_from_jsonpath_arguments_replace_parameters():
    # "Converting from JSONPath to JSONata": Parameters becomes Arguments, with the values taken
    # from $states.input instead of ".$" paths.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "f", "Payload": {"id": "{% $states.input.id %}"}},
                "Output": "{% $states.result.Payload %}",
                "End": True,
            }
        },
    }
    assert execute(definition, {"id": 9}, functions={"f": lambda e, c: e})[0].output == {"id": 9}


def test_sequences_follow_the_jsonata_language():
    # The page defers to the JSONata documentation for the language (docs.jsonata.org, "Path
    # operators" and "Sequences"): a path that selects one value gives that value, several give an
    # array, and a "[]" on a step keeps a singleton array.
    value = {"one": [{"v": 1}], "two": [{"v": 1}, {"v": 2}]}
    assert jsonata("{% $states.input.one.v %}", value).output == 1
    assert jsonata("{% $states.input.two.v %}", value).output == [1, 2]
    assert jsonata("{% $states.input.one[].v %}", value).output == [1]
    assert jsonata("{% $filter($states.input.two.v, function($x) { $x > 1 }) %}", value).output == 2


def test_numeric_fields_take_jsonata_expressions_instead_of_paths():
    # "Converting from JSONPath to JSONata": the *Path fields go; TimeoutSeconds, MaxConcurrency,
    # ToleratedFailureCount (and the others) take a JSONata expression instead.
    def hang(event, context):
        time.sleep(1.3)

    task = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "hang",
                "TimeoutSeconds": "{% $states.input.t %}",
                "End": True,
            }
        },
    }
    assert execute(task, {"t": 1}, functions={"hang": hang})[0].error == "States.Timeout"
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input = 2 %}", "Next": "F"}],
                "Default": "P",
            },
            "P": {"Type": "Pass", "End": True},
            "F": {"Type": "Fail", "Error": "Bad"},
        },
    }
    each = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "Items": [1, 2, 3],
                "ItemProcessor": processor,
                "MaxConcurrency": "{% $states.input.mc %}",
                "ToleratedFailureCount": "{% $states.input.ok %}",
                "End": True,
            }
        },
    }
    assert execute(each, {"ok": 1, "mc": 1})[0].status == "SUCCEEDED"
    assert execute(each, {"ok": 0, "mc": 1})[0].error == "States.ExceedToleratedFailureThreshold"


@pytest.mark.parametrize(
    ("state_type", "field"), [("Pass", "Arguments"), ("Map", "Arguments"), ("Fail", "Output")]
)
def test_fields_each_state_type_allows(state_type, field):
    # The page's table of JSONata fields: Arguments only in Task and Parallel states, Output in
    # every state but Fail.
    state = {"Type": state_type, field: {"a": 1}}
    if state_type == "Map":
        state["ItemProcessor"] = {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}
    if state_type != "Fail":
        state["End"] = True
    definition = {"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": state}}
    assert any(f"/States/S/{field}" in line for line in errors(definition))
