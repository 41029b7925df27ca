"""AWS Step Functions Developer Guide, "Passing data between states with variables"
(workflow-variables.html): one test per statement that can be tested."""

import pytest

from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import details, execute

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def exited_assignments(events: list[dict], name: str) -> dict | None:
    exited = next(e for e in events if e["type"].endswith("StateExited") and details(e)["name"] == name)
    return details(exited).get("assignedVariables")


def test_a_variable_stored_in_one_step_is_read_in_a_later_step():
    # "Using workflow variables, you can store data in a step and retrieve that data in future
    # steps" - not only the next one: the steps in between need not pass it on.
    definition = {
        "StartAt": "Step1",
        "States": {
            "Step1": {"Type": "Pass", "Assign": {"x.$": "$.api"}, "Next": "Step2"},
            "Step2": {"Type": "Pass", "Result": "unrelated", "Next": "Step3"},
            "Step3": {"Type": "Pass", "Parameters": {"again.$": "$x"}, "End": True},
        },
    }
    outcome, events, _ = execute(definition, {"api": {"price": 3}})
    assert outcome.output == {"again": {"price": 3}}
    assert exited_assignments(events, "Step1") == {"x": '{"price":3}'}


@pytest.mark.parametrize("state_type", ["Pass", "Task", "Map", "Parallel", "Choice", "Wait"])
def test_states_that_support_assign(state_type):
    # "States that support variables": "The following state types support Assign to declare and
    # assign values to variables: Pass, Task, Map, Parallel, Choice, Wait."
    inner = {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}
    bodies = {
        "Pass": {"Type": "Pass", "Next": "Read"},
        "Task": {"Type": "Task", "Resource": ARN + "echo", "Next": "Read"},
        "Map": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": inner, "Next": "Read"},
        "Parallel": {"Type": "Parallel", "Branches": [inner], "Next": "Read"},
        "Choice": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.go", "IsPresent": True, "Next": "Read"}],
            "Default": "Read",
        },
        "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Read"},
    }
    definition = {
        "StartAt": "S",
        "States": {
            "S": {
                **bodies[state_type],
                "Assign": {"productName": "product1", "count": 42, "available": True},
            },
            "Read": {
                "Type": "Pass",
                "Parameters": {"p.$": "$productName", "c.$": "$count", "a.$": "$available"},
                "End": True,
            },
        },
    }
    outcome, _, _ = execute(definition, {"items": [1], "go": 1}, functions={"echo": lambda e, c: e})
    assert outcome.output == {"p": "product1", "c": 42, "a": True}


@pytest.mark.parametrize("state_type", ["Succeed", "Fail"])
def test_succeed_and_fail_do_not_take_assign(state_type):
    # Succeed and Fail are not among the states that support Assign: a definition with one is
    # rejected.
    definition = {"StartAt": "S", "States": {"S": {"Type": state_type, "Assign": {"x": 1}}}}
    assert errors(definition)


def test_reference_a_variable_with_a_dollar_sign():
    # "To reference a variable, prepend the name with a dollar sign ($), for example, $productName."
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"productName": "product1"}, "Next": "B"},
            "B": {"Type": "Pass", "Output": "{% $productName %}", "End": True},
        },
    }
    assert execute(definition, {})[0].output == "product1"


def test_states_is_reserved():
    # "Reserved variable: $states": "Step Functions defines a single reserved variable called
    # $states": in a JSONata state $states is always that structure, whatever a state assigned.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"states": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Output": "{% $states.input %}", "End": True},
        },
    }
    assert execute(definition, {"a": 1})[0].output == {"a": 1}


def test_states_input_always_refers_to_the_original_state_input():
    # "When a state is entered, Step Functions assigns the state input to $states.input ...
    # $states.input always refers to the original state input", even in Output and Assign after
    # a Task's result.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "echo",
                "Arguments": {"other": 1},
                "Assign": {"seen": "{% $states.input %}", "res": "{% $states.result %}"},
                "Output": {"input": "{% $states.input %}", "result": "{% $states.result %}"},
                "End": True,
            }
        },
    }
    outcome, events, _ = execute(definition, {"orig": True}, functions={"echo": lambda e, c: e})
    assert outcome.output == {"input": {"orig": True}, "result": {"other": 1}}
    assert exited_assignments(events, "T") == {"seen": '{"orig":true}', "res": '{"other":1}'}


def test_assign_expressions_see_the_values_from_before_the_state():
    # "Evaluation order of Assign": every expression in a state's Assign is evaluated with the
    # variable values the state was entered with, and only then are the variables assigned: two
    # variables can swap.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
            "Swap": {"Type": "Pass", "Assign": {"x": "{% $y %}", "y": "{% $x %}"}, "Next": "Read"},
            "Read": {"Type": "Pass", "Output": ["{% $x %}", "{% $y %}"], "End": True},
        },
    }
    assert execute(definition, {})[0].output == [2, 1]


