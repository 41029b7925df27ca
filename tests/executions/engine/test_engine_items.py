"""Distributed Map over local files: ItemReader (JSON, JSONL, CSV), ItemBatcher, ResultWriter."""

import asyncio
import json

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects, Resources
from tests.executions.engine.support import info

PROCESSOR = {
    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    "StartAt": "I",
    "States": {"I": {"Type": "Pass", "End": True}},
}


def run_map(root, **fields):
    definition = {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": PROCESSOR, "End": True, **fields}},
    }
    effects = LocalEffects(resources=Resources(files_root=root), clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())
    return asyncio.run(execution.run())


def test_reads_csv_with_a_header_row(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "people.csv").write_text("name,age\nada,36\nalan,41\n")
    outcome = run_map(
        tmp_path,
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            "Parameters": {"Bucket": "b", "Key": "people.csv"},
        },
    )
    assert outcome.output == [{"name": "ada", "age": "36"}, {"name": "alan", "age": "41"}]


def test_reads_jsonl_with_max_items_and_batches(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.jsonl").write_text("\n".join(json.dumps({"n": i}) for i in range(5)))
    outcome = run_map(
        tmp_path,
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSONL", "MaxItems": 4},
            "Parameters": {"Bucket": "b", "Key": "x.jsonl"},
        },
        ItemBatcher={"MaxItemsPerBatch": 3, "BatchInput": {"run": 1}},
    )
    assert outcome.output == [
        {"BatchInput": {"run": 1}, "Items": [{"n": 0}, {"n": 1}, {"n": 2}]},
        {"BatchInput": {"run": 1}, "Items": [{"n": 3}]},
    ]


def test_result_writer_writes_files_and_returns_the_summary(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "in.json").write_text("[1, 2]")
    outcome = run_map(
        tmp_path,
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON"},
            "Parameters": {"Bucket": "b", "Key": "in.json"},
        },
        ResultWriter={
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "out", "Prefix": "runs"},
        },
    )
    details = outcome.output["ResultWriterDetails"]
    assert details["Bucket"] == "out"
    manifest = json.loads((tmp_path / "out" / details["Key"]).read_text())
    assert manifest["MapRunArn"] == outcome.output["MapRunArn"]
    succeeded = (tmp_path / "out" / details["Key"]).parent / "SUCCEEDED_0.json"
    assert [e["Output"] for e in json.loads(succeeded.read_text())] == [1, 2]


def test_a_missing_file_is_item_reader_failed(tmp_path):
    outcome = run_map(
        tmp_path,
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON"},
            "Parameters": {"Bucket": "b", "Key": "nope.json"},
        },
    )
    assert outcome.error == "States.ItemReaderFailed"
