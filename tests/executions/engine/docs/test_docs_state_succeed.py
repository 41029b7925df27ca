"""AWS Step Functions Developer Guide, "Succeed workflow state" (state-succeed.html)."""

from tests.executions.engine.support import execute, types


def test_succeed_stops_the_execution_successfully():
    # "A Succeed state ("Type": "Succeed") either terminates a state machine successfully, ends a
    # branch of a Parallel state, or ends an iteration of a Map state."
    definition = {
        "StartAt": "S",
        "States": {"S": {"Type": "Succeed"}, "Never": {"Type": "Pass", "End": True}},
    }
    outcome, events, _ = execute(definition, {"a": 1})
    assert outcome.status == "SUCCEEDED"
    assert outcome.output == {"a": 1}
    assert types(events) == [
        "ExecutionStarted",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]


def test_succeed_ends_a_parallel_branch_and_a_map_iteration_only():
    # "...ends a branch of a Parallel state, or ends an iteration of a Map state": the outer
    # workflow carries on.
    done = {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}
    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Parallel", "Branches": [done], "Next": "M"},
            "M": {"Type": "Map", "ItemProcessor": done, "Next": "After"},
            "After": {"Type": "Pass", "Result": "after", "ResultPath": "$[0]", "End": True},
        },
    }
    outcome, _, _ = execute(definition, [1])
    assert outcome.status == "SUCCEEDED"
    assert outcome.output == ["after"]


def test_succeed_filters_with_input_path_and_output_path():
    # "Because Succeed states are terminal states, they have no Next field ... " - they do allow
    # InputPath and OutputPath (JSONPath), "a useful target for Choice state branches that don't
    # do anything but stop the execution".
    definition = {
        "StartAt": "S",
        "States": {"S": {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}},
    }
    outcome, _, _ = execute(definition, {"a": {"b": 2}})
    assert outcome.output == 2


def test_jsonata_succeed_output():
    # Succeed (JSONata): Output may shape the final output.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "S",
        "States": {"S": {"Type": "Succeed", "Output": {"done": "{% $states.input.n %}"}}},
    }
    outcome, _, _ = execute(definition, {"n": 5})
    assert outcome.output == {"done": 5}
