"""AWS Step Functions Developer Guide, "Using JSONPath paths" (amazon-states-language-paths.html):
paths, reference paths, and where the Context object and variables are read."""

from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import execute

EXAMPLE = {"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": True}}


def select(**fields):
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", **fields, "End": True}}}


def test_reference_path_examples():
    # "Reference paths": for the page's input {"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr":
    # true}}, "$.foo" is 123, "$.bar" is ["a", "b", "c"] and "$.car.cdr" is true.
    parameters = {"foo.$": "$.foo", "bar.$": "$.bar", "cdr.$": "$.car.cdr"}
    outcome, _, _ = execute(select(Parameters=parameters), EXAMPLE)
    assert outcome.output == {"foo": 123, "bar": ["a", "b", "c"], "cdr": True}


def test_dot_and_bracket_notation():
    # "You can access object fields using only dot (.) and square bracket ([ ]) notation."
    parameters = {"a.$": "$['car']['cdr']", "b.$": "$.bar[1]", "c.$": "$['field with spaces']"}
    outcome, _, _ = execute(select(Parameters=parameters), {**EXAMPLE, "field with spaces": 1})
    assert outcome.output == {"a": True, "b": "b", "c": 1}


def test_input_path_may_use_a_filter():
    # "Paths": InputPath, OutputPath and Parameters values are JsonPath expressions and may
    # select several nodes, e.g. with a filter or a wildcard.
    items = {"items": [{"price": 5}, {"price": 15}, {"price": 8}]}
    outcome, _, _ = execute(select(InputPath="$.items[?(@.price < 10)]"), items)
    assert outcome.output == [{"price": 5}, {"price": 8}]
    outcome, _, _ = execute(select(Parameters={"prices.$": "$.items[*].price"}), items)
    assert outcome.output == {"prices": [5, 15, 8]}


def test_result_path_must_be_a_reference_path():
    # "Reference paths ... The operators @ , : and ? are not supported" and ResultPath takes a
    # reference path only.
    for path in ("$.items[?(@.price < 10)]", "$.bar[0:2]", "$.bar[*]"):
        assert errors(select(Result=1, ResultPath=path)), path


def test_context_object_paths_start_with_two_dollars():
    # "$$." selects from the Context object (see "Accessing execution data from the Context object").
    outcome, _, _ = execute(select(Parameters={"name.$": "$$.State.Name"}), {})
    assert outcome.output == {"name": "P"}


def test_variables_are_read_with_their_name():
    # "Passing data between states with variables": in JSONPath states "$name" reads the variable
    # and "$name.field" a field of it.
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"order": {"id": 4, "lines": [1, 2]}}, "Next": "B"},
            "B": {
                "Type": "Pass",
                "Parameters": {"id.$": "$order.id", "second.$": "$order.lines[1]"},
                "End": True,
            },
        },
    }
    assert execute(definition, {})[0].output == {"id": 4, "second": 2}
