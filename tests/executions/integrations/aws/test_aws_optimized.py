"""The optimised integrations through boto3 against a real moto server over HTTP.

Spec: AWS Step Functions developer guide, "Integrating optimized services": "DynamoDB"
(getItem/putItem/updateItem/deleteItem, the response with SdkHttpMetadata and
SdkResponseMetadata), "Amazon SQS" (sendMessage, .waitForTaskToken), "Amazon SNS" (publish),
"Amazon EventBridge" (putEvents, EventBridge.FailedEntry); recorded executions in
../shared/conformance/services/dynamodb_services and dynamodb_error_handling."""

import asyncio
import json
from functools import partial

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects, Resources, aws
from tests.executions.engine.support import info
from tests.executions.integrations.aws.conftest import ACCOUNT, run, task


def _table(boto, name: str) -> None:
    boto("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def _queue_arn(boto, url: str) -> str:
    return boto("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]


def test_dynamodb_put_get_delete_item_answer_with_the_sdk_metadata(moto, boto):
    _table(boto, "orders")
    definition = {
        "StartAt": "Put",
        "States": {
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": "orders", "Item": {"id": {"S": "o1"}, "total": {"N": "19.5"}}},
                "ResultPath": "$.put",
                "Next": "Get",
            },
            "Get": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": "orders", "Key": {"id": {"S": "o1"}}},
                "ResultPath": "$.get",
                "Next": "Delete",
            },
            "Delete": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:deleteItem",
                "Parameters": {"TableName": "orders", "Key": {"id": {"S": "o1"}}},
                "ResultPath": "$.delete",
                "End": True,
            },
        },
    }
    outcome, events = run(definition)
    assert outcome.status == "SUCCEEDED", outcome.cause
    put = outcome.output["put"]
    assert set(put) == {"SdkHttpMetadata", "SdkResponseMetadata"}
    http = put["SdkHttpMetadata"]
    assert http["HttpStatusCode"] == 200
    assert http["HttpHeaders"]["Content-Length"] == "2"  # the service's body was {}
    assert http["AllHttpHeaders"]["Content-Length"] == ["2"]
    assert put["SdkResponseMetadata"]["RequestId"] == http["HttpHeaders"]["x-amzn-RequestId"]
    assert outcome.output["get"]["Item"] == {"id": {"S": "o1"}, "total": {"N": "19.5"}}
    assert "Item" not in boto("dynamodb").get_item(TableName="orders", Key={"id": {"S": "o1"}})
    scheduled = next(e for e in events if e["type"] == "TaskScheduled")["taskScheduledEventDetails"]
    assert (scheduled["resourceType"], scheduled["resource"]) == ("dynamodb", "putItem")


def test_update_item_returns_the_attributes_asked_for(moto, boto):
    _table(boto, "counters")
    boto("dynamodb").put_item(TableName="counters", Item={"id": {"S": "c"}, "n": {"N": "1"}})
    params = {
        "TableName": "counters",
        "Key": {"id": {"S": "c"}},
        "UpdateExpression": "SET n = n + :one",
        "ExpressionAttributeValues": {":one": {"N": "1"}},
        "ReturnValues": "UPDATED_NEW",
    }
    outcome, _ = run(task("arn:aws:states:::dynamodb:updateItem", params))
    assert outcome.output["Attributes"] == {"n": {"N": "2"}}


def test_dynamodb_errors_have_the_optimised_integrations_names(moto, boto):
    _table(boto, "once")
    boto("dynamodb").put_item(TableName="once", Item={"id": {"S": "1"}})
    params = {
        "TableName": "once",
        "Item": {"id": {"S": "1"}},
        "ConditionExpression": "attribute_not_exists(id)",
    }
    outcome, _ = run(task("arn:aws:states:::dynamodb:putItem", params))
    assert outcome.error == "DynamoDB.ConditionalCheckFailedException"
    assert "(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException;" in (
        outcome.cause
    )
    missing = {"TableName": "missing", "Item": {"id": {"S": "1"}}}
    outcome, _ = run(task("arn:aws:states:::dynamodb:putItem", missing))
    assert outcome.error == "DynamoDB.ResourceNotFoundException"
    # Recorded: dynamodb_error_handling/test_invalid_param.
    outcome, _ = run(
        task("arn:aws:states:::dynamodb:putItem", {"TableName": "once", "Item.$": "$.x"}), {"x": None}
    )
    assert outcome.error == "DynamoDB.AmazonDynamoDBException"
    assert outcome.cause.startswith(
        "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be "
        "null (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: "
    )
    assert outcome.cause.endswith("; Proxy: null)")


def test_sqs_send_message_sends_a_json_body_as_text(moto, boto):
    url = boto("sqs").create_queue(QueueName="jobs")["QueueUrl"]
    params = {"QueueUrl": url, "MessageBody": {"job": 7}}
    outcome, _ = run(task("arn:aws:states:::sqs:sendMessage", params))
    assert outcome.status == "SUCCEEDED", outcome.cause
    assert {"MD5OfMessageBody", "MessageId", "SdkHttpMetadata", "SdkResponseMetadata"} <= set(outcome.output)
    [message] = boto("sqs").receive_message(QueueUrl=url)["Messages"]
    assert message["Body"] == '{"job":7}'
    assert message["MessageId"] == outcome.output["MessageId"]


