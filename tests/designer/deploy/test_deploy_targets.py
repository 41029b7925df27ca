"""Targets: each field checked with its error beside it, publishers only, REST and commands, and
Test connection against a real moto server (STS GetCallerIdentity, AssumeRole with an external id)."""

import json

import boto3
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from designer.deploy import connection, lambda_functions, publish, targets
from designer.deploy.errors import TargetFieldError, TargetNameTaken, TargetNotFound
from designer.roles import AUTHORS, PUBLISHERS
from designer.services import NotAllowed
from tests.designer.deploy.conftest import ROLE, make_workflow
from tests.executions.conftest import free_port

pytestmark = pytest.mark.django_db

GOOD = {"name": "moto", "region": "us-east-1", "role_arn": ROLE}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("endpoint_url", "not a url", "INVALID_ENDPOINT_URL"),
        ("endpoint_url", "ftp://example.com/", "INVALID_ENDPOINT_URL"),
        ("role_arn", "my-role", "INVALID_ROLE_ARN"),
        # A user, not a role (IAM User Guide, "IAM identifiers": arn:aws:iam::account:role/name).
        ("role_arn", "arn:aws:iam::123456789012:user/ana", "INVALID_ROLE_ARN"),
        ("assume_role_arn", "arn:aws:iam::12345:role/short-account", "INVALID_ROLE_ARN"),
        ("region", "us-nowhere-9", "UNKNOWN_REGION"),
        ("region", "", "UNKNOWN_REGION"),
        ("profile", "no-such-profile", "UNKNOWN_PROFILE"),
        ("name", "two words", "INVALID_NAME"),
        ("substitutions", {"1st": "x"}, "INVALID_SUBSTITUTIONS"),
        ("tags", {"aws:reserved": "x"}, "INVALID_TAGS"),
        ("log_group_arn", "arn:aws:logs:us-east-1:123456789012:log-group:g", "INVALID_LOG_GROUP_ARN"),
    ],
)
def test_each_bad_field_is_named(publisher, field, value, code):
    with pytest.raises(TargetFieldError) as raised:
        targets.create_target(publisher, **{**GOOD, field: value})
    assert (raised.value.field, raised.value.code) == (field, code)
    assert not targets.targets_for(publisher).exists()


def test_fields_that_go_together(publisher):
    with pytest.raises(TargetFieldError) as raised:
        targets.create_target(publisher, **GOOD, this_symphony=True, endpoint_url="http://127.0.0.1:1")
    assert raised.value.field == "endpoint_url"
    with pytest.raises(TargetFieldError) as raised:
        targets.create_target(publisher, **GOOD, external_id="abc123")
    assert raised.value.field == "external_id"
    with pytest.raises(TargetFieldError) as raised:
        targets.create_target(publisher, **GOOD, log_level="ALL")
    assert raised.value.field == "log_group_arn"


def test_a_region_of_another_partition_is_known(publisher):
    target = targets.create_target(publisher, **{**GOOD, "region": "cn-north-1"})
    assert target.region == "cn-north-1"


def test_names_are_unique_per_account(publisher):
    targets.create_target(publisher, **GOOD)
    with pytest.raises(TargetNameTaken):
        targets.create_target(publisher, **GOOD)


def test_only_publishers_manage_targets(author):
    with pytest.raises(NotAllowed):
        targets.create_target(author, **GOOD)


