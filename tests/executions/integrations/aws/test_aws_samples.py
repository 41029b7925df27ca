"""The samples that use AWS services run from the Run dialog's call (`POST /api/workflows/<id>/runs/`)
on the embedded default: `bootstrap` loads them, the local AWS Symphony starts is seeded with
their queue and tables, and the in-process runner runs them to the end.

* order-fulfilment sends the order to SQS and waits; a consumer of the queue (this test, as a
  warehouse would) answers the token with SendTaskSuccess or SendTaskFailure.
* customer-signup puts a CustomerSignedUp event; the local rule bootstrap made starts
  onboard-customer with it, which writes DynamoDB."""

import json
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.services import account_id_for
from designer.models import Workflow
from executions import runner
from executions.integrations.aws.clients import client_for
from executions.models import Execution
from executions.services import tokens

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin(seeded_local_aws):
    call_command("bootstrap", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return get_user_model().objects.get(username="admin")


def run_sample(admin, name: str, given: dict) -> Execution:
    api = APIClient()
    api.force_login(admin)
    workflow = Workflow.objects.get(owner=admin, name=name)
    response = api.post(f"/api/workflows/{workflow.pk}/runs/", {"input": json.dumps(given)}, format="json")
    assert response.status_code == 201, response.json()
    return Execution.objects.get(pk=response.json()["id"])


def ended(execution: Execution) -> Execution:
    deadline = time.time() + 60
    while (execution := Execution.objects.get(pk=execution.pk)).status == "RUNNING":
        assert time.time() < deadline, "the run did not finish"
        time.sleep(0.05)
    return execution


def item(account: str, table: str, key: dict) -> dict:
    return client_for("dynamodb", account, "us-east-1")[0].get_item(TableName=table, Key=key).get("Item", {})


def warehouse(account: str, answer) -> dict:
    """Receive one order from the warehouse queue of the local AWS and answer its token."""
    sqs = client_for("sqs", account, "us-east-1")[0]
    url = sqs.get_queue_url(QueueName="warehouse-orders")["QueueUrl"]
    deadline = time.time() + 60
    while not (messages := sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages")):
        assert time.time() < deadline, "no order reached the queue"
    body = json.loads(messages[0]["Body"])
    token = answer(body["taskToken"], body["order"])
    runner.notify(token.execution_id)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
    return body


def test_an_order_waits_for_the_warehouse_and_records_the_shipment(admin):
    account = account_id_for(admin)
    execution = run_sample(admin, "order-fulfilment", {"orderId": "o-7", "items": ["lamp"]})
    body = warehouse(
        account,
        lambda token, order: tokens.send_task_success(token, account, json.dumps({"trackingId": "TRK-1"})),
    )
    assert body["order"] == {"orderId": "o-7", "items": ["lamp"]}
    done = ended(execution)
    assert done.status == "SUCCEEDED", done.cause
    assert json.loads(done.output) == {"orderId": "o-7", "status": "SHIPPED", "trackingId": "TRK-1"}
    stored = item(account, "orders", {"orderId": {"S": "o-7"}})
    assert stored["status"] == {"S": "SHIPPED"} and stored["trackingId"] == {"S": "TRK-1"}


def test_an_order_out_of_stock_is_a_backorder(admin):
    account = account_id_for(admin)
    execution = run_sample(admin, "order-fulfilment", {"orderId": "o-8"})
    warehouse(
        account,
        lambda token, order: tokens.send_task_failure(token, account, error="OutOfStock", cause="no lamps"),
    )
    done = ended(execution)
    assert (done.status, json.loads(done.output)["status"]) == ("SUCCEEDED", "BACKORDERED")
    assert item(account, "orders", {"orderId": {"S": "o-8"}})["reason"] == {"S": "no lamps"}


def test_a_sign_up_event_starts_the_onboarding_through_the_rule(admin):
    account = account_id_for(admin)
    signup = ended(
        run_sample(admin, "customer-signup", {"customerId": "c-1", "email": "bo@example.com", "plan": "team"})
    )
    assert signup.status == "SUCCEEDED", signup.cause
    event_id = json.loads(signup.output)["announced"]["eventId"]

    started = Execution.objects.filter(state_machine_name="onboard-customer")
    deadline = time.time() + 30
    while not started.exists():
        assert time.time() < deadline, "the rule started nothing"
        time.sleep(0.05)
    onboarding = ended(started.get())
    assert onboarding.status == "SUCCEEDED", onboarding.cause
    event = json.loads(onboarding.input)
    assert (event["id"], event["source"], event["detail-type"], event["account"]) == (
        event_id,
        "symphony.samples.signup",
        "CustomerSignedUp",
        account,
    )
    assert event["detail"] == {"customerId": "c-1", "email": "bo@example.com", "plan": "team"}
    assert item(account, "customers", {"customerId": {"S": "c-1"}})["status"] == {"S": "ONBOARDED"}
    assert item(account, "workspaces", {"workspaceId": {"S": "ws-c-1"}})["plan"] == {"S": "team"}

    # The same customer again: caught, no second event, no second onboarding.
    again = ended(
        run_sample(admin, "customer-signup", {"customerId": "c-1", "email": "bo@example.com", "plan": "team"})
    )
    assert again.status == "SUCCEEDED" and "announced" not in json.loads(again.output)
    assert started.count() == 1
