"""'Test this state' in the editor's inspector: a Choice routed by its input, a Task answered by
a mock, each showing the data-flow stages TestState reports and the chosen next state.

Needs the Vite build (`npm run build`).
"""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_browser_editor import built_bundle, node, open_editor  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=15_000)

ORDER = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Approve"}],
            "Default": "Charge",
        },
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "ResultSelector": {"receipt.$": "$.Payload.id"},
            "ResultPath": "$.payment",
            "Next": "Done",
        },
        "Approve": {"Type": "Pass", "Next": "Charge"},
        "Done": {"Type": "Succeed"},
    },
}


def stage(page: Page, name: str) -> dict:
    return json.loads(page.locator(f'.test-state [data-stage="{name}"]').inner_text())


def test_test_a_choice_and_a_mocked_task(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, json.dumps(ORDER, indent=2), name="order")
    panel = page.get_by_role("region", name="Test this state")

    # A Choice: the input picks the rule, the answer names the next state.
    node(page, "Route").click()
    panel.get_by_label("Test input").fill('{"total": 250}')
    panel.get_by_role("button", name="Run test").click()
    expect(panel.get_by_test_id("next-state")).to_have_text("Approve")
    assert stage(page, "afterInputPath") == {"total": 250}
    panel.get_by_label("Test input").fill('{"total": 20}')
    panel.get_by_role("button", name="Run test").click()
    expect(panel.get_by_test_id("next-state")).to_have_text("Charge")

    # A Task with a mocked result: no function runs; every stage of its data flow shows.
    node(page, "Charge").click()
    panel.get_by_label("Test input").fill('{"total": 20}')
    panel.get_by_label("Mock", exact=True).select_option("result")
    panel.get_by_label("Mocked result").fill('{"Payload": {"id": "r-42"}, "StatusCode": 200}')
    panel.get_by_role("button", name="Run test").click()
    expect(panel.get_by_test_id("next-state")).to_have_text("Done")
    expect(panel.locator(".test-status")).to_have_text("SUCCEEDED")
    assert stage(page, "afterParameters") == {"FunctionName": "charge", "Payload": {"total": 20}}
    assert stage(page, "result") == {"Payload": {"id": "r-42"}, "StatusCode": 200}
    assert stage(page, "afterResultSelector") == {"receipt": "r-42"}
    assert stage(page, "output") == {"total": 20, "payment": {"receipt": "r-42"}}
    page.screenshot(path=str(artifacts / "editor-test-state.png"))

    # A mocked error: the failure and its cause, no next state.
    panel.get_by_label("Mock", exact=True).select_option("error")
    panel.get_by_label("Mocked error").fill("Card.Declined")
    panel.get_by_label("Mocked cause").fill("insufficient funds")
    panel.get_by_role("button", name="Run test").click()
    expect(panel.locator(".test-status")).to_have_text("FAILED")
    expect(panel.get_by_text("Card.Declined: insufficient funds")).to_be_visible()
    expect(panel.get_by_test_id("next-state")).to_have_count(0)


def test_the_test_input_starts_from_the_last_run(page: Page, live_server, make_user, artifacts):
    """Issue "TestState as AWS answers it": the inspector's input is, by default, what the state
    received in the author's last run."""
    passing = {
        "StartAt": "Greet",
        "States": {
            "Greet": {"Type": "Pass", "Parameters": {"hello.$": "$.who"}, "Next": "Done"},
            "Done": {"Type": "Succeed"},
        },
    }
    workflow = open_editor(page, live_server, make_user, json.dumps(passing, indent=2), name="greet")
    from executions import runner
    from executions.models import Execution
    from executions.services.runs import start_workflow_run

    execution = start_workflow_run(workflow, workflow.owner, input='{"who": "Ana"}')
    runner.submit(execution.pk)
    for _ in range(300):
        if Execution.objects.get(pk=execution.pk).status != "RUNNING":
            break
        page.wait_for_timeout(100)
    assert Execution.objects.get(pk=execution.pk).status == "SUCCEEDED"
    panel = page.get_by_role("region", name="Test this state")
    node(page, "Done").click()
    expect(panel.get_by_label("Test input")).to_have_value('{"hello":"Ana"}')
    expect(panel.get_by_text("(from the last run)")).to_be_visible()
    panel.get_by_label("Test input").fill('{"hello": "Bo"}')
    expect(panel.get_by_text("(from the last run)")).to_have_count(0)
    page.screenshot(path=str(artifacts / "editor-test-state-last-input.png"))
