"""AWS Step Functions Developer Guide, "State machine structure in Amazon States Language for
Step Functions workflows" (statemachine-structure.html) and its "Common state fields"."""

from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import execute, types


def test_execution_starts_at_start_at():
    # "StartAt (Required): A string that must exactly match (is case sensitive) the name of a
    # state object." The execution begins there, whatever the order of States.
    definition = {
        "StartAt": "Second",
        "States": {
            "First": {"Type": "Pass", "Result": 1, "End": True},
            "Second": {"Type": "Pass", "Result": 2, "End": True},
        },
    }
    assert execute(definition, {})[0].output == 2


def test_start_at_must_name_a_state_case_sensitively():
    # "...must exactly match (is case sensitive) the name of a state object".
    assert errors({"StartAt": "first", "States": {"First": {"Type": "Pass", "End": True}}})


def test_next_transitions_and_end_terminates():
    # "Next: The name of the next state that is run when the current state finishes."
    # "End: Designates this state as a terminal state (ends the execution) if set to true."
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Result": ["A"], "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"seen.$": "States.Array($[0], 'B')"}, "End": True},
        },
    }
    outcome, events, _ = execute(definition, {})
    assert outcome.output == {"seen": ["A", "B"]}
    assert types(events)[-1] == "ExecutionSucceeded"


def test_a_state_needs_next_or_end():
    # "Common state fields": "There can be any number of terminal states ... Every state other than
    # Choice, Succeed and Fail has either Next or End".
    assert errors({"StartAt": "A", "States": {"A": {"Type": "Pass"}}})
    assert errors({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A", "End": True}}})


def test_next_must_name_a_state():
    # "Next ... must exactly match (is case sensitive) the name of a state".
    assert errors({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})


def test_comment_and_version_do_not_change_the_run():
    # "Comment (Optional): A human-readable description"; "Version (Optional): The version of the
    # Amazon States Language used ... default is 1.0".
    definition = {
        "Comment": "An example",
        "Version": "1.0",
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Comment": "a state", "End": True}},
    }
    assert execute(definition, {"k": 1})[0].output == {"k": 1}


def test_state_names_are_at_most_80_characters():
    # "State names ... must be unique within the state machine and no longer than 80 characters".
    assert not errors({"StartAt": "a" * 80, "States": {"a" * 80: {"Type": "Pass", "End": True}}})
    assert errors({"StartAt": "a" * 81, "States": {"a" * 81: {"Type": "Pass", "End": True}}})


def test_unknown_state_type_is_rejected():
    # "Type (Required): The state's type" - one of Task, Parallel, Map, Pass, Wait, Choice,
    # Succeed, Fail.
    assert errors({"StartAt": "A", "States": {"A": {"Type": "Sleep", "End": True}}})
