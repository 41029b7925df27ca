"""A reviewer on a phone (390 px wide), as one following an approval email would be: every page
fits the screen's width (the navigation wrapped, wide tables scroll in their own box), and the
review page puts the decision right after its context, not below every payload (the run view's
steps at that width: tests/browser/test_browser_execution_steps.py)."""

import json

import pytest
from playwright.sync_api import Page, expect

from accounts.services import account_id_for
from designer.roles import AUTHORS, REVIEWERS
from executions.effects import register_token
from executions.services import executions, machines
from tests.browser.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE = "arn:aws:iam::000000000000:role/r"
DEFINITION = json.dumps({"StartAt": "Ask", "States": {"Ask": {"Type": "Pass", "End": True}}})
WIDTH = 390


def overflow(page: Page) -> int:
    """How far the page reaches past the screen's right edge, in pixels."""
    return page.evaluate("document.documentElement.scrollWidth") - WIDTH


def test_a_reviewer_on_a_phone_reads_and_decides_without_scrolling_sideways(
    page: Page, live_server, make_user, artifacts
):
    author = make_user("ana", AUTHORS, password=PASSWORD)
    make_user("rita", REVIEWERS, password=PASSWORD)
    account = account_id_for(author)
    machine = machines.create_state_machine(
        region="us-east-1",
        account=account,
        name="purchase-order-for-the-warehouse",
        definition=DEFINITION,
        role_arn=ROLE,
    )[0]
    execution = executions.start_execution(
        machine.arn,
        account,
        name="po-2026-12-07-0001",
        input=json.dumps({"lines": ["x" * 30] * 40}),
        owner_id=author.pk,
    )[0]
    register_token(execution.pk, "tok-po", "ManagerApproval", None, "")

    page.set_viewport_size({"width": WIDTH, "height": 844})
    sign_in(page, live_server.url, "rita", "/executions/approvals/")
    for link in page.locator(".topnav a").all():
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= WIDTH, link.text_content()
    assert overflow(page) <= 0
    page.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="Review “ManagerApproval”")).to_be_visible()
    assert overflow(page) <= 0
    decide = page.get_by_role("button", name="Approve").bounding_box()
    payload = page.get_by_label("Execution input").bounding_box()
    assert decide is not None and payload is not None and decide["y"] < payload["y"]
    page.screenshot(path=str(artifacts / "phone-review.png"), full_page=True)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved. The workflow has your answer.")).to_be_visible()

    page.goto(f"{live_server.url}/executions/")
    expect(page.locator("#executions")).to_contain_text("po-2026-12-07-0001")
    assert overflow(page) <= 0
    page.goto(f"{live_server.url}/workflows/")
    assert overflow(page) <= 0
