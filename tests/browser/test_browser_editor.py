"""The visual designer in Chromium: graph from the draft, inspector and code view in sync, palette,
rename, undo, invalid code, autosave and reload, a conflict from a second tab, hostile state names.

Needs the Vite build (`npm run build`, which `make test` runs first).
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from designer import services
from designer.models import Draft
from designer.roles import AUTHORS
from tests.browser.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The machine may be busy (other suites, a layout worker starting): wait longer than the default 5 s.
expect.set_options(timeout=15_000)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "asl-corpus" / "valid"
LOOP = CORPUS / "handmade__valid_choice_without_default_loop.asl.json"


@pytest.fixture(autouse=True)
def built_bundle() -> None:
    manifest = ROOT / "static" / "dist" / "manifest.json"
    assert manifest.exists(), "The editor bundle is not built: run `npm ci && npm run build` first"


def open_editor(
    page: Page, live_server, make_user, definition: str, name: str = "loop", timeout: float = 20000
):
    author = make_user("ana", AUTHORS, password=PASSWORD)
    workflow = services.create_workflow(author, name=name, definition=definition)
    page.set_viewport_size({"width": 1600, "height": 1000})
    sign_in(page, live_server.url, "ana", f"/workflows/{workflow.pk}/")
    laid_out = page.locator('.react-flow[data-layout-ready="true"] .state-node')
    expect(laid_out.first).to_be_visible(timeout=timeout)
    return workflow


def code_text(page: Page) -> str:
    """The code view's document (CodeMirror keeps it in its state; the DOM shows only what is in view)."""
    # The code view loads on demand, after the graph.
    page.wait_for_function("() => document.querySelector('.code-view')?.editorView")
    return page.evaluate("() => document.querySelector('.code-view').editorView.state.doc.toString()")


def wait_for_code(page: Page, fragment: str) -> None:
    page.wait_for_function(
        "f => document.querySelector('.code-view')?.editorView?.state.doc.toString().includes(f)",
        arg=fragment,
    )


def node(page: Page, name: str):
    return page.locator(f'.react-flow__node[data-testid] [data-state-name="{name}"]')


def test_graph_inspector_and_code_stay_in_sync(page: Page, live_server, make_user, artifacts):
    text = LOOP.read_text()
    workflow = open_editor(page, live_server, make_user, text)

    # The graph: one node per state, the transitions drawn, the Choice rules labelled.
    for name in ["Poll", "Done?", "Sleep", "Finish"]:
        expect(node(page, name)).to_be_visible()
    expect(page.locator(".edge-label", has_text="$.status.done == true")).to_be_visible()
    assert code_text(page) == text
    page.screenshot(path=str(artifacts / "editor-opened.png"))

    # Inspector edit -> the code changes, in place.
    node(page, "Sleep").click()
    expect(page.get_by_label("State name")).to_have_value("Sleep")
    page.get_by_label("Comment", exact=True).fill("Back off before polling again")
    wait_for_code(page, '"Comment": "Back off before polling again"')
    edited = code_text(page)
    assert edited.replace(',\n      "Comment": "Back off before polling again"', "") == text

    # Rename: every reference follows.
    node(page, "Poll").click()
    page.get_by_label("State name").fill("Check status")
    page.get_by_label("State name").press("Enter")
    expect(node(page, "Check status")).to_be_visible()
    renamed = json.loads(code_text(page))
    assert renamed["StartAt"] == "Check status"
    assert renamed["States"]["Sleep"]["Next"] == "Check status"
    assert list(renamed["States"]) == ["Check status", "Done?", "Sleep", "Finish"]

    # Palette: click to add; undo removes it again.
    page.locator('[data-palette-id="Wait"]').click()
    expect(node(page, "Wait")).to_be_visible()
    assert "Wait" in json.loads(code_text(page))["States"]
    page.get_by_role("button", name="Undo").click()
    expect(node(page, "Wait")).to_have_count(0)
    assert "Wait" not in json.loads(code_text(page))["States"]
    page.screenshot(path=str(artifacts / "editor-edited.png"))

    # Autosave with the revision check: the stored draft is exactly the editor's text.
    expect(page.locator(".save-status")).to_have_attribute("data-status", "saved", timeout=10000)
    draft = Draft.objects.get(workflow=workflow)
    assert draft.definition == code_text(page)
    assert draft.revision > 1

    # Reload: the same text comes back, byte for byte.
    saved = code_text(page)
    page.reload()
    expect(node(page, "Check status")).to_be_visible(timeout=20000)
    assert code_text(page) == saved