def test_output_and_paths_see_variables_from_before_the_state():
    # "Evaluation order": a state's own Assign takes effect after its fields are evaluated: here
    # InputPath and OutputPath read $answer as it was (recorded: assign/BASE_EVALUATION_ORDER).
    definition = {
        "StartAt": "State0",
        "States": {
            "State0": {"Type": "Pass", "Assign": {"answer": 42}, "Next": "State1"},
            "State1": {
                "Type": "Pass",
                "InputPath": "$answer",
                "ResultPath": "$.theAnswer",
                "OutputPath": "$answer",
                "Assign": {"answer": "<omitted>"},
                "End": True,
            },
        },
    }
    assert execute(definition, {})[0].output == 42


def test_jsonpath_assign_reads_the_state_result():
    # "Assign" in JSONPath states: keys ending ".$" take a path evaluated against the state's
    # result ($), e.g. a Pass state's Result (recorded: assign/BASE_ASSIGN_FROM_RESULT).
    definition = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Pass",
                "Result": {"answer": 42},
                "Assign": {"theAnswer.$": "$.answer"},
                "Next": "B",
            },
            "B": {"Type": "Pass", "Parameters": {"a.$": "$theAnswer"}, "End": True},
        },
    }
    assert execute(definition, {})[0].output == {"a": 42}


def test_jsonpath_assign_may_use_intrinsics_and_the_context():
    # Assign values in JSONPath states are "static values, paths, intrinsic functions or the
    # Context object".
    definition = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Pass",
                "Assign": {"sum.$": "States.MathAdd($.a, 1)", "state.$": "$$.State.Name", "fixed": [1]},
                "Next": "B",
            },
            "B": {
                "Type": "Pass",
                "Parameters": {"s.$": "$sum", "n.$": "$state", "f.$": "$fixed"},
                "End": True,
            },
        },
    }
    assert execute(definition, {"a": 1})[0].output == {"s": 2, "n": "A", "f": [1]}


def test_inner_workflows_read_outer_variables():
    # "Variable scope": states in a Parallel branch or an inline Map iteration can read the
    # variables of the outer scope (recorded: assign/BASE_SCOPE_MAP, BASE_SCOPE_PARALLEL).
    read = {"StartAt": "R", "States": {"R": {"Type": "Pass", "Parameters": {"x.$": "$x"}, "End": True}}}
    definition = {
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"x": 42}, "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [read], "Next": "M"},
            "M": {"Type": "Map", "ItemsPath": "$", "ItemProcessor": read, "End": True},
        },
    }
    outcome, _, _ = execute(definition, {})
    assert outcome.output == [{"x": 42}]


def test_variables_assigned_inside_are_not_visible_outside():
    # "Variable scope": a variable assigned in a Parallel branch or Map iteration belongs to that
    # inner scope; the outer workflow does not see it.
    inner = {"StartAt": "I", "States": {"I": {"Type": "Pass", "Assign": {"inner": 1}, "End": True}}}
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {
            "P": {"Type": "Parallel", "Branches": [inner], "Next": "Read"},
            "Read": {"Type": "Pass", "Output": "{% $exists($inner) %}", "End": True},
        },
    }
    assert execute(definition, {})[0].output is False


def test_parallel_and_map_assign_from_their_result():
    # "Passing data ... with variables": Assign on a Map or Parallel state itself may use
    # $states.result, the array of branch/iteration outputs (JSONata).
    inner = {
        "StartAt": "I",
        "States": {"I": {"Type": "Pass", "Output": "{% $states.input * 2 %}", "End": True}},
    }
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "Items": [1, 2],
                "ItemProcessor": inner,
                "Assign": {"total": "{% $sum($states.result) %}"},
                "Next": "R",
            },
            "R": {"Type": "Pass", "Output": "{% $total %}", "End": True},
        },
    }
    assert execute(definition, {})[0].output == 6


def test_assign_of_a_failed_state_is_not_applied_but_the_catchers_is():
    # "Assign in a Catch": when a state fails and a catcher handles the error, the catcher's Assign
    # applies (with $states.errorOutput), not the state's own.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN + "boom",
                "Assign": {"state": "ran"},
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Assign": {"caught": "{% $states.errorOutput.Error %}"},
                        "Next": "R",
                    }
                ],
                "End": True,
            },
            "R": {
                "Type": "Pass",
                "Output": {"caught": "{% $caught %}", "state": "{% $exists($state) %}"},
                "End": True,
            },
        },
    }

    def boom(event, context):
        raise KeyError("k")

    outcome, _, _ = execute(definition, {}, functions={"boom": boom})
    assert outcome.output == {"caught": "KeyError", "state": False}


def test_undefined_variable_reference_fails():
    # Referencing a variable that was never assigned: JSONPath "$nope" is a runtime error
    # (recorded: assign/test_undefined_reference).
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$nope"}, "End": True}},
    }
    outcome, _, _ = execute(definition, {})
    assert outcome.status == "FAILED"
