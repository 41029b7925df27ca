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
    with pytest.raises(EntryError, match=r"no state .* at the top level"):
        start_at(DEFINITION, state)


NESTED = json.dumps(
    {
        "QueryLanguage": "JSONPath",
        "StartAt": "Fan out",
        "States": {
            "Fan out": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                    {
                        "StartAt": "Fetch",
                        "States": {
                            "Fetch": {"Type": "Pass", "Assign": {"page": 1}, "Next": "Parse"},
                            "Parse": {"Type": "Pass", "Next": "Each"},
                            "Each": {
                                "Type": "Map",
                                "ItemProcessor": {
                                    "ProcessorConfig": {"Mode": "INLINE"},
                                    "StartAt": "Shape",
                                    "States": {
                                        "Shape": {"Type": "Pass", "Next": "Keep"},
                                        "Keep": {"Type": "Pass", "End": True},
                                    },
                                },
                                "End": True,
                            },
                        },
                    },
                ],
                "Next": "After",
            },
            "After": {"Type": "Succeed"},
        },
    }
)


def test_a_state_in_a_branch_runs_the_rest_of_its_branch():
    started = json.loads(start_at(NESTED, "Parse", {"page": 1}, ["States", "Fan out", "Branches", 1]))
    assert started["QueryLanguage"] == "JSONPath"
    assert started["StartAt"] == ENTRY
    assert list(started["States"]) == [ENTRY, "Parse", "Each"]
    assert started["States"][ENTRY] == {"Type": "Pass", "Assign": {"page": 1}, "Next": "Parse"}
    assert [d for d in validate(json.dumps(started)) if d.severity == "error"] == []


def test_a_state_in_a_maps_processor_runs_the_rest_of_the_iteration():
    within = ["States", "Fan out", "Branches", 1, "States", "Each", "ItemProcessor"]
    started = json.loads(start_at(NESTED, "Keep", None, within))
    assert started == {
        "QueryLanguage": "JSONPath",
        "StartAt": "Keep",
        "States": {"Keep": {"Type": "Pass", "End": True}},
    }
    assert [d for d in validate(json.dumps(started)) if d.severity == "error"] == []


@pytest.mark.parametrize(
    ("state", "within", "says"),
    [
        ("Parse", ["States", "Fan out", "Branches", 0], "no state 'Parse' at its branch or iteration"),
        ("Parse", ["States", "Fan out", "Branches", 5], "nothing at"),
        ("Parse", ["States", "Fan out"], "not a Parallel branch or a Map's ItemProcessor"),
        ("Parse", ["States", {"x": 1}], "nothing at"),
        ("Parse", ["States", "Fan out", "Branches", True], "nothing at"),
    ],
)
def test_a_wrong_place_is_refused_with_a_reason(state, within, says):
    with pytest.raises(EntryError, match=says):
        start_at(NESTED, state, None, within)
