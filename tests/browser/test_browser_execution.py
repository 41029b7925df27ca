"""The execution view in Chromium against a live server (uvicorn, so WebSockets work): states
turn running and succeeded live, a reviewer approves or rejects on the approval page, the
execution finishes, and the list follows its status without a reload."""

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
            "Prepare": {"Type": "Pass", "Result": {"order": 42, "amount": 19.5}, "Next": "Cool down"},
            "Cool down": {"Type": "Wait", "Seconds": 4, "Next": "Approve order"},
            "Approve order": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/000000000000/approvals",
                    "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"},
                },
                "Catch": [{"ErrorEquals": ["Rejected"], "Next": "Rejected"}],
                "Next": "Ship",
            },
            "Ship": {"Type": "Pass", "End": True},
            "Rejected": {"Type": "Fail", "Error": "Rejected", "Cause": "A reviewer said no"},
        },
    }
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = make_server(tmp_path_factory.mktemp("symphony-browser-exec"))
    live.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        "from accounts.services import default_account, join; from designer.roles import apply_roles; "
        f"u = get_user_model().objects.create_user('rita', 'rita@example.com', {PASSWORD!r}); "
        # A reviewer who is also an author (she stops a run), in the account the DEBUG test key
        # acts in (boto3 starts the runs with it below).
        "apply_roles(); u.groups.add(*Group.objects.filter(name__in=['reviewers', 'authors'])); "
        "join(u, default_account())",
    )
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def machine(server) -> str:
    sfn = client_for(server.endpoint)
    created = sfn.create_state_machine(name="review-flow", definition=DEFINITION, roleArn=ROLE)
    return created["stateMachineArn"]


