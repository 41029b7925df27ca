"""Publishing to a real moto server over HTTP (boto3 through real sockets): create, update, publish,
alias, roll back, drift, dry run, substitutions and the failure paths.

moto 5.2 has no ValidateStateMachineDefinition or PublishStateMachineVersion (HTTP 500): publish
says "validated locally only" and publishes with UpdateStateMachine(publish=true), as AWS allows
(Step Functions API Reference, UpdateStateMachine: "publish" and "versionDescription").
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.services import account_id_for
from designer import services
from designer.deploy import drift, publish, rollback, targets
from designer.deploy.errors import PublishRefused
from designer.deploy.models import Deployment, DeploymentStatus
from designer.models import Workflow
from tests.designer.deploy.conftest import (
    DEFINITION,
    GREET_FN,
    ROLE,
    Moto,
    make_moto_target,
    make_workflow,
    new_version,
)
from tests.executions.conftest import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(publisher, moto):
    return make_moto_target(publisher, moto, tags={"team": "payments"})


def steps(deployment: Deployment) -> list[tuple[str, str]]:
    return [(step["call"], step["status"]) for step in deployment.steps]


def test_first_publish_creates_publishes_and_points_the_alias(publisher, workflow, target, moto):
    deployment = publish.publish(workflow, publisher, target="moto", alias="prod")
    assert deployment.status == DeploymentStatus.SUCCEEDED, deployment.error
    assert steps(deployment) == [
        ("ValidateStateMachineDefinition", "skipped"),
        ("ListStateMachines", "done"),
        ("CreateStateMachine", "done"),
        ("PublishStateMachineVersion", "skipped"),
        ("CreateStateMachineAlias", "done"),
    ]
    assert deployment.steps[0]["detail"].endswith("validated locally only.")
    sfn = moto.sfn()
    live = sfn.describe_state_machine(stateMachineArn=deployment.state_machine_arn)
    # Exactly the version's text with ${GreetFn} replaced: what the deployment says it sent.
    expected = json.dumps(DEFINITION, indent=2).replace("${GreetFn}", GREET_FN)
    assert live["definition"] == expected == deployment.definition
    assert live["roleArn"] == ROLE and live["type"] == "STANDARD"
    assert deployment.aws_version == 1 and deployment.version_arn == deployment.state_machine_arn + ":1"
    assert sfn.describe_state_machine(stateMachineArn=deployment.version_arn)["description"] == "first"
    alias = sfn.describe_state_machine_alias(stateMachineAliasArn=deployment.alias_arn)
    assert alias["routingConfiguration"] == [
        {"stateMachineVersionArn": deployment.version_arn, "weight": 100}
    ]
    assert deployment.target_account_id == "123456789012"
    assert deployment.actor == publisher and deployment.account.pk == account_id_for(publisher)
    tags = sfn.list_tags_for_resource(resourceArn=deployment.state_machine_arn)["tags"]
    assert tags == [{"key": "team", "value": "payments"}]


def test_update_publishes_the_next_version_and_moves_the_alias_then_rolls_back(
    publisher, workflow, target, moto
):
    first = publish.publish(workflow, publisher, target="moto", alias="prod")
    changed = {**DEFINITION, "Comment": "greets louder"}
    new_version(workflow, publisher, changed, "louder")
    second = publish.publish(workflow, publisher, target="moto", alias="prod")
    assert second.status == DeploymentStatus.SUCCEEDED, second.error
    assert steps(second) == [
        ("ValidateStateMachineDefinition", "skipped"),
        ("ListStateMachines, DescribeStateMachine", "done"),
        ("UpdateStateMachine", "done"),
        ("UpdateStateMachine (publish=true)", "done"),
        ("UpdateStateMachineAlias", "done"),
    ]
    assert "revisionId was not checked" in second.steps[3]["detail"]
    assert second.aws_version == 2 and second.alias_arn == first.alias_arn
    sfn = moto.sfn()
    assert sfn.describe_state_machine(stateMachineArn=second.version_arn)["description"] == "louder"
    assert (
        '"Comment": "greets louder"'
        in sfn.describe_state_machine(stateMachineArn=second.state_machine_arn)["definition"]
    )

    back = rollback.roll_back(workflow, publisher, target="moto", alias="prod", aws_version=1)
    assert back.status == DeploymentStatus.SUCCEEDED, back.error
    routing = sfn.describe_state_machine_alias(stateMachineAliasArn=first.alias_arn)["routingConfiguration"]
    assert routing == [{"stateMachineVersionArn": first.version_arn, "weight": 100}]
    assert back.kind == "rollback" and back.actor == publisher and back.version.number == 1

    with pytest.raises(PublishRefused) as raised:
        rollback.roll_back(workflow, publisher, target="moto", alias="prod", aws_version=7)
    assert raised.value.errors[0]["field"] == "version"


def test_dry_run_lists_the_calls_and_the_diff_and_makes_none(publisher, workflow, target, moto):
    planned = publish.publish(workflow, publisher, target="moto", alias="prod", dry_run=True)
    assert planned.status == DeploymentStatus.PLANNED, planned.error
    assert steps(planned) == [
        ("ValidateStateMachineDefinition", "skipped"),
        ("ListStateMachines", "done"),
        ("CreateStateMachine", "planned"),
        ("PublishStateMachineVersion", "planned"),
        ("CreateStateMachineAlias", "planned"),
    ]
    assert planned.steps[2]["params"]["name"] == "greeter"
    assert planned.steps[2]["params"]["definition"].startswith("<")  # by size and sha256, not the text
    assert f'+      "Resource": "{GREET_FN}",' in planned.diff
    assert moto.sfn().list_state_machines()["stateMachines"] == []

    publish.publish(workflow, publisher, target="moto", alias="prod")
    new_version(workflow, publisher, {**DEFINITION, "Comment": "v2"}, "v2")
    planned = publish.publish(workflow, publisher, target="moto", alias="prod", dry_run=True)
    assert [call for call, status in steps(planned) if status == "planned"] == [
        "UpdateStateMachine",
        "PublishStateMachineVersion",
        "UpdateStateMachineAlias",
    ]
    assert '-  "Comment": "greets",\n+  "Comment": "v2",' in planned.diff
    sfn = moto.sfn()
    assert '"greets"' in sfn.describe_state_machine(stateMachineArn=planned.state_machine_arn)["definition"]


def test_a_missing_substitution_stops_it_listing_each_place(publisher, target, moto):
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Task", "Resource": "${GreetFn}", "Next": "B"},
            "B": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "${AuditFn}", "Payload.$": "$"},
                "Next": "C",
            },
            "C": {"Type": "Pass", "Result": "${Stage}-${AuditFn}", "End": True},
        },
    }
    workflow = make_workflow(publisher, "audited", definition)
    with pytest.raises(PublishRefused) as raised:
        publish.publish(workflow, publisher, target="moto")
    refused = raised.value
    assert refused.code == "UNRESOLVED_SUBSTITUTION"
    assert "${AuditFn}, ${Stage}" in refused.message
    assert [(e["name"], e["pointer"], e["state"]) for e in refused.errors] == [
        ("AuditFn", "/States/B/Parameters/FunctionName", "B"),
        ("Stage", "/States/C/Result", "C"),
        ("AuditFn", "/States/C/Result", "C"),
    ]
    assert not Deployment.objects.exists()
    assert moto.sfn().list_state_machines()["stateMachines"] == []


def test_a_definition_over_1_mib_after_substitution_is_refused(publisher, target, moto):
    big = "x" * 600_000
    targets.update_target(target, publisher, substitutions={"GreetFn": GREET_FN, "Big": big})
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Result": {"a": "${Big}", "b": "${Big}"}, "End": True}},
    }
    workflow = make_workflow(publisher, "bulky", definition)
    with pytest.raises(PublishRefused) as raised:
        publish.publish(workflow, publisher, target="moto")
    assert raised.value.code == "DEFINITION_TOO_LARGE"
    assert raised.value.errors[0]["field"] == "definition"
    assert "limit is 1,048,576 bytes" in raised.value.message
    assert moto.sfn().list_state_machines()["stateMachines"] == []


def test_a_type_change_is_refused_as_aws_refuses_it(publisher, workflow, target, moto):
    sfn = moto.sfn()
    sfn.create_state_machine(name="greeter", definition=json.dumps(DEFINITION), roleArn=ROLE, type="EXPRESS")
    deployment = publish.publish(workflow, publisher, target="moto")
    assert deployment.status == DeploymentStatus.FAILED
    assert "is EXPRESS and this workflow is STANDARD" in deployment.error
    assert (
        "Not done: CreateStateMachine or UpdateStateMachine, PublishStateMachineVersion." in deployment.error
    )
    assert [s["status"] for s in deployment.steps] == ["skipped", "failed", "pending", "pending"]


def test_a_workflow_renamed_after_its_first_publish_is_refused_beside_its_name(publisher, workflow, target):
    assert publish.publish(workflow, publisher, target="moto").status == DeploymentStatus.SUCCEEDED
    services.update_workflow(workflow, publisher, name="greeter-v2")
    with pytest.raises(PublishRefused) as raised:
        publish.publish(workflow, publisher, target="moto")
    assert raised.value.errors[0]["field"] == "name"
    assert "published to moto as 'greeter'" in raised.value.message


def test_endpoint_down_mid_publish_then_retry_goes_on_from_there(publisher, workflow, target):
    """A moto of its own, stopped right after the update: the record says what was done; a retry
    after it is back publishes without updating again."""
    own = Moto(free_port())
    own.start()
    try:
        targets.update_target(target, publisher, endpoint_url=own.url)
        assert publish.publish(workflow, publisher, target="moto").status == DeploymentStatus.SUCCEEDED
        new_version(workflow, publisher, {**DEFINITION, "Comment": "v2"}, "v2")

        def outage(deployment, step):
            if step["name"] == "write":
                own.stop()

        failed = publish.publish(workflow, publisher, target="moto", on_step=outage)
        assert failed.status == DeploymentStatus.FAILED
        assert [s["status"] for s in failed.steps] == ["skipped", "done", "done", "failed"]
        assert "Could not connect to the endpoint URL" in failed.steps[3]["detail"]
        assert "Done: ListStateMachines, DescribeStateMachine, UpdateStateMachine." in failed.error
        assert "Not done: nothing else." in failed.error
        assert failed.version_arn == "" and failed.aws_version is None
        stored = Deployment.objects.get(pk=failed.pk)
        assert stored.status == DeploymentStatus.FAILED and stored.steps == failed.steps

        own.start()  # moto's state lives in this process: the update made before the outage is there
        retried = publish.retry(stored, publisher)
        assert retried.status == DeploymentStatus.SUCCEEDED, retried.error
        assert retried.attempts == 2 and retried.aws_version == 2
        assert [s["status"] for s in retried.steps] == ["skipped", "done", "done", "done"]
        with pytest.raises(PublishRefused):
            publish.retry(retried, publisher)
    finally:
        own.stop()


def test_only_publishers_publish(author, target, publisher):
    workflow = make_workflow(publisher)
    with pytest.raises(services.NotAllowed):
        publish.publish(workflow, author, target=target)


def test_drift_shows_what_changed_since_the_deployed_version(publisher, workflow, target):
    publish.publish(workflow, publisher, target="moto", alias="prod")
    same = drift.drift(workflow, publisher, target="moto")
    assert not same.drifted and same.diff == ""
    assert same.aliases == [
        {
            "name": "prod",
            "arn": same.state_machine_arn + ":prod",
            "routing": [{"version": "1", "weight": 100}],
        }
    ]
    new_version(workflow, publisher, {**DEFINITION, "Comment": "drifted"}, "v2")
    changed = drift.drift(workflow, publisher, target="moto")
    assert changed.drifted and '+  "Comment": "drifted",' in changed.diff
    assert not drift.drift(workflow, publisher, target="moto", version_number=1).drifted


def test_rest_publish_dry_run_retry_rollback_and_drift(api_for, publisher, workflow, target, author):
    api = api_for(publisher)
    url = f"/api/workflows/{workflow.pk}/deployments/"
    planned = api.post(url, {"target": "moto", "alias": "prod", "dry_run": True}, format="json")
    assert planned.status_code == 201 and planned.json()["status"] == "PLANNED"
    done = api.post(url, {"target": "moto", "alias": "prod"}, format="json")
    assert done.status_code == 201 and done.json()["status"] == "SUCCEEDED", done.json()
    assert done.json()["aws_version"] == 1 and done.json()["actor"] == "pia"
    listed = api.get(url).json()
    assert [d["status"] for d in listed] == ["SUCCEEDED", "PLANNED"]
    assert api.get(f"/api/deployments/{done.json()['id']}/").json()["steps"] == done.json()["steps"]
    assert api.post(f"/api/deployments/{done.json()['id']}/retry/").status_code == 400
    back = api.post(
        f"/api/workflows/{workflow.pk}/rollback/",
        {"target": "moto", "alias": "prod", "version": 1},
        format="json",
    )
    assert back.status_code == 201 and back.json()["kind"] == "rollback"
    assert api.get(f"/api/workflows/{workflow.pk}/drift/?target=moto").json()["drifted"] is False
    unknown = api.post(url, {"target": "nowhere"}, format="json")
    assert unknown.status_code == 404 and unknown.json()["code"] == "TARGET_NOT_FOUND"
    bad_alias = api.post(url, {"target": "moto", "alias": "123"}, format="json")
    assert bad_alias.status_code == 400 and bad_alias.json()["errors"][0]["field"] == "alias"
    assert api_for(author).post(url, {"target": "moto"}, format="json").status_code in {403, 404}


def test_publish_command_exit_status_and_json(publisher, workflow, target, moto, capsys):
    call_command("publish", "greeter", "--target", "moto", "--alias", "prod", "--json")
    record = json.loads(capsys.readouterr().out)
    assert record["status"] == "SUCCEEDED" and record["aws_version"] == 1
    call_command("publish", "greeter", "--target", "moto", "--dry-run", "--as", "pia")
    out = capsys.readouterr().out
    assert "Dry run of greeter v1 to moto: PLANNED" in out and "[planned] UpdateStateMachine" in out
    moto.sfn().delete_state_machine(stateMachineArn=record["state_machine_arn"])
    moto.sfn().create_state_machine(name="greeter", definition="{}", roleArn=ROLE, type="EXPRESS")
    with pytest.raises(CommandError, match="is EXPRESS and this workflow is STANDARD"):
        call_command("publish", "greeter", "--target", "moto")
    with pytest.raises(CommandError, match="Take a version first"):
        call_command("publish", "greeter", "--target", "moto", "--version", "9")
    with pytest.raises(CommandError, match="No target named 'elsewhere'"):
        call_command("publish", "greeter", "--target", "elsewhere")


def test_import_from_moto_then_reimport_updates_the_draft(api_for, publisher, target, moto):
    sfn = moto.sfn()
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    arn = sfn.create_state_machine(name="legacy", definition=definition, roleArn=ROLE)["stateMachineArn"]
    api = api_for(publisher)
    listed = api.get(f"/api/targets/{target.pk}/state-machines/").json()
    assert listed == [{"name": "legacy", "arn": arn, "type": "STANDARD"}]
    imported = api.post(f"/api/targets/{target.pk}/import/", {"name": "legacy"}, format="json")
    assert imported.status_code == 201, imported.json()
    workflow = Workflow.objects.get(pk=imported.json()["id"])
    assert workflow.draft.definition == definition and imported.json()["version_count"] == 1
    record = workflow.deployments.get()
    assert record.kind == "import" and record.state_machine_arn == arn
    assert "no ListStateMachineVersions" in record.steps[0]["detail"]

    changed = json.dumps({"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": True}}})
    sfn.update_state_machine(stateMachineArn=arn, definition=changed)
    again = api.post(f"/api/targets/{target.pk}/import/", {"name": "legacy"}, format="json")
    assert again.json()["id"] == workflow.pk and again.json()["version_count"] == 2
    workflow.draft.refresh_from_db()
    assert workflow.draft.definition == changed
    missing = api.post(f"/api/targets/{target.pk}/import/", {"name": "nothing"}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "name"


def test_a_publish_whose_process_died_is_retried_once_stale(publisher, workflow, target, moto):
    """A process killed after the create leaves the record RUNNING with the create done; once
    nothing has moved for publish.STALE_AFTER, a retry goes on from the next step."""

    class Killed(BaseException):
        pass

    def die(deployment, step):
        if step["name"] == "write":
            raise Killed

    with pytest.raises(Killed):
        publish.publish(workflow, publisher, target="moto", alias="prod", on_step=die)
    died = Deployment.objects.get()
    assert died.status == DeploymentStatus.RUNNING
    assert [s["status"] for s in died.steps] == ["skipped", "done", "done", "pending", "pending"]
    with pytest.raises(PublishRefused, match="nothing has moved for 10 minutes"):
        publish.retry(died, publisher)
    Deployment.objects.filter(pk=died.pk).update(updated_at=timezone.now() - publish.STALE_AFTER)
    resumed = publish.retry(Deployment.objects.get(pk=died.pk), publisher)
    assert resumed.status == DeploymentStatus.SUCCEEDED, resumed.error
    assert resumed.attempts == 2 and resumed.aws_version == 1 and resumed.alias_arn
    assert len(moto.sfn().list_state_machines()["stateMachines"]) == 1
