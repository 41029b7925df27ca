"""AWS Step Functions Developer Guide, "Map workflow state" (state-map.html), "Using Map state in
Inline mode" (state-map-inline.html), "ItemsPath (Map, JSONPath only)", "ItemSelector (Map)",
"ItemBatcher (Map)", "ItemReader (Map)", "ResultWriter (Map)" and "Setting failure thresholds
for Distributed Map states in Step Functions": one test per statement that can be tested."""

import asyncio
import json
from datetime import timedelta

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects, Resources
from tests.executions.engine.support import execute, info, types

ECHO = {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}
DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}


def map_state(processor: dict | None = None, **fields) -> dict:
    return {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": processor or ECHO, **fields, "End": True}},
    }


def fail_on(value, processor_config: dict | None = None) -> dict:
    """An ItemProcessor that fails (error "Bad") on items equal to `value` and echoes the rest."""
    processor = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": value, "Next": "F"}],
                "Default": "P",
            },
            "P": {"Type": "Pass", "End": True},
            "F": {"Type": "Fail", "Error": "Bad", "Cause": "bad item"},
        },
    }
    if processor_config:
        processor["ProcessorConfig"] = processor_config
    return processor


def test_runs_the_processor_for_each_item_and_outputs_the_results_in_order():
    # "Map workflow state": "Use the Map state to run a set of workflow steps for each item in a
    # dataset." Inline mode: "the Map state ... returns an array with the results of each iteration"
    # in the order of the input items.
    double = {
        "StartAt": "D",
        "States": {"D": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": True}},
    }
    outcome, _, _ = execute(map_state(double), input_text="[1, 2, 3]")
    assert outcome.output == [{"v": 2}, {"v": 4}, {"v": 6}]


def test_items_path_selects_the_array_in_the_input():
    # "ItemsPath (Map, JSONPath only)": "Use the ItemsPath field to select a JSON array ... The
    # ItemsPath field's value must be a reference path" ... "The default value is $".
    outcome, _, _ = execute(map_state(ItemsPath="$.detail.shipped"), {"detail": {"shipped": ["a", "b"]}})
    assert outcome.output == ["a", "b"]


def test_items_path_to_something_not_an_array_fails():
    # "ItemsPath ... must resolve to a JSON array": an object or a number is a runtime error.
    outcome, _, _ = execute(map_state(ItemsPath="$.n"), {"n": 3})
    assert outcome.status == "FAILED"
    assert outcome.error == "States.Runtime"


def test_an_empty_array_outputs_an_empty_array():
    # Silent on the pages; recorded (map cases): no iteration runs and the result is [].
    outcome, events, _ = execute(map_state(), input_text="[]")
    assert outcome.output == []
    assert "MapIterationStarted" not in types(events)


def test_inline_example_with_item_selector_and_context():
    # "Using Map state in Inline mode", the "Example: Inline Map state" shipping input: ItemsPath
    # "$.detail.shipped", ItemSelector with "parcel.$": "$$.Map.Item.Value" and "courier.$":
    # "$.detail.delivery-partner" (the ItemSelector sees the Map state's input under $).
    state_input = {
        "ship-date": "2016-03-14T01:59:00Z",
        "detail": {
            "delivery-partner": "UQS",
            "shipped": [
                {"prod": "R31", "dest-code": 9511, "quantity": 1344},
                {"prod": "S39", "dest-code": 9511, "quantity": 40},
            ],
        },
    }
    definition = map_state(
        ItemsPath="$.detail.shipped",
        ItemSelector={"parcel.$": "$$.Map.Item.Value", "courier.$": "$.detail.delivery-partner"},
        ResultPath="$.detail.shipped",
    )
    outcome, _, _ = execute(definition, state_input)
    assert outcome.output["detail"]["shipped"] == [
        {"parcel": {"prod": "R31", "dest-code": 9511, "quantity": 1344}, "courier": "UQS"},
        {"parcel": {"prod": "S39", "dest-code": 9511, "quantity": 40}, "courier": "UQS"},
    ]
    assert outcome.output["ship-date"] == "2016-03-14T01:59:00Z"


def test_item_selector_gives_the_item_index():
    # "ItemSelector (Map)": "$$.Map.Item.Index" is "the index number for the array item that is
    # being currently processed", "$$.Map.Item.Value" the item.
    outcome, _, _ = execute(
        map_state(ItemSelector={"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"}),
        input_text='["a", "b"]',
    )
    assert outcome.output == [{"i": 0, "v": "a"}, {"i": 1, "v": "b"}]


def test_deprecated_iterator_and_parameters_still_work():
    # "Map workflow state": "The ItemProcessor field replaces the now deprecated Iterator field"
    # and "ItemSelector replaces ... Parameters"; both old names keep working.
    definition = {
        "StartAt": "M",
        "States": {
            "M": {"Type": "Map", "Iterator": ECHO, "Parameters": {"x.$": "$$.Map.Item.Value"}, "End": True}
        },
    }
    outcome, _, _ = execute(definition, input_text="[7]")
    assert outcome.output == [{"x": 7}]


def test_max_concurrency_one_runs_iterations_one_after_another_in_order():
    # "MaxConcurrency": "...a value of 1 invokes the ItemProcessor once for each array element in
    # the order of their appearance in the input".
    waits = {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": True}}}
    outcome, events, _ = execute(map_state(waits, MaxConcurrency=1), input_text="[3, 1, 2]")
    assert outcome.output == [3, 1, 2]
    started = [
        e["mapIterationStartedEventDetails"]["index"] for e in events if e["type"] == "MapIterationStarted"
    ]
    finished = [
        e["mapIterationSucceededEventDetails"]["index"]
        for e in events
        if e["type"] == "MapIterationSucceeded"
    ]
    assert started == finished == [0, 1, 2]


def test_max_concurrency_zero_runs_iterations_concurrently():
    # "MaxConcurrency": "The default value is 0, which places no limit on concurrency": iterations
    # run concurrently, so the shortest Wait finishes first.
    waits = {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": True}}}
    outcome, events, _ = execute(map_state(waits), input_text="[3, 1, 2]")
    assert outcome.output == [3, 1, 2]
    finished = [
        e["mapIterationSucceededEventDetails"]["index"]
        for e in events
        if e["type"] == "MapIterationSucceeded"
    ]
    assert finished == [1, 2, 0]
    assert events[-1]["timestamp"] - events[0]["timestamp"] == timedelta(seconds=3)


def test_max_concurrency_path_reads_the_limit_from_the_input():
    # "MaxConcurrencyPath": "...provide a maximum concurrency value dynamically from the state input
    # using a reference path".
    waits = {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": True}}}
    _outcome, events, _ = execute(
        map_state(waits, ItemsPath="$.xs", MaxConcurrencyPath="$.limit"), {"xs": [2, 1], "limit": 1}
    )
    assert events[-1]["timestamp"] - events[0]["timestamp"] == timedelta(seconds=3)


def test_a_failed_iteration_fails_the_map_state():
    # "Map workflow state": a failure in any iteration fails the Map state (inline mode has no
    # tolerated failures) with that iteration's error.
    outcome, events, _ = execute(map_state(fail_on(2)), input_text="[1, 2, 3]")
    assert (outcome.error, outcome.cause) == ("Bad", "bad item")
    assert "MapIterationFailed" in types(events) and "MapStateFailed" in types(events)


def test_inline_map_events():
    # The events an inline Map records (GetExecutionHistory event types).
    _, events, _ = execute(map_state(), input_text="[1]")
    assert types(events) == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapIterationStarted",
        "PassStateEntered",
        "PassStateExited",
        "MapIterationSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]


def test_jsonata_items_and_item_selector():
    # "Map workflow state" (JSONata): "Items (Optional, JSONata only): a JSON array or a JSONata
    # expression that must evaluate to an array"; ItemSelector sees $states.context.Map.Item.
    definition = map_state(
        Items="{% $states.input.xs %}",
        ItemSelector={
            "v": "{% $states.context.Map.Item.Value %}",
            "i": "{% $states.context.Map.Item.Index %}",
        },
    )
    definition["QueryLanguage"] = "JSONata"
    outcome, _, _ = execute(definition, {"xs": ["a", "b"]})
    assert outcome.output == [{"v": "a", "i": 0}, {"v": "b", "i": 1}]
    definition["States"]["M"]["Items"] = [10, 20]
    outcome, _, _ = execute(definition, {})
    assert outcome.output == [{"v": 10, "i": 0}, {"v": 20, "i": 1}]


# -- Distributed mode: "Setting failure thresholds for Distributed Map states in Step Functions"


def test_distributed_map_fails_on_any_failure_by_default():
    # "By default, the tolerated failure threshold is zero": one failed child execution fails the
    # Map Run with States.ExceedToleratedFailureThreshold.
    outcome, events, _ = execute(map_state(fail_on(2, DISTRIBUTED)), input_text="[1, 2, 3]")
    assert outcome.error == "States.ExceedToleratedFailureThreshold"
    assert "MapRunFailed" in types(events)


def test_tolerated_failure_count_allows_that_many_failures():
    # "ToleratedFailureCount": "the maximum number of failed items"; exceeding it fails the Map Run.
    processor = fail_on(2, DISTRIBUTED)
    outcome, _, _ = execute(map_state(processor, ToleratedFailureCount=1), input_text="[1, 2, 3]")
    assert outcome.status == "SUCCEEDED"
    outcome, _, _ = execute(map_state(processor, ToleratedFailureCount=1), input_text="[2, 2, 3]")
    assert outcome.error == "States.ExceedToleratedFailureThreshold"


def test_tolerated_failure_percentage_allows_that_share_of_failures():
    # "ToleratedFailurePercentage": "the maximum percentage of failed items"; 1 failure in 4 is 25%.
    processor = fail_on(2, DISTRIBUTED)
    outcome, _, _ = execute(map_state(processor, ToleratedFailurePercentage=25), input_text="[1, 2, 3, 4]")
    assert outcome.status == "SUCCEEDED"
    outcome, _, _ = execute(map_state(processor, ToleratedFailurePercentage=24), input_text="[1, 2, 3, 4]")
    assert outcome.error == "States.ExceedToleratedFailureThreshold"


def test_tolerated_failure_from_the_input_by_path():
    # "ToleratedFailureCountPath" / "ToleratedFailurePercentagePath": "provide the value dynamically
    # from the state input using a reference path".
    processor = fail_on(2, DISTRIBUTED)
    outcome, _, _ = execute(
        map_state(processor, ItemsPath="$.xs", ToleratedFailureCountPath="$.ok"), {"xs": [1, 2], "ok": 1}
    )
    assert outcome.status == "SUCCEEDED"
    outcome, _, _ = execute(
        map_state(processor, ItemsPath="$.xs", ToleratedFailurePercentagePath="$.pct"),
        {"xs": [1, 2], "pct": 50},
    )
    assert outcome.status == "SUCCEEDED"


def test_distributed_map_records_a_map_run():
    # "Distributed mode": each item runs as a child workflow execution of a Map Run.
    _, events, _ = execute(map_state(ECHO | {"ProcessorConfig": DISTRIBUTED}), input_text="[1, 2]")
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


def test_item_batcher_groups_items_with_batch_input():
    # "ItemBatcher (Map)": "MaxItemsPerBatch specifies the maximum number of items that each child
    # workflow execution processes"; "BatchInput ... included in each batch passed to child
    # workflow executions", as {"BatchInput": ..., "Items": [...]}.
    outcome, _, _ = execute(
        map_state(
            ECHO | {"ProcessorConfig": DISTRIBUTED},
            ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"factorX": "BatchInputValue"}},
        ),
        input_text="[1, 2, 3]",
    )
    assert outcome.output == [
        {"BatchInput": {"factorX": "BatchInputValue"}, "Items": [1, 2]},
        {"BatchInput": {"factorX": "BatchInputValue"}, "Items": [3]},
    ]


def run_with_files(definition: dict, root) -> tuple:
    effects = LocalEffects(resources=Resources(files_root=root), clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())
    return asyncio.run(execution.run()), execution.history.events


def test_item_reader_reads_a_json_array_from_s3(tmp_path):
    # "ItemReader (Map)": "a JSON file in an Amazon S3 bucket": "Resource":
    # "arn:aws:states:::s3:getObject" with "ReaderConfig": {"InputType": "JSON"}; "MaxItems" limits
    # the number of items read.
    (tmp_path / "amzn-s3-demo-bucket").mkdir()
    (tmp_path / "amzn-s3-demo-bucket" / "factcheck.json").write_text(json.dumps([{"v": i} for i in range(5)]))
    definition = map_state(
        ECHO | {"ProcessorConfig": DISTRIBUTED},
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON", "MaxItems": 3},
            "Parameters": {"Bucket": "amzn-s3-demo-bucket", "Key": "factcheck.json"},
        },
    )
    outcome, _ = run_with_files(definition, tmp_path)
    assert outcome.output == [{"v": 0}, {"v": 1}, {"v": 2}]


def test_item_reader_missing_object_is_item_reader_failed(tmp_path):
    # "Handling errors": "States.ItemReaderFailed: ... the Map state can't read input from the
    # ItemReader source".
    (tmp_path / "b").mkdir()
    definition = map_state(
        ECHO | {"ProcessorConfig": DISTRIBUTED},
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON"},
            "Parameters": {"Bucket": "b", "Key": "missing.json"},
        },
    )
    outcome, _ = run_with_files(definition, tmp_path)
    assert outcome.error == "States.ItemReaderFailed"