def sign_in_and_start(page: Page, server, machine: str) -> int:
    """Sign in, start an execution (as boto3 would), open it from the list: its page id."""
    sign_in(page, server.url, "rita", "/executions/")
    name = f"order-{time.time_ns()}"
    client_for(server.endpoint).start_execution(
        stateMachineArn=machine, name=name, input='{"customer": "Ana"}'
    )
    page.reload()
    page.get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(r"/executions/\d+/$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_states_turn_live_and_an_approval_finishes_the_run(page: Page, server, machine, artifacts):
    page.set_viewport_size({"width": 1400, "height": 1000})
    pk = sign_in_and_start(page, server, machine)

    # The graph shows every state; they change colour as the events arrive.
    expect(run_node(page, "Prepare")).to_have_attribute("data-run-status", "succeeded")
    expect(run_node(page, "Cool down")).to_have_attribute("data-run-status", "running")
    expect(run_node(page, "Ship")).to_have_attribute("data-run-status", "not-reached")
    expect(page.locator("#execution-status")).to_have_text("Running")
    page.screenshot(path=str(artifacts / "execution-waiting.png"), full_page=True)
    # The table of steps follows too.
    step = page.locator('#run-steps tr[data-state="Cool down"]')
    expect(step).to_have_attribute("data-status", "running")
    expect(step.locator("td").nth(4)).to_contain_text("…")  # its duration so far, growing
    so_far = step.locator("td").nth(4).inner_text()
    expect(step.locator("td").nth(4)).not_to_have_text(so_far)
    expect(run_node(page, "Cool down")).to_have_attribute("data-run-status", "succeeded", timeout=15000)
    expect(step).to_have_attribute("data-status", "succeeded")
    expect(step.locator("td").nth(4)).not_to_contain_text("…")
    expect(run_node(page, "Approve order")).to_have_attribute("data-run-status", "running")

    # A state's input and output, and its events, on a click.
    run_node(page, "Prepare").click()
    side = page.get_by_role("complementary", name="State")
    expect(side.get_by_role("region", name="Output")).to_contain_text('"order": 42')
    expect(side.get_by_role("region", name="Input")).to_contain_text('"customer": "Ana"')
    expect(page.locator("#run-events tr.highlighted")).to_have_count(2)
    # Event details are pretty JSON, the JSON text inside them unfolded.
    page.locator('#run-events tr[data-event-id="3"]').click()
    expect(page.locator("#run-events .run-event-details")).to_contain_text('"order": 42')

    # Another tab follows the list.
    listing = page.context.new_page()
    listing.goto(f"{server.url}/executions/")
    row = listing.locator(f'tr[data-execution-id="{pk}"] [data-status]')
    expect(row).to_have_text("Running")
    # An execution started after the list was served is announced, not silently missing.
    client_for(server.endpoint).start_execution(stateMachineArn=machine, name=f"later-{time.time_ns()}")
    expect(listing.get_by_role("status").filter(has_text="New executions have started.")).to_be_visible()

    review = page.get_by_role("link", name="Review and decide")
    expect(review).to_be_visible(timeout=10000)
    run_node(page, "Approve order").click()
    page.screenshot(path=str(artifacts / "execution-awaiting-approval.png"), full_page=True)
    review.click()
    expect(page.get_by_role("heading", name="Review “Approve order”")).to_be_visible()
    expect(page.get_by_label("Task parameters")).to_contain_text('"order": 42')
    expect(page.get_by_label("Execution input")).to_contain_text('"customer": "Ana"')
    page.screenshot(path=str(artifacts / "approval-page.png"), full_page=True)
    page.get_by_label("Comment").fill("Looks right")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved. The workflow has your answer.")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    page.screenshot(path=str(artifacts / "approval-decided.png"), full_page=True)

    expect(row).to_have_text("Succeeded", timeout=15000)
    expect(listing.locator(f'tr[data-execution-id="{pk}"] [data-duration]')).to_have_text("ended just now")
    listing.screenshot(path=str(artifacts / "execution-list.png"), full_page=True)

    page.get_by_role("link", name="Open the execution").click()
    expect(page.locator("#execution-status")).to_have_text("Succeeded", timeout=15000)
    for name in ("Prepare", "Cool down", "Approve order", "Ship"):
        expect(run_node(page, name)).to_have_attribute("data-run-status", "succeeded")
    expect(run_node(page, "Rejected")).to_have_attribute("data-run-status", "not-reached")
    expect(page.get_by_role("region", name="Output").first).to_contain_text('"approved": true')
    expect(page.get_by_role("button", name="Stop execution")).to_have_count(0)
    page.screenshot(path=str(artifacts / "execution-succeeded.png"), full_page=True)


def test_a_rejection_needs_a_reason_and_is_caught(page: Page, server, machine, artifacts):
    page.set_viewport_size({"width": 1400, "height": 1000})
    pk = sign_in_and_start(page, server, machine)
    page.get_by_role("link", name="Review and decide").click(timeout=15000)
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Give a reason for the rejection")).to_be_visible()
    page.get_by_label("Comment").fill("Wrong amount")
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Rejected. The workflow has your reason.")).to_be_visible()

    page.goto(f"{server.url}/executions/{pk}/")
    expect(page.locator("#execution-status")).to_have_text("Failed", timeout=15000)
    expect(run_node(page, "Approve order")).to_have_attribute("data-run-status", "caught")
    expect(run_node(page, "Rejected")).to_have_attribute("data-run-status", "failed")
    expect(run_node(page, "Ship")).to_have_attribute("data-run-status", "not-reached")
    expect(page.get_by_role("region", name="Cause")).to_contain_text("A reviewer said no")
    run_node(page, "Approve order").click()
    expect(page.get_by_role("complementary", name="State")).to_contain_text("Wrong amount (rejected by rita)")
    page.screenshot(path=str(artifacts / "execution-rejected.png"), full_page=True)


def test_stop_aborts_the_run_and_narrow_screens_stack(page: Page, server, machine, artifacts):
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in_and_start(page, server, machine)
    expect(run_node(page, "Cool down")).to_have_attribute("data-run-status", "running")
    page.screenshot(path=str(artifacts / "execution-narrow.png"), full_page=True)
    page.get_by_role("button", name="Stop execution").click()
    expect(page.locator("#execution-status")).to_have_text("Aborted", timeout=15000)
    expect(run_node(page, "Cool down")).to_have_attribute("data-run-status", "aborted")
    expect(run_node(page, "Approve order")).to_have_attribute("data-run-status", "not-reached")
    expect(page.get_by_role("button", name="Stop execution")).to_have_count(0)


MAP_DEFINITION = json.dumps(
    {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "StartAt": "Check",
                    "States": {
                        "Check": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Pause"}],
                            "Default": "Double",
                        },
                        "Double": {"Type": "Pass", "End": True},
                        # The failure waits for the other items, so that they all finish.
                        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Bad"},
                        "Bad": {"Type": "Fail", "Error": "Two", "Cause": "two is not allowed"},
                    },
                },
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}],
                "End": True,
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }
)