def test_sqs_errors_missing_queue_and_message_too_large(moto, boto):
    outcome, _ = run(
        task(
            "arn:aws:states:::sqs:sendMessage", {"QueueUrl": f"{moto}/000000000000/nope", "MessageBody": "x"}
        )
    )
    assert outcome.error == "SQS.QueueDoesNotExistException"
    assert "Error Code: AWS.SimpleQueueService.NonExistentQueue" in outcome.cause
    # A body past 256 KiB, built inside the execution from a small input: the task's parameters
    # exceed Step Functions' payload quota, so nothing is sent.
    url = boto("sqs").create_queue(QueueName="small")["QueueUrl"]
    big = {
        "QueryLanguage": "JSONata",
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage",
                "Arguments": {
                    "QueueUrl": url,
                    "MessageBody": "{% $join([1..1100].($states.input.kib), '') %}",
                },
                "End": True,
            }
        },
    }
    outcome, _ = run(big, {"kib": "x" * 1024})
    assert outcome.error == "States.DataLimitExceeded", outcome
    assert "Messages" not in boto("sqs").receive_message(QueueUrl=url)


def test_sqs_wait_for_task_token_is_answered_by_a_consumer_of_the_queue(moto, boto):
    url = boto("sqs").create_queue(QueueName="approvals")["QueueUrl"]
    definition = task(
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        {"QueueUrl": url, "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"}},
    )
    resources = Resources(aws=partial(aws.invoke, account=ACCOUNT), aws_services=aws.handles)
    effects = LocalEffects(resources=resources, clock=FakeClock())
    execution = Execution(build_state_machine(definition), '{"order": 42}', effects, info())

    def consume() -> tuple[str, dict]:
        sqs = boto("sqs")
        [message] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10)["Messages"]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        body = json.loads(message["Body"])
        return body["token"], body

    async def main():
        running = asyncio.ensure_future(execution.run())
        token, body = await asyncio.to_thread(consume)  # a worker reading the queue
        assert body["order"] == 42
        effects.tokens.send_success(token, {"approved": body["order"]})
        return await running

    outcome = asyncio.run(main())
    assert outcome.status == "SUCCEEDED", outcome.cause
    assert outcome.output == {"approved": 42}


def test_sns_publish_and_its_missing_topic(moto, boto):
    topic = boto("sns").create_topic(Name="alerts")["TopicArn"]
    url = boto("sqs").create_queue(QueueName="alert-copies")["QueueUrl"]
    queue_arn = boto("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    boto("sns").subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"}
    )
    outcome, _ = run(task("arn:aws:states:::sns:publish", {"TopicArn": topic, "Message": {"temp": 91}}))
    assert outcome.status == "SUCCEEDED", outcome.cause
    assert {"MessageId", "SdkHttpMetadata", "SdkResponseMetadata"} <= set(outcome.output)
    [copy] = boto("sqs").receive_message(QueueUrl=url)["Messages"]
    assert copy["Body"] == '{"temp":91}'
    gone = topic.replace("alerts", "gone")
    outcome, _ = run(task("arn:aws:states:::sns:publish", {"TopicArn": gone, "Message": "x"}))
    assert outcome.error == "SNS.NotFoundException"


def test_eventbridge_put_events_sends_json_detail_as_text(moto, boto):
    events = boto("events")
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    url = boto("sqs").create_queue(QueueName="order-events")["QueueUrl"]
    queue_arn = boto("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": queue_arn}])
    entry = {"Source": "shop", "DetailType": "OrderPlaced", "Detail": {"order": 1}}
    outcome, _ = run(task("arn:aws:states:::events:putEvents", {"Entries": [entry]}))
    assert outcome.status == "SUCCEEDED", outcome.cause
    assert outcome.output["FailedEntryCount"] == 0 and len(outcome.output["Entries"]) == 1
    [delivered] = boto("sqs").receive_message(QueueUrl=url)["Messages"]
    assert json.loads(delivered["Body"])["detail"] == {"order": 1}


def test_an_action_that_is_not_optimised_points_at_aws_sdk(moto):
    outcome, _ = run(task("arn:aws:states:::dynamodb:scan", {"TableName": "x"}))
    assert outcome.error == "States.Runtime"
    assert "arn:aws:states:::aws-sdk:dynamodb:scan" in outcome.cause


def test_aws_sdk_wait_for_task_token_sends_then_waits(moto, boto):
    # developer guide: AWS SDK integrations support .waitForTaskToken (not .sync).
    url = boto("sqs").create_queue(QueueName="sdk-approvals")["QueueUrl"]
    definition = task(
        "arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken",
        {"QueueUrl": url, "MessageBody.$": "$$.Task.Token"},
    )
    resources = Resources(aws=partial(aws.invoke, account=ACCOUNT), aws_services=aws.handles)
    effects = LocalEffects(resources=resources, clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())

    def consume() -> str:
        [message] = boto("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=10)["Messages"]
        return message["Body"]

    async def main():
        running = asyncio.ensure_future(execution.run())
        token = await asyncio.to_thread(consume)
        effects.tokens.send_failure(token, "Rejected", "not this time")
        return await running

    outcome = asyncio.run(main())
    assert (outcome.error, outcome.cause) == ("Rejected", "not this time")
    sync = task("arn:aws:states:::aws-sdk:sqs:sendMessage.sync", {"QueueUrl": url, "MessageBody": "x"})
    assert "does not support the .sync pattern" in run(sync)[0].cause
