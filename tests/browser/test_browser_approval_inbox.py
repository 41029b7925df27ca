"""A reviewer in Chromium: the nav counts what waits, the inbox lists it, Review opens the
approval page, and once approved the step leaves the inbox and the count."""

import json

import pytest
from playwright.sync_api import Page, expect

from accounts.services import account_id_for
from designer.roles import AUTHORS, REVIEWERS
from executions.effects import register_token
from executions.models import TaskToken, TaskTokenStatus
from executions.services import executions, machines
from tests.browser.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE = "arn:aws:iam::000000000000:role/r"
DEFINITION = json.dumps({"StartAt": "Ask", "States": {"Ask": {"Type": "Pass", "End": True}}})


def test_reviewer_finds_and_decides_a_waiting_step(page: Page, live_server, make_user, artifacts):
    author = make_user("ana", AUTHORS, password=PASSWORD)
    make_user("rita", REVIEWERS, password=PASSWORD)
    account = account_id_for(author)  # the author's run; rita reviews across accounts
    machine = machines.create_state_machine(
        region="us-east-1", account=account, name="purchase-order", definition=DEFINITION, role_arn=ROLE
    )[0]
    for name, state in (("po-1", "ManagerApproval"), ("po-2", "FinanceApproval")):
        execution = executions.start_execution(
            machine.arn, account, name=name, input="{}", owner_id=author.pk
        )[0]
        register_token(execution.pk, f"tok-{name}", state, None, "")

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, "rita", "/executions/approvals/")
    expect(page.locator("#approvals-count")).to_have_text("2")
    rows = page.locator("#approvals tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("purchase-order")
    expect(rows.first).to_contain_text("ManagerApproval")
    page.screenshot(path=str(artifacts / "approval-inbox.png"), full_page=True)

    rows.first.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="Review “ManagerApproval”")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved. The workflow has your answer.")).to_be_visible()
    assert TaskToken.objects.get(token="tok-po-1").status == TaskTokenStatus.SUCCEEDED

    page.get_by_role("link", name="Approvals").click()
    expect(page.locator("#approvals-count")).to_have_text("1")
    expect(page.locator("#approvals tbody tr")).to_have_count(1)
    expect(page.locator("#approvals")).to_contain_text("FinanceApproval")


def test_the_count_follows_a_decision_made_in_another_tab(page: Page, live_server, make_user, artifacts):
    author = make_user("ana", AUTHORS, password=PASSWORD)
    make_user("rita", REVIEWERS, password=PASSWORD)
    account = account_id_for(author)
    machine = machines.create_state_machine(
        region="us-east-1", account=account, name="purchase-order", definition=DEFINITION, role_arn=ROLE
    )[0]
    for name in ("po-1", "po-2"):
        execution = executions.start_execution(
            machine.arn, account, name=name, input="{}", owner_id=author.pk
        )[0]
        register_token(execution.pk, f"tok-{name}", "ManagerApproval", None, "")

    sign_in(page, live_server.url, "rita", "/workflows/")
    expect(page.locator("#approvals-count")).to_have_text("2")

    other = page.context.new_page()
    other.goto(f"{live_server.url}/executions/approvals/")
    other.locator("#approvals tbody tr").first.get_by_role("link", name="Review").click()
    other.get_by_role("button", name="Approve").click()
    expect(other.get_by_text("Approved. The workflow has your answer.")).to_be_visible()
    # The first tab was not reloaded: its count follows.
    expect(page.locator("#approvals-count")).to_have_text("1")
    other.locator("nav").get_by_role("link", name="Approvals").click()
    other.locator("#approvals tbody tr").first.get_by_role("link", name="Review").click()
    other.get_by_role("button", name="Approve").click()
    expect(page.locator("#approvals-count")).to_have_count(0)
    expect(page.get_by_role("link", name="Approvals")).to_have_text("Approvals")
