"""The designer's direct manipulation in Chromium: drop from the palette onto an arrow, connect
two handles, delete, copy/paste, find, versions compared on the graph, and a YAML definition
edited with its comments kept.

Needs the Vite build (`npm run build`, which `make test` runs first).
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from designer.models import Draft
from tests.browser.test_browser_editor import LOOP, built_bundle, code_text, node, open_editor, wait_for_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["built_bundle"]


def states_in_code(page: Page) -> dict:
    return json.loads(code_text(page))["States"]


def settled(page: Page, locator) -> None:
    """Until the canvas stops moving: a state added pans the view to it over 200 ms
    (use-viewport.ts), and a drag made meanwhile lands where the handle was."""
    last = None
    for _ in range(40):
        box = locator.bounding_box()
        if box is not None and box == last:
            return
        last = box
        page.wait_for_timeout(150)


def connect(page: Page, source, target, state: str, goal: str) -> None:
    """Drag from a source handle to a target handle as a hand does, in small moves (React Flow
    follows the pointer's moves, and one jump made under load was not seen as a connection);
    a drag that did not connect is made again, as a person would."""
    for attempt in range(3):
        settled(page, target)
        start, end = source.bounding_box(), target.bounding_box()
        assert start is not None and end is not None
        page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
        page.mouse.down()
        page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
        page.mouse.up()
        try:
            wait_for_next(page, state, goal, timeout=5000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise


def wait_for_next(page: Page, state: str, target: str, timeout: float = 30000) -> None:
    """Until the code says ``state`` goes on to ``target`` (the text '"Next": "Finish"' was there
    already, in a Choice rule, so waiting for it waited for nothing)."""
    page.wait_for_function(
        """([state, target]) => {
            try {
                const code = document.querySelector('.code-view')?.editorView?.state.doc.toString();
                return JSON.parse(code).States[state]?.Next === target;
            } catch { return false; }
        }""",
        arg=[state, target],
        timeout=timeout,
    )


def test_drop_on_an_arrow_connect_delete_and_paste(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, LOOP.read_text())

    # Drop a Pass from the palette onto the Choice rule arrow into Sleep: it lands in between.
    label = page.locator(".edge-label", has_text="$.status.done == false")
    page.locator('[data-palette-id="Pass"]').drag_to(label)
    expect(node(page, "Pass")).to_be_visible()
    states = states_in_code(page)
    assert states["Done?"]["Choices"][1]["Next"] == "Pass"
    assert states["Pass"] == {"Type": "Pass", "Next": "Sleep"}
    page.screenshot(path=str(artifacts / "editor-dropped-on-edge.png"))

    # Connect Finish? It is terminal (no source handle). Connect Pass -> Finish by dragging handles.
    source = page.locator('.react-flow__node:has([data-state-name="Pass"]) .react-flow__handle.source')
    target = page.locator('.react-flow__node:has([data-state-name="Finish"]) .react-flow__handle.target')
    connect(page, source, target, "Pass", "Finish")

    # Delete the Wait state: what pointed at it ends there instead.
    node(page, "Sleep").click()
    page.locator(".react-flow__pane").focus()
    page.keyboard.press("Delete")
    expect(node(page, "Sleep")).to_have_count(0)
    assert "Sleep" not in states_in_code(page)

    # Copy and paste a state: a new, uniquely named copy.
    node(page, "Check status" if node(page, "Check status").count() else "Poll").click()
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(node(page, "Poll 2")).to_be_visible()
    pasted = states_in_code(page)["Poll 2"]
    assert pasted["Resource"] == states_in_code(page)["Poll"]["Resource"]

    # Find a state by name.
    page.keyboard.press("Control+f")
    page.get_by_label("Find a state").fill("finish")
    page.get_by_label("Find a state").press("Enter")
    expect(page.get_by_label("State name")).to_have_value("Finish")


def test_versions_compare_on_the_graph(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, LOOP.read_text())
    page.get_by_role("button", name="Versions").click()
    panel = page.locator(".versions-panel")
    panel.get_by_label("Version message").fill("first cut")
    panel.get_by_role("button", name="Save version").click()
    expect(page.locator(".version-list")).to_contain_text("first cut")

    # Change the draft: add a state and edit one, then compare with v1.
    page.get_by_role("button", name="Versions").click()
    page.locator('[data-palette-id="Succeed"]').click()
    node(page, "Sleep").click()
    expect(page.get_by_label("State name")).to_have_value("Sleep")
    page.get_by_label("Comment", exact=True).fill("changed")
    page.get_by_role("button", name="Versions").click()
    page.locator(".versions-panel").get_by_role("button", name="Compare").first.click()
    expect(page.locator(".compare-legend")).to_contain_text("1 added")
    expect(page.locator(".compare-legend")).to_contain_text("1 changed")
    expect(page.locator(".compare-added [data-state-name], [data-state-name].compare-added")).to_have_count(1)
    expect(page.locator(".text-diff .diff-added").first).to_be_visible()
    page.screenshot(path=str(artifacts / "editor-compare.png"))


def test_yaml_definition_keeps_its_comments(page: Page, live_server, make_user, artifacts):
    text = (
        "# Order flow\n"
        "StartAt: Charge  # first step\n"
        "States:\n"
        "  Charge:\n"
        "    Type: Task  # calls the payment service\n"
        "    Resource: arn:aws:lambda:us-east-1:123456789012:function:charge\n"
        "    End: true\n"
    )
    workflow = open_editor(page, live_server, make_user, text, name="yaml-flow")
    assert code_text(page) == text
    node(page, "Charge").click()
    page.get_by_label("State name").fill("Take payment")
    page.get_by_label("State name").press("Enter")
    wait_for_code(page, "Take payment:")
    edited = code_text(page)
    assert "# Order flow" in edited and "# first step" in edited and "# calls the payment service" in edited
    assert "StartAt: Take payment" in edited
    expect(page.locator(".save-status")).to_have_attribute("data-status", "saved", timeout=10000)
    assert Draft.objects.get(workflow=workflow).definition == edited
    page.screenshot(path=str(artifacts / "editor-yaml.png"))


def test_export_definition_and_image(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, LOOP.read_text())
    with page.expect_download() as json_download:
        page.get_by_label("Export").select_option("json")
    assert Path(json_download.value.path()).read_text(encoding="utf-8") == LOOP.read_text()

    with page.expect_download() as yaml_download:
        page.get_by_label("Export").select_option("yaml")
    yaml_text = Path(yaml_download.value.path()).read_text(encoding="utf-8")
    assert yaml_text.startswith("StartAt: Poll\nStates:\n  Poll:\n    Type: Task\n")

    with page.expect_download(timeout=30_000) as png_download:
        page.get_by_label("Export").select_option("png")
    png = Path(png_download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    (artifacts / "editor-export.png").write_bytes(png)


def test_containers_hold_their_branches_and_collapse(page: Page, live_server, make_user, artifacts):
    text = (LOOP.parent / "handmade__valid_jsonata_all_state_types.asl.json").read_text()
    open_editor(page, live_server, make_user, text, name="containers")
    fan = page.locator('.react-flow__node-container:has([data-state-name="Fan"])')
    expect(fan).to_contain_text("Parallel · 1 branch")
    expect(node(page, "B1")).to_be_visible()
    expect(node(page, "Square")).to_be_visible()
    page.screenshot(path=str(artifacts / "editor-containers.png"))

    fan.get_by_title("Collapse").click()
    expect(node(page, "B1")).to_have_count(0)
    expect(node(page, "Square")).to_be_visible()
    fan.get_by_title("Expand").click()
    expect(node(page, "B1")).to_be_visible()
    # Collapsing is view state: the definition is untouched.
    assert code_text(page) == text


def test_reconnect_an_arrow_to_another_state(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, LOOP.read_text())
    end = page.locator('.react-flow__edge[data-id="/States/Sleep/Next"] .react-flow__edgeupdater-target')
    target = page.locator('.react-flow__node:has([data-state-name="Finish"]) .react-flow__handle.target')
    end.drag_to(target, force=True)
    wait_for_next(page, "Sleep", "Finish")
    assert list(states_in_code(page)) == ["Poll", "Done?", "Sleep", "Finish"]
