"""Approvals' fixtures: a real moto server over HTTP whose Step Functions runs executions, a target
pointing at it with an approvals API token, and reviewers."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import boto3
import pytest
import requests
from django.contrib.auth.models import Group

from designer.deploy import targets
from designer.roles import PUBLISHERS, REVIEWERS
from executions.approvals import api_tokens
from tests.executions.conftest import free_port

ROLE = "arn:aws:iam::123456789012:role/sfn-exec"


class MotoProcess:
    """moto's server in its own process. MOTO_PORT tells its Step Functions where its own SQS is
    (a state's sqs:sendMessage goes back to the server over HTTP)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            env={**os.environ, "MOTO_PORT": str(self.port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def configure(self) -> None:
        """Reset, and have Step Functions execute state machines (moto's default only records them)."""
        deadline = time.time() + 60
        while True:
            try:
                requests.post(f"{self.url}/moto-api/reset", timeout=5).raise_for_status()
                break
            except requests.ConnectionError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.2)
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

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="session")
def moto_process() -> Iterator[MotoProcess]:
    server = MotoProcess()
    yield server
    server.stop()


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
