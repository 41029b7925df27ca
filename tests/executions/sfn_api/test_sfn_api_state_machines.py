"""State machines, versions, aliases, tags and activities through boto3 against a live server."""

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.executions.conftest import PASS_DEFINITION, ROLE
from tests.executions.sfn_api.test_sfn_api_auth import raw_call


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def error_code(caught: pytest.ExceptionInfo) -> str:
    return caught.value.response["Error"]["Code"]


def test_sfn_api_state_machine_lifecycle(sfn):
    name = unique("crud")
    created = sfn.create_state_machine(name=name, definition=PASS_DEFINITION, roleArn=ROLE)
    arn = created["stateMachineArn"]
    assert arn == f"arn:aws:states:us-east-1:000000000000:stateMachine:{name}"
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["definition"] == PASS_DEFINITION
    assert described["type"] == "STANDARD"
    assert described["status"] == "ACTIVE"
    assert described["roleArn"] == ROLE

    new_definition = json.dumps({"StartAt": "Q", "States": {"Q": {"Type": "Succeed"}}})
    updated = sfn.update_state_machine(stateMachineArn=arn, definition=new_definition)
    assert updated["revisionId"] != described["revisionId"]
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == new_definition

    listed = [m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]]
    assert arn in listed
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(ClientError) as caught:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert error_code(caught) == "StateMachineDoesNotExist"


def test_sfn_api_create_is_idempotent_and_conflicts_on_change(sfn):
    name = unique("idem")
    first = sfn.create_state_machine(name=name, definition=PASS_DEFINITION, roleArn=ROLE)
    again = sfn.create_state_machine(name=name, definition=PASS_DEFINITION, roleArn=ROLE)
    assert again["stateMachineArn"] == first["stateMachineArn"]
    other = json.dumps({"StartAt": "X", "States": {"X": {"Type": "Succeed"}}})
    with pytest.raises(ClientError) as caught:
        sfn.create_state_machine(name=name, definition=other, roleArn=ROLE)
    assert error_code(caught) == "StateMachineAlreadyExists"


def test_sfn_api_invalid_definition_in_aws_form(sfn):
    with pytest.raises(ClientError) as caught:
        sfn.create_state_machine(name=unique("bad"), definition=json.dumps({"StartAt": "A"}), roleArn=ROLE)
    assert error_code(caught) == "InvalidDefinition"
    assert caught.value.response["Error"]["Message"] == (
        "Invalid State Machine Definition: "
        "'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
    )


def test_sfn_api_invalid_name_and_unknown_arns(sfn):
    with pytest.raises(ClientError) as caught:
        sfn.create_state_machine(name="has space", definition=PASS_DEFINITION, roleArn=ROLE)
    assert error_code(caught) == "InvalidName"
    with pytest.raises(ClientError) as caught:
        sfn.describe_state_machine(stateMachineArn="not-an-arn")
    assert error_code(caught) == "InvalidArn"
    missing = "arn:aws:states:us-east-1:000000000000:stateMachine:nope-" + uuid.uuid4().hex
    with pytest.raises(ClientError) as caught:
        sfn.describe_state_machine(stateMachineArn=missing)
    assert error_code(caught) == "StateMachineDoesNotExist"
    with pytest.raises(ClientError) as caught:
        sfn.describe_execution(executionArn=missing.replace(":stateMachine:", ":execution:") + ":x")
    assert error_code(caught) == "ExecutionDoesNotExist"


def test_sfn_api_missing_parameter_is_validation_error(live_sfn):
    status, body = raw_call(live_sfn.endpoint, "DescribeStateMachine", b"{}")
    assert status == 400
    assert body["__type"] == "ValidationException"
    assert "'stateMachineArn'" in body["message"]


def test_sfn_api_validate_definition(sfn):
    ok = sfn.validate_state_machine_definition(definition=PASS_DEFINITION)
    assert ok["result"] == "OK"
    assert ok["diagnostics"] == []
    bad = sfn.validate_state_machine_definition(definition=json.dumps({"States": {}}), type="EXPRESS")
    assert bad["result"] == "FAIL"
    assert {"code": "SCHEMA_VALIDATION_FAILED", "location": "/", "severity": "ERROR"}.items() <= bad[
        "diagnostics"
    ][0].items()


def test_sfn_api_list_state_machines_pages(sfn):
    prefix = unique("page")
    arns = {
        sfn.create_state_machine(name=f"{prefix}-{i}", definition=PASS_DEFINITION, roleArn=ROLE)[
            "stateMachineArn"
        ]
        for i in range(5)
    }
    seen, token = [], None
    while True:
        page = sfn.list_state_machines(maxResults=2, **({"nextToken": token} if token else {}))
        assert len(page["stateMachines"]) <= 2
        seen += [m["stateMachineArn"] for m in page["stateMachines"]]
        token = page.get("nextToken")
        if not token:
            break
    assert arns <= set(seen)
    assert len(seen) == len(set(seen))
    with pytest.raises(ClientError) as caught:
        sfn.list_state_machines(nextToken="garbage!")
    assert error_code(caught) == "InvalidToken"


