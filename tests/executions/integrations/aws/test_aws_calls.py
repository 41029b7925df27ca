"""Where each AWS call of an execution went, kept with the execution and shown on its run view."""

import asyncio
import json

import pytest
from django.urls import reverse

from designer.asl.model import build_state_machine
from designer.roles import AUTHORS
from executions import functions
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects
from executions.models import ServiceCall
from tests.executions.conftest import start_execution_of
from tests.executions.engine.support import info

DEFINITION = {
    "StartAt": "Items",
    "States": {
        "Items": {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "JSON"},
                "Parameters": {"Bucket": "calls", "Key": "items.json"},
            },
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Each",
                "States": {"Each": {"Type": "Pass", "End": True}},
            },
            "ResultPath": None,
            "Next": "Store",
        },
        "Store": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "no-such-table", "Item": {"id": {"S": "1"}}},
            "End": True,
        },
    },
}


@pytest.mark.django_db(transaction=True)
def test_each_call_is_kept_with_where_it_went_and_shown_on_the_run_view(moto, boto, make_user, client):
    boto("s3").create_bucket(Bucket="calls")
    boto("s3").put_object(Bucket="calls", Key="items.json", Body="[1, 2]")
    user = make_user("ana", AUTHORS)
    execution = start_execution_of(user, "calls", json.dumps(DEFINITION), input="{}")
    resources = functions.resources(execution.account_id, execution.pk)
    effects = LocalEffects(resources=resources, clock=FakeClock())
    outcome = asyncio.run(Execution(build_state_machine(DEFINITION), "{}", effects, info()).run())
    assert outcome.error == "DynamoDB.ResourceNotFoundException"

    calls = list(ServiceCall.objects.filter(execution=execution))
    assert [(c.state_name, c.resource, c.error) for c in calls] == [
        ("", "arn:aws:states:::s3:getObject", ""),
        ("Store", "arn:aws:states:::dynamodb:putItem", "DynamoDB.ResourceNotFoundException"),
    ]
    assert {c.endpoint for c in calls} == {moto}

    client.force_login(user)
    page = client.get(reverse("executions:execution-detail", args=[execution.pk])).content.decode()
    assert "AWS calls" in page
    assert page.count(moto) >= 2 and "DynamoDB.ResourceNotFoundException" in page
