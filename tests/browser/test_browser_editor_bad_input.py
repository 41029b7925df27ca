"""Issue 6's bad input in Chromium: text that is not a definition, a 1 MiB definition, 2,000
states, hostile state names (on the canvas, inspector, problems, tooltips, minimap, compare), a
dangling Next, a cycle, a Choice with no rules. The editor shows the problem, keeps working, and
never loses the author's text nor saves broken text over the draft.

Needs the Vite build (`npm run build`, which `make test` runs first).
"""

import json

import pytest
from playwright.sync_api import Page, expect

from designer.models import Draft
from tests.browser.test_browser_editor import LOOP, built_bundle, code_text, node, open_editor, wait_for_code
from tests.browser.test_browser_editor_compare import save_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["built_bundle"]

# Under 80 characters (AWS's limit for a state name), so a version can be saved with it.
HOSTILE = '<img src=x onerror="__xss=1">"quoted" \'single\' 🎉 <svg onload="__xss=2">'


def replace_code(page: Page, text: str) -> None:
    page.wait_for_function("() => document.querySelector('.code-view')?.editorView")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)


def draft_text(workflow) -> str:
    return Draft.objects.get(workflow=workflow).definition


def assert_nothing_injected(page: Page) -> None:
    assert page.evaluate("() => window.__xss") is None
    assert page.locator('img[src="x"], svg[onload]').count() == 0


def chain(count: int, payload: str = "") -> str:
    """A definition of `count` Task states in a chain, each carrying `payload`."""
    states = {}
    for i in range(count):
        parameters = {"FunctionName": "f", "Blob": payload}
        state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": parameters}
        state.update({"Next": f"S{i + 1}"} if i + 1 < count else {"End": True})
        states[f"S{i}"] = state
    return json.dumps({"StartAt": "S0", "States": states}, indent=2)


def open_large(page: Page, live_server, make_user, definition: str, name: str):
    """open_editor with room for a busy machine: a large definition takes longer to lay out."""
    return open_editor(page, live_server, make_user, definition, name=name, timeout=60000)


def select_state(page: Page, name: str) -> None:
    page.evaluate("(n) => window.symphonyEditor.getState().select(['/States/' + n])", name)
    expect(page.get_by_label("State name")).to_have_value(name)


def test_text_that_is_no_definition_is_kept_and_never_saved_over_the_draft(
    page: Page, live_server, make_user, artifacts
):
    workflow = open_editor(page, live_server, make_user, LOOP.read_text())
    original = draft_text(workflow)

    # Prose is valid YAML (one string), but no definition: the problem shows, the graph stays.
    replace_code(page, "Just some words, not a definition")
    not_object = page.locator(".problem-message", has_text="A state machine definition is an object")
    expect(not_object).to_be_visible()
    expect(page.locator(".stale-banner")).to_be_visible()
    expect(node(page, "Poll")).to_be_visible()
    expect(page.locator(".save-status")).to_have_attribute("data-status", "error")
    expect(page.locator(".save-status")).to_contain_text("kept in this browser")

    # Neither JSON nor YAML: the syntax error has its line; the graph still works.
    broken = "StartAt: [unclosed\n  States: {\n"
    replace_code(page, broken)
    expect(page.locator(".problem-code", has_text="SYNTAX").first).to_be_visible()
    expect(page.locator(".problem-where").first).to_contain_text("line")
    node(page, "Poll").click()
    expect(page.get_by_label("State name")).to_have_value("Poll")
    page.screenshot(path=str(artifacts / "editor-bad-input-not-a-definition.png"))
    assert draft_text(workflow) == original, "broken text must not replace the saved draft"

    # A reload brings the author's text back, not the older draft.
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.locator(".notice-banner")).to_contain_text("Restored the text you had not saved")
    assert code_text(page) == broken
    assert draft_text(workflow) == original

    # Fixed text is saved as written.
    fixed = '{"StartAt": "Only", "States": {"Only": {"Type": "Succeed"}}}'
    replace_code(page, fixed)
    expect(node(page, "Only")).to_be_visible()
    expect(page.locator(".save-status")).to_have_attribute("data-status", "saved", timeout=15000)
    assert draft_text(workflow) == fixed


def test_two_thousand_states_open_and_edit(page: Page, live_server, make_user, artifacts):
    workflow = open_large(page, live_server, make_user, chain(2000), name="big")
    assert page.evaluate("() => window.symphonyEditor.getState().graph.states.length") == 2000
    # Far off screen: found by name, as an author would.
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_label("Find a state").fill("S1500")
    page.get_by_label("Find a state").press("Enter")
    expect(page.get_by_label("State name")).to_have_value("S1500")
    expect(node(page, "S1500")).to_be_visible()
    page.get_by_label("Comment", exact=True).fill("edited at 2,000 states")
    wait_for_code(page, '"Comment": "edited at 2,000 states"')
    expect(page.locator(".save-status")).to_have_attribute("data-status", "saved", timeout=20000)
    assert json.loads(draft_text(workflow))["States"]["S1500"]["Comment"] == "edited at 2,000 states"
    page.screenshot(path=str(artifacts / "editor-2000-states.png"))


