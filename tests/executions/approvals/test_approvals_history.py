"""The AWS execution's history beside a request (GetExecutionHistory through the target's boto3
client), where the target allows it. A target whose credentials may not read it (moto's server
with IAM enforced: a user allowed only to answer tasks) or whose endpoint is down gets a clear
note on the page, and the reviewer can still decide: never a 500. The history shown from moto's
Step Functions is in test_approvals_answer_moto.py."""

import json
import os

import boto3
import pytest
from django.urls import reverse

from executions.approvals.approval_requests import Ask, create_request
from tests.executions.approvals.conftest import make_target
from tests.executions.conftest import free_port, moto_server

pytestmark = pytest.mark.django_db

ARN = "arn:aws:states:us-east-1:123456789012:execution:refunds:e-17"
# What a request-approval setup may need: answering tasks, not reading executions.
ANSWER_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["states:SendTaskSuccess", "states:SendTaskFailure"], "Resource": "*"}
    ],
}


@pytest.fixture
def enforcing_moto(monkeypatch):
    """moto's server checking IAM after its first three calls (which make the user and its key);
    the environment then holds that user's key, the target's credentials."""
    with moto_server(INITIAL_NO_AUTH_ACTION_COUNT="3") as url:
        iam = boto3.client(
            "iam", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        iam.create_user(UserName="approvals")
        iam.put_user_policy(UserName="approvals", PolicyName="answer", PolicyDocument=json.dumps(ANSWER_ONLY))
        key = iam.create_access_key(UserName="approvals")["AccessKey"]
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
        yield url


def request_for(target, token: str) -> str:
    ask = Ask(
        task_token=token, title="Refund o-17", context={"order": "o-17"}, users=[], groups=[], deadline=None
    )
    ask.execution_arn = ARN
    approval = create_request(target, ask)[0]
    return reverse("executions:approval-request", args=[approval.pk])


def test_a_target_not_allowed_to_read_the_history_gets_a_note(client, enforcing_moto, publisher, reviewer):
    page = request_for(make_target(publisher, name="locked", endpoint_url=enforcing_moto), "tok-locked")
    client.force_login(reviewer)
    answer = client.get(page)
    assert answer.status_code == 200
    shown = answer.content.decode()
    section = shown.split('id="aws-history"', 1)[1].split("</section>", 1)[0]
    assert "No history to show" in section and "AccessDenied" in section
    assert "GetExecutionHistory" in section or "not authorized" in section
    assert "Your decision" in shown  # the reviewer decides all the same
    assert os.environ["AWS_SECRET_ACCESS_KEY"] not in shown


def test_an_unreachable_target_gets_a_note(client, publisher, reviewer, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    page = request_for(
        make_target(publisher, name="down", endpoint_url=f"http://127.0.0.1:{free_port()}"), "tok-down"
    )
    client.force_login(reviewer)
    answer = client.get(page)
    assert answer.status_code == 200
    section = answer.content.decode().split('id="aws-history"', 1)[1].split("</section>", 1)[0]
    assert "No history to show" in section and "Could not connect" in section
