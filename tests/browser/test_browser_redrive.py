"""The run view's Redrive button in Chromium: stop a run during its Wait, redrive it from the
page, watch it finish live, the redrive counted."""

import json
import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, run_node, sign_in
from tests.executions.conftest import ROLE, client_for, make_server

pytestmark = pytest.mark.browser

DEFINITION = json.dumps(
    {
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Next": "Cool down"},
            "Cool down": {"Type": "Wait", "Seconds": 12, "Next": "Ship"},
            "Ship": {"Type": "Pass", "End": True},
        },
    }
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = make_server(tmp_path_factory.mktemp("symphony-browser-redrive"))
    live.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        "from accounts.services import default_account, join; from designer.roles import apply_roles; "
        f"u = get_user_model().objects.create_user('rita', 'rita@example.com', {PASSWORD!r}); "
        "apply_roles(); u.groups.add(Group.objects.get(name='authors')); "  # may stop and redrive
        # in the account the DEBUG test key acts in (boto3 starts the run with it below)
        "join(u, default_account())",
    )
    live.start()
    yield live
    live.stop()


def test_a_stopped_run_is_redriven_from_its_page(page: Page, server, artifacts):
    sfn = client_for(server.endpoint)
    machine = sfn.create_state_machine(name="redrive-flow", definition=DEFINITION, roleArn=ROLE)[
        "stateMachineArn"
    ]
    sign_in(page, server.url, "rita", "/executions/")
    name = f"order-{time.time_ns()}"
    sfn.start_execution(stateMachineArn=machine, name=name)
    page.reload()
    page.get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(r"/executions/\d+/$"))
    expect(run_node(page, "Cool down")).to_have_attribute("data-run-status", "running", timeout=30000)
    expect(page.get_by_role("button", name="Redrive")).to_have_count(0)
    page.get_by_role("button", name="Stop execution").click()
    expect(page.locator("#execution-status")).to_have_text("Aborted", timeout=15000)

    page.get_by_role("button", name="Redrive").click()
    # The Wait goes on until its end (12 s after it was entered), then the run finishes.
    expect(page.locator("#execution-status")).to_have_text("Succeeded", timeout=60000)
    expect(run_node(page, "Cool down")).to_have_attribute("data-run-status", "succeeded", timeout=30000)
    expect(run_node(page, "Ship")).to_have_attribute("data-run-status", "succeeded")
    expect(page.locator(".run-facts")).to_contain_text("Redrives")
    expect(page.get_by_role("button", name="Redrive")).to_have_count(0)
    page.screenshot(path=str(artifacts / "execution-redriven.png"), full_page=True)
    history = sfn.get_execution_history(
        executionArn=sfn.list_executions(stateMachineArn=machine)["executions"][0]["executionArn"]
    )
    assert [e["type"] for e in history["events"]].count("ExecutionRedriven") == 1