def test_sfn_api_versions_and_aliases(sfn):
    arn = sfn.create_state_machine(name=unique("ver"), definition=PASS_DEFINITION, roleArn=ROLE, publish=True)
    v1 = arn["stateMachineVersionArn"]
    assert v1 == arn["stateMachineArn"] + ":1"
    sm = arn["stateMachineArn"]
    # Publishing an unchanged revision returns the same version.
    assert sfn.publish_state_machine_version(stateMachineArn=sm)["stateMachineVersionArn"] == v1
    sfn.update_state_machine(
        stateMachineArn=sm, definition=json.dumps({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}})
    )
    v2 = sfn.publish_state_machine_version(stateMachineArn=sm, description="second")["stateMachineVersionArn"]
    assert v2 == sm + ":2"
    versions = [
        v["stateMachineVersionArn"]
        for v in sfn.list_state_machine_versions(stateMachineArn=sm)["stateMachineVersions"]
    ]
    assert versions == [v2, v1]
    assert sfn.describe_state_machine(stateMachineArn=v1)["definition"] == PASS_DEFINITION

    alias = sfn.create_state_machine_alias(
        name="prod", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}]
    )["stateMachineAliasArn"]
    assert alias == sm + ":prod"
    with pytest.raises(ClientError) as caught:
        sfn.delete_state_machine_version(stateMachineVersionArn=v1)
    assert error_code(caught) == "ConflictException"
    with pytest.raises(ClientError) as caught:
        sfn.update_state_machine_alias(
            stateMachineAliasArn=alias,
            routingConfiguration=[
                {"stateMachineVersionArn": v1, "weight": 50},
                {"stateMachineVersionArn": v2, "weight": 40},
            ],
        )
    assert error_code(caught) == "ValidationException"
    sfn.update_state_machine_alias(
        stateMachineAliasArn=alias,
        routingConfiguration=[{"stateMachineVersionArn": v2, "weight": 100}],
        description="now v2",
    )
    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert described["routingConfiguration"] == [{"stateMachineVersionArn": v2, "weight": 100}]
    assert described["description"] == "now v2"
    assert [
        a["stateMachineAliasArn"]
        for a in sfn.list_state_machine_aliases(stateMachineArn=sm)["stateMachineAliases"]
    ] == [alias]
    sfn.delete_state_machine_version(stateMachineVersionArn=v1)
    versions = [
        v["stateMachineVersionArn"]
        for v in sfn.list_state_machine_versions(stateMachineArn=sm)["stateMachineVersions"]
    ]
    assert versions == [v2]
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(ClientError) as caught:
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert error_code(caught) == "ResourceNotFound"


def test_sfn_api_tags(sfn):
    sm = sfn.create_state_machine(
        name=unique("tags"), definition=PASS_DEFINITION, roleArn=ROLE, tags=[{"key": "team", "value": "a"}]
    )["stateMachineArn"]
    sfn.tag_resource(resourceArn=sm, tags=[{"key": "env", "value": "dev"}, {"key": "team", "value": "b"}])
    tags = {t["key"]: t["value"] for t in sfn.list_tags_for_resource(resourceArn=sm)["tags"]}
    assert tags == {"team": "b", "env": "dev"}
    sfn.untag_resource(resourceArn=sm, tagKeys=["team"])
    assert sfn.list_tags_for_resource(resourceArn=sm)["tags"] == [{"key": "env", "value": "dev"}]
    with pytest.raises(ClientError) as caught:
        sfn.tag_resource(resourceArn=sm + "-missing", tags=[{"key": "a", "value": "b"}])
    assert error_code(caught) == "ResourceNotFound"


def test_sfn_api_activities(sfn):
    name = unique("act")
    arn = sfn.create_activity(name=name, tags=[{"key": "k", "value": "v"}])["activityArn"]
    assert arn == f"arn:aws:states:us-east-1:000000000000:activity:{name}"
    assert sfn.create_activity(name=name)["activityArn"] == arn  # idempotent
    assert sfn.describe_activity(activityArn=arn)["name"] == name
    assert arn in [a["activityArn"] for a in sfn.list_activities()["activities"]]
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "k", "value": "v"}]
    sfn.delete_activity(activityArn=arn)
    with pytest.raises(ClientError) as caught:
        sfn.describe_activity(activityArn=arn)
    assert error_code(caught) == "ActivityDoesNotExist"
