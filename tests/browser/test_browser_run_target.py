"""A publisher points a run at a deploy target from the Run dialog in Chromium: the run's
DynamoDB write lands in the target's AWS (a moto server over HTTP standing in for it), the run
view says where the call went, and the target's secret reaches no page. An author who may not
publish is not offered targets."""

import json
import re

import boto3
import pytest
from moto.server import ThreadedMotoServer
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, sign_in
from tests.executions.conftest import free_port, make_server

pytestmark = pytest.mark.browser

SECRET = "browser-target-secret"
DEFINITION = {
    "StartAt": "Store",
    "States": {
        "Store": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "orders", "Item": {"id": {"S.$": "$.id"}}},
            "End": True,
        }
    },
}


@pytest.fixture(scope="module")
def target_aws():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    url = f"http://127.0.0.1:{port}"
    boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="k",
        aws_secret_access_key="s",
    ).create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield url
    server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, target_aws):
    live = make_server(
        tmp_path_factory.mktemp("symphony-browser-target"),
        AWS_ACCESS_KEY_ID="AKIABROWSERTARGET000",
        AWS_SECRET_ACCESS_KEY=SECRET,
    )
    live.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
        "from designer import services; from designer.roles import apply_roles; apply_roles(); "
        "from designer.deploy.models import Target; from accounts.services import account_id_for; "
        f"u = get_user_model().objects.create_user('pia', 'pia@example.com', {PASSWORD!r}); "
        "u.groups.add(Group.objects.get(name='authors'), Group.objects.get(name='publishers')); "
        f"services.create_workflow(u, name='store-order', definition={json.dumps(DEFINITION)!r}); "
        "Target.objects.create(account_id=account_id_for(u), name='staging', region='us-east-1', "
        f"role_arn='arn:aws:iam::123456789012:role/sfn', endpoint_url={target_aws!r}); "
        f"a = get_user_model().objects.create_user('ana', 'ana@example.com', {PASSWORD!r}); "
        "a.groups.add(Group.objects.get(name='authors')); "
        f"services.create_workflow(a, name='store-order', definition={json.dumps(DEFINITION)!r})",
    )
    live.start()
    yield live
    live.stop()


def test_a_publisher_runs_against_a_targets_aws(page: Page, server, target_aws, artifacts):
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server.url, "pia", "/workflows/1/")
    page.get_by_role("toolbar", name="Editor").get_by_role("button", name="Run", exact=False).click()
    dialog = page.get_by_role("dialog", name="Run store-order")
    where = dialog.get_by_label("AWS calls go to")
    expect(where).to_have_value("")
    where.select_option(label="Target staging (its AWS, its credentials)")
    dialog.get_by_label("Input (JSON)").fill('{"id": "from-the-browser"}')
    page.screenshot(path=str(artifacts / "run-dialog-target.png"))
    dialog.get_by_role("button", name="Start execution").click()

    expect(page).to_have_url(re.compile(r"/executions/\d+/$"))
    expect(page.locator("#execution-status")).to_have_text("Succeeded", timeout=30000)
    page.reload()  # the AWS calls table is drawn by the server, once the run has made them
    expect(page.locator(".run-service-calls")).to_contain_text(f"target staging: {target_aws}")
    assert SECRET not in page.content()
    stored = boto3.client(
        "dynamodb",
        endpoint_url=target_aws,
        region_name="us-east-1",
        aws_access_key_id="k",
        aws_secret_access_key="s",
    ).get_item(TableName="orders", Key={"id": {"S": "from-the-browser"}})
    assert stored["Item"]["id"] == {"S": "from-the-browser"}


def test_an_author_who_may_not_publish_is_not_offered_targets(page: Page, server):
    sign_in(page, server.url, "ana", "/workflows/2/")
    page.get_by_role("toolbar", name="Editor").get_by_role("button", name="Run", exact=False).click()
    dialog = page.get_by_role("dialog", name="Run store-order")
    expect(dialog.get_by_label("Input (JSON)")).to_be_visible()
    expect(dialog.get_by_label("AWS calls go to")).to_have_count(0)
