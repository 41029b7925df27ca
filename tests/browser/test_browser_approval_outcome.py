"""The approval page tells the truth: a reviewer approves or rejects the brand-asset-pipeline
sample's step on Symphony's own page, and the page then follows the execution live and says what
the workflow did with the answer, to the end the workflow gives it; a workflow that fails on the
answer is reported failed at its state, with the error and cause."""

import json
import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, sign_in
from tests.executions.conftest import REPO_ROOT, ROLE, client_for, make_server

pytestmark = pytest.mark.browser

SAMPLE = json.loads((REPO_ROOT / "designer" / "samples" / "brand-asset-pipeline.asl.json").read_text())
ASSET = {"asset": {"name": "spring-logo", "format": "png"}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = make_server(
        tmp_path_factory.mktemp("symphony-browser-approval-outcome"),
        SYMPHONY_FUNCTIONS_DIR=str(REPO_ROOT / "functions"),
        SYMPHONY_TIME_SCALE="0.1",
    )
    live.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
        "from designer.roles import apply_roles; apply_roles(); "
        f"u = get_user_model().objects.create_user('rita', 'rita@example.com', {PASSWORD!r}); "
        "u.groups.add(Group.objects.get(name='reviewers'))",
    )
    live.start()
    yield live
    live.stop()


def review(page: Page, server, definition: dict, machine: str) -> None:
    """Start the workflow as a client would, then open its waiting step's page as the reviewer."""
    sfn = client_for(server.endpoint)
    arn = sfn.create_state_machine(name=machine, definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    name = f"asset-{time.time_ns()}"
    sfn.start_execution(stateMachineArn=arn, name=name, input=json.dumps(ASSET))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, server.url, "rita", "/executions/")
    page.get_by_role("link", name=name).click()
    page.get_by_role("link", name="Review and decide").click(timeout=20000)
    expect(page.get_by_role("heading", name="Review “RequestApproval”")).to_be_visible()


def outcome(page: Page):
    return page.locator("#approval-outcome")


def test_approve_the_brand_asset_sample_and_see_it_published(page: Page, server, artifacts):
    review(page, server, SAMPLE, "brand-approve")
    page.get_by_label("Comment").fill("On brand")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved. The workflow has your answer.")).to_be_visible()
    expect(page.locator("#approval-outcome-status")).to_have_text("Succeeded", timeout=20000)
    expect(outcome(page)).to_contain_text("RequestApproval took the answer as its result.")
    expect(outcome(page)).to_contain_text(
        "Then the workflow went to IsApproved → PublishAsset → NotifyApproved."
    )
    expect(outcome(page)).to_contain_text("The execution succeeded.")
    page.screenshot(path=str(artifacts / "approval-outcome-approved.png"), full_page=True)


def test_reject_the_brand_asset_sample_and_see_it_caught(page: Page, server, artifacts):
    review(page, server, SAMPLE, "brand-reject")
    page.get_by_label("Comment").fill("Off-brand colours")
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Rejected. The workflow has your reason.")).to_be_visible()
    expect(page.locator("#approval-outcome-status")).to_have_text("Succeeded", timeout=20000)
    expect(outcome(page)).to_contain_text(
        "RequestApproval received the answer as the error Rejected: Off-brand colours (rejected by rita),"
        " and its Catch took it."
    )
    expect(outcome(page)).to_contain_text("Then the workflow went to NotifyRejected → AssetRejected.")
    page.screenshot(path=str(artifacts / "approval-outcome-rejected.png"), full_page=True)


def test_a_workflow_that_fails_on_the_answer_is_reported_failed(page: Page, server, artifacts):
    """The sample as it was: its Choice read `$.approval.decision`, which the page never sends."""
    old = json.loads(json.dumps(SAMPLE))
    old["States"]["IsApproved"]["Choices"] = [
        {"Variable": "$.approval.decision", "StringEquals": "approved", "Next": "PublishAsset"}
    ]
    review(page, server, old, "brand-old-choice")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#approval-outcome-status")).to_have_text("Failed", timeout=20000)
    expect(outcome(page)).to_contain_text(
        re.compile(r"The execution failed at IsApproved: States\.Runtime: .*decision")
    )
    expect(page.get_by_text("goes on")).to_have_count(0)
    page.screenshot(path=str(artifacts / "approval-outcome-failed.png"), full_page=True)
