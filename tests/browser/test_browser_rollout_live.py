"""A gradual rollout moves on the deploy page while a publisher watches, without a reload: the
app's own rollout loop shifts the alias on a real moto server step by step, each step reaches the
page over the WebSocket, and the page ends showing all traffic on the new version. Then drift: an
edit on the target, checked now, marks the workflow and opens side by side."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, sign_in
from tests.designer.deploy.conftest import DEFINITION, ROLE, Moto
from tests.executions.conftest import free_port, make_server

pytestmark = pytest.mark.browser

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from designer import services
from designer.deploy import publish, targets
from designer.roles import apply_roles
apply_roles()
pia = get_user_model().objects.create_user("pia", "pia@example.com", {password!r})
pia.groups.add(*Group.objects.filter(name__in=["authors", "publishers"]))
definition = {definition!r}
workflow = services.create_workflow(pia, name="greeter", definition=json.dumps(definition, indent=2))
services.create_version(workflow, pia, message="first")
targets.create_target(pia, name="moto", region="us-east-1", role_arn={role!r}, endpoint_url={moto!r},
                      substitutions={{"GreetFn": "arn:aws:lambda:us-east-1:123456789012:function:greet"}})
assert publish.publish(workflow, pia, target="moto", alias="prod").status == "SUCCEEDED"
draft = workflow.draft
services.save_draft(workflow, pia, expected_revision=draft.revision,
                    definition=json.dumps({{**definition, "Comment": "v2"}}, indent=2))
services.create_version(workflow, pia, message="v2")
second = publish.publish(workflow, pia, target="moto", alias="prod", rollout="linear10-3s")
assert second.status == "SUCCEEDED", second.error
print(second.version_arn)
print(workflow.pk, second.pk)
"""


@pytest.fixture
def moto():
    server = Moto(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(tmp_path, moto):
    live = make_server(
        tmp_path / "symphony",
        AWS_ACCESS_KEY_ID="envkey",
        AWS_SECRET_ACCESS_KEY="envsecret",
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        SYMPHONY_ROLLOUT_SECONDS="1",
    )
    live.start()
    yield live
    live.stop()


def test_a_rollout_moves_live_then_drift_shows_side_by_side(page: Page, server, moto, artifacts):
    output = server.manage(
        "shell", "-c", SETUP.format(password=PASSWORD, definition=DEFINITION, role=ROLE, moto=moto.url)
    )
    *_, published, ids = output.strip().splitlines()
    workflow_id, deployment_id = (int(n) for n in ids.split())
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, server.url, "pia", f"/workflows/{workflow_id}/deploy/")
    rollout = page.locator(f'.rollout[data-deployment="{deployment_id}"]')
    expect(page.locator("#deployments")).to_have_attribute("data-live", "open")
    page.evaluate("window.notReloaded = true")
    weight = rollout.locator(".rollout-weight")
    seen = weight.inner_text()
    assert seen != "100%"
    # A step happens while we watch.
    expect(weight).not_to_have_text(seen, timeout=20000)
    page.screenshot(path=str(artifacts / "rollout-live-step.png"), full_page=True)
    expect(rollout).to_have_attribute("data-rollout-status", "SUCCEEDED", timeout=60000)
    expect(weight).to_have_text("100%")
    expect(rollout.locator(".rollout-status")).to_have_text("Succeeded")
    expect(rollout.locator(".rollout-events li").last).to_contain_text("All traffic on the new version.")
    expect(rollout.get_by_role("button", name="Promote now")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True
    sfn = moto.sfn()
    arn = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    routes = sfn.describe_state_machine_alias(stateMachineAliasArn=arn + ":prod")["routingConfiguration"]
    # The version the second publish made (moto numbers versions per machine, from 1).
    assert published.startswith(arn + ":")
    assert routes == [{"stateMachineVersionArn": published, "weight": 100}]

    # Someone edits the state machine on the target; a check marks it; compare side by side.
    live = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"])
    live["States"]["Greet"]["TimeoutSeconds"] = 30
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(live, indent=2))
    marks = page.locator('#drift-marks tr[data-target="moto"]')
    expect(marks).to_have_attribute("data-drift", "IN_SYNC")
    page.get_by_role("button", name="Check moto now").click()
    expect(marks).to_have_attribute("data-drift", "DRIFTED")
    page.goto(f"{server.url}/workflows/")
    page.locator('a.drift-mark[data-target="moto"]').click()
    page.get_by_role("button", name="Side by side").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Before")).to_have_value("published")
    expect(dialog.get_by_label("After")).to_have_value("deployed")
    expect(dialog.locator(".diff-added")).to_contain_text('"TimeoutSeconds": 30')
    # Both graphs lay out, the edited state marked changed on each.
    expect(dialog.locator('[data-state-name="Greet"]')).to_have_count(2)
    expect(dialog.locator('[data-state-name="Greet"][data-diff="changed"]')).to_have_count(2)
    page.screenshot(path=str(artifacts / "drift-side-by-side.png"))
    dialog.get_by_label("After").select_option("draft")
    expect(dialog.locator(".text-diff")).to_contain_text("The texts are identical.")
