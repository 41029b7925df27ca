"""Compare versions in Chromium: two versions (or the draft) side by side, states added, removed
and changed marked on the graphs, the ASL diff beside them, narrowed to a state on a click.

Needs the Vite build (`npm run build`, which `make test` runs first).
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_browser_editor import LOOP, built_bundle, node, open_editor, wait_for_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["built_bundle"]


def save_version(page: Page, message: str) -> None:
    page.get_by_role("button", name="Versions", exact=True).click()
    panel = page.locator(".versions-panel")
    panel.get_by_label("Version message").fill(message)
    panel.get_by_role("button", name="Save version").click()
    expect(page.locator(".version-list")).to_contain_text(message)
    page.get_by_role("button", name="Versions", exact=True).click()


def test_two_versions_side_by_side(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, LOOP.read_text())
    save_version(page, "first cut")

    # Second version: a state added, one changed, one removed.
    page.locator('[data-palette-id="Pass"]').click()
    expect(node(page, "Pass")).to_be_visible()
    node(page, "Done?").click()
    page.locator('.choice-rule[data-rule-index="0"]').get_by_label("Next").select_option("Pass")
    wait_for_code(page, '"Next": "Pass"')
    node(page, "Sleep").click()
    # The inspector shows the state clicked before the comment is typed into it.
    expect(page.get_by_label("State name")).to_have_value("Sleep")
    page.get_by_label("Comment", exact=True).fill("back off")
    wait_for_code(page, '"Comment": "back off"')
    node(page, "Finish").click()
    page.locator(".react-flow__pane").focus()
    page.keyboard.press("Delete")
    expect(node(page, "Finish")).to_have_count(0)
    expect(page.locator(".save-status")).to_have_attribute("data-status", "saved")
    save_version(page, "with a pass")

    page.get_by_role("button", name="Versions", exact=True).click()
    page.get_by_role("button", name="Compare two versions").click()
    dialog = page.get_by_role("dialog", name="Compare")
    expect(dialog.get_by_label("Before")).to_have_value("1")
    expect(dialog.get_by_label("After")).to_have_value("2")
    before = dialog.get_by_role("region", name="v1")
    after = dialog.get_by_role("region", name="v2")
    # Removed and changed on the older graph; added and changed on the newer.
    expect(before.locator('[data-state-name="Finish"]')).to_have_attribute("data-diff", "removed")
    expect(before.locator('[data-state-name="Sleep"]')).to_have_attribute("data-diff", "changed")
    expect(before.locator('[data-state-name="Poll"]')).to_have_attribute("data-diff", "same")
    expect(after.locator('[data-state-name="Pass"]')).to_have_attribute("data-diff", "added")
    expect(after.locator('[data-state-name="Sleep"]')).to_have_attribute("data-diff", "changed")
    expect(after.locator('[data-state-name="Finish"]')).to_have_count(0)
    summary = dialog.get_by_label("Summary")
    expect(summary).to_contain_text("1 added")
    expect(summary).to_contain_text("1 removed")
    text = dialog.get_by_role("region", name="Definition diff")
    expect(text.locator(".diff-removed", has_text='"Finish": {').first).to_be_visible()
    page.screenshot(path=str(artifacts / "editor-compare-versions.png"))

    # One state's own diff on a click.
    after.locator('[data-state-name="Sleep"]').click()
    expect(text.get_by_role("heading")).to_contain_text("“Sleep”")
    expect(text.locator(".diff-added")).to_have_text('+ "Comment": "back off",')
    page.screenshot(path=str(artifacts / "editor-compare-state.png"))

    # The draft against the first version, from the same dialog.
    dialog.get_by_label("After").select_option("draft")
    expect(dialog.get_by_role("region", name="Draft").locator('[data-state-name="Pass"]')).to_have_attribute(
        "data-diff", "added"
    )
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
