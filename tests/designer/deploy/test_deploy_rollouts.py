"""Gradual rollout against a second live Symphony: weighted alias routing with real executions.
The canary test starts executions on the alias while the new version fails, and the rollout rolls
back by itself; a linear one shifts step by step to all; a person promotes or rolls back at any
time. Every decision is read from the rollout's row (``tick``), as a restarted process would."""

import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from designer.deploy import publish, rollouts, strategies
from designer.deploy.errors import PublishRefused
from designer.deploy.models import DeploymentStatus, Rollout, RolloutStatus
from tests.designer.deploy.conftest import PASS, make_remote_target, make_workflow, new_version, remote_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(publisher, remote_symphony, remote_keys, aws_env):
    return make_remote_target(publisher, remote_symphony, aws_env, remote_keys["publisher"], "symphony")


FAILING = {
    "StartAt": "Boom",
    "States": {"Boom": {"Type": "Fail", "Error": "Broken", "Cause": "v2 is broken"}},
}


def routing(sfn, alias_arn: str) -> dict[str, int]:
    routes = sfn.describe_state_machine_alias(stateMachineAliasArn=alias_arn)["routingConfiguration"]
    return {r["stateMachineVersionArn"].rsplit(":", 1)[1]: r["weight"] for r in routes}


def run_many(sfn, alias_arn: str, count: int) -> list[str]:
    started = [
        sfn.start_execution(stateMachineArn=alias_arn, input="{}")["executionArn"] for _ in range(count)
    ]
    deadline = time.time() + 30
    while time.time() < deadline:
        described = [sfn.describe_execution(executionArn=arn) for arn in started]
        if all(d["status"] != "RUNNING" for d in described):
            return [d["stateMachineVersionArn"].rsplit(":", 1)[1] for d in described]
        time.sleep(0.2)
    raise AssertionError("executions did not finish")


@pytest.mark.parametrize(
    ("spec", "plan"),
    [
        ("", ("ALL_AT_ONCE", 100, 0)),
        ("canary10-5m", ("CANARY", 10, 300)),
        ("linear20-30s", ("LINEAR", 20, 30)),
        ("Canary10Percent5Minutes", ("CANARY", 10, 300)),
        ("Linear10PercentEvery1Minute", ("LINEAR", 10, 60)),
    ],
)
def test_rollout_names(spec, plan):
    parsed = strategies.parse(spec)
    assert (parsed.strategy, parsed.percent, parsed.interval_seconds) == plan


@pytest.mark.parametrize("spec", ["canary", "canary100-5m", "linear0-1m", "canary10-0m", "slow"])
def test_a_bad_rollout_is_refused_beside_its_field(spec):
    with pytest.raises(PublishRefused) as raised:
        strategies.parse(spec)
    assert raised.value.errors[0]["field"] == "rollout"


def test_canary_rolls_back_by_itself_when_the_new_version_fails(
    publisher, target, remote_symphony, remote_keys
):
    sfn = remote_client(remote_symphony, remote_keys["runner"])
    workflow = make_workflow(publisher, "canaried", PASS)
    first = publish.publish(workflow, publisher, target="symphony", alias="live")
    assert first.status == DeploymentStatus.SUCCEEDED, first.error
    new_version(workflow, publisher, FAILING, "broken")
    second = publish.publish(workflow, publisher, target="symphony", alias="live", rollout="canary50-5m")
    assert second.status == DeploymentStatus.SUCCEEDED, second.error
    rollout = Rollout.objects.get(deployment=second)
    assert (rollout.status, rollout.weight) == (RolloutStatus.RUNNING, 50)
    assert routing(sfn, first.alias_arn) == {"2": 50, "1": 50}

    versions = run_many(sfn, first.alias_arn, 12)
    assert "2" in versions  # 12 executions at 50%: all on one version is 1 in 2,048
    rollouts.tick()
    rollout.refresh_from_db()
    assert rollout.status == RolloutStatus.ROLLED_BACK and rollout.weight == 0
    assert "the alias points at the old version again" in rollout.events[-1]["message"]
    assert routing(sfn, first.alias_arn) == {"1": 100}
    assert set(run_many(sfn, first.alias_arn, 3)) == {"1"}


def test_linear_shifts_step_by_step_to_all(publisher, target, remote_symphony, remote_keys):
    sfn = remote_client(remote_symphony, remote_keys["runner"])
    workflow = make_workflow(publisher, "linear", PASS)
    first = publish.publish(workflow, publisher, target="symphony", alias="live")
    new_version(workflow, publisher, {**PASS, "Comment": "v2"}, "v2")
    second = publish.publish(
        workflow, publisher, target="symphony", alias="live", rollout="linear40-1m", max_failures=1
    )
    rollout = Rollout.objects.get(deployment=second)
    rollouts.tick()  # not due yet: nothing moves
    rollout.refresh_from_db()
    assert rollout.weight == 40 and routing(sfn, first.alias_arn) == {"2": 40, "1": 60}
    later = timezone.now() + timedelta(minutes=1, seconds=1)
    rollouts.tick(now=later)
    rollout.refresh_from_db()
    assert rollout.weight == 80 and routing(sfn, first.alias_arn) == {"2": 80, "1": 20}
    rollouts.tick(now=later + timedelta(minutes=1, seconds=1))
    rollout.refresh_from_db()
    assert rollout.status == RolloutStatus.SUCCEEDED and routing(sfn, first.alias_arn) == {"2": 100}
    with pytest.raises(PublishRefused):
        rollouts.promote(rollout, publisher)


