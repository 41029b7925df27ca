"""Parallel: branch outputs in branch order, the id tree, a failing branch, Retry/Catch."""

import itertools

from tests.executions.engine.support import chain, execute, types


def branch(*names):
    states = {n: {"Type": "Pass", "Next": m} for n, m in itertools.pairwise(names)}
    states[names[-1]] = {"Type": "Pass", "End": True}
    return {"StartAt": names[0], "States": states}


def test_outputs_come_in_branch_order_and_events_form_aws_tree():
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    branch("A"),
                    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 2, "End": True}}},
                ],
                "End": True,
            }
        },
    }
    outcome, events, _ = execute(definition, {"x": 1})
    assert outcome.output == [{"x": 1}, 2]
    ids = chain(events)
    assert ids[:3] == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "ParallelStateEntered"),
        (3, 2, "ParallelStateStarted"),
    ]
    # each branch's first state points at ParallelStateStarted
    entered = [e for e in events if e["type"] == "PassStateEntered"]
    assert {e["previousEventId"] for e in entered} == {3}
    succeeded = next(e for e in events if e["type"] == "ParallelStateSucceeded")
    exited = next(e for e in events if e["type"] == "ParallelStateExited")
    assert succeeded["previousEventId"] == exited["previousEventId"] == succeeded["id"] - 1


def test_a_failing_branch_fails_the_state_with_its_error_and_catch_handles_it():
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    branch("A", "B"),
                    {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom"}}},
                ],
                "Catch": [{"ErrorEquals": ["Boom"], "ResultPath": "$.err", "Next": "H"}],
                "End": True,
            },
            "H": {"Type": "Pass", "End": True},
        },
    }
    outcome, events, _ = execute(definition, {})
    assert outcome.output == {"err": {"Error": "Boom"}}
    assert "ParallelStateFailed" in types(events)
    assert types(events)[-4:] == [
        "ParallelStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_retry_runs_every_branch_again():
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom"}}}],
                "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 2}],
                "End": True,
            }
        },
    }
    outcome, events, _ = execute(definition, {})
    assert outcome.error == "Boom"
    assert types(events).count("ParallelStateStarted") == 3
    assert types(events).count("ParallelStateFailed") == 1