def test_a_mebibyte_definition_edits_and_one_byte_more_is_kept_locally(
    page: Page, live_server, make_user, artifacts
):
    text = chain(250, "x" * 3900)
    assert 1_000_000 < len(text) < 1024 * 1024 - 2000
    workflow = open_large(page, live_server, make_user, text, name="mebibyte")
    select_state(page, "S10")
    page.get_by_label("Comment", exact=True).fill("small")
    wait_for_code(page, '"Comment": "small"')
    expect(page.locator(".save-status")).to_have_attribute("data-status", "saved", timeout=20000)
    saved = draft_text(workflow)
    assert json.loads(saved)["States"]["S10"]["Comment"] == "small"

    # Past 1 MiB the server refuses the text: the editor says so and keeps it in this browser.
    page.get_by_label("Comment", exact=True).fill("y" * 50_000)
    expect(page.locator(".save-status")).to_have_attribute("data-status", "error", timeout=20000)
    assert draft_text(workflow) == saved
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.locator(".notice-banner")).to_contain_text("Restored the text you had not saved")
    assert '"Comment": "' + "y" * 50_000 + '"' in code_text(page)


def test_hostile_names_are_text_on_canvas_inspector_tooltips_minimap_and_compare(
    page: Page, live_server, make_user, artifacts
):
    states = {HOSTILE: {"Type": "Pass", "Next": "Done"}, "Done": {"Type": "Succeed"}}
    definition = json.dumps({"StartAt": HOSTILE, "States": states}, indent=2)
    open_editor(page, live_server, make_user, definition, name="hostile")
    label = page.locator(".state-name", has_text='"quoted"')
    expect(label).to_have_text(HOSTILE)
    expect(page.locator(".state-node", has_text='"quoted"')).to_have_attribute("title", HOSTILE)
    expect(page.locator(".react-flow__minimap")).to_be_visible(timeout=15000)
    label.click()
    expect(page.get_by_label("State name")).to_have_value(HOSTILE)
    assert_nothing_injected(page)

    # A version, then the state renamed to another hostile name: the compare view shows both as text.
    save_version(page, "hostile names")
    renamed = '<iframe src="javascript:__xss=3"></iframe> 🎉 "q"'
    page.get_by_label("State name").fill(renamed)
    page.get_by_label("State name").press("Enter")
    wait_for_code(page, json.dumps(renamed, ensure_ascii=False)[1:-1])
    # A transition to a state that does not exist names it in the problems list, as text.
    dangling = '"Type": "Pass", "Next": "<b>gone</b> 🎉"'
    replace_code(page, code_text(page).replace('"Type": "Succeed"', dangling))
    expect(page.locator(".problem-message", has_text="<b>gone</b> 🎉").first).to_be_visible(timeout=15000)
    page.get_by_role("button", name="Versions", exact=True).click()
    page.get_by_role("button", name="Side by side").click()
    dialog = page.get_by_role("dialog", name="Compare")
    expect(dialog.locator(".compare-node-name", has_text="iframe").first).to_have_text(renamed)
    expect(dialog.locator(".compare-node-name", has_text="quoted").first).to_have_text(HOSTILE)
    removed = dialog.locator(".compare-node", has_text="quoted").first
    expect(removed).to_have_attribute("title", f"{HOSTILE}: Removed")
    expect(dialog.get_by_role("region", name="Definition diff")).to_contain_text("<img src=x")
    page.screenshot(path=str(artifacts / "editor-hostile-compare.png"))
    assert_nothing_injected(page)
    assert page.locator("iframe, b:text('gone')").count() == 0


def test_dangling_next_cycle_and_empty_choice_show_problems_and_editing_goes_on(
    page: Page, live_server, make_user, artifacts
):
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Choice", "Choices": [], "Default": "A"},
            "C": {"Type": "Pass", "Next": "Nowhere"},
        },
    }
    workflow = open_editor(page, live_server, make_user, json.dumps(definition, indent=2), name="faulty")
    for name in "ABC":
        expect(node(page, name)).to_be_visible()
    problems = page.locator(".problems")
    expect(problems.locator(".problem-message", has_text="Nowhere").first).to_be_visible(timeout=15000)
    expect(problems.locator(".problem", has_text="Choices").first).to_be_visible()
    page.screenshot(path=str(artifacts / "editor-bad-input-faulty-graph.png"))

    # The problem leads to its state; fixing it there clears it, and the fix is saved.
    problems.locator(".problem", has_text="Nowhere").first.click()
    expect(page.get_by_label("State name")).to_have_value("C")
    page.locator(".inspector").get_by_label("Next", exact=True).select_option("A")
    wait_for_code(page, '"Next": "A"')
    expect(problems.locator(".problem-message", has_text="Nowhere")).to_have_count(0, timeout=15000)
    expect(page.locator(".save-status")).to_have_attribute("data-status", "saved", timeout=15000)
    assert json.loads(draft_text(workflow))["States"]["C"]["Next"] == "A"
