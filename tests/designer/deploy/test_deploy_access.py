"""Publishing as people of different roles and accounts, on every surface: the deploy page, REST,
the management command (the WebSocket's own test is in test_deploy_live.py). A publisher
publishes, checks drift and decides rollouts; an author and a viewer of the same account see the
page and the marks and change nothing; another account's publisher sees none of it."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from accounts.services import account_for, join
from designer.deploy import publish
from designer.deploy.models import Deployment, DriftCheck, Rollout
from designer.models import Visibility
from designer.roles import AUTHORS, PUBLISHERS, VIEWERS
from tests.designer.deploy.conftest import DEFINITION, ROLE, make_moto_target, make_workflow, new_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolling(publisher, moto):
    """A shared workflow on alias prod, v2 rolling out (a canary at 10%)."""
    make_moto_target(publisher, moto)
    workflow = make_workflow(publisher, visibility=Visibility.SHARED)
    publish.publish(workflow, publisher, target="moto", alias="prod")
    new_version(workflow, publisher, {**DEFINITION, "Comment": "v2"}, "v2")
    deployment = publish.publish(workflow, publisher, target="moto", alias="prod", rollout="canary10-5m")
    return workflow, deployment


@pytest.fixture
def people(make_user, publisher):
    team = account_for(publisher)
    author = make_user("amy", AUTHORS)
    viewer = make_user("val", VIEWERS)
    for user in (author, viewer):
        join(user, team)
    stranger = make_user("otto", AUTHORS)  # a publisher in another account
    stranger.groups.add(Group.objects.get(name=PUBLISHERS))
    return {"author": author, "viewer": viewer, "stranger": stranger}


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def state(workflow) -> tuple:
    rollout = Rollout.objects.get(deployment__workflow=workflow)
    mark = DriftCheck.objects.get(workflow=workflow)
    return Deployment.objects.filter(workflow=workflow).count(), rollout.status, mark.checked_at


def test_the_deploy_page(rolling, people, publisher):
    workflow, deployment = rolling
    before = state(workflow)
    url = f"/workflows/{workflow.pk}/deploy/"
    for role in ("author", "viewer"):
        page = browser(people[role])
        html = page.get(url).content.decode()
        assert "Only publishers publish." in html and 'id="publish"' not in html
        # What the page holds for them is the deployments: named so, without the publishers' Targets.
        assert "<h1>Deployments</h1>" in html and "/settings/targets/" not in html
        assert ">Deployments…</a>" in page.get(f"/workflows/{workflow.pk}/").content.decode()
        assert f'id="deployment-{deployment.pk}"' in html and 'data-drift="IN_SYNC"' in html
        assert "Promote now" not in html and "Check now" not in html
        refused = page.post(url, {"target": "moto", "version": 2, "alias": "prod"})
        assert refused.status_code == 400 and "Only publishers publish." in refused.content.decode()
        decided = page.post(f"{url}{deployment.pk}/rollout/promote", follow=True)
        assert "Only publishers may publish" in decided.content.decode()
        checked = page.post(f"{url}drift/{deployment.target_id}/check", follow=True)
        assert "Only publishers may publish" in checked.content.decode()
        assert (
            page.post(f"{url}rollback", {"target": "moto", "alias": "prod", "version": 1}).status_code == 400
        )
    html = browser(publisher).get(url).content.decode()
    assert "<h1>Publish</h1>" in html and "/settings/targets/" in html
    assert ">Publish…</a>" in browser(publisher).get(f"/workflows/{workflow.pk}/").content.decode()
    # Another account: the shared workflow's page, without this account's deployments or marks.
    page = browser(people["stranger"])
    html = page.get(url).content.decode()
    assert f'id="deployment-{deployment.pk}"' not in html and "data-drift=" not in html
    assert page.post(f"{url}{deployment.pk}/rollout/rollback").status_code == 404
    assert page.post(f"{url}{deployment.pk}/retry").status_code == 404
    assert page.post(f"{url}drift/{deployment.target_id}/check").status_code == 404
    assert 'data-drift="IN_SYNC"' not in page.get("/workflows/").content.decode()
    assert state(workflow) == before
    # The publisher decides.
    browser(publisher).post(f"{url}{deployment.pk}/rollout/promote")
    assert Rollout.objects.get(deployment=deployment).status == "SUCCEEDED"


def test_rest(rolling, people, api_for):
    workflow, deployment = rolling
    before = state(workflow)
    for role in ("author", "viewer"):
        api = api_for(people[role])
        assert api.get(f"/api/deployments/{deployment.pk}/").status_code == 200
        assert api.get(f"/api/workflows/{workflow.pk}/drift-marks/").json()[0]["status"] == "IN_SYNC"
        published = api.post(f"/api/workflows/{workflow.pk}/deployments/", {"target": "moto"}, format="json")
        assert published.status_code == 403
        assert api.post(f"/api/deployments/{deployment.pk}/rollout/promote/").status_code == 403
        assert api.post(f"/api/workflows/{workflow.pk}/drift-marks/", {}, format="json").status_code == 403
        rolled = api.post(
            f"/api/workflows/{workflow.pk}/rollback/",
            {"target": "moto", "alias": "prod", "version": 1},
            format="json",
        )
        assert rolled.status_code == 403
    api = api_for(people["stranger"])
    assert api.get(f"/api/workflows/{workflow.pk}/deployments/").json() == []
    assert api.get(f"/api/deployments/{deployment.pk}/").status_code == 404
    assert api.post(f"/api/deployments/{deployment.pk}/rollout/rollback/").status_code == 404
    assert api.get(f"/api/workflows/{workflow.pk}/drift-marks/").json() == []
    # Its own targets only: this account's target is not found.
    answer = api.post(f"/api/workflows/{workflow.pk}/deployments/", {"target": "moto"}, format="json")
    assert answer.status_code == 404
    assert state(workflow) == before


def test_the_publish_command(rolling, people):
    workflow, _ = rolling
    before = state(workflow)
    for name in ("amy", "val"):
        with pytest.raises(CommandError, match="Only publishers may publish"):
            call_command("publish", workflow.name, "--target", "moto", "--as", name)
    with pytest.raises(CommandError, match="No target named 'moto'"):
        call_command("publish", workflow.name, "--target", "moto", "--as", "otto")
    with pytest.raises(CommandError):
        call_command("targets", "add", "mine", "--region", "us-east-1", "--role-arn", ROLE, "--owner", "amy")
    assert state(workflow) == before
