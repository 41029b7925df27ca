"""`aws-sdk:<service>:<action>` tasks through boto3 against a real moto server over HTTP.

Spec: AWS Step Functions developer guide, "Call other AWS services: AWS SDK service
integrations" (camelCase actions, the API's PascalCase parameters, `<Service>.<Exception>`
errors), and the recorded executions in ../shared/conformance/services/ (s3_services,
dynamodb_error_handling, s3_error_handling, secretsmanager_*)."""

import json

import pytest

from tests.executions.conftest import SHARED_DIR, free_port
from tests.executions.integrations.aws.conftest import run, task


def test_s3_put_then_get_object_returns_the_api_response_with_the_body_as_text(moto, boto):
    boto("s3").create_bucket(Bucket="docs")
    definition = {
        "StartAt": "Put",
        "States": {
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                "Parameters": {"Bucket": "docs", "Key": "a.json", "Body.$": "$.doc"},
                "ResultPath": "$.put",
                "Next": "Get",
            },
            "Get": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                "Parameters": {"Bucket": "docs", "Key": "a.json"},
                "End": True,
            },
        },
    }
    outcome, _ = run(definition, {"doc": {"Dict": "Value"}})
    assert outcome.status == "SUCCEEDED", outcome.cause
    # A JSON Body is sent as its compact text (recorded: s3_put_object-dict's ETag is its MD5).
    assert outcome.output["Body"] == '{"Dict":"Value"}'
    assert outcome.output["ContentLength"] == 16
    assert outcome.output["LastModified"].endswith("Z")
    assert "ResponseMetadata" not in outcome.output
    stored = boto("s3").get_object(Bucket="docs", Key="a.json")
    assert stored["ETag"] == '"49e31cee5aec8faf3345893addb14346"'


