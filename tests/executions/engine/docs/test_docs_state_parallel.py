"""AWS Step Functions Developer Guide, "Parallel workflow state" (state-parallel.html): one test
per statement that can be tested."""

from datetime import timedelta

from tests.executions.engine.docs.validation import errors
from tests.executions.engine.support import execute, types

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def branch(*states: tuple[str, dict]) -> dict:
    names = [name for name, _ in states]
    body = {}
    for i, (name, state) in enumerate(states):
        body[name] = {**state, **({"Next": names[i + 1]} if i + 1 < len(names) else {"End": True})}
    return {"StartAt": names[0], "States": body}


def parallel(*branches: dict, **fields) -> dict:
    return {
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": list(branches), **fields, "End": True}},
    }


def test_output_is_an_array_with_one_element_per_branch_in_order():
    # "Parallel State Output": "A Parallel state provides each branch with a copy of its own input
    # data ... It generates output that is an array with one element for each branch containing the
    # output from that branch." The order is the order of Branches, whichever finishes first.
    slow = branch(("Wait", {"Type": "Wait", "Seconds": 5}), ("A", {"Type": "Pass", "Result": "a"}))
    fast = branch(("B", {"Type": "Pass", "Result": "b"}))
    outcome, _, _ = execute(parallel(slow, fast), {})
    assert outcome.output == ["a", "b"]


def test_each_branch_receives_a_copy_of_the_input():
    # "...provides each branch with a copy of its own input data (subject to modification by the
    # InputPath field)".
    add_key = branch(("Add", {"Type": "Pass", "Result": 1, "ResultPath": "$.added"}))
    same = branch(("Same", {"Type": "Pass"}))
    outcome, _, _ = execute(parallel(add_key, same, InputPath="$.in"), {"in": {"v": 1}, "other": 0})
    assert outcome.output == [{"v": 1, "added": 1}, {"v": 1}]


def test_parameters_shape_the_branches_input():
    # "Parameters (Optional): Used to pass information to the branches' input".
    echo = branch(("Echo", {"Type": "Pass"}))
    outcome, _, _ = execute(parallel(echo, Parameters={"x.$": "$.a"}), {"a": 7})
    assert outcome.output == [{"x": 7}]


def test_result_selector_and_result_path_apply_to_the_array():
    # "ResultPath (Optional): Specifies where (in the input) to place the output of the branches."
    # "ResultSelector (Optional): Pass a collection of key value pairs, where the values are static
    # or selected from the result."
    a = branch(("A", {"Type": "Pass", "Result": {"n": 1}}))
    b = branch(("B", {"Type": "Pass", "Result": {"n": 2}}))
    outcome, _, _ = execute(
        parallel(a, b, ResultSelector={"first.$": "$[0].n", "all.$": "$[*].n"}, ResultPath="$.out"),
        {"keep": True},
    )
    assert outcome.output == {"keep": True, "out": {"first": 1, "all": [1, 2]}}


def test_a_failing_branch_fails_the_parallel_state():
    # "Error Handling": "If any branch fails, because of an unhandled error or by transitioning to a
    # Fail state, the entire Parallel state is considered to have failed and all its branches are
    # stopped. If the error is not handled by the Parallel state itself, Step Functions stops the
    # execution with an error."
    failing = branch(("F", {"Type": "Fail", "Error": "Boom", "Cause": "branch two"}))
    waiting = branch(("W", {"Type": "Wait", "Seconds": 3600}), ("Never", {"Type": "Pass", "Result": "late"}))
    outcome, events, _ = execute(parallel(waiting, failing), {})
    assert outcome.status == "FAILED"
    assert (outcome.error, outcome.cause) == ("Boom", "branch two")
    names = types(events)
    assert "ParallelStateFailed" in names
    # the waiting branch was stopped: it never reached its next state
    assert not any(e.get("stateEnteredEventDetails", {}).get("name") == "Never" for e in events)


def test_catch_on_the_parallel_state_handles_a_branch_failure():
    # "Error Handling": "...If the error is not handled by the Parallel state itself" - a Catch on
    # the Parallel state handles it ("Handling errors": Parallel states can have Catch).
    failing = branch(("F", {"Type": "Fail", "Error": "Boom", "Cause": "c"}))
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [failing],
                "Catch": [{"ErrorEquals": ["Boom"], "ResultPath": "$.err", "Next": "Handled"}],
                "End": True,
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }
    outcome, _, _ = execute(definition, {"a": 1})
    assert outcome.output == {"a": 1, "err": {"Error": "Boom", "Cause": "c"}}


def test_retry_on_the_parallel_state_runs_every_branch_again():
    # "Parallel workflow state": Retry (Optional) "An array of objects, called Retriers, that define
    # a retry policy in case the state encounters runtime errors."
    calls = []

    def flaky(event, context):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first time")
        return "ok"

    work = branch(("T", {"Type": "Task", "Resource": ARN + "flaky"}))
    definition = parallel(work, Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}])
    outcome, _, _ = execute(definition, {}, functions={"flaky": flaky})
    assert outcome.output == ["ok"]
    assert len(calls) == 2


def test_parallel_events():
    # The events a Parallel state records (GetExecutionHistory event types).
    _outcome, events, _ = execute(parallel(branch(("A", {"Type": "Pass"}))), {})
    assert types(events) == [
        "ExecutionStarted",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "PassStateEntered",
        "PassStateExited",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ]


def test_jsonata_arguments_and_output():
    # "Parallel workflow state" (JSONata): "Arguments (Optional): used to pass information to the
    # branches' input"; Output shapes the state's output from $states.result.
    echo = branch(("Echo", {"Type": "Pass"}))
    definition = {
        "QueryLanguage": "JSONata",
        **parallel(
            echo, echo, Arguments={"x": "{% $states.input.a %}"}, Output="{% $states.result[1].x + 1 %}"
        ),
    }
    outcome, _, _ = execute(definition, {"a": 1})
    assert outcome.output == 2


def test_branches_run_concurrently():
    # "The Parallel state causes AWS Step Functions to execute each branch, starting with the state
    # named in that branch's StartAt field, as concurrently as possible": Waits of 10 s and 5 s end
    # at 5 s and 10 s, and the Parallel state after 10 s, not 15 s.
    ten = branch(("W10", {"Type": "Wait", "Seconds": 10}))
    five = branch(("W5", {"Type": "Wait", "Seconds": 5}))
    _, events, _ = execute(parallel(ten, five), {})
    start = events[0]["timestamp"]
    exits = [
        (e["stateExitedEventDetails"]["name"], e["timestamp"] - start)
        for e in events
        if e["type"] == "WaitStateExited"
    ]
    assert exits == [("W5", timedelta(seconds=5)), ("W10", timedelta(seconds=10))]
    assert events[-1]["timestamp"] - start == timedelta(seconds=10)


def test_branch_states_can_only_transition_within_their_branch():
    # "Branches (Required): ... States in a branch can only transition to other states in that
    # branch, and no state outside a branch can transition into it."
    out = {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Outside"}}}
    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Parallel", "Branches": [out], "Next": "Outside"},
            "Outside": {"Type": "Succeed"},
        },
    }
    assert errors(definition)
    into = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}],
                "End": True,
            },
        },
    }
    assert errors(into)
