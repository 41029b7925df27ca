"""Publishing to a second live Symphony over HTTP: every operation exists there, so the target
validates the definition, PublishStateMachineVersion checks the revisionId (Step Functions API
Reference, PublishStateMachineVersion: "revisionId ... ConflictException"), and executions
started on the alias run the version it points at. Credentials come from a named profile (boto3's
standard chain) holding a key of a user of that Symphony."""

import json
import time

import pytest
from botocore.exceptions import ClientError

from designer.deploy import connection, importing, publish, rollback
from designer.deploy.models import DeploymentStatus
from tests.designer.deploy.conftest import (
    PASS,
    SYMPHONY_ROLE,
    make_remote_target,
    make_workflow,
    new_version,
    remote_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(publisher, remote_symphony, remote_keys, aws_env):
    return make_remote_target(publisher, remote_symphony, aws_env, remote_keys["publisher"], "symphony")


def run_on(sfn, arn: str) -> dict:
    started = sfn.start_execution(stateMachineArn=arn, input="{}")
    deadline = time.time() + 30
    while time.time() < deadline:
        described = sfn.describe_execution(executionArn=started["executionArn"])
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.1)
    raise AssertionError("the execution did not finish")


def test_publish_update_alias_and_roll_back_with_executions(publisher, target, remote_symphony, remote_keys):
    workflow = make_workflow(publisher, "hello-remote", PASS)
    first = publish.publish(workflow, publisher, target="symphony", alias="live")
    assert first.status == DeploymentStatus.SUCCEEDED, first.error
    assert first.steps[0] == {
        "name": "validate",
        "call": "ValidateStateMachineDefinition",
        "status": "done",
        "detail": "The target validated the definition.",
    }
    sfn = remote_client(remote_symphony, remote_keys["runner"])
    assert (
        sfn.describe_state_machine(stateMachineArn=first.state_machine_arn)["definition"] == first.definition
    )
    assert '"Result": "prod"' in first.definition

    new_version(workflow, publisher, {**PASS, "Comment": "v2"}, "second")
    second = publish.publish(workflow, publisher, target="symphony", alias="live")
    assert second.status == DeploymentStatus.SUCCEEDED, second.error
    assert [(s["call"], s["status"]) for s in second.steps][2:] == [
        ("UpdateStateMachine", "done"),
        ("PublishStateMachineVersion", "done"),
        ("UpdateStateMachineAlias", "done"),
    ]
    assert second.revision_id and second.steps[3]["params"]["revisionId"] == second.revision_id
    assert second.aws_version == 2
    assert sfn.describe_state_machine(stateMachineArn=second.version_arn)["description"] == "second"
    assert run_on(sfn, second.alias_arn)["stateMachineVersionArn"] == second.version_arn

    back = rollback.roll_back(workflow, publisher, target="symphony", alias="live", aws_version=1)
    assert back.status == DeploymentStatus.SUCCEEDED, back.error
    executed = run_on(sfn, second.alias_arn)
    assert executed["stateMachineVersionArn"] == first.version_arn and executed["output"] == '"prod"'


def test_a_stale_revision_is_not_published(publisher, target, remote_symphony, remote_keys):
    workflow = make_workflow(publisher, "raced", PASS)
    assert publish.publish(workflow, publisher, target="symphony").status == DeploymentStatus.SUCCEEDED
    new_version(workflow, publisher, {**PASS, "Comment": "mine"}, "mine")
    sfn = remote_client(remote_symphony, remote_keys["publisher"])

    def someone_else_updates(deployment, step):
        if step["name"] == "write":
            theirs = json.dumps({**PASS, "Comment": "theirs"})
            sfn.update_state_machine(stateMachineArn=deployment.state_machine_arn, definition=theirs)

    raced = publish.publish(workflow, publisher, target="symphony", on_step=someone_else_updates)
    assert raced.status == DeploymentStatus.FAILED
    assert raced.steps[3]["status"] == "failed"
    assert "is stale" in raced.error and "ConflictException" in raced.error
    versions = sfn.list_state_machine_versions(stateMachineArn=raced.state_machine_arn)[
        "stateMachineVersions"
    ]
    assert len(versions) == 1  # theirs was not published under our message
    # The publishers role publishes on the endpoint; running is the authors' (README, Security model).
    with pytest.raises(ClientError, match="AccessDeniedException"):
        sfn.start_execution(stateMachineArn=raced.state_machine_arn)


