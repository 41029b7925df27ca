"""AWS Step Functions Developer Guide, "Manipulate parameters in Step Functions workflows"
(input-output-inputpath-params.html): InputPath, Parameters, ResultSelector, with the page's
examples."""

from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import execute, info

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def pass_state(**fields) -> dict:
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", **fields, "End": True}}}


def test_input_path_selects_a_portion_of_the_input():
    # "InputPath": the page's example input and "InputPath": "$.dataset2".
    state_input = {
        "comment": "Example for InputPath.",
        "dataset1": {"val1": 1, "val2": 2, "val3": 3},
        "dataset2": {"val1": "a", "val2": "b", "val3": "c"},
    }
    outcome, _, _ = execute(pass_state(InputPath="$.dataset2"), state_input)
    assert outcome.output == {"val1": "a", "val2": "b", "val3": "c"}


def test_a_path_can_yield_a_selection_of_values():
    # Note: "A path can yield a selection of values." Example: {"a": [1, 2, 3, 4]} with the path
    # "$.a[0:2]" gives [1, 2].
    outcome, _, _ = execute(pass_state(InputPath="$.a[0:2]"), {"a": [1, 2, 3, 4]})
    assert outcome.output == [1, 2]


def test_input_path_is_applied_before_parameters():
    # "AWS Step Functions applies the InputPath field first, and then the Parameters field."
    outcome, _, _ = execute(
        pass_state(InputPath="$.inner", Parameters={"v.$": "$.v"}), {"inner": {"v": 1}, "v": 2}
    )
    assert outcome.output == {"v": 1}


def test_parameters_example():
    # "Parameters": the page's product example; keys ending in ".$" take a path, others are static.
    state_input = {
        "comment": "Example for Parameters.",
        "product": {
            "details": {"color": "blue", "size": "small", "material": "cotton"},
            "availability": "in stock",
            "sku": "2317",
            "cost": "$23",
        },
    }
    parameters = {
        "comment": "Selecting what I care about.",
        "MyDetails": {
            "size.$": "$.product.details.size",
            "exists.$": "$.product.availability",
            "StaticValue": "foo",
        },
    }
    outcome, _, _ = execute(pass_state(Parameters=parameters), state_input)
    assert outcome.output == {
        "comment": "Selecting what I care about.",
        "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"},
    }


def test_parameters_can_read_the_context_object():
    # "Parameters and the Context object": "$$." selects from the Context object, e.g.
    # "MyExecutionId.$": "$$.Execution.Id".
    outcome, _, _ = execute(pass_state(Parameters={"MyExecutionId.$": "$$.Execution.Id"}), {})
    assert outcome.output == {"MyExecutionId": info().execution_arn}


def test_parameters_path_that_selects_nothing_fails_the_execution():
    # "Handling errors" names this failure States.ParameterPathFailure ("Within a state's Parameters
    # field, the attempt to replace a field whose name ends in .$ using a path failed"); the
    # recordings disagree and win: AWS fails the execution with States.Runtime (conformance
    # scenarios_jsonata/test_invalid_jsonpath-INVALID_JSONPATH_IN_STRING_EXPR_CONTEXTPATH).
    outcome, _, _ = execute(pass_state(Parameters={"x.$": "$.missing"}), {})
    assert outcome.status == "FAILED"
    assert outcome.error == "States.Runtime"
    assert "$.missing" in outcome.cause


def test_a_dollar_key_needs_a_path_or_an_intrinsic():
    # "...specify .$ in the key value ... the value must be a path or an intrinsic function":
    # a plain string is rejected when the definition is validated.
    definition = pass_state(Parameters={"x.$": "nope"})
    assert any(line.startswith("/States/P/Parameters") for line in errors(definition))


def test_result_selector_example():
    # "ResultSelector": the page's EMR createCluster.sync result, with "ClusterId.$":
    # "$.output.ClusterId" and "ResourceType.$": "$.resourceType", placed by "ResultPath":
    # "$.EMROutput" into the input.
    result = {
        "resourceType": "elasticmapreduce",
        "resource": "createCluster.sync",
        "output": {
            "SdkHttpMetadata": {"HttpHeaders": {"Content-Length": "1112"}, "HttpStatusCode": 200},
            "SdkResponseMetadata": {"RequestId": "1234-5678-9012"},
            "ClusterId": "AKIAIOSFODNN7EXAMPLE",
        },
    }
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "emr",
                "ResultSelector": {"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"},
                "ResultPath": "$.EMROutput",
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {"cluster": "c"}, functions={"emr": lambda e, c: result})
    assert outcome.output == {
        "cluster": "c",
        "EMROutput": {"ClusterId": "AKIAIOSFODNN7EXAMPLE", "ResourceType": "elasticmapreduce"},
    }


def test_result_selector_flattens_an_array_of_arrays():
    # "Example: Flattening an array of arrays": with a Parallel or Map state, "ResultSelector":
    # {"flattened.$": "$[*][*]"} turns the array of branch results (each an array) into one array.
    def branch(values: list) -> dict:
        return {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": values, "End": True}}}

    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [branch([{"n": 1}, {"n": 2}]), branch([{"n": 3}])],
                "ResultSelector": {"flattened.$": "$[*][*]"},
                "End": True,
            }
        },
    }
    outcome, _, _ = execute(definition, {})
    assert outcome.output == {"flattened": [{"n": 1}, {"n": 2}, {"n": 3}]}


def test_input_path_null_gives_an_empty_object():
    # "Using JSONPath paths" / "InputPath": "If InputPath is null, the state's input is an empty
    # object {}" ("the raw input is discarded, and the effective input for the state is an empty
    # JSON object").
    outcome, _, _ = execute(pass_state(InputPath=None), {"a": 1})
    assert outcome.output == {}
