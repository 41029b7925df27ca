"""The designer's palette, integrations, query-language switch and import in Chromium: search the
palette and drop what it finds onto an arrow, every integration template inserted into a flow
(valid but for its placeholders), a state switched to JSONata with its fields translated, and
a YAML file imported with its comments.

Needs the Vite build (`npm run build`, which `make test` runs first).
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_browser_editor import LOOP, built_bundle, code_text, node, open_editor, wait_for_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["built_bundle"]

INTEGRATIONS = {
    "lambda": "arn:aws:states:::lambda:invoke",
    "sns": "arn:aws:states:::sns:publish",
    "sqs": "arn:aws:states:::sqs:sendMessage",
    "dynamodb-get": "arn:aws:states:::dynamodb:getItem",
    "dynamodb-put": "arn:aws:states:::dynamodb:putItem",
    "eventbridge": "arn:aws:states:::events:putEvents",
    "http": "arn:aws:states:::http:invoke",
    "start-execution": "arn:aws:states:::states:startExecution.sync:2",
    "callback": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "approval": "arn:aws:states:::lambda:invoke.waitForTaskToken",
}


def on_the_line(page: Page, edge_id: str) -> dict:
    """A point on an arrow's path that the arrow itself is under (no node over it, the view
    settled), relative to the arrow's box: the box's centre may be off a bent path."""
    handle = page.wait_for_function(
        """(id) => {
            const edge = document.querySelector(`.react-flow__edge[data-id="${id}"]`);
            const path = edge?.querySelector("path");
            if (!path) return null;
            for (const share of [0.5, 0.3, 0.7, 0.15, 0.85]) {
                const point = path.getPointAtLength(path.getTotalLength() * share);
                const screen = new DOMPoint(point.x, point.y).matrixTransform(path.getScreenCTM());
                const under = document.elementFromPoint(screen.x, screen.y);
                if (under?.closest(".react-flow__edge") !== edge) continue;
                const box = edge.getBoundingClientRect();
                return { x: screen.x - box.left, y: screen.y - box.top };
            }
            return null;
        }""",
        arg=edge_id,
    )
    return handle.json_value()


def problems(page: Page):
    return page.get_by_role("region", name="Problems")


def test_search_the_palette_and_insert_every_integration_on_an_arrow(
    page: Page, live_server, make_user, artifacts
):
    open_editor(page, live_server, make_user, LOOP.read_text())
    search = page.get_by_placeholder("Search states and integrations")
    search.fill("dynamo")
    expect(page.locator(".palette-item")).to_have_count(2)
    expect(page.locator('[data-palette-id="dynamodb-get"]')).to_be_visible()
    search.fill("")

    # A click adds the item right after the selected state.
    node(page, "Sleep").click()
    page.locator('[data-palette-id="Pass"]').click()
    wait_for_code(page, '"Next": "Pass"')
    states = json.loads(code_text(page))["States"]
    assert states["Sleep"]["Next"] == "Pass" and states["Pass"] == {"Type": "Pass", "Next": "Poll"}

    # Each template dropped onto the arrow out of Poll lands between Poll and what followed it.
    for palette_id, resource in INTEGRATIONS.items():
        page.get_by_role("button", name="Fit View").click()
        arrow = page.locator('.react-flow__edge[data-id="/States/Poll/Next"]')
        point = on_the_line(page, "/States/Poll/Next")
        page.locator(f'[data-palette-id="{palette_id}"]').drag_to(arrow, force=True, target_position=point)
        wait_for_code(page, resource + '"')
    # Every template now sits on an arrow: some state goes to it and it goes on.
    states = json.loads(code_text(page))["States"]
    inserted = {name for name, state in states.items() if state.get("Resource") in INTEGRATIONS.values()}
    assert len(inserted) == len(INTEGRATIONS)
    assert inserted <= {state.get("Next") for state in states.values()}
    assert all(states[name].get("Next") in states for name in inserted)
    # Valid as AWS reads it: the only findings are the placeholders left to fill in.
    expect(problems(page)).to_contain_text("0 errors", timeout=15000)
    # The warnings arrive with the debounced validation of the last insert.
    expect(problems(page).locator(".problem-code").first).to_have_text("PLACEHOLDER", timeout=15000)
    codes = set(problems(page).locator(".problem-code").all_inner_texts())
    assert codes == {"PLACEHOLDER"}, codes
    page.screenshot(path=str(artifacts / "editor-integrations.png"))


def test_switching_a_state_to_jsonata_translates_its_fields(page: Page, live_server, make_user, artifacts):
    definition = {
        "StartAt": "Charge",
        "States": {
            "Charge": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "charge", "Payload.$": "$.order"},
                "ResultSelector": {"paid.$": "$.Payload.ok"},
                "ResultPath": "$.payment",
                "Next": "Paid?",
            },
            "Paid?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.payment.paid", "BooleanEquals": True, "Next": "Done"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    open_editor(page, live_server, make_user, json.dumps(definition, indent=2), name="pay")
    for name in ("Charge", "Paid?"):
        node(page, name).click()
        page.get_by_label("QueryLanguage", exact=True).select_option("JSONata")
        wait_for_code(page, '"QueryLanguage": "JSONata"')
    states = json.loads(code_text(page))["States"]
    assert states["Charge"]["Arguments"] == {"FunctionName": "charge", "Payload": "{% $states.input.order %}"}
    assert (
        states["Charge"]["Output"]
        == '{% $merge([$states.input, {"payment": {"paid":$states.result.Payload.ok}}]) %}'
    )
    assert "Parameters" not in states["Charge"] and "ResultPath" not in states["Charge"]
    assert states["Paid?"]["Choices"][0] == {
        "Condition": "{% ($states.input.payment.paid = true) %}",
        "Next": "Done",
    }
    expect(problems(page)).to_contain_text("0 errors, 0 warnings", timeout=15000)
    page.screenshot(path=str(artifacts / "editor-jsonata-switch.png"))

    # Back to JSONPath: what is not a plain path stays as written, and the inspector says so.
    node(page, "Charge").click()
    page.get_by_label("QueryLanguage", exact=True).select_option("JSONPath")
    expect(page.get_by_role("status").filter(has_text="Not translated")).to_contain_text("Output")
    wait_for_code(page, '"Payload.$": "$.order"')


def test_import_a_yaml_file_keeps_its_text(page: Page, live_server, make_user, artifacts, tmp_path):
    open_editor(page, live_server, make_user, LOOP.read_text())
    text = "# Imported\nStartAt: Hello  # first\nStates:\n  Hello:\n    Type: Pass\n    End: true\n"
    source = tmp_path / "hello.asl.yaml"
    source.write_text(text)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import").click()
    chooser.value.set_files(str(source))
    expect(node(page, "Hello")).to_be_visible()
    expect(node(page, "Poll")).to_have_count(0)
    assert code_text(page) == text
    page.keyboard.press("Control+z")
    expect(node(page, "Poll")).to_be_visible()


def test_a_problem_click_selects_the_state_and_field_and_moves_the_code_view(
    page: Page, live_server, make_user, artifacts
):
    open_editor(page, live_server, make_user, LOOP.read_text())
    code_text(page)
    node(page, "Poll").click()
    page.get_by_label("TimeoutSeconds", exact=True).fill("-5")
    wait_for_code(page, '"TimeoutSeconds": -5')
    node(page, "Finish").click()
    row = problems(page).locator(".problem", has_text="TimeoutSeconds")
    row.click()
    expect(page.get_by_label("State name")).to_have_value("Poll")
    expect(page.get_by_label("TimeoutSeconds", exact=True)).to_be_focused()
    lines = code_text(page).split("\n")
    wanted = next(i for i, line in enumerate(lines, 1) if '"TimeoutSeconds"' in line)
    page.wait_for_function(
        """(line) => {
            const view = document.querySelector('.code-view').editorView;
            return view.state.doc.lineAt(view.state.selection.main.head).number === line;
        }""",
        arg=wanted,
    )
    page.screenshot(path=str(artifacts / "editor-problem-click.png"))


def test_choice_rule_builder_nests_and_or_not_with_any_operator(
    page: Page, live_server, make_user, artifacts
):
    open_editor(page, live_server, make_user, LOOP.read_text())
    node(page, "Done?").click()
    rule = page.locator('.choice-rule[data-rule-index="1"]')
    # Rule 2 becomes: And [ NumericGreaterThanEquals, Not(IsPresent) ].
    rule.get_by_label("Condition kind").first.select_option("And")
    wait_for_code(page, '"And": [')
    # The comparison written so far becomes the first condition inside, not lost.
    wrapped = json.loads(code_text(page))["States"]["Done?"]["Choices"][1]
    assert wrapped == {"And": [{"Variable": "$.status.done", "BooleanEquals": False}], "Next": "Sleep"}
    first = rule.locator(".rule-child").nth(0)
    first.get_by_label("Variable").fill("$.attempts")
    first.get_by_label("Operator").select_option("NumericGreaterThanEquals")
    first.get_by_label("Value").fill("3")
    rule.get_by_role("button", name="+ condition").click()
    second = rule.locator(".rule-child").nth(1)
    second.get_by_label("Condition kind").select_option("Not")
    negated = second.locator(".rule-not .comparison")
    negated.get_by_label("Variable").fill("$.stop")
    negated.get_by_label("Operator").select_option("IsPresent")
    wait_for_code(page, '"IsPresent": true')
    choice = json.loads(code_text(page))["States"]["Done?"]["Choices"][1]
    assert choice == {
        "And": [
            {"Variable": "$.attempts", "NumericGreaterThanEquals": 3},
            {"Not": {"Variable": "$.stop", "IsPresent": True}},
        ],
        "Next": "Sleep",
    }
    # Every operator AWS defines is offered.
    offered = set(first.get_by_label("Operator").locator("option").all_inner_texts())
    for family in ("String", "Numeric", "Timestamp"):
        for op in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"):
            assert {f"{family}{op}", f"{family}{op}Path"} <= offered
    assert {"StringMatches", "BooleanEquals", "BooleanEqualsPath", "IsPresent", "IsNull"} <= offered
    assert {"IsNumeric", "IsString", "IsBoolean", "IsTimestamp"} <= offered
    expect(problems(page)).to_contain_text("0 errors", timeout=15000)
    page.screenshot(path=str(artifacts / "editor-choice-builder.png"))


def test_multi_select_copy_paste_and_delete(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, LOOP.read_text())
    node(page, "Poll").click()
    node(page, "Done?").click(modifiers=["Shift"])
    expect(page.locator(".react-flow__node.selected")).to_have_count(2)
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(node(page, "Poll 2")).to_be_visible()
    states = json.loads(code_text(page))["States"]
    # The copies point at each other, not at the originals.
    assert states["Poll 2"]["Next"] == "Done? 2"
    assert states["Done? 2"]["Choices"][1]["Next"] == "Sleep"
    expect(page.locator(".react-flow__node.selected")).to_have_count(2)
    page.keyboard.press("Delete")
    expect(node(page, "Poll 2")).to_have_count(0)
    expect(node(page, "Done? 2")).to_have_count(0)
    assert list(json.loads(code_text(page))["States"]) == ["Poll", "Done?", "Sleep", "Finish"]


def test_retry_and_catch_editors_and_svg_export(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, LOOP.read_text())
    node(page, "Poll").click()
    page.get_by_role("button", name="+ retrier").click()
    page.get_by_label("Retry errors").fill("States.Timeout, Lambda.ServiceException")
    page.get_by_label("MaxAttempts").fill("5")
    page.get_by_label("JitterStrategy").select_option("FULL")
    page.get_by_role("button", name="+ catcher").click()
    page.get_by_label("Catch errors").fill("States.ALL")
    page.get_by_label("Catch Next").select_option("Finish")
    page.get_by_label("Catch ResultPath").fill("$.error")
    wait_for_code(page, '"ResultPath": "$.error"')
    poll = json.loads(code_text(page))["States"]["Poll"]
    assert poll["Retry"][0]["ErrorEquals"] == ["States.Timeout", "Lambda.ServiceException"]
    assert poll["Retry"][0]["MaxAttempts"] == 5 and poll["Retry"][0]["JitterStrategy"] == "FULL"
    assert poll["Catch"] == [{"ErrorEquals": ["States.ALL"], "Next": "Finish", "ResultPath": "$.error"}]
    # The graph marks the retry and draws the catch arrow, labelled with its errors.
    expect(page.locator(".edge-label", has_text="States.ALL")).to_be_visible()
    expect(problems(page)).to_contain_text("0 errors", timeout=15000)
    page.screenshot(path=str(artifacts / "editor-retry-catch.png"))

    with page.expect_download(timeout=30_000) as svg_download:
        page.get_by_label("Export").select_option("svg")
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Poll" in svg and "Finish" in svg
