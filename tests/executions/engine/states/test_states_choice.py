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


JSONATA_OUTPUT = {
    "QueryLanguage": "JSONata",
    "StartAt": "C",
    "States": {
        "C": {
            "Type": "Choice",
            "Choices": [
                {
                    "Condition": "{% $states.input.condition %}",
                    "Next": "T",
                    "Output": "{% 'rule saw ' & $string($states.input.n) %}",
                    "Assign": {"picked": "rule"},
                }
            ],
            "Default": "D",
            "Output": "Default Output block",
        },
        "T": {"Type": "Pass", "Output": "{% [$states.input, $picked] %}", "End": True},
        "D": {"Type": "Pass", "End": True},
    },
}


def test_a_matching_jsonata_rule_gives_its_own_output_and_assign():
    """Developer guide, "Choice workflow state", Choice Rules (JSONata): a rule may Assign when
    it matches; its Output replaces the state's (the state's Output when no rule matches is
    recorded on AWS: conformance output/test_output_in_choice-CONDITION_FALSE)."""
    outcome, events, _ = execute(JSONATA_OUTPUT, {"condition": True, "n": 7})
    assert outcome.output == ["rule saw 7", "rule"]
    exited = next(e for e in events if e["type"] == "ChoiceStateExited")["stateExitedEventDetails"]
    assert exited["output"] == '"rule saw 7"'
    assert exited["assignedVariables"] == {"picked": '"rule"'}
    assert execute(JSONATA_OUTPUT, {"condition": False, "n": 7})[0].output == "Default Output block"
