"""AWS Step Functions Developer Guide, "Pass workflow state" (state-pass.html): one test per
statement that can be tested."""

from tests.executions.engine.support import details, execute, types


def test_pass_passes_its_input_to_its_output_without_performing_work():
    # Intro: "A Pass state passes its input to its output, without performing work."
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    outcome, events, _ = execute(definition, {"a": [1, {"b": None}]})
    assert outcome.output == {"a": [1, {"b": None}]}
    assert types(events) == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


def test_pass_state_example_injects_result_at_result_path():
    # "Pass State Example (JSONPath)": the "No-op" state with its input and output as shown.
    result = {"x-datum": 0.381018, "y-datum": 622.2269926397355}
    definition = {
        "StartAt": "No-op",
        "States": {"No-op": {"Type": "Pass", "Result": result, "ResultPath": "$.coords", "End": True}},
    }
    outcome, _, _ = execute(definition, {"georefOf": "Home"})
    assert outcome.output == {"georefOf": "Home", "coords": result}


def test_result_without_result_path_replaces_the_input():
    # Result: "Refers to the output of a virtual task that is passed on to the next state"; ResultPath
    # defaults to "$" (input-output-resultpath: "ResultPath: $ ... replaces the input").
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "done", "End": True}}}
    outcome, _, _ = execute(definition, {"a": 1})
    assert outcome.output == "done"


def test_result_path_output_is_further_filtered_by_output_path():
    # ResultPath: "The input is further filtered as specified by the OutputPath field (if present)
    # before being used as the state's output."
    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Pass", "Result": {"v": 2}, "ResultPath": "$.r", "OutputPath": "$.r.v", "End": True}
        },
    }
    outcome, _, _ = execute(definition, {"a": 1})
    assert outcome.output == 2


def test_parameters_static_and_selected_from_the_input():
    # Parameters: "Creates a collection of key-value pairs that will be passed as input. You can
    # specify Parameters as a static value or select from the input using a path."
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Parameters": {"fixed": "v", "picked.$": "$.x.y"}, "End": True}},
    }
    outcome, _, _ = execute(definition, {"x": {"y": [3]}})
    assert outcome.output == {"fixed": "v", "picked": [3]}


def test_jsonata_output_overrides_the_default_output_with_any_json_value():
    # Output (JSONata only): "When specified, the value overrides the state output default. The
    # output field accepts any JSON value (object, array, string, number, boolean, null)."
    for value in ({"k": 1}, [1, "two"], "text", 4.5, True, None):
        definition = {
            "QueryLanguage": "JSONata",
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Output": value, "End": True}},
        }
        outcome, _, _ = execute(definition, {"ignored": 1})
        assert outcome.output == value


def test_jsonata_output_strings_in_objects_and_arrays_are_evaluated():
    # Output: "Any string value, including those inside objects or arrays, will be evaluated as
    # JSONata if surrounded by {% %} characters."
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Pass",
                "Output": {"sum": "{% $states.input.a + 1 %}", "list": ["{% $states.input.a %}", "plain"]},
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {"a": 41})
    assert outcome.output == {"sum": 42, "list": [41, "plain"]}


def test_jsonata_output_accepts_an_expression_directly():
    # Output: "Output also accepts a JSONata expression directly, for example:
    # "Output": "{% jsonata expression %}""
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Output": "{% $states.input.items[1] %}", "End": True}},
    }
    outcome, _, _ = execute(definition, {"items": ["a", "b"]})
    assert outcome.output == "b"


def test_jsonata_assign_stores_variables_for_later_states():
    # Assign (Optional): "A collection of key-value pairs to assign data to variables."
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"who": "{% $states.input.name %}"}, "Next": "B"},
            "B": {"Type": "Pass", "Output": "{% 'hello ' & $who %}", "End": True},
        },
    }
    outcome, events, _ = execute(definition, {"name": "ana"})
    assert outcome.output == "hello ana"
    assert details(events[2])["assignedVariables"] == {"who": '"ana"'}
