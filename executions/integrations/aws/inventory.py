"""What the account has in the AWS its tasks call (the local AWS by default), for the Local AWS
page: DynamoDB tables and their items, SQS queues, SNS topics, S3 buckets and their objects,
Secrets Manager secrets; and the few calls that create and seed them. Every failure is a
`InventoryError` with the service's message, never a crash of the page."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from executions.integrations.aws.clients import client_for, endpoint_for

SHOWN = 20  # items or objects shown per table or bucket


class InventoryError(Exception):
    pass


def _client(service: str, account: str, region: str) -> Any:
    return client_for(service, account, region)[0]


def _call(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise InventoryError(f"{error.get('Code', 'Error')}: {error.get('Message', '')}") from None
    except BotoCoreError as exc:
        raise InventoryError(str(exc)) from None


def overview(account: str, region: str) -> dict[str, Any]:
    """Everything the page lists, and where it lives."""
    ddb, sqs, sns, s3, sm = (
        _client(name, account, region) for name in ("dynamodb", "sqs", "sns", "s3", "secretsmanager")
    )
    tables = []
    for name in _call(ddb.list_tables).get("TableNames", []):
        scan = _call(ddb.scan, TableName=name, Limit=SHOWN)
        tables.append({"name": name, "items": [json.dumps(item) for item in scan.get("Items", [])]})
    queues = []
    for url in _call(sqs.list_queues).get("QueueUrls", []):
        attributes = _call(
            sqs.get_queue_attributes, QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
        )
        queues.append(
            {"url": url, "messages": attributes["Attributes"].get("ApproximateNumberOfMessages", "0")}
        )
    buckets = []
    for bucket in _call(s3.list_buckets).get("Buckets", []):
        listed = _call(s3.list_objects_v2, Bucket=bucket["Name"], MaxKeys=SHOWN)
        objects = [{"key": o["Key"], "size": o["Size"]} for o in listed.get("Contents", [])]
        buckets.append({"name": bucket["Name"], "objects": objects})
    return {
        "endpoint": endpoint_for("dynamodb").describe(region),
        "tables": tables,
        "queues": queues,
        "topics": [t["TopicArn"] for t in _call(sns.list_topics).get("Topics", [])],
        "buckets": buckets,
        "secrets": [s["Name"] for s in _call(sm.list_secrets).get("SecretList", [])],
    }


def create_table(account: str, region: str, name: str, key: str) -> None:
    """A table with a string partition key, billed on demand."""
    _call(
        _client("dynamodb", account, region).create_table,
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def put_item(account: str, region: str, table: str, item_json: str) -> None:
    """An item given as plain JSON (`{"id": "a", "n": 1}`), stored in DynamoDB's types."""
    try:
        # DynamoDB's numbers are decimals: JSON numbers are read as such, exactly.
        item = json.loads(item_json, parse_float=Decimal, parse_int=Decimal)
    except ValueError as exc:
        raise InventoryError(f"The item is not JSON: {exc}") from None
    if not isinstance(item, dict):
        raise InventoryError("The item must be a JSON object.")
    serializer = TypeSerializer()
    try:
        typed = {k: serializer.serialize(v) for k, v in item.items()}
    except TypeError as exc:
        raise InventoryError(str(exc)) from None
    _call(_client("dynamodb", account, region).put_item, TableName=table, Item=typed)


def create_queue(account: str, region: str, name: str) -> None:
    _call(_client("sqs", account, region).create_queue, QueueName=name)


def create_topic(account: str, region: str, name: str) -> None:
    _call(_client("sns", account, region).create_topic, Name=name)


def create_bucket(account: str, region: str, name: str) -> None:
    _call(_client("s3", account, region).create_bucket, Bucket=name)


def put_object(account: str, region: str, bucket: str, key: str, body: bytes) -> None:
    _call(_client("s3", account, region).put_object, Bucket=bucket, Key=key, Body=body)


def create_secret(account: str, region: str, name: str, value: str) -> None:
    _call(_client("secretsmanager", account, region).create_secret, Name=name, SecretString=value)