def test_result_writer_makes_the_map_output_a_summary(tmp_path):
    # "ResultWriter (Map)": "...exports the results of child workflow executions to an Amazon S3
    # bucket"; the Map state's output is then a reference to the export, with "MapRunArn" and
    # "ResultWriterDetails" {"Bucket", "Key"} of the manifest.
    (tmp_path / "out").mkdir()
    definition = map_state(
        ECHO | {"ProcessorConfig": DISTRIBUTED},
        ItemsPath="$.xs",
        ResultWriter={
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "out", "Prefix": "runs"},
        },
    )
    definition_input = {"xs": [1, 2]}
    effects = LocalEffects(resources=Resources(files_root=tmp_path), clock=FakeClock())
    execution = Execution(build_state_machine(definition), json.dumps(definition_input), effects, info())
    outcome = asyncio.run(execution.run())
    assert set(outcome.output) == {"MapRunArn", "ResultWriterDetails"}
    assert outcome.output["ResultWriterDetails"]["Bucket"] == "out"
    assert outcome.output["ResultWriterDetails"]["Key"].endswith("manifest.json")
    manifest = tmp_path / "out" / outcome.output["ResultWriterDetails"]["Key"]
    assert manifest.is_file()


def test_item_reader_csv_with_a_header_row_gives_string_values(tmp_path):
    # "ItemReader (Map)", CSV files: "CSVHeaderLocation": "FIRST_ROW" takes the field names from the
    # first line; each row becomes an object whose values are strings.
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "ratings.csv").write_text("rating,movieId\n3.5,1\n4,2\n")
    definition = map_state(
        ECHO | {"ProcessorConfig": DISTRIBUTED},
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            "Parameters": {"Bucket": "b", "Key": "ratings.csv"},
        },
    )
    outcome, _ = run_with_files(definition, tmp_path)
    assert outcome.output == [{"rating": "3.5", "movieId": "1"}, {"rating": "4", "movieId": "2"}]


