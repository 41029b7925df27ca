"""Choice: rules in order, Default, NoChoiceMatched, JSONata conditions with Assign."""

from tests.executions.engine.support import execute, types

DEFINITION = {
    "StartAt": "C",
    "States": {
        "C": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.n", "NumericLessThan": 0, "Next": "Negative"},
                {
                    "And": [{"Variable": "$.n", "IsPresent": True}, {"Variable": "$.n", "NumericEquals": 0}],
                    "Next": "Zero",
                },
            ],
            "Default": "Positive",
        },
        "Negative": {"Type": "Pass", "Result": "neg", "End": True},
        "Zero": {"Type": "Pass", "Result": "zero", "End": True},
        "Positive": {"Type": "Pass", "Result": "pos", "End": True},
    },
}


def test_rules_are_tried_in_order_then_default():
    assert execute(DEFINITION, {"n": -1})[0].output == "neg"
    assert execute(DEFINITION, {"n": 0})[0].output == "zero"
    assert execute(DEFINITION, {"n": 5})[0].output == "pos"


def test_choice_events_keep_the_input_as_output():
    _, events, _ = execute(DEFINITION, {"n": 5})
    assert types(events)[1:3] == ["ChoiceStateEntered", "ChoiceStateExited"]


def test_no_match_without_default_fails():
    definition = {
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "D"}]},
            "D": {"Type": "Succeed"},
        },
    }
    outcome, _, _ = execute(definition, {"n": 2})
    assert outcome.status == "FAILED"
    assert outcome.error == "States.NoChoiceMatched"


def test_jsonata_condition_and_rule_assign():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.n > 1 %}", "Assign": {"big": True}, "Next": "D"}],
                "Default": "D",
            },
            "D": {"Type": "Pass", "Output": "{% $big %}", "End": True},
        },
    }
    assert execute(definition, {"n": 2})[0].output is True


def test_a_choice_loop_counts_with_math_add():
    definition = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.count", "NumericGreaterThanEquals": 20, "Next": "Done"}],
                "Default": "Inc",
            },
            "Inc": {"Type": "Pass", "Parameters": {"count.$": "States.MathAdd($.count, 1)"}, "Next": "Check"},
            "Done": {"Type": "Succeed"},
        },
    }
    outcome, events, _ = execute(definition, {"count": 0})
    assert outcome.output == {"count": 20}
    assert types(events).count("PassStateEntered") == 20
