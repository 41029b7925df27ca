"""Approvals' fixtures: a real moto server over HTTP whose Step Functions runs executions, a target
pointing at it with an approvals API token, and reviewers."""

import json
import time
from collections.abc import Iterator

import boto3
import pytest
import requests
from django.contrib.auth.models import Group

from designer.deploy import targets
from designer.roles import PUBLISHERS, REVIEWERS
from executions.approvals import api_tokens
from tests.executions.conftest import moto_server

ROLE = "arn:aws:iam::123456789012:role/sfn-exec"


class MotoProcess:
    """moto's server in its own process (`moto_server`), with its Step Functions executing."""

    def __init__(self, url: str) -> None:
        self.url = url

    def configure(self) -> None:
        """Reset, and have Step Functions execute state machines (moto's default only records them)."""
        requests.post(f"{self.url}/moto-api/reset", timeout=5).raise_for_status()
        config = {"stepfunctions": {"execute_state_machine": True}}
        requests.post(f"{self.url}/moto-api/config", json=config, timeout=5).raise_for_status()

    def client(self, service: str):
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


@pytest.fixture(scope="session")
def moto_process() -> Iterator[MotoProcess]:
    with moto_server() as url:
        yield MotoProcess(url)


@pytest.fixture
def moto(moto_process: MotoProcess, monkeypatch) -> MotoProcess:
    moto_process.configure()
    # The target's credentials come from boto3's standard chain: the environment, here.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return moto_process


@pytest.fixture
def publisher(make_user):
    user = make_user("pia")
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


def make_target(publisher, name: str = "prod", endpoint_url: str = "http://127.0.0.1:9"):
    return targets.create_target(
        publisher, name=name, region="us-east-1", role_arn=ROLE, endpoint_url=endpoint_url
    )


@pytest.fixture
def target(publisher, moto):
    return make_target(publisher, endpoint_url=moto.url)


@pytest.fixture
def api_token(target, publisher) -> str:
    return api_tokens.issue(target, publisher)[1]


@pytest.fixture
def reviewer(make_user):
    return make_user("rita", REVIEWERS)


@pytest.fixture
def second_reviewer(make_user):
    return make_user("rob", REVIEWERS)


def waiting_execution(moto: MotoProcess, name: str = "e1", timeout_seconds: int = 60) -> tuple[str, str]:
    """An execution moto runs that waits on a task token (sent through SQS: moto runs Lambda only
    with Docker); the execution's ARN and the token moto issued."""
    sqs, sfn = moto.client("sqs"), moto.client("stepfunctions")
    queue = sqs.create_queue(QueueName=f"asks-{name}")["QueueUrl"]
    definition = {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": queue, "MessageBody": {"token.$": "$$.Task.Token"}},
                "TimeoutSeconds": timeout_seconds,
                "End": True,
            }
        },
    }
    machine = sfn.create_state_machine(name=f"m-{name}", definition=json.dumps(definition), roleArn=ROLE)
    execution = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], name=name, input="{}")
    deadline = time.time() + 30
    while time.time() < deadline:
        messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages")
        if messages:
            return execution["executionArn"], json.loads(messages[0]["Body"])["token"]
    raise AssertionError("moto's execution sent no task token")


def finished(moto: MotoProcess, execution_arn: str) -> dict:
    sfn = moto.client("stepfunctions")
    deadline = time.time() + 30
    while time.time() < deadline:
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.1)
    raise AssertionError(f"{execution_arn} still runs")