def test_item_reader_csv_with_given_headers(tmp_path):
    # "CSVHeaderLocation": "GIVEN" with "CSVHeaders": the names come from the definition and every
    # line of the file is a row.
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "rows.csv").write_text("a,1\nb,2\n")
    definition = map_state(
        ECHO | {"ProcessorConfig": DISTRIBUTED},
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["name", "n"]},
            "Parameters": {"Bucket": "b", "Key": "rows.csv"},
        },
    )
    outcome, _ = run_with_files(definition, tmp_path)
    assert outcome.output == [{"name": "a", "n": "1"}, {"name": "b", "n": "2"}]


def test_item_batcher_max_input_bytes_per_batch():
    # "ItemBatcher (Map)": "MaxInputBytesPerBatch: the maximum size of a batch in bytes" - a batch
    # closes before its items would pass the limit (the page does not say whether the {"Items"}
    # wrapper counts; here only the items' JSON does).
    outcome, _, _ = execute(
        map_state(ECHO | {"ProcessorConfig": DISTRIBUTED}, ItemBatcher={"MaxInputBytesPerBatch": 40}),
        input_text=json.dumps(["x" * 10] * 4),
    )
    batches = outcome.output
    assert [item for batch in batches for item in batch["Items"]] == ["x" * 10] * 4
    assert len(batches) > 1
    assert all(sum(len(json.dumps(item)) for item in batch["Items"]) <= 40 for batch in batches)


