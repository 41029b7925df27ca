"""GET /api/integrations/parameters/: an integration's API parameters from botocore's service model."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/integrations/parameters/"


def test_an_optimized_integration_lists_its_api_parameters(api):
    answer = api.get(URL, {"resource": "arn:aws:states:::dynamodb:getItem"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["service"], body["operation"]) == ("dynamodb", "GetItem")
    params = {p["name"]: p for p in body["parameters"]}
    assert params["TableName"]["type"] == "string" and params["TableName"]["required"] is True
    assert params["Key"]["type"] == "map" and params["Key"]["required"] is True
    assert params["ConsistentRead"] == {**params["ConsistentRead"], "type": "boolean", "required": False}
    assert "ALL_OLD" not in str(params["ReturnConsumedCapacity"])
    assert params["ReturnConsumedCapacity"]["enum"] == ["INDEXES", "TOTAL", "NONE"]
    # Documentation is plain text, no HTML.
    assert "<p>" not in params["TableName"]["documentation"]
    assert "table" in params["TableName"]["documentation"]


def test_aws_sdk_and_suffixed_resources_and_step_functions_names(api):
    sdk = api.get(URL, {"resource": "arn:aws:states:::aws-sdk:secretsmanager:getSecretValue"}).json()
    assert sdk["operation"] == "GetSecretValue"
    assert [p["name"] for p in sdk["parameters"] if p["required"]] == ["SecretId"]
    sync = api.get(URL, {"resource": "arn:aws:states:::states:startExecution.sync:2"}).json()
    assert (sync["service"], sync["operation"]) == ("stepfunctions", "StartExecution")
    # A list of structures shows its items' members.
    events = api.get(URL, {"resource": "arn:aws:states:::events:putEvents"}).json()
    entries = next(p for p in events["parameters"] if p["name"] == "Entries")
    assert entries["type"] == "list" and entries["items"] == "structure"
    assert "DetailType" in [m["name"] for m in entries["members"]]


@pytest.mark.parametrize(
    ("resource", "says"),
    [
        ("", "not an AWS integration ARN"),
        ("arn:aws:states:::http:invoke", "no service 'http'"),
        ("arn:aws:states:::dynamodb:getItems", "no API action 'GetItems'"),
        ("arn:aws:lambda:us-east-1:123456789012:function:f", "not an AWS integration ARN"),
    ],
)
def test_a_resource_that_names_no_api_action_is_a_400_on_the_field(api, resource, says):
    answer = api.get(URL, {"resource": resource})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "resource"
    assert says in answer.json()["errors"][0]["message"]


def test_anonymous_callers_are_refused(client):
    assert client.get(URL, {"resource": "arn:aws:states:::sqs:sendMessage"}).status_code in (401, 403)
