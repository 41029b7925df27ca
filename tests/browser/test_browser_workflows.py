"""A person signs in, sees the workflow list, creates a workflow and opens it, in Chromium."""

import json

import pytest
from playwright.sync_api import Page, expect

from designer import services
from designer.management.commands.bootstrap import SAMPLES_DIR
from designer.models import Visibility, Workflow
from designer.roles import AUTHORS, VIEWERS
from tests.browser.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_list_create_and_open_a_workflow(page: Page, live_server, make_user, artifacts):
    author = make_user("ana", AUTHORS, password=PASSWORD)
    services.create_workflow(author, name="existing-flow", description="Made earlier", tags={"team": "x"})
    # The samples' names, descriptions and tags: what a new installation's list shows.
    for sample in json.loads((SAMPLES_DIR / "samples.json").read_text()):
        services.create_workflow(
            author, name=sample["name"], description=sample["description"], tags=sample["tags"]
        )
    page.set_viewport_size({"width": 1280, "height": 800})

    # The list asks who you are first.
    page.goto(f"{live_server.url}/workflows/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/workflows/")
    sign_in(page, live_server.url, "ana", "/workflows/")
    expect(page.get_by_role("heading", name="Workflows")).to_be_visible()
    expect(page.get_by_role("link", name="existing-flow")).to_be_visible()
    # The stylesheet loaded: the top bar is dark, not the browser's default white.
    assert page.eval_on_selector(".topbar", "el => getComputedStyle(el).backgroundColor") == "rgb(22, 26, 35)"
    # Every column, the row's actions last, without scrolling sideways (it hid Delete at 1280).
    assert page.eval_on_selector(".table-wrap", "el => el.scrollWidth <= el.clientWidth")
    expect(page.get_by_role("link", name="Delete").first).to_be_in_viewport()
    page.screenshot(path=str(artifacts / "workflow-list.png"), full_page=True)

    page.get_by_role("link", name="New workflow").click()
    page.locator("#create-panel").get_by_label("Name").fill("browser-made")
    page.get_by_role("button", name="Create").click()

    workflow = Workflow.objects.get(name="browser-made")
    expect(page).to_have_url(f"{live_server.url}/workflows/{workflow.pk}/")
    expect(page.get_by_role("heading", name="browser-made")).to_be_visible()
    expect(page.locator("#editor-root")).to_have_attribute("data-workflow-id", str(workflow.pk))
    # The editor mounted from the embedded draft: the state is a node, and the editor validated it.
    expect(page.locator('.state-node[data-state-name="Hello"]')).to_be_visible()
    expect(page.locator(".problems-count")).to_have_text("0 errors, 0 warnings")
    # One screen, no page scroll: the editor takes the rest of the window below the header row.
    assert page.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "workflow-page.png"), full_page=True)


def test_bad_name_shows_an_error_and_narrow_screens_stack(page: Page, live_server, make_user, artifacts):
    make_user("ana", AUTHORS, password=PASSWORD)
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, live_server.url, "ana", "/workflows/")
    page.get_by_role("link", name="New workflow").click()
    page.locator("#create-panel").get_by_label("Name").fill("has spaces")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("Use 1-80 letters, digits, hyphens")).to_be_visible()
    assert not Workflow.objects.exists()
    page.screenshot(path=str(artifacts / "workflow-list-narrow.png"), full_page=True)


def test_a_viewer_reads_a_workflow_in_a_view_only_editor(page: Page, live_server, make_user, artifacts):
    """Someone whose roles let them read a workflow and not change it (designer.services.can_edit)
    sees the editor view only: no palette, import, undo or save, the inspector's fields and the
    code disabled, and nothing they try reaches the draft. (It used to take edits and then
    show 'Not saved: You may not change this workflow'.)"""
    author = make_user("ana", AUTHORS, password=PASSWORD)
    make_user("vic", VIEWERS, password=PASSWORD)
    states = {"Hello": {"Type": "Pass", "Next": "Bye"}, "Bye": {"Type": "Succeed"}}
    two = {"StartAt": "Hello", "States": states}
    workflow = services.create_workflow(
        author, name="shared-flow", visibility=Visibility.SHARED, definition=json.dumps(two, indent=2)
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, "vic", f"/workflows/{workflow.pk}/")
    toolbar = page.get_by_role("toolbar", name="Editor")
    expect(toolbar.get_by_text("View only")).to_be_visible()
    for control in ("Save", "Import", "Undo", "Palette", "▶ Run"):
        expect(toolbar.get_by_role("button", name=control)).to_have_count(0)
    expect(page.locator(".palette")).to_have_count(0)
    expect(page.locator('.state-node[data-state-name="Hello"]')).to_be_visible()

    comment = page.locator(".inspector").get_by_label("Comment")
    expect(comment).to_be_disabled()
    page.locator('.state-node[data-state-name="Hello"]').click()
    page.keyboard.press("Delete")
    expect(page.get_by_text("View only: you may look at this workflow, not change it.")).to_be_visible()
    expect(page.locator('.state-node[data-state-name="Hello"]')).to_be_visible()
    toolbar.get_by_role("button", name="Code").click()
    page.wait_for_function("() => document.querySelector('.code-view')?.editorView")
    assert page.evaluate("() => document.querySelector('.code-view').editorView.state.readOnly")
    # Versions are listed and compared; taking one is an author's.
    toolbar.get_by_role("button", name="Versions").click()
    expect(page.get_by_role("complementary", name="Versions").get_by_text("No versions yet.")).to_be_visible()
    expect(page.get_by_role("button", name="Save version")).to_have_count(0)
    page.screenshot(path=str(artifacts / "editor-view-only.png"))

    workflow.draft.refresh_from_db()
    assert workflow.draft.revision == 1