def test_result_selector_and_result_path_apply_to_the_results_array():
    # "Map workflow state": ResultSelector ("...transform the result of the Map state"), ResultPath
    # and OutputPath work on the array of iteration results as on any state's result.
    outcome, _, _ = execute(
        map_state(
            ItemsPath="$.xs", ResultSelector={"count.$": "States.ArrayLength($)"}, ResultPath="$.summary"
        ),
        {"xs": [1, 2, 3]},
    )
    assert outcome.output == {"xs": [1, 2, 3], "summary": {"count": 3}}


def test_a_catch_on_the_map_state_handles_an_iteration_failure():
    # "Handling errors": catchers are available on Map states; a failed iteration's error reaches
    # the Map state's Catch.
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": fail_on(2),
                "Catch": [{"ErrorEquals": ["Bad"], "ResultPath": "$", "Next": "Handled"}],
                "End": True,
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }
    outcome, _, _ = execute(definition, input_text="[1, 2, 3]")
    assert outcome.output == {"Error": "Bad", "Cause": "bad item"}


def test_a_retry_on_the_map_state_runs_every_iteration_again():
    # "Handling errors": retriers are available on Map states; the whole Map state runs again.
    calls = []

    def flaky(event, context):
        calls.append(event)
        if len(calls) == 2:
            raise RuntimeError("second call fails")
        return event

    processor = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:000000000000:function:flaky",
                "End": True,
            }
        },
    }
    definition = map_state(
        processor, MaxConcurrency=1, Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}]
    )
    outcome, _, _ = execute(definition, input_text="[1, 2]", functions={"flaky": flaky})
    assert outcome.output == [1, 2]
    assert calls == [1, 2, 1, 2]