def test_code_edits_drive_the_graph_and_bad_code_keeps_it(page: Page, live_server, make_user, artifacts):
    workflow = open_editor(page, live_server, make_user, LOOP.read_text())
    editor = page.locator(".cm-content")

    # Paste a whole new definition: the graph follows.
    new = (
        '{\n  "StartAt": "One",\n  "States": {\n'
        '    "One": {"Type": "Pass", "Next": "Two"},\n    "Two": {"Type": "Succeed"}\n  }\n}\n'
    )
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(new)
    expect(node(page, "One")).to_be_visible()
    expect(node(page, "Poll")).to_have_count(0)
    assert code_text(page) == new

    # Break it: the problem shows, the graph stays as it was, the text is kept.
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("oops")
    expect(page.locator(".stale-banner")).to_be_visible()
    expect(page.locator(".problem-code", has_text="SYNTAX").first).to_be_visible()
    expect(node(page, "One")).to_be_visible()
    assert code_text(page).endswith("oops")
    page.screenshot(path=str(artifacts / "editor-bad-code.png"))

    # The server will not store malformed text; this browser keeps it, and a reload brings it back.
    expect(page.locator(".save-status")).to_have_attribute("data-status", "error")
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.locator(".notice-banner")).to_contain_text("Restored the text you had not saved")
    assert code_text(page).endswith("oops")
    # The graph shows the last definition that parsed (the saved draft: the pasted one, if autosave
    # ran before the code broke) until the code is fixed.
    expect(page.locator(".stale-banner")).to_be_visible()
    saved = json.loads(Draft.objects.get(workflow=workflow).definition)
    expect(node(page, saved["StartAt"])).to_be_visible()


def test_a_second_tab_saving_first_gives_a_conflict(page: Page, live_server, make_user, artifacts):
    workflow = open_editor(page, live_server, make_user, LOOP.read_text())
    other = page.context.new_page()
    other.set_viewport_size({"width": 1600, "height": 1000})
    other.goto(f"{live_server.url}/workflows/{workflow.pk}/")
    expect(other.locator('[data-state-name="Poll"]')).to_be_visible(timeout=20000)

    other.locator('[data-state-name="Sleep"]').click()
    other.get_by_label("Comment", exact=True).fill("from the other tab")
    expect(other.locator(".save-status")).to_have_attribute("data-status", "saved", timeout=10000)

    node(page, "Finish").click()
    page.get_by_label("Comment", exact=True).fill("from the first tab")
    expect(page.get_by_role("dialog")).to_be_visible(timeout=10000)
    expect(page.get_by_role("dialog")).to_contain_text("Someone else saved this draft")
    page.screenshot(path=str(artifacts / "editor-conflict.png"))

    page.get_by_role("button", name="Keep mine (overwrite theirs)").click()
    expect(page.locator(".save-status")).to_have_attribute("data-status", "saved", timeout=10000)
    stored = json.loads(Draft.objects.get(workflow=workflow).definition)
    assert stored["States"]["Finish"]["Comment"] == "from the first tab"
    assert "Comment" not in stored["States"]["Sleep"]


def test_hostile_state_names_are_text_never_html(page: Page, live_server, make_user, artifacts):
    name = '<img src=x onerror="window.__xss=1">"quoted" 🎉'
    states = {name: {"Type": "Pass", "Next": "Done"}, "Done": {"Type": "Succeed"}}
    definition = json.dumps({"StartAt": name, "States": states}, indent=2)
    open_editor(page, live_server, make_user, definition, name="hostile")
    expect(page.locator(".state-name", has_text='"quoted" 🎉')).to_be_visible()
    assert page.locator(".react-flow img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    page.screenshot(path=str(artifacts / "editor-hostile-names.png"))
