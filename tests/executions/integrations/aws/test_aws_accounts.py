"""Each Symphony account's resources in the local AWS are its own: another account's workflow
or Local AWS page cannot read or write them, and is answered as AWS answers a caller that no
resource policy grants (S3 403 AccessDenied, SNS AuthorizationError), or finds nothing (moto's
per-account tables, queues and secrets)."""

import io

import pytest
from django.urls import reverse

from accounts.services import account_id_for
from designer.roles import AUTHORS
from executions.integrations.aws.clients import client_for
from tests.executions.integrations.aws.conftest import run, task

pytestmark = pytest.mark.django_db
S3_DENIED = "S3.AccessDeniedException"  # AccessDenied is in the S3 model (errors.py names it so)


@pytest.fixture
def accounts(local_aws, make_user):
    """Ana's account holds a bucket, a topic, a queue, a table and a secret; Bo's holds nothing."""
    ana, bo = make_user("ana", AUTHORS), make_user("bo", AUTHORS)
    mine = account_id_for(ana)
    assert mine != account_id_for(bo)

    def aws(service):
        return client_for(service, mine, "us-east-1")[0]

    aws("s3").create_bucket(Bucket="ana-private")
    aws("s3").put_object(Bucket="ana-private", Key="salaries.csv", Body=b"name,pay\nana,1\n")
    topic = aws("sns").create_topic(Name="ana-alerts")["TopicArn"]
    queue = aws("sqs").create_queue(QueueName="ana-jobs")["QueueUrl"]
    aws("dynamodb").create_table(
        TableName="ana-table",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    secret = aws("secretsmanager").create_secret(Name="ana-key", SecretString="s3cr3t")["ARN"]
    return {"ana": ana, "bo": bo, "topic": topic, "queue": queue, "secret": secret}


@pytest.mark.parametrize(
    ("resource", "parameters", "error"),
    [
        ("aws-sdk:s3:getObject", {"Bucket": "ana-private", "Key": "salaries.csv"}, S3_DENIED),
        ("aws-sdk:s3:putObject", {"Bucket": "ana-private", "Key": "x", "Body": "x"}, S3_DENIED),
        ("aws-sdk:s3:listObjectsV2", {"Bucket": "ana-private"}, S3_DENIED),
        ("sns:publish", {"TopicArn": "{topic}", "Message": "hi"}, "SNS.AuthorizationErrorException"),
        ("sqs:sendMessage", {"QueueUrl": "{queue}", "MessageBody": "hi"}, "SQS.QueueDoesNotExistException"),
        (
            "dynamodb:getItem",
            {"TableName": "ana-table", "Key": {"id": {"S": "1"}}},
            "DynamoDB.ResourceNotFoundException",
        ),
        (
            "aws-sdk:secretsmanager:getSecretValue",
            {"SecretId": "{secret}"},
            "SecretsManager.SecretsManagerException",
        ),
    ],
)
def test_another_accounts_workflow_cannot_reach_them(accounts, resource, parameters, error):
    filled = {k: v.format(**accounts) if isinstance(v, str) else v for k, v in parameters.items()}
    bo = account_id_for(accounts["bo"])
    outcome, _ = run(task(f"arn:aws:states:::{resource}", filled), account=bo)
    assert (outcome.status, outcome.error) == ("FAILED", error), outcome.cause
    if error.startswith("S3."):
        assert outcome.cause.startswith("Access Denied (Service: S3, Status Code: 403")
    if error.startswith("SNS."):
        assert f"arn:aws:iam::{bo}:root is not authorized to perform: sns:Publish" in outcome.cause
    # The owner reaches each of them.
    ana = account_id_for(accounts["ana"])
    owned, _ = run(task(f"arn:aws:states:::{resource}", filled), account=ana)
    assert owned.status == "SUCCEEDED", owned.cause


def test_a_bucket_of_no_one_is_no_such_bucket_not_access_denied(accounts):
    bo = account_id_for(accounts["bo"])
    outcome, _ = run(
        task("arn:aws:states:::aws-sdk:s3:getObject", {"Bucket": "nobodys", "Key": "k"}), account=bo
    )
    assert outcome.error == "S3.NoSuchBucketException"


def test_another_accounts_local_aws_page_neither_lists_nor_writes_them(accounts, client):
    client.force_login(accounts["bo"])
    url = reverse("executions:local-aws")
    page = client.get(url).content.decode()
    for name in ("ana-private", "salaries.csv", "ana-alerts", "ana-jobs", "ana-table", "ana-key"):
        assert name not in page, name
    upload = io.BytesIO(b"overwritten")
    upload.name = "salaries.csv"
    page = client.post(url, {"action": "upload", "bucket": "ana-private", "file": upload}, follow=True)
    assert "AccessDenied" in page.content.decode()
    page = client.post(url, {"action": "put-item", "table": "ana-table", "item": '{"id": "x"}'}, follow=True)
    assert "ResourceNotFoundException" in page.content.decode()
    ana = account_id_for(accounts["ana"])
    body = client_for("s3", ana, "us-east-1")[0].get_object(Bucket="ana-private", Key="salaries.csv")["Body"]
    assert body.read() == b"name,pay\nana,1\n"
