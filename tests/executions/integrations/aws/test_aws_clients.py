"""Where the calls go: the SDKs' standard endpoint variables, else the local AWS Symphony starts
itself (a moto server child process), in which each Symphony account is its own moto account."""

import asyncio
import json
from functools import partial

import boto3

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects, Resources, aws
from executions.integrations.aws import clients
from executions.integrations.aws.local import LocalAws
from tests.executions.engine.support import info
from tests.executions.integrations.aws.conftest import ACCOUNT, run, task


def test_aws_endpoint_url_per_service_wins_over_the_global_one(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:2")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:3")
    assert clients.endpoint_for("dynamodb").url == "http://127.0.0.1:2"
    assert clients.endpoint_for("secretsmanager").url == "http://127.0.0.1:3"
    assert clients.endpoint_for("s3") == clients.Endpoint("http://127.0.0.1:1")


def test_a_configured_endpoint_or_aws_itself(monkeypatch, settings):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    settings.SYMPHONY_AWS_ENDPOINT = "http://localstack:4566"
    assert clients.endpoint_for("sqs") == clients.Endpoint("http://localstack:4566")
    settings.SYMPHONY_AWS_ENDPOINT = "aws"
    assert clients.endpoint_for("sqs") == clients.Endpoint(None)


def test_the_local_aws_starts_on_demand_and_keeps_accounts_apart(local_aws, tmp_path):
    create = task(
        "arn:aws:states:::aws-sdk:dynamodb:createTable",
        {
            "TableName": "readings",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    outcome, _ = run(create, account="111111111111")
    assert outcome.status == "SUCCEEDED", outcome.cause
    assert ":111111111111:table/readings" in outcome.output["TableDescription"]["TableArn"]
    listing = task("arn:aws:states:::aws-sdk:dynamodb:listTables", {})
    assert run(listing, account="111111111111")[0].output["TableNames"] == ["readings"]
    assert run(listing, account="222222222222")[0].output["TableNames"] == []
    local = clients._local
    assert clients.endpoint_for("dynamodb") == clients.Endpoint(local.url, local=True)
    assert (tmp_path / "local-aws.log").exists()


def test_a_callback_task_waits_for_its_token_when_the_local_aws_has_no_such_queue(local_aws):
    url = "https://sqs.us-east-1.amazonaws.com/000000000000/approvals"
    definition = task(
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken", {"QueueUrl": url, "MessageBody": "x"}
    )
    resources = Resources(aws=partial(aws.invoke, account=ACCOUNT), aws_services=aws.handles)
    effects = LocalEffects(resources=resources, clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())

    async def main():
        running = asyncio.ensure_future(execution.run())
        for _ in range(600):  # bounded: the moto child may take a few seconds to start
            if effects.tokens.pending():
                break
            await asyncio.sleep(0.05)
        effects.tokens.send_success(effects.tokens.pending()[0], {"approved": True})
        return await running

    assert asyncio.run(main()).output == {"approved": True}


def test_each_account_gets_the_seed_on_its_first_call(local_aws, settings, tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            [
                {"service": "sns", "op": "create_topic", "args": {"Name": "alerts"}},
                {"service": "s3", "op": "create_bucket", "args": {"Bucket": "samples-{account}"}},
                {"service": "s3", "op": "create_bucket", "args": {"Bucket": "samples-{account}"}},
            ]
        )
    )
    settings.SYMPHONY_LOCAL_AWS_SEED = str(seed)
    topics = task("arn:aws:states:::aws-sdk:sns:listTopics", {})
    for account in ("111111111111", "222222222222"):
        outcome, _ = run(topics, account=account)
        assert [t["TopicArn"] for t in outcome.output["Topics"]] == [
            f"arn:aws:sns:us-east-1:{account}:alerts"
        ]
        # the second create_bucket failed (it exists) without stopping the seed
        listed = run(
            task("arn:aws:states:::aws-sdk:s3:listObjectsV2", {"Bucket": f"samples-{account}"}),
            account=account,
        )
        assert listed[0].status == "SUCCEEDED", listed[0].cause


def test_processes_sharing_var_share_one_local_aws(tmp_path):
    first, second = LocalAws(tmp_path), LocalAws(tmp_path)
    try:
        url = first.url
        assert second.url == url and second.proc is None  # the second uses the first's server
        boto3.client(
            "sqs", endpoint_url=url, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
        ).create_queue(QueueName="shared")
        gone = first.pid
        first.stop()
        second.url  # noqa: B018 - starts its own, once the first's is gone
        assert second.proc is not None and second.pid not in (0, gone)
    finally:
        first.stop()
        second.stop()
