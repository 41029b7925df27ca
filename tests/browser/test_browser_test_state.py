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
