"""AWS Step Functions Developer Guide, "Choice workflow state" (state-choice.html): one test per
statement that can be tested. Where the page is silent (a comparison against a value of another
type), the recorded cases (conformance category choice_operators) decide."""

import pytest

from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import details, execute, types


def choose(rule: dict, value, *, default: bool = True):
    """Run a Choice whose one rule leads to "Yes" (output "yes") and whose Default is "No"."""
    choice = {"Type": "Choice", "Choices": [{**rule, "Next": "Yes"}]}
    if default:
        choice["Default"] = "No"
    definition = {
        "StartAt": "C",
        "States": {
            "C": choice,
            "Yes": {"Type": "Pass", "Result": "yes", "End": True},
            "No": {"Type": "Pass", "Result": "no", "End": True},
        },
    }
    return execute(definition, value)


def matches(rule: dict, value) -> bool:
    outcome, _, _ = choose(rule, value)
    assert outcome.status == "SUCCEEDED", (outcome.error, outcome.cause)
    return outcome.output == "yes"


def test_rules_are_examined_in_order_and_the_first_match_wins():
    # "Step Functions examines each of the Choice Rules in the order listed in the Choices field.
    # Then it transitions to the state specified in the Next field of the first Choice Rule in
    # which the variable matches the value according to the comparison operator."
    definition = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
                    {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Positive"},
                    {"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"},
                ],
                "Default": "Other",
            },
            "Big": {"Type": "Pass", "Result": "big", "End": True},
            "Positive": {"Type": "Pass", "Result": "positive", "End": True},
            "Other": {"Type": "Pass", "Result": "other", "End": True},
        },
    }
    assert execute(definition, {"n": 7})[0].output == "positive"
    assert execute(definition, {"n": 11})[0].output == "big"
    assert execute(definition, {"n": -1})[0].output == "other"


def test_default_is_taken_when_no_rule_matches():
    # Default: "The name of the state to transition to if none of the transitions in Choices is taken."
    assert not matches({"Variable": "$.s", "StringEquals": "x"}, {"s": "y"})


def test_no_match_and_no_default_fails_with_states_no_choice_matched():
    # Default: "If no Choices match and no Default is provided, the execution fails with the error
    # States.NoChoiceMatched" (also "Handling errors", error names).
    outcome, events, _ = choose({"Variable": "$.s", "StringEquals": "x"}, {"s": "y"}, default=False)
    assert outcome.status == "FAILED"
    assert outcome.error == "States.NoChoiceMatched"
    assert types(events)[-2:] == ["ChoiceStateEntered", "ExecutionFailed"]


def test_choice_passes_its_input_to_the_chosen_state():
    # A Choice state does no work: the next state receives its (InputPath/OutputPath filtered) input.
    definition = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "InputPath": "$.in",
                "Choices": [{"Variable": "$.go", "BooleanEquals": True, "Next": "Done"}],
            },
            "Done": {"Type": "Succeed"},
        },
    }
    outcome, events, _ = execute(definition, {"in": {"go": True, "x": 1}, "other": 2})
    assert outcome.output == {"go": True, "x": 1}
    assert types(events) == [
        "ExecutionStarted",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        # "Choice Rules": the example rules, each with a matching and a non-matching input.
        ({"Variable": "$.type", "StringEquals": "Private"}, {"type": "Private"}, True),
        ({"Variable": "$.type", "StringEquals": "Private"}, {"type": "private"}, False),
        ({"Variable": "$.value", "NumericEquals": 0}, {"value": 0.0}, True),
        ({"Variable": "$.value", "NumericLessThan": 20}, {"value": 19.5}, True),
        ({"Variable": "$.value", "NumericGreaterThanEquals": 20}, {"value": 20}, True),
        ({"Variable": "$.value", "NumericLessThanEquals": 20}, {"value": 21}, False),
        ({"Variable": "$.value", "NumericGreaterThan": 20}, {"value": 20}, False),
        ({"Variable": "$.s", "StringLessThan": "b"}, {"s": "a"}, True),
        ({"Variable": "$.s", "StringGreaterThan": "b"}, {"s": "a"}, False),
        ({"Variable": "$.s", "StringLessThanEquals": "b"}, {"s": "b"}, True),
        ({"Variable": "$.s", "StringGreaterThanEquals": "b"}, {"s": "c"}, True),
        ({"Variable": "$.b", "BooleanEquals": False}, {"b": False}, True),
        ({"Variable": "$.t", "TimestampEquals": "2001-01-01T12:00:00Z"}, {"t": "2001-01-01T12:00:00Z"}, True),
        (
            {"Variable": "$.t", "TimestampLessThan": "2001-01-01T12:00:00Z"},
            {"t": "2001-01-01T11:59:59Z"},
            True,
        ),
        (
            {"Variable": "$.t", "TimestampGreaterThan": "2001-01-01T12:00:00Z"},
            {"t": "2001-01-01T11:00:00Z"},
            False,
        ),
        (
            {"Variable": "$.t", "TimestampLessThanEquals": "2001-01-01T12:00:00Z"},
            {"t": "2001-01-01T12:00:00Z"},
            True,
        ),
        (
            {"Variable": "$.t", "TimestampGreaterThanEquals": "2001-01-01T12:00:00Z"},
            {"t": "2002-01-01T00:00:00Z"},
            True,
        ),
    ],
)
def test_comparison_operators(rule, value, expected):
    # "Choice Rules": the comparison operators, each comparing Variable with a value.
    assert matches(rule, value) is expected


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("NumericEqualsPath", {"a": 3, "b": 3}, True),
        ("NumericLessThanPath", {"a": 2, "b": 3}, True),
        ("StringEqualsPath", {"a": "x", "b": "y"}, False),
        ("BooleanEqualsPath", {"a": True, "b": True}, True),
        ("TimestampLessThanPath", {"a": "2020-01-01T00:00:00Z", "b": "2021-01-01T00:00:00Z"}, True),
    ],
)
def test_path_operators_compare_with_a_value_selected_from_the_input(operator, value, expected):
    # "Choice Rules": "...Path" operators compare "the value of Variable to a value selected from
    # the state input using a path", e.g. "NumericLessThanPath": "$.value".
    assert matches({"Variable": "$.a", operator: "$.b"}, value) is expected


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("IsNull", None, True),
        ("IsNull", 0, False),
        ("IsNumeric", 1.5, True),
        ("IsNumeric", "1.5", False),
        ("IsString", "x", True),
        ("IsString", 1, False),
        ("IsBoolean", False, True),
        ("IsBoolean", "false", False),
        ("IsTimestamp", "2016-03-14T01:59:00Z", True),
        ("IsTimestamp", "2016-03-14", False),
    ],
)
def test_type_tests(operator, value, expected):
    # "Choice Rules": IsNull, IsNumeric, IsString, IsBoolean, IsTimestamp test the type of Variable.
    assert matches({"Variable": "$.v", operator: True}, {"v": value}) is expected


