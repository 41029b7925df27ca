"""The inspector in Chromium: sections (Configuration, Input, Output, Error handling, Variables), a
function picker for a Lambda Task offering the local functions and a target's Lambda functions
(listed through the target's client, on moto's server), and an AWS integration's parameters as a
form from botocore's service model, whose JSON fields refuse a value of the wrong type.

Needs the Vite build (`npm run build`).
"""

import json
from collections.abc import Iterator

import boto3
import pytest
from django.contrib.auth.models import Group
from moto.server import ThreadedMotoServer
from playwright.sync_api import Page, expect

from accounts.services import account_id_for
from designer import services
from designer.deploy import targets
from designer.roles import AUTHORS, PUBLISHERS
from executions.services.functions import save_local_function
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_browser_editor import built_bundle, code_text, node, wait_for_code
from tests.executions.conftest import free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["built_bundle"]

DEFINITION = {
    "StartAt": "Greet",
    "States": {
        "Greet": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"Payload.$": "$"},
            "Next": "Load",
        },
        "Load": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": "orders"},
            "End": True,
        },
    },
}


@pytest.fixture
def moto_url(monkeypatch) -> Iterator[str]:
    """moto's server over HTTP; the live server's boto3 chain finds these credentials."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "envkey")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def add_target_function(url: str) -> None:
    session = boto3.Session(region_name="us-east-1", aws_access_key_id="envkey", aws_secret_access_key="x")
    trust = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ]
    }
    role = session.client("iam", endpoint_url=url).create_role(
        RoleName="lambda", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    session.client("lambda", endpoint_url=url).create_function(
        FunctionName="resize-image",
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
    )


def test_sections_function_picker_and_an_integrations_form(
    page: Page, live_server, make_user, moto_url, artifacts
):
    author = make_user("ana", AUTHORS, password=PASSWORD)
    author.groups.add(Group.objects.get(name=PUBLISHERS))
    save_local_function(
        account=account_id_for(author), name="greet", code="def handler(event, context):\n    return event\n"
    )
    add_target_function(moto_url)
    targets.create_target(
        author,
        name="moto",
        region="us-east-1",
        role_arn="arn:aws:iam::123456789012:role/x",
        endpoint_url=moto_url,
    )
    workflow = services.create_workflow(author, name="greeter", definition=json.dumps(DEFINITION, indent=2))
    page.set_viewport_size({"width": 1600, "height": 1000})
    sign_in(page, live_server.url, "ana", f"/workflows/{workflow.pk}/")
    expect(page.locator('.react-flow[data-layout-ready="true"] .state-node').first).to_be_visible()

    # A Task's inspector in Workflow Studio's sections, each field in its own.
    node(page, "Greet").click()
    inspector = page.get_by_role("complementary", name="Inspector")
    expect(inspector.get_by_role("navigation", name="Inspector sections").get_by_role("button")).to_have_text(
        ["Configuration", "Input", "Output", "Error handling", "Variables"]
    )
    expect(
        inspector.get_by_role("region", name="Input").get_by_label("Parameters", exact=True)
    ).to_be_visible()
    expect(inspector.get_by_role("region", name="Output").get_by_label("ResultPath")).to_be_visible()
    expect(
        inspector.get_by_role("region", name="Error handling").get_by_label("TimeoutSeconds", exact=True)
    ).to_be_visible()
    expect(inspector.get_by_role("region", name="Variables").get_by_label("Assign")).to_be_visible()

    # The function picker: the local function and the target's, by group.
    picker = inspector.get_by_label("Function", exact=True)
    expect(picker.locator('optgroup[label="Local functions"] option')).to_have_text(["greet"])
    expect(picker.locator('optgroup[label="Target moto"] option')).to_have_text(["resize-image"])
    picker.select_option(label="greet")
    wait_for_code(page, '"FunctionName": "greet"')
    assert json.loads(code_text(page))["States"]["Greet"]["Parameters"] == {
        "Payload.$": "$",
        "FunctionName": "greet",
    }
    page.screenshot(path=str(artifacts / "inspector-function-picker.png"))
    picker.select_option(label="resize-image")
    wait_for_code(page, ":function:resize-image")

    # An integration's parameters as a form from botocore's model: required, typed, documented.
    node(page, "Load").click()
    form = inspector.get_by_role("group", name="API parameters")
    expect(form).to_contain_text("Amazon DynamoDB: GetItem")
    key = form.locator('[data-parameter="Key"]')
    expect(key).to_contain_text("Key · map · required")
    expect(key).to_contain_text("Required by the API: not set.")
    expect(form.locator('[data-parameter="TableName"] input')).to_have_value("orders")
    expect(form.locator('[data-parameter="ProjectionExpression"]')).to_have_count(0)
    form.get_by_role("button", name="Show all").click()
    expect(form.locator('[data-parameter="ProjectionExpression"]')).to_contain_text("attributes")

    # JSON fields validate as typed: a map takes an object, nothing else reaches the document.
    before = code_text(page)
    key.get_by_label("Key").fill('["id"]')
    expect(key).to_contain_text("Expected a JSON object, not an array")
    assert code_text(page) == before
    key.get_by_label("Key").fill('{"id": {"S": "o-1"}}')
    wait_for_code(page, '"o-1"')
    expect(key).not_to_contain_text("Required by the API")
    form.locator('[data-parameter="ConsistentRead"] select').select_option("true")
    wait_for_code(page, '"ConsistentRead": true')
    assert json.loads(code_text(page))["States"]["Load"]["Parameters"] == {
        "TableName": "orders",
        "Key": {"id": {"S": "o-1"}},
        "ConsistentRead": True,
    }
    page.screenshot(path=str(artifacts / "inspector-integration-form.png"))
