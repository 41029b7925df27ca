"""EventBridge rules that start state machines: an event a Task puts (events:putEvents, or
aws-sdk:eventbridge:putEvents) on a real moto server over HTTP, matching a rule's pattern,
starts the rule's state machine with the event as its input, as EventBridge delivers it
(developer guide, "Starting a state machine execution in response to Amazon EventBridge
events"; EventBridge user guide, "Amazon EventBridge events" for the event's fields)."""

import asyncio
import json
import time

import pytest
from django.urls import reverse

from accounts.services import account_id_for
from designer.asl.model import build_state_machine
from designer.roles import AUTHORS, VIEWERS
from executions import functions
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution as Run
from executions.integrations import LocalEffects
from executions.models import EventRule, Execution
from executions.services import event_rules, machines
from tests.executions.engine.support import info
from tests.executions.integrations.aws.conftest import task

pytestmark = pytest.mark.django_db(transaction=True)

TARGET = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


def put_events(account: str, entries: list, resource: str = "arn:aws:states:::events:putEvents"):
    effects = LocalEffects(resources=functions.resources(account), clock=FakeClock())
    definition = task(resource, {"Entries": entries})
    return asyncio.run(Run(build_state_machine(definition), "{}", effects, info()).run())


@pytest.fixture
def account(make_user):
    return account_id_for(make_user("ana", AUTHORS))


def machine(account: str, name: str = "on-order") -> str:
    return machines.create_state_machine(
        region="us-east-1",
        account=account,
        name=name,
        definition=json.dumps(TARGET),
        role_arn=f"arn:aws:iam::{account}:role/r",
    )[0].arn


def started(arn: str, count: int) -> list[Execution]:
    deadline = time.time() + 30
    done = Execution.objects.filter(state_machine_arn=arn, status="SUCCEEDED")
    while done.count() < count:
        assert time.time() < deadline, "the rule started nothing"
        time.sleep(0.05)
    return list(Execution.objects.filter(state_machine_arn=arn))


@pytest.mark.parametrize(
    "resource", ["arn:aws:states:::events:putEvents", "arn:aws:states:::aws-sdk:eventbridge:putEvents"]
)
def test_a_matching_event_starts_the_rules_state_machine_with_the_event(moto, account, resource):
    arn = machine(account)
    pattern = {"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}
    event_rules.put_rule(account, "big-orders", json.dumps(pattern), arn)
    entries = [
        {
            "Source": "shop",
            "DetailType": "OrderPlaced",
            "Detail": json.dumps({"total": 250}),
            "Resources": ["r1"],
        },
        {"Source": "shop", "DetailType": "OrderPlaced", "Detail": json.dumps({"total": 5})},
        {"Source": "blog", "DetailType": "OrderPlaced", "Detail": json.dumps({"total": 900})},
    ]
    outcome = put_events(account, entries, resource)
    assert outcome.status == "SUCCEEDED", outcome.cause
    assert outcome.output["FailedEntryCount"] == 0

    [execution] = started(arn, 1)
    event = json.loads(execution.input)
    assert set(event) == {
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
        "resources",
        "detail",
    }
    assert event["id"] == outcome.output["Entries"][0]["EventId"]
    assert (event["source"], event["detail-type"], event["detail"]) == ("shop", "OrderPlaced", {"total": 250})
    assert (event["account"], event["region"], event["resources"]) == (account, "us-east-1", ["r1"])


def test_rules_of_another_bus_or_account_or_disabled_start_nothing(moto, boto, account, make_user):
    arn = machine(account)
    event_rules.put_rule(account, "all-shop", json.dumps({"source": ["shop"]}), arn)
    EventRule.objects.filter(name="all-shop").update(enabled=False)
    other = account_id_for(make_user("bo", AUTHORS))
    event_rules.put_rule(other, "theirs", json.dumps({"source": ["shop"]}), machine(other, "theirs"))
    entry = {"Source": "shop", "DetailType": "x", "Detail": "{}"}
    assert put_events(account, [entry]).status == "SUCCEEDED"
    boto("events").create_event_bus(Name="billing")
    assert put_events(account, [{**entry, "EventBusName": "billing"}]).status == "SUCCEEDED"
    time.sleep(0.5)  # a start would be committed before PutEvents answered; nothing should come
    assert not Execution.objects.exists()


def test_a_rule_whose_target_is_gone_does_not_fail_the_put(moto, account):
    arn = machine(account)
    event_rules.put_rule(account, "orphan", json.dumps({"source": ["shop"]}), arn)
    machines.delete_state_machine(arn, account)
    outcome = put_events(account, [{"Source": "shop", "DetailType": "x", "Detail": "{}"}])
    assert outcome.status == "SUCCEEDED", outcome.cause
    assert not Execution.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "bad name", "pattern": '{"source": ["a"]}'}, "Rule name: 1 to 64"),
        ({"name": "r", "pattern": '{"source": "a"}'}, "&#x27;source&#x27; must be an object or an array"),
        ({"name": "r", "pattern": "{not json"}, "Invalid JSON"),
        ({"name": "r", "pattern": "{}"}, "non-empty JSON object"),
        (
            {
                "name": "r",
                "pattern": '{"source": ["a"]}',
                "state_machine": "arn:aws:states:us-east-1:1:stateMachine:x",
            },
            "Target:",
        ),
    ],
)
def test_the_local_aws_page_makes_rules_and_names_what_is_wrong(moto, make_user, client, fields, message):
    user = make_user("ana", AUTHORS)
    client.force_login(user)
    arn = machine(account_id_for(user))
    url = reverse("executions:local-aws")
    page = client.post(url, {"action": "put-rule", "state_machine": arn, **fields}, follow=True)
    assert page.status_code == 200 and message in page.content.decode()
    assert not EventRule.objects.exists()
    page = client.post(
        url,
        {"action": "put-rule", "name": "ok", "pattern": '{"source": ["a"]}', "state_machine": arn},
        follow=True,
    )
    assert "Rule ok starts" in page.content.decode()
    assert "ok" in client.get(url).content.decode()
    client.post(url, {"action": "delete-rule", "name": "ok"})
    assert not EventRule.objects.exists()


def test_a_viewer_cannot_make_rules(moto, make_user, client):
    author = make_user("ana", AUTHORS)
    viewer = make_user("vi", VIEWERS)
    client.force_login(viewer)
    arn = machine(account_id_for(author))
    response = client.post(
        reverse("executions:local-aws"),
        {"action": "put-rule", "name": "r", "pattern": '{"source": ["a"]}', "state_machine": arn},
    )
    assert response.status_code == 403
    assert not EventRule.objects.exists()
