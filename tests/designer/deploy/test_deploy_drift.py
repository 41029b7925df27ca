"""Drift marks against a real moto server: a publish records what runs; someone edits the state
machine on the target (as in the AWS console); pages keep showing the kept look, with its age,
without calling the target, until a publisher checks now; then the list, the workflow page and
the deploy page mark it, and the compare view gets deployed, published and draft side by side."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from designer import services
from designer.deploy import drift, publish, targets
from designer.deploy.models import DriftCheck, DriftStatus
from designer.services import NotAllowed
from tests.designer.deploy.conftest import DEFINITION, GREET_FN, ROLE, make_moto_target, make_workflow
from tests.executions.conftest import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(publisher, moto):
    return make_moto_target(publisher, moto)


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_on_target(moto, definition: str) -> None:
    sfn = moto.sfn()
    arn = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=definition)


def compare_data(html: str) -> dict:
    found = re.search(r'<script id="drift-compare-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no compare data on the page"
    return json.loads(found.group(1))


def test_a_console_edit_shows_once_checked_on_every_page_with_the_three_sides(
    publisher, workflow, target, moto
):
    deployment = publish.publish(workflow, publisher, target="moto", alias="prod")
    mark = DriftCheck.objects.get(workflow=workflow, target=target)
    assert (mark.status, mark.deployed, mark.published) == (
        DriftStatus.IN_SYNC,
        deployment.definition,
        deployment.definition,
    )
    console = json.loads(deployment.definition)
    console["States"]["Greet"]["TimeoutSeconds"] = 30
    edit_on_target(moto, json.dumps(console, indent=2))

    page = browser(publisher)
    deploy_url = f"/workflows/{workflow.pk}/deploy/"
    # The page shows the kept look, and does not look again by itself.
    assert 'data-target="moto" data-drift="IN_SYNC"' in page.get(deploy_url).content.decode()
    checked = page.post(f"{deploy_url}drift/{target.pk}/check", follow=True).content.decode()
    assert 'data-target="moto" data-drift="DRIFTED"' in checked
    assert "moto: drifted. Changed on the target since version 1 was published" in checked

    for url in ("/workflows/", f"/workflows/{workflow.pk}/"):
        html = page.get(url).content.decode()
        assert 'class="badge drift-mark badge-warning" data-target="moto" data-drift="DRIFTED"' in html
        assert f'href="/workflows/{workflow.pk}/deploy/?compare=moto#drift"' in html

    # A draft edit after the publish: the third side, substituted as the target would be.
    draft = workflow.draft
    draft.refresh_from_db()
    text = json.dumps({**DEFINITION, "Comment": "next"}, indent=2)
    services.save_draft(workflow, publisher, expected_revision=draft.revision, definition=text)
    html = page.get(deploy_url, {"compare": "moto"}).content.decode()
    sides = {side["key"]: side for side in compare_data(html)["sides"]}
    assert sides["deployed"]["label"] == "Deployed on moto"
    assert json.loads(sides["deployed"]["text"])["States"]["Greet"]["TimeoutSeconds"] == 30
    assert sides["published"]["text"] == deployment.definition
    assert sides["published"]["label"] == "Published v1 (AWS version 1)"
    assert json.loads(sides["draft"]["text"])["Comment"] == "next"
    assert json.loads(sides["draft"]["text"])["States"]["Greet"]["Resource"] == GREET_FN
    # The same diff, server-rendered, for a page without JavaScript.
    assert '<span class="diff-add">+      &quot;TimeoutSeconds&quot;: 30' in html
    assert "Alias <strong>prod</strong>: version 1 (100%)" in html


def test_pages_never_call_the_target_and_say_how_old_the_mark_is(publisher, workflow, target, moto):
    publish.publish(workflow, publisher, target="moto")
    # The target goes away: a page that called it would now say "unknown" (or wait on it).
    targets.update_target(target, publisher, endpoint_url=f"http://127.0.0.1:{free_port()}")
    DriftCheck.objects.filter(target=target).update(checked_at=timezone.now() - timedelta(hours=2))
    page = browser(publisher)
    html = page.get(f"/workflows/{workflow.pk}/deploy/").content.decode()
    assert 'data-drift="IN_SYNC"' in html and "2\xa0hours ago" in html and ">stale</span>" in html
    assert 'data-drift="IN_SYNC"' in page.get("/workflows/").content.decode()
    # Checking now says why it cannot tell, and keeps that.
    checked = drift.check(workflow, publisher, target)
    assert checked.status == DriftStatus.UNKNOWN and "Could not connect" in checked.message
    assert 'data-drift="UNKNOWN"' in page.get("/workflows/").content.decode()


def test_reformatted_on_the_target_is_in_sync_and_deleted_is_drift(publisher, workflow, target, moto):
    deployment = publish.publish(workflow, publisher, target="moto")
    edit_on_target(moto, json.dumps(json.loads(deployment.definition), separators=(",", ":")))
    assert drift.check(workflow, publisher, target).status == DriftStatus.IN_SYNC
    moto.sfn().delete_state_machine(stateMachineArn=deployment.state_machine_arn)
    gone = drift.check(workflow, publisher, target)
    assert gone.status == DriftStatus.DRIFTED and "it was deleted there" in gone.message


def test_a_machine_never_published_from_here_is_not_called_in_sync(publisher, target, moto):
    workflow = make_workflow(publisher, "legacy")
    assert drift.check(workflow, publisher, target).status == DriftStatus.NOT_DEPLOYED
    moto.sfn().create_state_machine(name="legacy", definition=json.dumps(DEFINITION), roleArn=ROLE)
    assert drift.check(workflow, publisher, target).status == DriftStatus.UNKNOWN


def test_rest_marks_and_check_now(api_for, publisher, workflow, target, author, moto):
    deployment = publish.publish(workflow, publisher, target="moto")
    edit_on_target(moto, deployment.definition.replace('"greets"', '"edited"'))
    api = api_for(publisher)
    url = f"/api/workflows/{workflow.pk}/drift-marks/"
    assert [(m["target"], m["status"], m["stale"]) for m in api.get(url).json()] == [
        ("moto", "IN_SYNC", False)
    ]
    checked = api.post(url, {"target": "moto"}, format="json")
    assert checked.status_code == 200 and checked.json()[0]["status"] == "DRIFTED"
    assert '"edited"' in checked.json()[0]["deployed"]
    assert api.post(url, {}, format="json").json()[0]["status"] == "DRIFTED"
    assert api.post(url, {"target": "nowhere"}, format="json").status_code == 404
    # Only publishers look at a target.
    with pytest.raises(NotAllowed):
        drift.check(workflow, author, target)
