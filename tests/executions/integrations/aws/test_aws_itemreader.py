"""The distributed Map reading its items from S3 and writing its results there, against a real
moto server over HTTP. Spec: developer guide, "ItemReader (Map)" (CSV, JSONL, ListObjectsV2
items `{"Etag", "Key", "LastModified", "Size", "StorageClass"}`) and "ResultWriter (Map)"
(SUCCEEDED_0.json, FAILED_0.json and manifest.json under `<Prefix>/<map run id>/`)."""

import gzip
import json

from tests.executions.integrations.aws.conftest import run


def _map(reader: dict, writer: dict | None = None) -> dict:
    state = {
        "Type": "Map",
        "ItemReader": reader,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Each",
            "States": {"Each": {"Type": "Pass", "End": True}},
        },
        "End": True,
    }
    if writer:
        state["ResultWriter"] = writer
    return {"StartAt": "Items", "States": {"Items": state}}


def test_csv_items_from_s3_and_results_written_back(moto, boto):
    s3 = boto("s3")
    s3.create_bucket(Bucket="data")
    s3.put_object(Bucket="data", Key="in/readings.csv", Body="sensor,temp\ns1,20\ns2,31\n")
    definition = _map(
        {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            "Parameters": {"Bucket": "data", "Key": "in/readings.csv"},
        },
        {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "data", "Prefix": "out"}},
    )
    outcome, _ = run(definition)
    assert outcome.status == "SUCCEEDED", outcome.cause
    key = outcome.output["ResultWriterDetails"]["Key"]
    assert outcome.output["ResultWriterDetails"]["Bucket"] == "data" and key.startswith("out/")
    manifest = json.loads(s3.get_object(Bucket="data", Key=key)["Body"].read())
    [succeeded] = manifest["ResultFiles"]["SUCCEEDED"]
    results = json.loads(s3.get_object(Bucket="data", Key=succeeded["Key"])["Body"].read())
    assert [r["Output"] for r in results] == [{"sensor": "s1", "temp": "20"}, {"sensor": "s2", "temp": "31"}]


def test_jsonl_items_and_max_items(moto, boto):
    boto("s3").create_bucket(Bucket="lines")
    boto("s3").put_object(Bucket="lines", Key="a.jsonl", Body='{"n": 1}\n{"n": 2}\n{"n": 3}\n')
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSONL", "MaxItems": 2},
        "Parameters": {"Bucket": "lines", "Key": "a.jsonl"},
    }
    outcome, _ = run(_map(reader))
    assert outcome.output == [{"n": 1}, {"n": 2}]


def test_list_objects_v2_items(moto, boto):
    boto("s3").create_bucket(Bucket="many")
    for name in ("p/a.txt", "p/b.txt", "q/c.txt"):
        boto("s3").put_object(Bucket="many", Key=name, Body="xy")
    reader = {
        "Resource": "arn:aws:states:::s3:listObjectsV2",
        "Parameters": {"Bucket": "many", "Prefix": "p/"},
    }
    outcome, _ = run(_map(reader))
    assert [item["Key"] for item in outcome.output] == ["p/a.txt", "p/b.txt"]
    first = outcome.output[0]
    assert set(first) == {"Etag", "Key", "LastModified", "Size", "StorageClass"}
    assert first["Size"] == 2 and isinstance(first["LastModified"], int)


def test_a_missing_object_fails_the_reader(moto, boto):
    boto("s3").create_bucket(Bucket="empty")
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON"},
        "Parameters": {"Bucket": "empty", "Key": "nope.json"},
    }
    outcome, events = run(_map(reader))
    assert outcome.error == "States.ItemReaderFailed"
    assert "does not exist" in outcome.cause
    # The map run starts and fails with the reader's error (recorded:
    # s3_scenarios_map/test_map_item_reader_csv_headers_decl_duplicate_headers).
    assert [e["type"] for e in events][2:6] == [
        "MapStateStarted",
        "MapRunStarted",
        "MapRunFailed",
        "MapStateFailed",
    ]
    assert events[2]["mapStateStartedEventDetails"] == {"length": 0}


def test_s3_inventory_manifest_items(moto, boto):
    # S3 User Guide, "Locating your inventory list": manifest.json names the gzip-compressed
    # CSV files in the destination bucket and their columns.
    s3 = boto("s3")
    s3.create_bucket(Bucket="inventory")
    rows = "src,photos/a.jpg,10,2024-01-01T00:00:00.000Z\nsrc,photos/b.jpg,20,2024-01-02T00:00:00.000Z\n"
    s3.put_object(Bucket="inventory", Key="src/cfg/data/part-1.csv.gz", Body=gzip.compress(rows.encode()))
    manifest = {
        "sourceBucket": "src",
        "destinationBucket": "arn:aws:s3:::inventory",
        "version": "2016-11-30",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, Size, LastModifiedDate",
        "files": [{"key": "src/cfg/data/part-1.csv.gz", "size": 60, "MD5checksum": "x"}],
    }
    s3.put_object(
        Bucket="inventory", Key="src/cfg/2024-01-03T00-00Z/manifest.json", Body=json.dumps(manifest)
    )
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "MANIFEST"},
        "Parameters": {"Bucket": "inventory", "Key": "src/cfg/2024-01-03T00-00Z/manifest.json"},
    }
    outcome, _ = run(_map(reader))
    assert outcome.status == "SUCCEEDED", outcome.cause
    assert outcome.output == [
        {
            "Bucket": "src",
            "Key": "photos/a.jpg",
            "Size": "10",
            "LastModifiedDate": "2024-01-01T00:00:00.000Z",
        },
        {
            "Bucket": "src",
            "Key": "photos/b.jpg",
            "Size": "20",
            "LastModifiedDate": "2024-01-02T00:00:00.000Z",
        },
    ]