def test_dynamodb_put_update_get_item_as_the_recording(moto, boto):
    boto("dynamodb").create_table(
        TableName="t1",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    name = "test_dynamodb_put_update_get_item.get_execution_history-e5c2ff8e.json"
    case = json.loads((SHARED_DIR / "conformance/services/dynamodb_services" / name).read_text())
    value = json.loads(case["input"].replace("${table_0}", "t1"))
    outcome, _ = run(case["definition"], value)
    assert outcome.status == "SUCCEEDED", outcome.cause
    expected = json.loads(json.dumps(case["expected"]["output"]).replace("<test-table>", "t1"))
    assert outcome.output == expected


def test_missing_table_is_dynamodb_resource_not_found(moto):
    resource = "arn:aws:states:::aws-sdk:dynamodb:putItem"
    outcome, events = run(task(resource, {"TableName": "nope", "Item": {"id": {"S": "1"}}}))
    assert outcome.error == "DynamoDb.ResourceNotFoundException"
    assert outcome.cause.startswith(
        "Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: "
    )
    assert events[-2]["type"] == "TaskFailed"


def test_null_required_parameter_is_the_services_validation_error(moto):
    # Recorded: dynamodb_error_handling/test_dynamodb_invalid_param.
    resource = "arn:aws:states:::aws-sdk:dynamodb:putItem"
    outcome, _ = run(task(resource, {"TableName": "t", "Item.$": "$.item"}), {"item": None})
    assert outcome.error == "DynamoDb.DynamoDbException"
    assert outcome.cause.startswith(
        "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be "
        "null (Service: DynamoDb, Status Code: 400, Request ID: "
    )


def test_conditional_check_failure_is_named_as_aws_names_it(moto, boto):
    boto("dynamodb").create_table(
        TableName="cond",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    boto("dynamodb").put_item(TableName="cond", Item={"id": {"S": "1"}})
    params = {
        "TableName": "cond",
        "Item": {"id": {"S": "1"}},
        "ConditionExpression": "attribute_not_exists(id)",
    }
    outcome, _ = run(task("arn:aws:states:::aws-sdk:dynamodb:putItem", params))
    assert outcome.error == "DynamoDb.ConditionalCheckFailedException"


def test_missing_bucket_is_caught_as_a_task_failure(moto):
    # Recorded: s3_error_handling/test_no_such_bucket (Catch on States.TaskFailed).
    definition = task(
        "arn:aws:states:::aws-sdk:s3:listObjects",
        {"Bucket": "no-such-bucket-here"},
        Catch=[{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.err", "Next": "Done"}],
    )
    definition["States"]["Done"] = {"Type": "Pass", "End": True}
    outcome, _ = run(definition)
    assert outcome.status == "SUCCEEDED"
    err = outcome.output["err"]
    assert err["Error"] == "S3.NoSuchBucketException"
    assert err["Cause"].startswith(
        "The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: "
    )
    # S3's x-amz-id-2 becomes ", Extended Request ID: ..." where the service sends one (moto does not).


def test_secrets_manager_create_and_get_secret(moto):
    definition = {
        "StartAt": "Create",
        "States": {
            "Create": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:secretsmanager:createSecret",
                "Parameters": {"Name": "db-password", "SecretString": "hunter2"},
                "ResultPath": None,
                "Next": "Get",
            },
            "Get": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:secretsmanager:getSecretValue",
                "Parameters": {"SecretId": "db-password"},
                "ResultSelector": {"value.$": "$.SecretString"},
                "End": True,
            },
        },
    }
    outcome, _ = run(definition)
    assert outcome.output == {"value": "hunter2"}
    again, _ = run(definition)
    assert again.error == "SecretsManager.ResourceExistsException"


def test_unknown_action_and_unknown_service_name_what_is_unknown(moto):
    outcome, _ = run(task("arn:aws:states:::aws-sdk:s3:fetchEverything", {}))
    assert outcome.error == "States.Runtime"
    assert "'fetchEverything' is not an action of the service 's3'" in outcome.cause
    outcome, _ = run(task("arn:aws:states:::aws-sdk:nosuchservice:doIt", {}))
    assert "'nosuchservice'" in outcome.cause


def test_parameters_of_the_wrong_type_say_which(moto):
    outcome, _ = run(task("arn:aws:states:::aws-sdk:s3:listObjectsV2", {"Bucket": "b", "MaxKeys": "ten"}))
    assert outcome.error == "States.Runtime"
    assert "MaxKeys" in outcome.cause


def test_the_sdk_names_of_services_map_to_boto3(moto):
    # Step Functions names Step Functions `sfn` and EventBridge `eventbridge` in aws-sdk ARNs.
    outcome, _ = run(task("arn:aws:states:::aws-sdk:sfn:listStateMachines", {}))
    assert outcome.output == {"stateMachines": []}
    outcome, _ = run(task("arn:aws:states:::aws-sdk:eventbridge:listEventBuses", {}))
    assert outcome.output["EventBuses"][0]["Name"] == "default"


def test_an_endpoint_that_does_not_answer_fails_the_task_with_a_cause_to_act_on(monkeypatch):
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    outcome, _ = run(task("arn:aws:states:::aws-sdk:s3:listBuckets", {}))
    assert outcome.error == "States.TaskFailed"
    assert url in outcome.cause and "Is the emulator running?" in outcome.cause


@pytest.fixture
def authenticating_aws(checking_aws, monkeypatch):
    """Symphony's calls sent to a moto server checking credentials, with a key it does not know."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", checking_aws)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG0")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
    return checking_aws


def test_bad_credentials_are_the_services_error(authenticating_aws):
    # DynamoDB answers 400 UnrecognizedClientException; moto answers 403 InvalidClientTokenId (in
    # XML): either way the task fails with the service's error name and the service's words.
    outcome, _ = run(task("arn:aws:states:::aws-sdk:dynamodb:listTables", {}))
    assert outcome.error == "DynamoDb.DynamoDbException"
    assert "InvalidClientTokenId" in outcome.cause
    assert "(Service: DynamoDb, Status Code: 403, Request ID: " in outcome.cause
    outcome, _ = run(task("arn:aws:states:::dynamodb:getItem", {"TableName": "t", "Key": {"id": {"S": "1"}}}))
    assert outcome.error == "DynamoDB.AmazonDynamoDBException"
    assert "(Service: AmazonDynamoDBv2; Status Code: 403;" in outcome.cause
