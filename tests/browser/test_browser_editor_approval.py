"""The "Human approval" palette pattern in Chromium (issue 16): clicked in after a state of a
JSONPath machine and dropped onto an arrow of a JSONata one, its five states appear on the graph,
wired in, and the exported definition is valid for the language core.

Needs the Vite build (`npm run build`, which `make test` runs first).
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from designer.asl import validate
from tests.browser.test_browser_editor import built_bundle, code_text, node, open_editor, wait_for_code
from tests.browser.test_browser_editor_audit import on_the_line, problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["built_bundle"]

GROUP = ["Request approval", "Approved?", "Approved", "Approval rejected", "Approval timed out"]


def refunds(query_language: str | None) -> str:
    definition = {
        "StartAt": "Load",
        "States": {
            "Load": {"Type": "Pass", "Next": "Pay"},
            "Pay": {"Type": "Pass", "End": True},
        },
    }
    if query_language:
        definition = {"QueryLanguage": query_language, **definition}
    return json.dumps(definition, indent=2)


def exported(page: Page) -> str:
    with page.expect_download() as download:
        page.get_by_label("Export").select_option("json")
    return Path(download.value.path()).read_text(encoding="utf-8")


def test_clicked_in_after_a_state_of_a_jsonpath_machine(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, refunds(None), name="refunds")
    node(page, "Load").click()
    page.locator('[data-palette-id="approval"]').click()
    wait_for_code(page, '"Approval timed out"')

    for name in GROUP:
        expect(node(page, name)).to_be_visible()
    # The Choice's approved rule and its default are drawn as arrows out of it.
    expect(page.locator('.react-flow__edge[data-id="/States/Approved?/Default"]')).to_have_count(1)
    expect(page.locator('.react-flow__edge[data-id="/States/Approved?/Choices/0/Next"]')).to_have_count(1)
    expect(problems(page)).to_contain_text("0 errors, 0 warnings", timeout=15000)

    text = exported(page)
    assert text == code_text(page)
    assert validate(text) == []
    states = json.loads(text)["States"]
    assert states["Load"]["Next"] == "Request approval"
    assert states["Approved"]["Next"] == "Pay"
    payload = states["Request approval"]["Parameters"]["Payload"]
    assert payload["taskToken.$"] == "$$.Task.Token" and payload["context.$"] == "$"
    assert states["Approval rejected"]["Error"] == "ApprovalRejected"
    page.screenshot(path=str(artifacts / "editor-approval-jsonpath.png"))


def test_dropped_on_an_arrow_of_a_jsonata_machine(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, refunds("JSONata"), name="refunds")
    arrow = page.locator('.react-flow__edge[data-id="/States/Load/Next"]')
    point = on_the_line(page, "/States/Load/Next")
    page.locator('[data-palette-id="approval"]').drag_to(arrow, force=True, target_position=point)
    wait_for_code(page, '"Approval timed out"')

    for name in GROUP:
        expect(node(page, name)).to_be_visible()
    expect(problems(page)).to_contain_text("0 errors, 0 warnings", timeout=15000)

    text = exported(page)
    assert validate(text) == []
    states = json.loads(text)["States"]
    assert states["Load"]["Next"] == "Request approval"
    assert states["Approved"]["Next"] == "Pay"
    ask = states["Request approval"]
    assert "Parameters" not in ask
    assert ask["Arguments"]["Payload"]["taskToken"] == "{% $states.context.Task.Token %}"
    assert states["Approved?"]["Choices"] == [
        {"Condition": "{% $approval.approved = true %}", "Next": "Approved"}
    ]
    page.screenshot(path=str(artifacts / "editor-approval-jsonata.png"))