def test_rest_create_list_change_remove(api_for, publisher, author, moto):
    api = api_for(publisher)
    created = api.post(
        "/api/targets/",
        {**GOOD, "endpoint_url": moto.url, "substitutions": {"GreetFn": "arn:x"}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["endpoint_url"] == moto.url and body["substitutions"] == {"GreetFn": "arn:x"}
    assert [t["name"] for t in api.get("/api/targets/").json()["results"]] == ["moto"]
    changed = api.patch(f"/api/targets/{body['id']}/", {"region": "eu-west-1"}, format="json")
    assert changed.status_code == 200 and changed.json()["region"] == "eu-west-1"
    assert changed.json()["created_by"] == changed.json()["updated_by"] == "pia"
    bad = api.patch(f"/api/targets/{body['id']}/", {"role_arn": "nope"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "role_arn"
    assert api_for(author).get("/api/targets/").status_code == 403
    assert api.delete(f"/api/targets/{body['id']}/").status_code == 204
    assert api.get("/api/targets/").json()["results"] == []


def test_rest_bad_input_is_a_400_beside_the_field(api_for, publisher):
    api = api_for(publisher)
    for field, value in [
        ("endpoint_url", "http//nope"),
        ("region", "mars-1"),
        ("role_arn", "arn:aws:s3:::b"),
    ]:
        answer = api.post("/api/targets/", {**GOOD, field: value}, format="json")
        assert answer.status_code == 400, answer.json()
        assert answer.json()["errors"] == [{"field": field, "message": answer.json()["message"]}]
    wrong_type = api.post("/api/targets/", {**GOOD, "tracing_enabled": "maybe"}, format="json")
    assert wrong_type.status_code == 400
    assert wrong_type.json()["errors"][0]["field"] == "tracing_enabled"


def test_connection_says_which_identity_and_account(publisher, moto):
    target = targets.create_target(publisher, **GOOD, endpoint_url=moto.url)
    report = connection.test_connection(target, publisher)
    assert report.ok and report.method == "sts"
    assert report.account == "123456789012"  # moto's default account
    assert report.identity.startswith("arn:aws:sts::123456789012:")


def test_connection_through_an_assumed_role(publisher, moto):
    target = targets.create_target(
        publisher,
        **GOOD,
        endpoint_url=moto.url,
        assume_role_arn="arn:aws:iam::123456789012:role/publisher",
        external_id="symphony-ext-1",
    )
    report = connection.test_connection(target, publisher)
    assert report.ok
    assert report.identity.startswith("arn:aws:sts::123456789012:assumed-role/publisher/symphony-publish")


def test_connection_through_a_named_profile(publisher, moto):
    target = targets.create_target(publisher, **GOOD, endpoint_url=moto.url, profile="moto-profile")
    assert connection.test_connection(target, publisher).ok


def test_connection_to_an_endpoint_that_is_down(publisher):
    target = targets.create_target(publisher, **GOOD, endpoint_url=f"http://127.0.0.1:{free_port()}")
    report = connection.test_connection(target, publisher)
    assert not report.ok
    assert "Could not connect to the endpoint URL" in report.message
    assert "envsecret" not in json.dumps(report.to_dict())


def test_rest_test_connection(api_for, publisher, moto):
    target = targets.create_target(publisher, **GOOD, endpoint_url=moto.url)
    answer = api_for(publisher).post(f"/api/targets/{target.pk}/test/")
    assert answer.status_code == 200
    assert answer.json()["account"] == "123456789012"


def test_targets_command(publisher, moto, capsys):
    call_command(
        "targets",
        "add",
        "moto",
        "--region",
        "us-east-1",
        "--role-arn",
        ROLE,
        "--endpoint-url",
        moto.url,
        "--substitution",
        "GreetFn=arn:aws:lambda:us-east-1:123456789012:function:greet",
        "--owner",
        "pia",
    )
    call_command("targets", "list", "--json", "--owner", "pia")
    listed = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert listed[0]["substitutions"] == {"GreetFn": "arn:aws:lambda:us-east-1:123456789012:function:greet"}
    call_command("targets", "test", "moto", "--owner", "pia")
    assert "account 123456789012" in capsys.readouterr().out
    with pytest.raises(CommandError, match="region: 'atlantis-1' is not a region"):
        call_command("targets", "add", "x", "--region", "atlantis-1", "--role-arn", ROLE, "--owner", "pia")
    call_command("targets", "remove", "moto", "--owner", "pia")
    assert not targets.targets_for(publisher).exists()


def test_another_accounts_publisher_neither_sees_nor_uses_a_target(publisher, make_user, api_for, moto):
    target = targets.create_target(publisher, **GOOD, endpoint_url=moto.url)
    other = make_user("otto", AUTHORS)
    other.groups.add(Group.objects.get(name=PUBLISHERS))
    api = api_for(other)
    assert api.get("/api/targets/").json()["results"] == []
    assert api.get(f"/api/targets/{target.pk}/").status_code == 404
    assert api.post(f"/api/targets/{target.pk}/test/").status_code == 404
    with pytest.raises(TargetNotFound):
        publish.publish(make_workflow(other, "mine"), other, target="moto")
    with pytest.raises(NotAllowed):
        targets.delete_target(target, other)


def test_a_targets_lambda_functions_are_listed_through_its_client_for_publishers_only(
    publisher, make_user, api_for, moto
):
    target = targets.create_target(
        publisher, name="moto-fns", region="us-east-1", role_arn=ROLE, endpoint_url=moto.url
    )
    session = boto3.Session(region_name="us-east-1", aws_access_key_id="envkey", aws_secret_access_key="x")
    trust = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ]
    }
    role = session.client("iam", endpoint_url=moto.url).create_role(
        RoleName="lambda", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    session.client("lambda", endpoint_url=moto.url).create_function(
        FunctionName="resize-image",
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        Description="Makes thumbnails",
    )
    listed = api_for(publisher).get(f"/api/targets/{target.pk}/functions/")
    assert listed.status_code == 200
    assert [(f["name"], f["runtime"], f["description"]) for f in listed.json()] == [
        ("resize-image", "python3.12", "Makes thumbnails")
    ]
    assert listed.json()[0]["arn"].endswith(":function:resize-image")
    author = make_user("ada", AUTHORS)
    assert api_for(author).get(f"/api/targets/{target.pk}/functions/").status_code == 403
    with pytest.raises(NotAllowed):
        lambda_functions.list_functions(target, author)