def test_a_target_that_refuses_the_write_says_so_in_aws_words(
    publisher, remote_symphony, remote_keys, aws_env
):
    make_remote_target(publisher, remote_symphony, aws_env, remote_keys["viewer"], "read-only")
    workflow = make_workflow(publisher, "refused", PASS)
    deployment = publish.publish(workflow, publisher, target="read-only")
    assert deployment.status == DeploymentStatus.FAILED
    assert [s["status"] for s in deployment.steps] == ["done", "done", "failed", "pending"]
    assert "AccessDeniedException" in deployment.error and "states:CreateStateMachine" in deployment.error
    assert "Done: ValidateStateMachineDefinition, ListStateMachines." in deployment.error
    assert remote_keys["viewer"][1] not in json.dumps(deployment.steps) + deployment.error


def test_connection_to_a_symphony_falls_back_to_a_probe(publisher, target, remote_keys):
    report = connection.test_connection(target, publisher)
    assert report.ok and report.method == "probe"
    assert "STS GetCallerIdentity failed" in report.message
    assert remote_keys["publisher"][1] not in json.dumps(report.to_dict())


def test_this_symphony_is_a_target_through_the_same_boto3_path(remote_symphony):
    """On the target server itself: its own endpoint, signed with the publisher's own key, made on
    the server; the secret is in no output and no log."""
    own_key = remote_symphony.create_access_key("self-publisher", "authors")
    remote_symphony.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
        "import json; from designer import services; "
        "u = get_user_model().objects.get(username='self-publisher'); "
        "u.groups.add(Group.objects.get(name='publishers')); "
        f"w = services.create_workflow(u, name='own', definition={json.dumps(json.dumps(PASS))}); "
        "services.create_version(w, u, message='mine')",
    )
    remote_symphony.manage(
        "targets",
        "add",
        "self",
        "--this-symphony",
        "--region",
        "us-east-1",
        "--role-arn",
        SYMPHONY_ROLE,
        "--substitution",
        "Stage=local",
        "--owner",
        "self-publisher",
    )
    out = remote_symphony.manage("publish", "own", "--target", "self", "--alias", "prod", "--json")
    record = json.loads(out)
    assert record["status"] == "SUCCEEDED" and record["aws_version"] == 1
    secret = remote_symphony.manage(
        "shell",
        "-c",
        "from executions.models import AccessKey; from executions.services import access_keys; "
        "print(access_keys.secret_for_signature(AccessKey.objects.get("
        "user__username='self-publisher', description__startswith='Publishing')))",
    ).splitlines()[-1]
    assert len(secret) == 40
    assert secret not in out and secret not in remote_symphony.log.read_text()
    sfn = remote_client(remote_symphony, own_key)
    assert run_on(sfn, record["alias_arn"])["output"] == '"local"'


def test_import_brings_the_versions_as_history_and_rolls_back_by_them(
    publisher, target, remote_symphony, remote_keys
):
    sfn = remote_client(remote_symphony, remote_keys["runner"])
    one = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": True}}})
    two = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 2, "End": True}}})
    created = sfn.create_state_machine(
        name="made-elsewhere", definition=one, roleArn=SYMPHONY_ROLE, publish=True, versionDescription="first"
    )
    sfn.update_state_machine(stateMachineArn=created["stateMachineArn"], definition=two, publish=True)
    sfn.create_state_machine_alias(
        name="prod",
        routingConfiguration=[{"stateMachineVersionArn": created["stateMachineArn"] + ":2", "weight": 100}],
    )
    workflow = importing.import_state_machine(publisher, target="symphony", name="made-elsewhere")
    assert [(v.number, v.message) for v in workflow.versions.order_by("number")] == [
        (1, "v1 on symphony: first"),
        (2, "v2 on symphony"),
    ]
    assert workflow.draft.definition == two
    records = workflow.deployments.order_by("aws_version")
    assert [(r.kind, r.aws_version) for r in records] == [("import", 1), ("import", 2)]
    assert "Aliases: prod → v2 100%." in records[0].steps[0]["detail"]
    back = rollback.roll_back(workflow, publisher, target="symphony", alias="prod", aws_version=1)
    assert back.status == DeploymentStatus.SUCCEEDED, back.error
    assert run_on(sfn, created["stateMachineArn"] + ":prod")["output"] == "1"
    again = importing.import_state_machine(publisher, target="symphony", name="made-elsewhere")
    assert again.pk == workflow.pk and again.versions.count() == 2
