"""The request-approval Lambda handler, called in-process (moto runs Lambda only with Docker)
against a live Symphony over HTTP, as AWS Lambda would call it with a waitForTaskToken Payload."""

import ast
import json
import sys
from pathlib import Path

import pytest

from executions.approvals import lambda_handler
from executions.approvals.lambda_handler import ApprovalRequestRefused, SymphonyUnavailable, handler

SETUP = (
    "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
    "from designer.roles import apply_roles; from designer.deploy import targets; "
    "from executions.approvals import api_tokens; apply_roles(); "
    "u, _ = get_user_model().objects.get_or_create(username='lambda-publisher'); "
    "u.groups.add(Group.objects.get(name='publishers')); "
    "r, _ = get_user_model().objects.get_or_create(username='lambda-reviewer'); "
    "t = targets.create_target(u, name='aws-prod', region='eu-west-1', "
    "role_arn='arn:aws:iam::123456789012:role/r', endpoint_url='http://127.0.0.1:9'); "
    "print(api_tokens.issue(t, u)[1])"
)
REQUESTS = (
    "import json; from executions.models import ApprovalRequest; from symphony import crypto; "
    "print(json.dumps([{'id': a.pk, 'title': a.title, 'context': a.context, 'users': a.steps.get().users, "
    "'target': a.target.name, 'execution': a.execution_arn, 'token': crypto.decrypt(a.encrypted_task_token)} "
    "for a in ApprovalRequest.objects.order_by('pk')]))"
)


@pytest.fixture(scope="module")
def live_token(live_sfn) -> str:
    return live_sfn.manage("shell", "-c", SETUP).strip().splitlines()[-1]


@pytest.fixture
def lambda_env(live_sfn, live_token, monkeypatch):
    monkeypatch.setenv("SYMPHONY_URL", live_sfn.url)
    monkeypatch.setenv("SYMPHONY_APPROVALS_TOKEN", live_token)
    monkeypatch.delenv("SYMPHONY_TARGET", raising=False)


def stored(live_sfn) -> list[dict]:
    return json.loads(live_sfn.manage("shell", "-c", REQUESTS).strip().splitlines()[-1])


def payload(token: str) -> dict:
    # What Parameters {"FunctionName": ..., "Payload": {"taskToken.$": "$$.Task.Token", ...}} sends
    # (Step Functions Developer Guide, "Wait for a Callback with Task Token").
    return {
        "taskToken": token,
        "execution": "arn:aws:states:eu-west-1:123456789012:execution:deploy:run-7",
        "title": "Deploy billing 7.1",
        "context": {"service": "billing", "version": "7.1"},
        "approvers": {"users": ["lambda-reviewer"]},
    }


def test_the_handler_asks_symphony_once_per_task_token(live_sfn, lambda_env):
    first = handler(payload("tok-lambda-1"), None)
    again = handler(payload("tok-lambda-1"), None)  # Lambda's at-least-once retry
    assert first == again
    assert first["status"] == "PENDING" and first["url"].endswith(f"/executions/approvals/{first['id']}/")
    assert "tok-lambda-1" not in json.dumps(first)
    rows = [row for row in stored(live_sfn) if row["token"] == "tok-lambda-1"]
    assert rows == [
        {
            "id": first["id"],
            "title": "Deploy billing 7.1",
            "context": {"service": "billing", "version": "7.1"},
            "users": ["lambda-reviewer"],
            "target": "aws-prod",
            "execution": "arn:aws:states:eu-west-1:123456789012:execution:deploy:run-7",
            "token": "tok-lambda-1",
        }
    ]


def test_a_wrong_token_is_refused_not_retried(live_sfn, lambda_env, monkeypatch, live_token):
    monkeypatch.setenv("SYMPHONY_APPROVALS_TOKEN", live_token[:-4] + "AAAA")
    with pytest.raises(ApprovalRequestRefused, match="401"):
        handler(payload("tok-lambda-2"), None)
    monkeypatch.setenv("SYMPHONY_TARGET", "another-target")
    monkeypatch.setenv("SYMPHONY_APPROVALS_TOKEN", live_token)
    with pytest.raises(ApprovalRequestRefused, match="403"):
        handler(payload("tok-lambda-2"), None)
    assert "tok-lambda-2" not in {row["token"] for row in stored(live_sfn)}


def test_bad_payloads_and_plain_http_are_refused(lambda_env, monkeypatch):
    with pytest.raises(ApprovalRequestRefused, match="taskToken"):
        handler({"title": "no token"}, None)
    with pytest.raises(ApprovalRequestRefused, match="400"):
        handler({**payload("tok-lambda-3"), "approvers": {"users": ["nobody-here"]}}, None)
    monkeypatch.setenv("SYMPHONY_URL", "http://symphony.example.com")
    with pytest.raises(ApprovalRequestRefused, match="https"):
        handler(payload("tok-lambda-3"), None)


def test_an_unreachable_symphony_is_worth_a_retry(lambda_env, monkeypatch):
    monkeypatch.setenv("SYMPHONY_URL", "http://127.0.0.1:9")
    with pytest.raises(SymphonyUnavailable):
        handler(payload("tok-lambda-4"), None)


def test_the_handler_needs_nothing_beyond_the_standard_library():
    tree = ast.parse(Path(lambda_handler.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported and imported <= sys.stdlib_module_names
