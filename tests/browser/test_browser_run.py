"""The author's loop in Chromium: Run in the editor opens a dialog that checks the input as it is
typed, keeps named test inputs, starts the draft and opens its live view, where the run
succeeds; "Run again with this input" starts it again; a version's page runs that version."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, sign_in
from tests.executions.conftest import REPO_ROOT, make_server

pytestmark = pytest.mark.browser

SAMPLE = REPO_ROOT / "designer" / "samples" / "order-processing.asl.json"
ORDER = {
    "orderId": "o-1",
    "items": [{"sku": "A", "price": 2.5, "quantity": 2}],
    "customer": {"email": "ana@example.com"},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = make_server(
        tmp_path_factory.mktemp("symphony-browser-run"),
        SYMPHONY_FUNCTIONS_DIR=str(REPO_ROOT / "functions"),
        SYMPHONY_TIME_SCALE="0.1",
    )
    live.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
        "from designer import services; from designer.roles import apply_roles; apply_roles(); "
        f"u = get_user_model().objects.create_user('ana', 'ana@example.com', {PASSWORD!r}); "
        "u.groups.add(Group.objects.get(name='authors')); "
        f"w = services.create_workflow(u, name='order-processing', definition=open({str(SAMPLE)!r}).read()); "
        "services.create_version(w, u, message='first cut')",
    )
    live.start()
    yield live
    live.stop()


def test_run_the_draft_from_the_editor_and_run_it_again(page: Page, server, artifacts):
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server.url, "ana", "/workflows/1/")
    page.get_by_role("toolbar", name="Editor").get_by_role("button", name="Run", exact=False).click()
    dialog = page.get_by_role("dialog", name="Run order-processing")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Definition")).to_have_value("draft")
    expect(dialog.get_by_label("Definition").locator("option")).to_have_count(2)  # the draft and v1

    # The input is checked as it is typed; a bad one cannot be started.
    text = dialog.get_by_label("Input (JSON)")
    text.fill('{\n  "orderId": "o-1",\n}')
    expect(dialog.get_by_role("status")).to_have_text("Property name expected at line 3, column 1.")
    expect(dialog.get_by_role("button", name="Start execution")).to_be_disabled()
    text.fill(json.dumps(ORDER, indent=2))
    expect(dialog.get_by_role("status")).to_have_text("Valid JSON")

    # A named test input is kept with the workflow.
    dialog.get_by_label("Name for this input").fill("one small order")
    dialog.get_by_role("button", name="Save input").click()
    expect(dialog.get_by_text("Saved as “one small order”.")).to_be_visible()

    name = dialog.get_by_label("Execution name (optional)")
    name.fill("first try")
    expect(dialog.get_by_text("No spaces, brackets")).to_be_visible()
    expect(dialog.get_by_role("button", name="Start execution")).to_be_disabled()
    name.fill("first-try")
    page.screenshot(path=str(artifacts / "run-dialog.png"))
    dialog.get_by_role("button", name="Start execution").click()

    expect(page).to_have_url(re.compile(r"/executions/\d+/$"))
    expect(page.get_by_role("heading", name="first-try")).to_be_visible()
    expect(page.locator("#execution-status")).to_have_text("Succeeded", timeout=30000)
    expect(page.locator(".run-facts")).to_contain_text("workflow draft revision 1")
    first = page.url
    page.screenshot(path=str(artifacts / "run-draft-succeeded.png"), full_page=True)

    # Run again: the same input, the saved one offered, a new execution.
    page.get_by_role("button", name="Run again with this input").click()
    again = page.get_by_role("dialog", name="Run order-processing")
    assert json.loads(again.get_by_label("Input (JSON)").input_value()) == ORDER
    again.get_by_label("Saved inputs").select_option(label="one small order")
    expect(again.get_by_label("Name for this input")).to_have_value("one small order")
    again.get_by_role("button", name="Start execution").click()
    expect(page).not_to_have_url(first)
    expect(page).to_have_url(re.compile(r"/executions/\d+/$"))
    expect(page.locator("#execution-status")).to_have_text("Succeeded", timeout=30000)

    # The way back to the editor, and both runs in the list.
    page.get_by_role("link", name="order-processing").click()
    expect(page).to_have_url(f"{server.url}/workflows/1/")
    # Opened afresh, the dialog offers the saved input changed last.
    page.get_by_role("toolbar", name="Editor").get_by_role("button", name="Run", exact=False).click()
    fresh = page.get_by_role("dialog", name="Run order-processing")
    expect(fresh.get_by_label("Saved inputs").locator("option:checked")).to_have_text("one small order")
    assert json.loads(fresh.get_by_label("Input (JSON)").input_value()) == ORDER
    fresh.get_by_role("button", name="Cancel").click()
    page.goto(f"{server.url}/executions/")
    expect(page.locator("#executions tbody tr")).to_have_count(2)


def test_a_version_runs_from_its_page_and_the_versions_panel(page: Page, server, artifacts):
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server.url, "ana", "/workflows/1/versions/1/")
    page.get_by_role("button", name="Run").click()
    dialog = page.get_by_role("dialog", name="Run order-processing")
    expect(dialog.get_by_label("Definition")).to_have_value("1")
    dialog.get_by_label("Input (JSON)").fill(json.dumps(ORDER))
    dialog.get_by_role("button", name="Start execution").click()
    expect(page).to_have_url(re.compile(r"/executions/\d+/$"))
    expect(page.locator("#execution-status")).to_have_text("Succeeded", timeout=30000)
    expect(page.locator(".run-facts")).to_contain_text("workflow version 1")

    # In the editor's versions panel, a version links to its page and runs too.
    page.goto(f"{server.url}/workflows/1/")
    page.get_by_role("button", name="Versions").click()
    panel = page.get_by_role("complementary", name="Versions")
    expect(panel.get_by_role("link", name="v1")).to_have_attribute("href", "/workflows/1/versions/1/")
    panel.get_by_role("button", name="Run").click()
    dialog = page.get_by_role("dialog", name="Run order-processing")
    expect(dialog.get_by_label("Definition")).to_have_value("1")
    page.screenshot(path=str(artifacts / "run-from-versions-panel.png"))


BROKEN = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {
            "Type": "Pass",
            "Result": {"approved": True},
            "ResultPath": "$.approval",
            "Assign": {"tries": 1},
            "Next": "Check",
        },
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.approval.decision", "StringEquals": "yes", "Next": "Done"}],
            "Default": "Rejected",
        },
        "Done": {"Type": "Succeed"},
        "Rejected": {"Type": "Fail", "Error": "Rejected"},
    },
}


def test_run_from_the_failed_step_after_a_fix(page: Page, server, artifacts):
    code = (
        "from django.contrib.auth import get_user_model; from designer import services; "
        "u = get_user_model().objects.get(username='ana'); "
        f"services.create_workflow(u, name='approver', definition={json.dumps(BROKEN)!r})"
    )
    server.manage("shell", "-c", code)
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server.url, "ana", "/workflows/2/")
    page.get_by_role("toolbar", name="Editor").get_by_role("button", name="Run", exact=False).click()
    page.get_by_role("dialog", name="Run approver").get_by_role("button", name="Start execution").click()
    expect(page.locator("#execution-status")).to_have_text("Failed", timeout=30000)
    expect(page.get_by_role("region", name="Cause").last).to_contain_text("$.approval.decision")
    # The state it failed in says why, though its own events do not.
    page.locator('#run-steps tr[data-state="Check"]').click()
    side = page.get_by_role("complementary", name="State")
    expect(side.get_by_role("region", name="Error")).to_contain_text("States.Runtime")
    expect(side.get_by_role("region", name="Output")).to_contain_text(
        "None: the execution ended in this state."
    )

    # The fix: Check reads what Prepare writes.
    fixed = json.loads(json.dumps(BROKEN))
    fixed["States"]["Check"]["Choices"] = [
        {"Variable": "$.approval.approved", "BooleanEquals": True, "Next": "Done"}
    ]
    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from designer import services; "
        "from designer.models import Workflow; u = get_user_model().objects.get(username='ana'); "
        "w = Workflow.objects.get(name='approver'); "
        f"services.save_draft(w, u, expected_revision=w.draft.revision, definition={json.dumps(fixed)!r})",
    )

    # The draft beside the run: Check changed since, nothing else.
    page.get_by_role("button", name="Compare with the draft").click()
    draft = page.get_by_role("complementary", name="Draft now")
    expect(draft.get_by_label("Changes since this run")).to_contain_text("1 changed")
    expect(draft.get_by_label("Changes since this run")).to_contain_text("0 added")
    expect(draft.locator('[data-state-name="Check"]')).to_have_attribute("data-diff", "changed")
    expect(draft.locator('[data-state-name="Prepare"]')).to_have_attribute("data-diff", "same")
    expect(page.locator('.run-graph .run-node[data-state-name="Check"]')).to_have_attribute(
        "data-diff", "changed"
    )
    expect(page.locator('.run-graph .run-node[data-state-name="Done"]')).not_to_have_attribute(
        "data-diff", "changed"
    )
    page.screenshot(path=str(artifacts / "run-beside-the-draft.png"))
    page.get_by_role("button", name="Hide the draft").click()

    # From the failed step: its input and the variable Prepare assigned; Prepare does not run again.
    page.locator('#run-steps tr[data-state="Check"]').click()
    page.get_by_role("button", name="Run from here").click()
    dialog = page.get_by_role("dialog", name="Run approver from Check")
    expect(dialog).to_contain_text("and the variable it saw")
    expect(dialog.get_by_label("Definition")).to_have_count(0)  # always the draft
    assert json.loads(dialog.get_by_label("Input (JSON)").input_value()) == {"approval": {"approved": True}}
    page.screenshot(path=str(artifacts / "run-from-here-dialog.png"))
    dialog.get_by_role("button", name="Start execution").click()
    expect(page.locator(".run-facts")).to_contain_text("run from Check")
    expect(page.locator("#execution-status")).to_have_text("Succeeded", timeout=30000)
    states = page.locator("#run-steps tbody tr td:first-child")
    expect(states).to_have_text(["Run from here", "Check", "Done"])
    done = page.locator('.react-flow__node [data-state-name="Done"]')
    expect(done).to_have_attribute("data-run-status", "succeeded")
    page.locator('#run-steps tr[data-state="Run from here"]').click()
    expect(page.get_by_role("region", name="Variables assigned")).to_contain_text('"tries": 1')
    page.screenshot(path=str(artifacts / "run-from-here-succeeded.png"), full_page=True)


IN_A_BRANCH = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Side", "States": {"Side": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "Stamp",
                    "States": {
                        "Stamp": {
                            "Type": "Pass",
                            "Result": "yes",
                            "ResultPath": "$.stamp",
                            "Assign": {"k": 2},
                            "Next": "Verify",
                        },
                        "Verify": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$.stamped", "StringEquals": "yes", "Next": "Ok"}],
                        },
                        "Ok": {"Type": "Pass", "Parameters": {"k.$": "$k"}, "End": True},
                    },
                },
            ],
            "End": True,
        }
    },
}


def test_run_from_a_failed_step_inside_a_parallel_branch(page: Page, server, artifacts):
    code = (
        "from django.contrib.auth import get_user_model; from designer import services; "
        "u = get_user_model().objects.get(username='ana'); "
        f"print(services.create_workflow(u, name='fan', definition={json.dumps(IN_A_BRANCH)!r}).pk)"
    )
    workflow_id = server.manage("shell", "-c", code).strip().splitlines()[-1]
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server.url, "ana", f"/workflows/{workflow_id}/")
    page.get_by_role("toolbar", name="Editor").get_by_role("button", name="Run", exact=False).click()
    page.get_by_role("dialog", name="Run fan").get_by_role("button", name="Start execution").click()
    expect(page.locator("#execution-status")).to_have_text("Failed", timeout=30000)

    fixed = json.loads(json.dumps(IN_A_BRANCH))
    fixed["States"]["Fan"]["Branches"][1]["States"]["Verify"]["Choices"][0]["Variable"] = "$.stamp"
    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from designer import services; "
        "from designer.models import Workflow; u = get_user_model().objects.get(username='ana'); "
        "w = Workflow.objects.get(name='fan'); "
        f"services.save_draft(w, u, expected_revision=w.draft.revision, definition={json.dumps(fixed)!r})",
    )
    page.locator('#run-steps tr[data-state="Verify"]').click()
    page.get_by_role("button", name="Run from here (this branch)").click()
    dialog = page.get_by_role("dialog", name="Run fan from Verify")
    expect(dialog).to_contain_text("the rest of branch 2 of “Fan” alone")
    expect(dialog).to_contain_text("a Parallel's result needs every branch's output")
    expect(dialog).to_contain_text("and the variable it saw")
    assert json.loads(dialog.get_by_label("Input (JSON)").input_value()) == {"stamp": "yes"}
    page.screenshot(path=str(artifacts / "run-from-here-in-a-branch-dialog.png"))
    dialog.get_by_role("button", name="Start execution").click()
    expect(page.locator(".run-facts")).to_contain_text("run from Verify")
    expect(page.locator("#execution-status")).to_have_text("Succeeded", timeout=30000)
    expect(page.locator("#run-steps tbody tr td:first-child")).to_have_text(["Run from here", "Verify", "Ok"])
    # The branch's variable, assigned again by the entry, reached the last state.
    expect(page.get_by_role("region", name="Output").first).to_contain_text('"k": 2')
    page.screenshot(path=str(artifacts / "run-from-here-in-a-branch-succeeded.png"), full_page=True)
