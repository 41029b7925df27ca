"""The publishing pages: targets settings (add with errors beside fields, test, remove) and a
workflow's deploy page (dry run, publish, retry, roll back, drift) against a real moto server."""

import re

import pytest
from django.test import Client

from designer.deploy import targets
from designer.deploy.models import Deployment, DeploymentStatus
from tests.designer.deploy.conftest import DEFINITION, ROLE, make_moto_target, new_version

pytestmark = pytest.mark.django_db

FORM = {
    "name": "moto",
    "region": "us-east-1",
    "role_arn": ROLE,
    "log_level": "OFF",
    "substitutions": "GreetFn=arn:aws:lambda:us-east-1:123456789012:function:greet",
}


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_errors(html: str) -> list[str]:
    return re.findall(r'<small class="error" role="alert">([^<]*)</small>', html)


def test_targets_page_adds_with_each_error_beside_its_field(publisher, moto):
    page = browser(publisher)
    assert page.get("/settings/targets/").status_code == 200
    bad = page.post("/settings/targets/", {**FORM, "endpoint_url": "not a url", "region": "mars-1"})
    assert bad.status_code == 400
    # The service stops at the first wrong field it meets, and says it beside that field.
    assert field_errors(bad.content.decode()) == [
        "&#x27;mars-1&#x27; is not a region Step Functions is in (e.g. us-east-1)."
    ]
    bad = page.post("/settings/targets/", {**FORM, "endpoint_url": "not a url"})
    assert "is not an http(s) URL" in field_errors(bad.content.decode())[0]
    bad = page.post("/settings/targets/", {**FORM, "substitutions": "no equals sign"})
    assert field_errors(bad.content.decode()) == ["Line 1: write NAME=value."]
    added = page.post("/settings/targets/", {**FORM, "endpoint_url": moto.url}, follow=True)
    assert "Added target moto." in added.content.decode()
    target = targets.get_target(publisher, "moto")
    tested = page.post(f"/settings/targets/{target.pk}/test")
    assert "account 123456789012" in tested.content.decode()
    page.post(f"/settings/targets/{target.pk}/remove")
    assert not targets.targets_for(publisher).exists()


def test_targets_page_is_for_publishers(author):
    html = browser(author).get("/settings/targets/").content.decode()
    assert "Only publishers manage targets." in html
    assert browser(author).post("/settings/targets/", FORM).status_code == 400
    assert not targets.Target.objects.exists()


def test_deploy_page_dry_run_publish_rollback_and_drift(publisher, workflow, moto):
    make_moto_target(publisher, moto)
    page = browser(publisher)
    url = f"/workflows/{workflow.pk}/deploy/"
    assert 'id="publish-link"' in page.get(f"/workflows/{workflow.pk}/").content.decode()
    planned = page.post(url, {"target": "moto", "version": 1, "alias": "prod", "dry_run": "on"}, follow=True)
    html = planned.content.decode()
    assert "Dry run: nothing was changed." in html and 'data-step-status="planned"' in html
    assert '<span class="diff-add">' in html
    assert moto.sfn().list_state_machines()["stateMachines"] == []
    done = page.post(url, {"target": "moto", "version": 1, "alias": "prod"}, follow=True)
    assert "Published version 1 to moto." in done.content.decode()
    new_version(workflow, publisher, {**DEFINITION, "Comment": "v2"}, "v2")
    drifted = page.get(url, {"drift": "moto"}).content.decode()
    assert (
        'id="drift-status">drifted' in drifted and "Alias <strong>prod</strong>: version 1 (100%)" in drifted
    )
    # The kept mark: what runs is what version 1 published (a new version is not drift).
    assert 'data-target="moto" data-drift="IN_SYNC"' in page.get(url).content.decode()
    page.post(url, {"target": "moto", "version": 2, "alias": "prod"})
    assert 'id="drift-status">in sync' in page.get(url, {"drift": "moto"}).content.decode()
    back = page.post(f"{url}rollback", {"target": "moto", "alias": "prod", "version": 1}, follow=True)
    assert "Alias prod points at version 1 again." in back.content.decode()
    refused = page.post(f"{url}rollback", {"target": "moto", "alias": "prod", "version": 9})
    assert refused.status_code == 400
    assert field_errors(refused.content.decode()) == ["greeter has no published version 9 on moto."]


def test_deploy_page_shows_a_refusal_beside_its_field_and_retries(publisher, workflow, moto):
    target = targets.create_target(
        publisher, name="moto", region="us-east-1", role_arn=ROLE, endpoint_url=moto.url
    )
    page = browser(publisher)
    url = f"/workflows/{workflow.pk}/deploy/"
    refused = page.post(url, {"target": "moto", "version": 1})
    assert refused.status_code == 400
    # No field of the publish form holds substitutions: the place in the definition is on the form.
    assert (
        "<p>/States/Greet/Resource (state Greet): ${GreetFn} has no value on moto.</p>"
        in refused.content.decode()
    )
    targets.update_target(
        target, publisher, substitutions={"GreetFn": "arn:aws:lambda:us-east-1:1:function:g"}
    )
    moto.sfn().create_state_machine(name="greeter", definition="{}", roleArn=ROLE, type="EXPRESS")
    failed = page.post(url, {"target": "moto", "version": 1}, follow=True).content.decode()
    assert "is EXPRESS and this workflow is STANDARD" in failed and "Retry from the failed step" in failed
    deployment = Deployment.objects.get(status=DeploymentStatus.FAILED)
    moto.sfn().delete_state_machine(
        stateMachineArn=moto.sfn().list_state_machines()["stateMachines"][0]["stateMachineArn"]
    )
    retried = page.post(f"{url}{deployment.pk}/retry", follow=True).content.decode()
    assert "Published version 1 to moto." in retried
    deployment.refresh_from_db()
    assert deployment.status == DeploymentStatus.SUCCEEDED and deployment.attempts == 2


def test_targets_page_lists_state_machines_and_imports_one(publisher, moto):
    target = targets.create_target(
        publisher, name="moto", region="us-east-1", role_arn=ROLE, endpoint_url=moto.url
    )
    definition = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'
    moto.sfn().create_state_machine(name="legacy", definition=definition, roleArn=ROLE)
    page = browser(publisher)
    listed = page.get("/settings/targets/", {"machines": target.pk}).content.decode()
    assert 'data-state-machine="legacy"' in listed
    imported = page.post(f"/settings/targets/{target.pk}/import", {"name": "legacy"}, follow=True)
    assert "Imported legacy from moto." in imported.content.decode()
    assert imported.redirect_chain[-1][0].endswith("/deploy/")