def test_is_present_tests_whether_the_field_exists():
    # "IsPresent": true when the field selected by Variable is present in the input.
    assert matches({"Variable": "$.v", "IsPresent": True}, {"v": None}) is True
    assert matches({"Variable": "$.v", "IsPresent": True}, {}) is False
    assert matches({"Variable": "$.v", "IsPresent": False}, {}) is True


def test_a_missing_variable_with_another_operator_fails_the_execution():
    # Silent on the page; recorded (choice_operators): a Variable that selects nothing is a runtime
    # error for every operator but IsPresent.
    outcome, _, _ = choose({"Variable": "$.nope", "StringEquals": "x"}, {})
    assert outcome.error == "States.Runtime"


def test_a_value_of_another_type_simply_does_not_match():
    # Silent on the page; recorded (choice_operators): StringEquals against a number, NumericEquals
    # against a string and BooleanEquals against 0 are false, not errors.
    assert matches({"Variable": "$.v", "StringEquals": "1"}, {"v": 1}) is False
    assert matches({"Variable": "$.v", "NumericEquals": 1}, {"v": "1"}) is False
    assert matches({"Variable": "$.v", "BooleanEquals": False}, {"v": 0}) is False


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        # "StringMatches": "*.log" matches "log" files; "*" matches zero or more characters.
        ("*.log", "app.log", True),
        ("*.log", "app.txt", False),
        ("log-*.txt", "log-2024-10-15.txt", True),
        ("*", "", True),
        ("a*b*c", "aXXbYYc", True),
        # "To match a literal *, escape it with a backslash": "\\*" in JSON.
        ("file\\*.txt", "file*.txt", True),
        ("file\\*.txt", "fileX.txt", False),
        # "...and a literal backslash with \\\\".
        ("C:\\\\dir", "C:\\dir", True),
    ],
)
def test_string_matches_wildcards(pattern, value, expected):
    # "StringMatches": "Matches a string with the wildcard *"; other characters match themselves.
    assert matches({"Variable": "$.v", "StringMatches": pattern}, {"v": value}) is expected


def test_and_or_not_combine_rules():
    # "Choice Rules": "And", "Or" and "Not" build rules from other rules, with no Next of their own.
    rule = {
        "And": [
            {"Variable": "$.value", "IsPresent": True},
            {"Variable": "$.value", "NumericGreaterThanEquals": 20},
            {"Not": {"Variable": "$.value", "NumericEquals": 25}},
            {
                "Or": [
                    {"Variable": "$.kind", "StringEquals": "a"},
                    {"Variable": "$.kind", "StringEquals": "b"},
                ]
            },
        ]
    }
    assert matches(rule, {"value": 30, "kind": "b"}) is True
    assert matches(rule, {"value": 25, "kind": "b"}) is False
    assert matches(rule, {"value": 30, "kind": "c"}) is False
    assert matches(rule, {"value": 10, "kind": "a"}) is False


