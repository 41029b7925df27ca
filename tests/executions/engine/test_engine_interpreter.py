"""The life order and scoping the interpreter owns."""

import pytest

from executions.engine.interpreter import InvalidExecutionInput
from tests.executions.engine.support import details, execute


def test_input_that_is_not_json_is_refused():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    with pytest.raises(InvalidExecutionInput):
        execute(definition, input_text="{not json")


def test_branch_variables_stay_in_the_branch_and_outer_ones_are_visible():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"outer": 1, "x": "out"}, "Next": "P"},
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "B",
                        "States": {
                            "B": {"Type": "Pass", "Assign": {"x": "in"}, "Next": "C"},
                            "C": {
                                "Type": "Pass",
                                "Output": {"outer": "{% $outer %}", "x": "{% $x %}"},
                                "End": True,
                            },
                        },
                    }
                ],
                "Next": "After",
            },
            "After": {
                "Type": "Pass",
                "Output": {"x": "{% $x %}", "branch": "{% $states.input %}"},
                "End": True,
            },
        },
    }
    outcome, _, _ = execute(definition, {})
    assert outcome.output == {"x": "out", "branch": [{"outer": 1, "x": "in"}]}


def test_first_state_records_the_input_text_as_sent_and_later_states_compact_json():
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}},
    }
    _, events, _ = execute(definition, input_text='{"a": [1, 2]}')
    assert details(events[0])["input"] == '{"a": [1, 2]}'
    assert details(events[1])["input"] == '{"a": [1, 2]}'
    assert details(events[3])["input"] == '{"a":[1,2]}'