def test_item_reader_lists_the_objects_under_a_prefix(tmp_path):
    # "ItemReader (Map)", objects in an Amazon S3 bucket: "Resource": "arn:aws:states:::s3:
    # listObjectsV2" with "Bucket" and "Prefix"; each iteration gets one object's metadata:
    # "Etag", "Key", "LastModified" (epoch seconds), "Size", "StorageClass".
    logs = tmp_path / "amzn-s3-demo-bucket" / "processData"
    logs.mkdir(parents=True)
    (logs / "a.jpg").write_bytes(b"abc")
    (logs / "b.jpg").write_bytes(b"de")
    (tmp_path / "amzn-s3-demo-bucket" / "other.txt").write_text("not listed")
    definition = map_state(
        ECHO | {"ProcessorConfig": DISTRIBUTED},
        ItemReader={
            "Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {"Bucket": "amzn-s3-demo-bucket", "Prefix": "processData"},
        },
    )
    outcome, _ = run_with_files(definition, tmp_path)
    assert [item["Key"] for item in outcome.output] == ["processData/a.jpg", "processData/b.jpg"]
    first = outcome.output[0]
    assert list(first) == ["Etag", "Key", "LastModified", "Size", "StorageClass"]
    assert first["Etag"] == '"900150983cd24fb0d6963f7d28e17f72"'  # MD5 of "abc", quoted as S3 gives it
    assert (first["Size"], first["StorageClass"]) == (3, "STANDARD")
    assert isinstance(first["LastModified"], int)
