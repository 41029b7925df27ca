"""The execution view's steps in Chromium: a run that fails shows its failed state and cause on
the graph, in the table of steps, on the timeline and in the events; the table nests a
Parallel's branches, sorts and filters; selecting a step shows each stage of its data flow
(https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html),
every attempt (the Retry) with its error and cause, and what the function printed."""

import json
import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, run_node, sign_in
from tests.executions.conftest import ROLE, client_for, make_server

pytestmark = pytest.mark.browser

FUNCTION = """
def handler(event, context):
    print(f"charging order {event['order']['id']} for {event['fan'][1]}")
    raise Exception("card declined")
"""
DEFINITION = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {
            "Type": "Pass",
            "Parameters": {"id.$": "$.orderId"},
            "ResultPath": "$.order",
            "Next": "Fan",
        },
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Lookup",
                    "States": {"Lookup": {"Type": "Pass", "Result": {"stock": 3}, "End": True}},
                },
                {"StartAt": "Price", "States": {"Price": {"Type": "Pass", "Result": 9.5, "End": True}}},
            ],
            "ResultPath": "$.fan",
            "Next": "Charge",
        },
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge-card",
            "ResultPath": "$.charge",
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}],
            "End": True,
        },
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("symphony-browser-steps")
    (var / "functions").mkdir()
    (var / "functions" / "charge-card.py").write_text(FUNCTION)
    live = make_server(var, SYMPHONY_TIME_SCALE="0.1")
    live.manage(
        "shell",
        "-c",
        # The first admin: the test key the run starts with acts in her account.
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_superuser('ana', 'ana@example.com', {PASSWORD!r})",
    )
    live.start()
    yield live
    live.stop()


def test_a_failed_run_in_all_four_views_and_a_steps_data_flow(page: Page, server, artifacts):
    sfn = client_for(server.endpoint)
    arn = sfn.create_state_machine(name="checkout", definition=json.dumps(DEFINITION), roleArn=ROLE)[
        "stateMachineArn"
    ]
    name = f"checkout-{time.time_ns()}"
    sfn.start_execution(stateMachineArn=arn, name=name, input=json.dumps({"orderId": "o-7"}))
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, server.url, "ana", "/executions/")
    page.get_by_role("link", name=name).click()
    expect(page.locator("#execution-status")).to_have_text("Failed", timeout=30000)

    # The graph.
    expect(run_node(page, "Charge")).to_have_attribute("data-run-status", "failed")
    # The table: every step, the Parallel's branches nested, the retry counted.
    steps = page.locator("#run-steps tbody tr")
    expect(steps.locator("td:first-child")).to_have_text(
        [re.compile(n) for n in ["Prepare", "Fan", "Branch 1", "Lookup", "Branch 2", "Price", "Charge"]]
    )
    charge = page.locator('#run-steps tr[data-state="Charge"]')
    expect(charge).to_have_attribute("data-status", "failed")
    expect(charge.locator("td").nth(2)).to_have_text(re.compile("Failed"))
    expect(charge.locator("td").nth(5)).to_have_text("1")
    expect(charge.locator("td").nth(4)).not_to_contain_text("…")  # it ended with the execution
    # Sorted by retries, most first; filtered by name (the branch that holds a match stays).
    page.get_by_role("button", name="Retries").click()
    page.get_by_role("button", name=re.compile("Retries ▲")).click()
    expect(steps.first).to_have_attribute("data-state", "Charge")
    page.get_by_label("Filter steps by name").fill("look")
    expect(steps.locator("td:first-child")).to_have_text(
        [re.compile(n) for n in ["Fan", "Branch 1", "Lookup"]]
    )
    page.get_by_label("Filter steps by name").fill("")
    page.get_by_label("Filter steps by status").select_option("failed")
    expect(steps).to_have_count(1)
    page.get_by_label("Filter steps by status").select_option("")

    # Selecting the failed step: its error and cause, each attempt, the stages, the function's log.
    charge.click()
    side = page.get_by_role("complementary", name="State")
    expect(side.get_by_role("region", name="Error")).to_contain_text("card declined")
    attempts = side.get_by_role("region", name="Attempts").locator("li")
    expect(attempts).to_have_count(2)
    expect(attempts.nth(0)).to_contain_text("First try")
    expect(attempts.nth(1)).to_contain_text("Retry 1")
    expect(attempts.nth(1)).to_contain_text("card declined")
    expect(side.get_by_role("region", name="Sent to the task")).to_contain_text('"id": "o-7"')
    expect(side.get_by_role("region", name="Task result")).to_contain_text("The task did not succeed.")
    log = side.get_by_role("region", name="Function log")
    expect(log).to_contain_text("charge-card")
    expect(log.locator(".run-function-log")).to_have_count(2)  # one per attempt
    expect(log).to_contain_text("charging order o-7 for 9.5")
    page.screenshot(path=str(artifacts / "execution-steps-failed.png"), full_page=True)

    # A Pass state's stages name the fields that shaped them.
    page.locator('#run-steps tr[data-state="Prepare"]').click()
    output = side.get_by_role("region", name="Output")
    expect(output.locator("dt")).to_have_text(["Parameters", "ResultPath"])
    expect(output).to_contain_text('"order": {')
    expect(side.get_by_role("region", name="Input")).to_contain_text('"orderId": "o-7"')

    # The timeline: a bar per step, the failed one marked; a click selects it.
    page.get_by_role("tab", name="Timeline").click()
    bar = page.locator('#run-timeline li[data-state="Charge"]')
    expect(bar).to_have_attribute("data-status", "failed")
    expect(page.locator("#run-timeline li")).to_have_count(7)
    # Its two attempts are drawn over its bar (the gap between them is the Retry's wait).
    expect(bar.locator(".run-attempt-bar.run-attempt-failed")).to_have_count(2)
    bar.click()
    expect(side.get_by_role("heading", name="Charge", exact=True)).to_be_visible()
    page.get_by_role("region", name="Steps").screenshot(path=str(artifacts / "execution-timeline.png"))

    # The events, and the execution's error and cause.
    expect(page.locator("#run-events")).to_contain_text("ExecutionFailed")
    expect(page.get_by_role("region", name="Cause").last).to_contain_text("card declined")

    # On a phone the table of steps scrolls in its box; each state's name keeps its width.
    page.get_by_role("tab", name="Table").click()
    page.set_viewport_size({"width": 390, "height": 844})
    first = page.locator("#run-steps tbody td:first-child").first
    expect(first).to_contain_text("Prepare")
    assert first.bounding_box()["width"] > 100
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
