"""A publisher opens Publish from the workflow page, dry-runs, publishes to a real moto server,
sees drift after a new version, publishes it as a canary and promotes it, then rolls the alias
back, in Chromium."""

import json

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from designer import services
from designer.deploy import targets
from designer.roles import AUTHORS, PUBLISHERS
from tests.browser.conftest import PASSWORD, sign_in
from tests.designer.deploy.conftest import DEFINITION, ROLE, Moto, new_version
from tests.executions.conftest import free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def moto(monkeypatch, tmp_path):
    # boto3's standard chain, from the environment only (never this machine's AWS config).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "envkey")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    server = Moto(free_port())
    server.start()
    yield server
    server.stop()


def test_dry_run_publish_drift_and_roll_back(page: Page, live_server, make_user, moto, artifacts):
    user = make_user("pia", AUTHORS, password=PASSWORD)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    workflow = services.create_workflow(user, name="greeter", definition=json.dumps(DEFINITION, indent=2))
    services.create_version(workflow, user, message="first")
    targets.create_target(
        user,
        name="moto",
        region="us-east-1",
        role_arn=ROLE,
        endpoint_url=moto.url,
        substitutions={"GreetFn": "arn:aws:lambda:us-east-1:123456789012:function:greet"},
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "pia", f"/workflows/{workflow.pk}/")
    page.get_by_text("More", exact=True).click()
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", name="Publish", exact=True)).to_be_visible()
    publish = page.locator("#publish")

    publish.get_by_label("Alias").fill("prod")
    expect(publish.get_by_label("Dry run")).to_be_checked()
    publish.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Dry run: nothing was changed.")).to_be_visible()
    first = page.locator("details.deployment").first
    expect(first.locator('[data-step-status="planned"]')).to_have_count(3)
    expect(first.locator(".diff-add").first).to_be_visible()
    assert moto.sfn().list_state_machines()["stateMachines"] == []
    page.screenshot(path=str(artifacts / "publish-dry-run.png"), full_page=True)

    publish.get_by_label("Alias").fill("prod")
    publish.get_by_label("Dry run").uncheck()
    publish.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published version 1 to moto.")).to_be_visible()
    expect(page.locator("details.deployment").first).to_have_attribute("data-status", "SUCCEEDED")

    new_version(workflow, user, {**DEFINITION, "Comment": "louder"}, "louder")
    page.reload()
    page.get_by_role("button", name="Check drift").click()
    expect(page.locator("#drift-status")).to_have_text("drifted")
    expect(page.locator("#drift-result .diff-add")).to_contain_text('"Comment": "louder"')
    page.screenshot(path=str(artifacts / "publish-drift.png"), full_page=True)

    publish.get_by_label("Version", exact=True).select_option("2")
    publish.get_by_label("Alias").fill("prod")
    publish.get_by_label("Rollout").fill("canary10-5m")
    publish.get_by_label("Dry run").uncheck()
    publish.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published version 2 to moto.")).to_be_visible()
    rollout = page.locator("details.deployment").first.locator(".rollout")
    expect(rollout).to_have_attribute("data-rollout-status", "RUNNING")
    expect(rollout.locator(".rollout-weight")).to_have_text("10%")
    sfn = moto.sfn()
    arn = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    routes = sfn.describe_state_machine_alias(stateMachineAliasArn=arn + ":prod")["routingConfiguration"]
    assert routes == [
        {"stateMachineVersionArn": arn + ":2", "weight": 10},
        {"stateMachineVersionArn": arn + ":1", "weight": 90},
    ]
    page.screenshot(path=str(artifacts / "publish-rollout.png"), full_page=True)
    rollout.get_by_role("button", name="Promote now").click()
    expect(page.get_by_text("pia promoted it.").first).to_be_visible()
    expect(page.locator("details.deployment").first.locator(".rollout")).to_have_attribute(
        "data-rollout-status", "SUCCEEDED"
    )

    rollback = page.locator("#rollback")
    rollback.get_by_label("Target").fill("moto")
    rollback.get_by_label("Alias").fill("prod")
    rollback.get_by_label("AWS version").fill("1")
    rollback.get_by_role("button", name="Point the alias back").click()
    expect(page.get_by_text("Alias prod points at version 1 again.")).to_be_visible()
    routing = sfn.describe_state_machine_alias(stateMachineAliasArn=arn + ":prod")["routingConfiguration"]
    assert routing == [{"stateMachineVersionArn": arn + ":1", "weight": 100}]
    page.screenshot(path=str(artifacts / "publish-rolled-back.png"), full_page=True)