def test_a_map_counts_its_iterations_and_shows_the_path_of_one(page: Page, server, artifacts):
    page.set_viewport_size({"width": 1400, "height": 1000})
    sfn = client_for(server.endpoint)
    arn = sfn.create_state_machine(name="each-item", definition=MAP_DEFINITION, roleArn=ROLE)[
        "stateMachineArn"
    ]
    sign_in(page, server.url, "rita", "/executions/")
    name = f"items-{time.time_ns()}"
    execution = sfn.start_execution(stateMachineArn=arn, name=name, input='{"items": [1, 2, 3, 4]}')
    for _ in range(300):
        if sfn.describe_execution(executionArn=execution["executionArn"])["status"] != "RUNNING":
            break
        time.sleep(0.1)
    page.goto(f"{server.url}/executions/")
    page.get_by_role("link", name=name).click()

    each = run_node(page, "Each")
    expect(each).to_have_attribute("data-run-status", "caught", timeout=15000)
    counts = each.get_by_label("Iterations")
    expect(counts.locator('[data-count="succeeded"]')).to_have_text("3 succeeded")
    expect(counts.locator('[data-count="failed"]')).to_have_text("1 failed")
    # Over every iteration, the failing branch ran once and the other three times.
    expect(run_node(page, "Bad")).to_have_attribute("data-run-status", "failed")
    expect(run_node(page, "Double")).to_have_attribute("data-run-status", "succeeded")

    each.locator(".run-node-name").click()
    side = page.get_by_role("complementary", name="State")
    iterations = side.get_by_role("region", name="Iterations")
    expect(iterations.get_by_role("button")).to_have_count(4)
    iterations.get_by_role("button", name="1", exact=True).click()
    expect(page.get_by_text("Showing iteration 1 of “Each”")).to_be_visible()
    expect(run_node(page, "Bad")).to_have_attribute("data-run-status", "failed")
    expect(run_node(page, "Double")).to_have_attribute("data-run-status", "not-reached")
    page.screenshot(path=str(artifacts / "execution-map-iteration-1.png"), full_page=True)

    # The failed step of that iteration: its input and its error, from the history.
    run_node(page, "Bad").click()
    expect(side.get_by_text("In iteration 1 of “Each”")).to_be_visible()
    expect(side.get_by_role("region", name="Input")).to_contain_text("2")
    expect(side.get_by_role("region", name="Error")).to_contain_text("two is not allowed")

    each.locator(".run-node-name").click()
    iterations.get_by_role("button", name="3", exact=True).click()
    expect(run_node(page, "Bad")).to_have_attribute("data-run-status", "not-reached")
    run_node(page, "Double").click()
    expect(side.get_by_role("region", name="Input")).to_contain_text("4")
    expect(side.get_by_role("region", name="Output")).to_contain_text("4")
    page.screenshot(path=str(artifacts / "execution-map-iteration-3.png"), full_page=True)

    page.get_by_role("button", name="Show all iterations").click()
    expect(run_node(page, "Bad")).to_have_attribute("data-run-status", "failed")
    expect(run_node(page, "Double")).to_have_attribute("data-run-status", "succeeded")
