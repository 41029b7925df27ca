"""A run pointed at a deploy target calls that target's AWS with the target's credentials: a
moto server over HTTP stands in for AWS at the target's endpoint URL, the local AWS (another
moto, started by Symphony) stays untouched. Pointing a run at a target takes the publishers role
(the target's credentials are the publishers'), besides the run permission; the credentials
reach no record, page or log."""

import json
import time
import urllib.request

import pytest
from django.contrib.auth.models import Group

from accounts.services import account_id_for
from designer import services
from designer.deploy.models import Target
from designer.roles import AUTHORS, PUBLISHERS
from executions.integrations.aws.clients import client_for
from executions.models import Execution, HistoryEvent, ServiceCall

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "target-secret-never-shown"
CHILD = {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "Parameters": {"got.$": "$.n"}, "End": True}}}


def definition(child_arn: str) -> str:
    return json.dumps(
        {
            "StartAt": "Store",
            "States": {
                "Store": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Parameters": {"TableName": "orders", "Item": {"id": {"S.$": "$.id"}}},
                    "ResultPath": None,
                    "Next": "Child",
                },
                "Child": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": child_arn, "Input": {"n": 7}},
                    "ResultSelector": {"status.$": "$.Status", "output.$": "$.Output"},
                    "ResultPath": "$.child",
                    "Next": "FireAndForget",
                },
                "FireAndForget": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution",
                    "Parameters": {"StateMachineArn": child_arn, "Input": {"n": 8}},
                    "ResultSelector": {"arn.$": "$.ExecutionArn"},
                    "ResultPath": "$.started",
                    "End": True,
                },
            },
        }
    )


@pytest.fixture
def target_aws(moto_url, boto, monkeypatch):
    """The moto server standing in for AWS, emptied, running Step Functions definitions; the
    target's credentials from the standard chain (here, the environment)."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")).close()
    config = json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode()
    request = urllib.request.Request(f"{moto_url}/moto-api/config", data=config, method="POST")
    urllib.request.urlopen(request).close()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATARGETKEY0000000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    return moto_url


@pytest.fixture
def publisher(make_user):
    user = make_user("pia", AUTHORS)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


def target(user, endpoint: str) -> Target:
    return Target.objects.create(
        account_id=account_id_for(user),
        name="staging",
        region="us-east-1",
        role_arn="arn:aws:iam::123456789012:role/sfn",
        endpoint_url=endpoint,
    )


def start(api_for, user, body: dict, child_arn: str = "arn:aws:states:us-east-1:123456789012:stateMachine:x"):
    workflow = services.create_workflow(
        user, name=f"to-target-{time.monotonic_ns()}", definition=definition(child_arn)
    )
    return api_for(user).post(f"/api/workflows/{workflow.pk}/runs/", body, format="json")


def ended(pk: int) -> Execution:
    deadline = time.time() + 60
    while (execution := Execution.objects.get(pk=pk)).status == "RUNNING":
        assert time.time() < deadline, "the run did not finish"
        time.sleep(0.05)
    return execution


def test_a_run_pointed_at_a_target_calls_its_aws(local_aws, target_aws, boto, api_for, publisher, caplog):
    boto("dynamodb").create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    child = boto("stepfunctions").create_state_machine(
        name="child", definition=json.dumps(CHILD), roleArn="arn:aws:iam::123456789012:role/sfn"
    )["stateMachineArn"]
    target(publisher, target_aws)

    response = start(api_for, publisher, {"input": '{"id": "o-1"}', "target": "staging"}, child)
    assert response.status_code == 201, response.json()
    run = ended(response.json()["id"])
    assert run.status == "SUCCEEDED", run.cause
    output = json.loads(run.output)
    assert output["child"] == {"status": "SUCCEEDED", "output": {"got": 7}}
    started = boto("stepfunctions").describe_execution(executionArn=output["started"]["arn"])
    assert json.loads(started["input"]) == {"n": 8}

    # The item is in the target's DynamoDB, not in the local AWS.
    assert boto("dynamodb").get_item(TableName="orders", Key={"id": {"S": "o-1"}})["Item"]
    local = client_for("dynamodb", account_id_for(publisher), "us-east-1")[0]
    assert "orders" not in local.list_tables()["TableNames"]

    calls = list(ServiceCall.objects.filter(execution_id=run.pk))
    assert calls and {c.endpoint for c in calls} == {f"target staging: {target_aws}"}
    kept = json.dumps([e.details for e in HistoryEvent.objects.filter(execution_id=run.pk)], default=str)
    assert SECRET not in kept and SECRET not in caplog.text
    workflow = run.workflow_run.workflow
    assert SECRET not in api_for(publisher).get(f"/api/workflows/{workflow.pk}/runs/").content.decode()


def test_pointing_a_run_at_a_target_takes_the_publishers_role(target_aws, make_user, api_for):
    author = make_user("ana", AUTHORS)
    target(author, target_aws)
    response = start(api_for, author, {"target": "staging"})
    assert response.status_code == 403
    assert not Execution.objects.exists()


def test_an_unknown_target_names_the_field(target_aws, api_for, publisher):
    response = start(api_for, publisher, {"target": "prod"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "target"


def test_a_target_gone_before_the_call_fails_the_task_not_the_local_aws(
    local_aws, target_aws, api_for, publisher
):
    target(publisher, target_aws)
    response = start(api_for, publisher, {"input": '{"id": "o-2"}', "target": "staging"})
    # Usually before the runner's first call; either way it must not go local.
    Target.objects.all().delete()
    run = ended(response.json()["id"])
    assert run.status == "FAILED"
    assert run.error in {"States.TaskFailed", "DynamoDB.ResourceNotFoundException"}
    local = client_for("dynamodb", account_id_for(publisher), "us-east-1")[0]
    assert local.list_tables()["TableNames"] == []


def test_bad_target_credentials_fail_the_task_with_the_services_words(
    local_aws, target_aws, checking_aws, api_for, publisher, caplog
):
    target(publisher, checking_aws)
    response = start(api_for, publisher, {"input": '{"id": "o-3"}', "target": "staging"})
    run = ended(response.json()["id"])
    assert (run.status, run.error) == ("FAILED", "DynamoDB.AmazonDynamoDBException")
    assert "InvalidClientTokenId" in run.cause and "Status Code: 403" in run.cause
    assert SECRET not in run.cause and SECRET not in caplog.text