def test_choice_rule_variable_may_select_from_the_context_object():
    # "Accessing execution data from the Context object": JSONPath states can refer to the context
    # ($$.) from "Variable (in Choice states)".
    assert matches({"Variable": "$$.State.Name", "StringEquals": "C"}, {}) is True


def test_jsonata_condition_chooses_the_next_state():
    # JSONata Choice rules: "Condition": a JSONata expression that evaluates to true or false.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.n > 10 %}", "Next": "Big"}],
                "Default": "Small",
            },
            "Big": {"Type": "Pass", "Output": "big", "End": True},
            "Small": {"Type": "Pass", "Output": "small", "End": True},
        },
    }
    assert execute(definition, {"n": 11})[0].output == "big"
    assert execute(definition, {"n": 1})[0].output == "small"


def test_jsonata_condition_that_is_not_a_boolean_fails():
    # "Condition ... must evaluate to a boolean": anything else is States.QueryEvaluationError.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [{"Condition": "{% 'yes' %}", "Next": "D"}], "Default": "D"},
            "D": {"Type": "Succeed"},
        },
    }
    outcome, _, _ = execute(definition, {})
    assert outcome.error == "States.QueryEvaluationError"


def test_jsonata_rule_output_and_assign_apply_when_that_rule_matches():
    # "Choice Rules (JSONata)": "Assign field (Optional) - assigns variables when this specific choice
    # rule matches ... You can also specify an Assign block at the state level, which applies
    # regardless of which choice rule matches." A matching rule's Output replaces the state's
    # (silent on the page; recorded: conformance output/test_output_in_choice).
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [
                    {
                        "Condition": "{% $states.input.n > 0 %}",
                        "Assign": {"sign": "positive"},
                        "Output": {"n": "{% $states.input.n %}", "rule": 1},
                        "Next": "D",
                    }
                ],
                "Default": "D",
                "Assign": {"visited": True},
                "Output": {"rule": "default"},
            },
            "D": {
                "Type": "Pass",
                "Output": {"in": "{% $states.input %}", "sign": "{% $exists($sign) ? $sign : 'none' %}"},
                "End": True,
            },
        },
    }
    outcome, events, _ = execute(definition, {"n": 3})
    assert outcome.output == {"in": {"n": 3, "rule": 1}, "sign": "positive"}
    assert details(events[2])["assignedVariables"] == {"sign": '"positive"', "visited": "true"}
    outcome, events, _ = execute(definition, {"n": -3})
    assert outcome.output == {"in": {"rule": "default"}, "sign": "none"}
    assert details(events[2])["assignedVariables"] == {"visited": "true"}


def test_jsonpath_rule_assign_applies_when_that_rule_matches():
    # "Passing data between states with variables": Choice is one of the states that support Assign;
    # a rule's Assign applies when it matches, the state's Assign whichever way the state goes.
    definition = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "D", "Assign": {"rule": "pos"}}
                ],
                "Default": "E",
                "Assign": {"seen.$": "$.n"},
            },
            "D": {"Type": "Pass", "Parameters": {"rule.$": "$rule", "seen.$": "$seen"}, "End": True},
            "E": {"Type": "Pass", "Parameters": {"seen.$": "$seen"}, "End": True},
        },
    }
    assert execute(definition, {"n": 1})[0].output == {"rule": "pos", "seen": 1}
    assert execute(definition, {"n": 0})[0].output == {"seen": 0}


def test_choice_states_do_not_support_end():
    # Important: "Choice states do not support the End field. In addition, they use Next only
    # inside their Choices field."
    definition = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.a", "IsNull": True, "Next": "D"}],
                "End": True,
            },
            "D": {"Type": "Succeed"},
        },
    }
    assert errors(definition)
    definition["States"]["C"].pop("End")
    definition["States"]["C"]["Next"] = "D"
    assert errors(definition)


def test_choices_must_hold_at_least_one_rule():
    # Choices (Required): "You must define at least one rule in the Choice state."
    definition = {
        "StartAt": "C",
        "States": {"C": {"Type": "Choice", "Choices": [], "Default": "D"}, "D": {"Type": "Succeed"}},
    }
    assert errors(definition)


def test_the_top_level_rule_needs_next_and_nested_rules_may_not_have_one():
    # "Choice Rules (JSONPath)": a top-level rule has a Next; the rules inside And, Or and Not
    # do not.
    missing = {"Variable": "$.a", "IsNull": True}
    nested_next = {"Not": {"Variable": "$.a", "IsNull": True, "Next": "D"}, "Next": "D"}
    for rule in (missing, nested_next):
        definition = {
            "StartAt": "C",
            "States": {"C": {"Type": "Choice", "Choices": [rule]}, "D": {"Type": "Succeed"}},
        }
        assert errors(definition), rule
