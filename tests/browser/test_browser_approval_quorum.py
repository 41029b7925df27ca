"""A request from a (simulated) AWS target in Chromium: moto's Step Functions runs an execution
that waits on a task token, the target's request-approval function asks Symphony (uvicorn, so the
inbox is live over WebSockets) with ``POST /api/approvals/``, the request appears in an open
inbox without a reload, two reviewers of a 2-of-3 quorum approve it, and moto's execution
succeeds with their answer."""

import json

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PASSWORD, sign_in
from tests.executions.approvals.conftest import MotoProcess, finished, waiting_execution
from tests.executions.conftest import make_server, moto_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def moto():
    with moto_server() as url:
        server = MotoProcess(url)
        server.configure()
        yield server


@pytest.fixture(scope="module")
def server(tmp_path_factory, moto):
    live = make_server(
        tmp_path_factory.mktemp("symphony-browser-quorum"),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE="/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
    )
    setup = (
        "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
        "from designer.roles import apply_roles; from designer.deploy import targets; "
        "from executions.approvals import api_tokens; apply_roles(); "
        "User = get_user_model(); release = Group.objects.create(name='release'); "
        "[u.groups.add(Group.objects.get(name='reviewers'), release) for u in "
        f"(User.objects.create_user(n, n + '@example.com', {PASSWORD!r}) for n in ('rita', 'rob', 'ros'))]; "
        "pia = User.objects.create_user('pia'); pia.groups.add(Group.objects.get(name='publishers')); "
        "t = targets.create_target(pia, name='aws-prod', region='us-east-1', "
        f"role_arn='arn:aws:iam::123456789012:role/sfn-exec', endpoint_url={moto.url!r}); "
        "print(api_tokens.issue(t, pia)[1])"
    )
    live.token = live.manage("shell", "-c", setup).strip().splitlines()[-1]
    live.start()
    yield live
    live.stop()


def test_a_request_from_aws_is_approved_by_two_of_three(
    page: Page, browser: Browser, server, moto, artifacts
):
    page.set_viewport_size({"width": 1280, "height": 800})
    inbox = "/executions/approvals/"
    sign_in(page, server.url, "rita", inbox)
    rows = page.locator("#approvals tbody tr[data-approval]")
    expect(rows).to_have_count(0)

    # The request-approval Lambda's call, as it makes it for a task token moto issued.
    execution_arn, task_token = waiting_execution(moto, name="release-42")
    asked = requests.post(
        f"{server.url}/api/approvals/",
        headers={"Authorization": f"Bearer {server.token}"},
        json={
            "task_token": task_token,
            "execution_arn": execution_arn,
            "title": "Ship release 4.2",
            "context": {"release": "4.2", "changes": ["billing", "search"]},
            "approvers": {"groups": ["release"]},
            "quorum": 2,
        },
        timeout=30,
    )
    assert asked.status_code == 201, asked.text

    # The open inbox shows it without a reload.
    expect(rows).to_have_count(1, timeout=15000)
    expect(rows.first).to_contain_text("Ship release 4.2")
    expect(rows.first).to_contain_text("2 approvals needed")
    page.screenshot(path=str(artifacts / "approval-quorum-inbox-live.png"), full_page=True)

    rows.first.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="Review “Ship release 4.2”")).to_be_visible()
    page.get_by_label("Comment").fill("billing looks right")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approval recorded. The request waits for the other approvals.")).to_be_visible()
    expect(page.locator("#approval-steps .approved-by")).to_have_text("rita")
    page.screenshot(path=str(artifacts / "approval-quorum-first.png"), full_page=True)
    assert moto.client("stepfunctions").describe_execution(executionArn=execution_arn)["status"] == "RUNNING"

    second = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(second, server.url, "rob", inbox)
    second.locator("#approvals tbody tr[data-approval]").first.get_by_role("link", name="Review").click()
    expect(second.locator("#approval-progress")).to_contain_text("1 of 2 approvals, by rita")
    second.get_by_role("button", name="Approve").click()
    expect(second.get_by_text("Approved. The execution goes on.")).to_be_visible()
    expect(second.locator("#approval-steps .approved-by")).to_have_text("rita, rob")
    second.screenshot(path=str(artifacts / "approval-quorum-approved.png"), full_page=True)

    described = finished(moto, execution_arn)
    assert described["status"] == "SUCCEEDED"
    output = json.loads(described["output"])
    assert output["reviewer"] == "rob" and [a["reviewer"] for a in output["approvals"]] == ["rita", "rob"]
    # Decided: it leaves the inbox.
    page.goto(f"{server.url}{inbox}")
    expect(rows).to_have_count(0)
    second.context.close()
