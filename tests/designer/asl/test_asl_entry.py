"""Run from here: a definition started at one of its states, what it cannot reach left out, the
variables of the run assigned again first. The result passes the same validation AWS applies."""

import json

import pytest

from designer.asl.entry import ENTRY, EntryError, start_at
from designer.asl.validate import validate

DEFINITION = json.dumps(
    {
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Assign": {"attempt": 1}, "Next": "Charge"},
            "Charge": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Done"}],
                "Default": "Charge",
            },
            "Done": {"Type": "Succeed"},
            "Failed": {"Type": "Fail", "Error": "E"},
            "Unused": {"Type": "Pass", "End": True},
        },
    }
)


def test_starts_at_the_state_and_keeps_what_it_reaches():
    started = json.loads(start_at(DEFINITION, "Charge"))
    assert started["StartAt"] == "Charge"
    assert list(started["States"]) == ["Charge", "Check", "Done", "Failed"]
    assert [d for d in validate(json.dumps(started)) if d.severity == "error"] == []


def test_variables_are_assigned_again_before_it():
    started = json.loads(start_at(DEFINITION, "Check", {"attempt": 2, "customer": {"id": 7}}))
    assert started["StartAt"] == ENTRY
    assert started["States"][ENTRY] == {
        "Type": "Pass",
        "Assign": {"attempt": 2, "customer": {"id": 7}},
        "Next": "Check",
    }
    assert list(started["States"]) == [ENTRY, "Charge", "Check", "Done", "Failed"]
    assert [d for d in validate(json.dumps(started)) if d.severity == "error"] == []


@pytest.mark.parametrize("state", ["Nowhere", "States"])
def test_an_unknown_state_is_refused(state):
    with pytest.raises(EntryError, match="no top-level state"):
        start_at(DEFINITION, state)