def test_a_person_promotes_or_rolls_back_at_any_time(
    api_for, publisher, target, remote_symphony, remote_keys
):
    sfn = remote_client(remote_symphony, remote_keys["runner"])
    workflow = make_workflow(publisher, "by-hand", PASS)
    first = publish.publish(workflow, publisher, target="symphony", alias="live")
    api = api_for(publisher)
    url = f"/api/workflows/{workflow.pk}/deployments/"
    new_version(workflow, publisher, {**PASS, "Comment": "v2"}, "v2")
    second = api.post(
        url, {"target": "symphony", "alias": "live", "rollout": "canary10-10m"}, format="json"
    ).json()
    assert second["rollout"]["status"] == "RUNNING" and second["rollout"]["weight"] == 10
    promoted = api.post(f"/api/deployments/{second['id']}/rollout/promote/").json()
    assert promoted["rollout"]["status"] == "SUCCEEDED" and routing(sfn, first.alias_arn) == {"2": 100}
    new_version(workflow, publisher, {**PASS, "Comment": "v3"}, "v3")
    call_command("publish", "by-hand", "--target", "symphony", "--alias", "live", "--rollout", "linear10-1m")
    third = workflow.deployments.first()
    assert routing(sfn, first.alias_arn) == {"3": 10, "2": 90}
    back = api.post(f"/api/deployments/{third.pk}/rollout/rollback/").json()
    assert back["rollout"]["status"] == "ROLLED_BACK" and routing(sfn, first.alias_arn) == {"2": 100}
    again = api.post(f"/api/deployments/{third.pk}/rollout/rollback/")
    assert again.status_code == 400 and again.json()["code"] == "ROLLOUT_OVER"
    no_alias = api.post(url, {"target": "symphony", "rollout": "canary10-5m"}, format="json")
    assert no_alias.status_code == 400 and no_alias.json()["errors"][0]["field"] == "alias"


def test_a_dry_run_says_how_it_would_roll_out(publisher, target):
    workflow = make_workflow(publisher, "planned", PASS)
    publish.publish(workflow, publisher, target="symphony", alias="live")
    new_version(workflow, publisher, {**PASS, "Comment": "v2"}, "v2")
    planned = publish.publish(
        workflow, publisher, target="symphony", alias="live", rollout="canary10-5m", dry_run=True
    )
    assert planned.steps[-1]["status"] == "planned"
    assert planned.steps[-1]["detail"].startswith(
        "Would start a rollout of live (canary 10% for 300 s, then all)"
    )
    assert not Rollout.objects.exists()
    assert json.loads(json.dumps(planned.steps))  # the record stays plain JSON


def test_the_app_resumes_a_rollout_after_a_restart_and_rolls_it_back(remote_symphony):
    """Inside a live Symphony publishing to itself: the rollout's row outlives a SIGKILL, and the
    loop started with the app rolls the alias back once the new version's executions fail."""
    key = remote_symphony.create_access_key("loop-publisher", "authors")
    remote_symphony.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
        "from designer import services; "
        "u = get_user_model().objects.get(username='loop-publisher'); "
        "u.groups.add(Group.objects.get(name='publishers')); "
        f"w = services.create_workflow(u, name='looped', definition={json.dumps(json.dumps(PASS))}); "
        "services.create_version(w, u, message='v1')",
    )
    remote_symphony.manage(
        "targets",
        "add",
        "own",
        "--this-symphony",
        "--region",
        "us-east-1",
        "--role-arn",
        "arn:aws:iam::000000000000:role/own",
        "--substitution",
        "Stage=x",
        "--owner",
        "loop-publisher",
    )
    first = json.loads(
        remote_symphony.manage("publish", "looped", "--target", "own", "--alias", "live", "--json")
    )
    remote_symphony.manage(
        "shell",
        "-c",
        "from designer import services; from designer.models import Workflow; "
        "w = Workflow.objects.get(name='looped'); d = w.draft; "
        "services.save_draft(w, w.owner, expected_revision=d.revision, "
        f"definition={json.dumps(json.dumps(FAILING))}); "
        "services.create_version(w, w.owner, message='broken')",
    )
    remote_symphony.manage(
        "publish", "looped", "--target", "own", "--alias", "live", "--rollout", "canary50-10m"
    )
    remote_symphony.kill()
    remote_symphony.start()
    sfn = remote_client(remote_symphony, key)
    assert routing(sfn, first["alias_arn"]) == {"2": 50, "1": 50}
    assert "2" in run_many(sfn, first["alias_arn"], 12)
    deadline = time.time() + 30
    while routing(sfn, first["alias_arn"]) != {"1": 100}:
        assert time.time() < deadline, "the app did not roll the alias back"
        time.sleep(0.5)
