"""Benchmark: a 1,000-item distributed Map over a CSV in S3 writing each item to DynamoDB,
printed as JSON: Symphony (uvicorn with its runner, SQLite) sending its integrations to a moto
server through AWS_ENDPOINT_URL, next to moto's own Step Functions executing the same machine
against the same moto, in one run. Each side gets 60 s; the table's item count says how much
of the work was done.

Run: .venv/bin/python tests/bench/bench_aws_map.py
"""

import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

import boto3

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.bench.bench_runner import moto_server  # noqa: E402
from tests.executions.conftest import ROLE, client_for, make_server  # noqa: E402

ITEMS = 1000
LIMIT_SECONDS = 60
DEFINITION = {
    "StartAt": "Rows",
    "States": {
        "Rows": {
            "Type": "Map",
            "MaxConcurrency": 100,
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                "Parameters": {"Bucket": "bench", "Key": "rows.csv"},
            },
            "ItemSelector": {"row.$": "$$.Map.Item.Value", "table.$": "$.table"},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Store",
                "States": {
                    "Store": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::dynamodb:putItem",
                        "Parameters": {
                            "TableName.$": "$.table",
                            "Item": {"id": {"S.$": "$.row.id"}, "value": {"S.$": "$.row.value"}},
                        },
                        "End": True,
                    }
                },
            },
            "ResultSelector": {"done": True},
            "End": True,
        }
    },
}


def aws(endpoint: str, service: str):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def prepare(endpoint: str, tables: list[str]) -> None:
    s3 = aws(endpoint, "s3")
    s3.create_bucket(Bucket="bench")
    rows = "id,value\n" + "".join(f"r{i},v{i}\n" for i in range(ITEMS))
    s3.put_object(Bucket="bench", Key="rows.csv", Body=rows)
    for table in tables:
        aws(endpoint, "dynamodb").create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )


def run(sfn, aws_endpoint: str, table: str) -> dict:
    arn = sfn.create_state_machine(name=f"bench-{table}", definition=json.dumps(DEFINITION), roleArn=ROLE)[
        "stateMachineArn"
    ]
    started = time.perf_counter()
    execution = sfn.start_execution(
        stateMachineArn=arn, name=str(uuid.uuid4()), input=json.dumps({"table": table})
    )
    status, described = "RUNNING", {}
    while status == "RUNNING" and time.perf_counter() - started < LIMIT_SECONDS:
        time.sleep(0.2)
        described = sfn.describe_execution(executionArn=execution["executionArn"])
        status = described["status"]
    seconds = time.perf_counter() - started
    stored = aws(aws_endpoint, "dynamodb").scan(TableName=table, Select="COUNT")["Count"]
    return {
        "status": status if status != "RUNNING" else f"still RUNNING after {LIMIT_SECONDS} s",
        "error": described.get("error"),
        "seconds": round(seconds, 2),
        "items_stored": stored,
        "items_per_second": round(stored / seconds, 1),
    }


def main() -> None:
    with moto_server() as moto:
        prepare(moto.endpoint, ["symphony", "moto"])
        with tempfile.TemporaryDirectory() as var:
            env = {
                "AWS_ENDPOINT_URL": moto.endpoint,
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
            }
            server = make_server(Path(var), **env)
            server.start()
            try:
                symphony = run(client_for(server.endpoint), moto.endpoint, "symphony")
            finally:
                server.stop()
        peer = run(client_for(moto.endpoint), moto.endpoint, "moto")
    print(
        json.dumps(
            {"items": ITEMS, "symphony_with_moto_services": symphony, "moto_step_functions": peer}, indent=2
        )
    )


if __name__ == "__main__":
    main()
