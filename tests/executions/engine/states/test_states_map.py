"""Map: items, ItemSelector with $$.Map.Item, MaxConcurrency, the recorded id chain,
failures, tolerated failures in distributed mode."""

import threading
import time

from tests.executions.engine.support import chain, execute, types

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def map_state(**fields):
    processor = fields.pop("processor", {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}})
    return {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}},
    }


def test_item_selector_sees_the_item_and_its_index():
    definition = map_state(
        ItemsPath="$.xs",
        ItemSelector={"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "all.$": "$.tag"},
    )
    outcome, _, _ = execute(definition, {"xs": ["a", "b"], "tag": 7})
    assert outcome.output == [{"v": "a", "i": 0, "all": 7}, {"v": "b", "i": 1, "all": 7}]


def test_max_concurrency_one_chains_iterations_like_aws():
    outcome, events, _ = execute(map_state(MaxConcurrency=1), input_text="[1, 2]")
    assert outcome.output == [1, 2]
    assert chain(events) == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "MapStateEntered"),
        (3, 2, "MapStateStarted"),
        (4, 3, "MapIterationStarted"),
        (5, 4, "PassStateEntered"),
        (6, 5, "PassStateExited"),
        (7, 6, "MapIterationSucceeded"),
        (8, 6, "MapIterationStarted"),
        (9, 8, "PassStateEntered"),
        (10, 9, "PassStateExited"),
        (11, 10, "MapIterationSucceeded"),
        (12, 11, "MapStateSucceeded"),
        (13, 11, "MapStateExited"),
        (14, 13, "ExecutionSucceeded"),
    ]
    # the raw input text is recorded as sent
    assert events[0]["executionStartedEventDetails"]["input"] == "[1, 2]"


def test_iterations_run_concurrently_up_to_max_concurrency():
    lock = threading.Lock()
    running = [0, 0]  # now, peak

    def work(event, context):
        with lock:
            running[0] += 1
            running[1] = max(running[1], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return event

    processor = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ARN + "work", "End": True}}}
    outcome, _, _ = execute(
        map_state(MaxConcurrency=3, processor=processor),
        input_text="[1,2,3,4,5,6,7,8]",
        functions={"work": work},
    )
    assert outcome.output == [1, 2, 3, 4, 5, 6, 7, 8]
    assert running[1] == 3


def test_a_failed_iteration_fails_the_map_and_no_later_iteration_starts():
    processor = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}],
                "Default": "P",
            },
            "P": {"Type": "Pass", "End": True},
            "F": {"Type": "Fail", "Error": "Two"},
        },
    }
    outcome, events, _ = execute(map_state(MaxConcurrency=1, processor=processor), input_text="[1,2,3]")
    assert outcome.error == "Two"
    assert types(events).count("MapIterationStarted") == 2
    assert types(events)[-2:] == ["MapStateFailed", "ExecutionFailed"]


def test_map_over_a_non_array_fails():
    outcome, _, _ = execute(map_state(ItemsPath="$.xs"), {"xs": 3})
    assert outcome.status == "FAILED"
    assert "Map state input must be an array but was: 3" in outcome.cause


def test_distributed_map_tolerates_failures_up_to_the_threshold():
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}],
                "Default": "P",
            },
            "P": {"Type": "Pass", "End": True},
            "F": {"Type": "Fail", "Error": "Two"},
        },
    }
    outcome, events, _ = execute(
        map_state(processor=processor, ToleratedFailureCount=1), input_text="[1,2,3]"
    )
    assert outcome.status == "SUCCEEDED"
    assert types(events) == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]
    outcome, events, _ = execute(map_state(processor=processor), input_text="[1,2,3]")
    assert outcome.error == "States.ExceedToleratedFailureThreshold"
    assert "MapRunFailed" in types(events)


def test_jsonata_items_must_be_an_array():
    definition = map_state(Items="{% $states.input.n %}")
    definition["QueryLanguage"] = "JSONata"
    outcome, events, _ = execute(definition, {"n": 1})
    assert outcome.error == "States.QueryEvaluationError"
    assert types(events)[-3:] == ["EvaluationFailed", "MapStateFailed", "ExecutionFailed"]
