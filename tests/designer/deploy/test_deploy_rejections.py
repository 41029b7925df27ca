"""What a target refuses, after Symphony let it through: the publisher sees the target's own
message on the page, in REST and from the command; the deployment records it and what was and
was not done; nothing is half-published (no version, no alias moved); never a 500.

The target is a second live Symphony whose credentials turn read-only between two publishes (an
identity that may not write state machines, as an unknown or under-privileged role is on AWS).
No emulator here rejects a definition that Symphony's own validator accepts: the second Symphony
validates with the same core, and moto validates no definition at all.
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from designer.deploy import publish, targets
from designer.deploy.errors import TargetFieldError
from designer.deploy.models import Deployment, DeploymentStatus, DriftCheck, DriftStatus
from tests.designer.deploy.conftest import (
    PASS,
    add_profile,
    make_remote_target,
    make_workflow,
    new_version,
    remote_client,
)

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def routing(sfn, alias_arn: str) -> dict[str, int]:
    routes = sfn.describe_state_machine_alias(stateMachineAliasArn=alias_arn)["routingConfiguration"]
    return {r["stateMachineVersionArn"].rsplit(":", 1)[1]: r["weight"] for r in routes}


def test_an_update_the_target_refuses_moves_nothing_on_every_surface(
    publisher, api_for, remote_symphony, remote_keys, aws_env
):
    target = make_remote_target(publisher, remote_symphony, aws_env, remote_keys["publisher"], "refusing")
    workflow = make_workflow(publisher, "guarded", PASS)
    first = publish.publish(workflow, publisher, target="refusing", alias="live")
    assert first.status == DeploymentStatus.SUCCEEDED, first.error
    new_version(workflow, publisher, {**PASS, "Comment": "v2"}, "v2")
    # The target's identity may no longer write (a role that lost its permissions): a viewer in
    # the publisher's account on the target.
    reader = remote_symphony.create_access_key("remote-reader", "viewers")
    remote_symphony.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from accounts.services import account_for, join; "
        "users = get_user_model().objects; "
        "join(users.get(username='remote-reader'), account_for(users.get(username='remote-publisher')))",
    )
    add_profile(aws_env, "read-only-now", reader)
    targets.update_target(target, publisher, profile="read-only-now")
    runner = remote_client(remote_symphony, remote_keys["runner"])

    page = browser(publisher)
    url = f"/workflows/{workflow.pk}/deploy/"
    shown = page.post(url, {"target": "refusing", "version": 2, "alias": "live"}, follow=True)
    assert shown.status_code == 200
    html = shown.content.decode()
    assert "AccessDeniedException" in html and "states:UpdateStateMachine" in html
    failed = Deployment.objects.filter(workflow=workflow).first()
    assert failed.status == DeploymentStatus.FAILED and failed.pk != first.pk
    assert [(s["name"], s["status"]) for s in failed.steps] == [
        ("validate", "done"),
        ("find", "done"),
        ("write", "failed"),
        ("publish", "pending"),
        ("alias", "pending"),
    ]
    assert "Not done: PublishStateMachineVersion, CreateStateMachineAlias or UpdateStateMachineAlias." in (
        failed.error
    )
    assert f'id="deployment-{failed.pk}" data-status="FAILED"' in html
    # Nothing half-published: the same definition, one version, the alias where it was.
    described = runner.describe_state_machine(stateMachineArn=first.state_machine_arn)
    assert json.loads(described["definition"]) == json.loads(first.definition)
    versions = runner.list_state_machine_versions(stateMachineArn=first.state_machine_arn)
    assert len(versions["stateMachineVersions"]) == 1
    assert routing(runner, first.alias_arn) == {"1": 100}
    # The kept drift mark still says what runs: version 1, as published.
    mark = DriftCheck.objects.get(workflow=workflow, target=target)
    assert mark.status == DriftStatus.IN_SYNC and mark.published_deployment_id == first.pk

    api = api_for(publisher)
    answer = api.post(
        f"/api/workflows/{workflow.pk}/deployments/", {"target": "refusing", "alias": "live"}, format="json"
    )
    assert answer.status_code == 201 and answer.json()["status"] == "FAILED"
    assert "AccessDeniedException" in answer.json()["error"]
    with pytest.raises(CommandError, match="AccessDeniedException"):
        call_command("publish", "guarded", "--target", "refusing", "--alias", "live")
    assert routing(runner, first.alias_arn) == {"1": 100}
    assert reader[1] not in json.dumps(
        list(Deployment.objects.filter(workflow=workflow).values("steps", "error"))
    )


def test_a_role_arn_with_other_scripts_digits_is_refused_beside_its_field(publisher):
    # Python's \d matches "١٢٣"; IAM (and moto's [0-9]{12}) does not: refused here, not by the target.
    with pytest.raises(TargetFieldError) as refused:
        targets.create_target(
            publisher, name="arabic", region="us-east-1", role_arn="arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/x"
        )
    assert refused.value.field == "role_arn"
