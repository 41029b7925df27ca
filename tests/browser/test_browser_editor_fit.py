"""The editor at common laptop widths: the page's header (title, the editor's tools, More) is
one row at 1280 and 1440 px, every tool in view, and the canvas keeps most of the width when the
code view is open."""

import json
import time

import pytest
from playwright.sync_api import Page, expect

from tests.bench.bench_editor import definition
from tests.browser.test_browser_editor import open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = json.dumps(
    {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}},
    }
)


@pytest.mark.parametrize("width", [1280, 1440])
def test_the_header_is_one_row(page: Page, live_server, make_user, artifacts, width):
    open_editor(page, live_server, make_user, SAMPLE, name="order-processing-with-a-long-name")
    page.set_viewport_size({"width": width, "height": 800})
    head = page.locator(".editor-head")
    expect(page.get_by_role("toolbar", name="Editor").get_by_role("button", name="Run")).to_be_visible()
    tools = page.get_by_role("toolbar", name="Editor").locator("button:visible, select:visible")
    head_box = head.bounding_box()
    boxes = [tools.nth(i).bounding_box() for i in range(tools.count())]
    print(width, head_box, [(round(b["x"]), round(b["y"]), round(b["width"])) for b in boxes])
    page.screenshot(path=str(artifacts / f"editor-header-{width}.png"))
    assert head_box["height"] <= 52, head_box
    assert all(b["y"] + b["height"] <= head_box["y"] + head_box["height"] for b in boxes)
    assert all(b["x"] + b["width"] <= width for b in boxes)


def test_code_and_inspector_share_a_column_below_1600(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, SAMPLE)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.evaluate("localStorage.removeItem('symphony.editor.panels')")
    panels = page.get_by_role("group", name="Panels")
    code = page.get_by_role("region", name="Code")
    if code.count() == 0:
        panels.get_by_role("button", name="Code").click()
    expect(code).to_be_visible()
    page.wait_for_function("() => document.querySelector('.code-view')?.editorView")
    canvas = page.locator(".canvas-area").bounding_box()
    inspector = page.locator(".inspector").bounding_box()
    code_box = code.bounding_box()
    page.screenshot(path=str(artifacts / "editor-code-1440.png"))
    assert canvas["width"] >= 780, canvas
    # One column: the inspector above the code, both as wide as it.
    assert abs(inspector["x"] - code_box["x"]) < 1 and code_box["y"] > inspector["y"]
    assert code_box["width"] >= 360
    page.set_viewport_size({"width": 1700, "height": 900})
    expect(code).to_be_visible()
    wide_code, wide_inspector = code.bounding_box(), page.locator(".inspector").bounding_box()
    assert wide_code["x"] > wide_inspector["x"] + 100  # side by side again


def test_succeed_and_fail_states_are_joined_to_the_end(page: Page, live_server, make_user, artifacts):
    definition = json.dumps(
        {
            "StartAt": "Check",
            "States": {
                "Check": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Done"}],
                    "Default": "Broken",
                },
                "Done": {"Type": "Succeed"},
                "Broken": {"Type": "Fail", "Error": "E"},
            },
        }
    )
    open_editor(page, live_server, make_user, definition)
    end = page.locator('.react-flow__node[data-id="end:"]').bounding_box()
    for state in ("Done", "Broken"):
        edge = page.get_by_test_id(f"rf__edge-/States/{state}->end")
        expect(edge).to_have_count(1)
        line = edge.locator("path.react-flow__edge-path").bounding_box()
        node = page.locator(f'.react-flow__node[data-id="/States/{state}"]').bounding_box()
        # The arrow runs from the state's bottom to the end marker.
        assert abs(line["y"] - (node["y"] + node["height"])) < 8, (line, node)
        assert line["y"] + line["height"] >= end["y"] - 8, (line, end)
    page.screenshot(path=str(artifacts / "editor-end-joined.png"))


def test_a_500_state_workflow_fits_whole_with_legible_names(page: Page, live_server, make_user, artifacts):
    """Fit view draws every state of a 500-state workflow (nothing small is left out) and, at that
    zoom, each state is its name alone, drawn large enough to read."""
    text = definition(500)
    states = json.loads(text)["States"]
    parallels = sum(s["Type"] == "Parallel" for s in states.values())
    # Each Parallel is a container node around its branches' states; every other state a state node.
    drawn = len(states) - parallels + sum(len(s.get("Branches", [])) for s in states.values())
    started = time.perf_counter()
    open_editor(page, live_server, make_user, text, name="big", timeout=60000)
    opened = time.perf_counter() - started
    page.set_viewport_size({"width": 1440, "height": 900})
    # It opens at its start with a screenful of names, not seven states.
    visible = page.locator(".react-flow__node-state")
    page.screenshot(path=str(artifacts / "editor-500-open.png"))
    assert visible.count() >= 12, visible.count()
    expect(page.locator(".react-flow.lod-names")).to_have_count(1)

    read_zoom = (
        "parseFloat(getComputedStyle(document.querySelector('.react-flow')).getPropertyValue('--zoom'))"
    )
    page.get_by_role("button", name="Fit View").click()
    expect(visible).to_have_count(drawn, timeout=20000)
    expect(page.locator(".react-flow__node-container")).to_have_count(parallels)
    zoom = page.evaluate(read_zoom)
    # Every state's box is inside the canvas.
    canvas = page.locator(".react-flow").bounding_box()
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('.react-flow__node-state')]"
        ".map((n) => n.getBoundingClientRect()).map((r) => [r.x, r.y, r.right, r.bottom])"
    )
    assert all(
        canvas["x"] - 1 <= x and canvas["y"] - 1 <= y and r <= canvas["x"] + canvas["width"] + 1
        for x, y, r, _ in boxes
    )
    assert max(b for *_, b in boxes) <= canvas["y"] + canvas["height"] + 1
    page.screenshot(path=str(artifacts / "editor-500-fitted.png"))
    print(f"500 states: opened in {opened:.2f} s, fitted at zoom {zoom}")

    # Zoomed to a mid level, a name is 10-14 px on screen (at its full size it would be 5-9 px).
    while (zoom := page.evaluate(read_zoom)) < 0.4:
        page.locator(".react-flow__controls-zoomin").click()
        page.wait_for_function(f"z => {read_zoom} > z * 1.1", arg=zoom)
        page.wait_for_timeout(400)  # the zoom animates
    name = page.locator(".react-flow__node-state .state-name").first
    size = float(name.evaluate("(n) => parseFloat(getComputedStyle(n).fontSize)")) * zoom
    assert 0.4 <= zoom < 0.7 and 10 <= size <= 14.5, (zoom, size)
    page.screenshot(path=str(artifacts / "editor-500-mid-zoom.png"))


CHAIN = json.dumps(
    {
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Next": "Second"},
            "Second": {"Type": "Pass", "Next": "Third"},
            "Third": {"Type": "Succeed"},
        },
    }
)


def boxes_of(page: Page) -> dict:
    """Each node's box on screen, by its id."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.react-flow__node')].map((n) => {
            const r = n.getBoundingClientRect();
            return [n.dataset.id, {x: r.x, y: r.y, width: r.width, height: r.height}];
        }))"""
    )


def apart(a: dict, b: dict) -> bool:
    return (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_new_states_land_clear_and_on_the_arrow_they_are_dropped_on(
    page: Page, live_server, make_user, artifacts
):
    from tests.browser.test_browser_editor_audit import on_the_line

    open_editor(page, live_server, make_user, CHAIN)
    page.get_by_role("button", name="Fit View").click()
    # Dropped on the start marker: it lands next to it, over nothing.
    start = page.locator('.react-flow__node[data-id="start:"]')
    page.locator('[data-palette-id="Pass"]').drag_to(start, force=True)
    page.wait_for_function("() => document.querySelectorAll('.react-flow__node-state').length === 4")
    page.wait_for_timeout(300)
    boxes = boxes_of(page)
    new = boxes["/States/Pass"]
    assert all(apart(new, box) for id_, box in boxes.items() if id_ != "/States/Pass"), boxes
    near = boxes["start:"]
    assert abs(new["x"] + new["width"] / 2 - near["x"]) < 400 and abs(new["y"] - near["y"]) < 300, (new, near)

    # Dropped on the arrow from First to Second: on that arrow's line, Second and Third move down.
    before = boxes_of(page)
    arrow = page.locator('.react-flow__edge[data-id="/States/First/Next"]')
    point = on_the_line(page, "/States/First/Next")
    page.locator('[data-palette-id="Wait"]').drag_to(arrow, force=True, target_position=point)
    page.wait_for_function("() => document.querySelectorAll('.react-flow__node-state').length === 5")
    page.wait_for_timeout(300)
    after = boxes_of(page)
    first, wait, second = after["/States/First"], after["/States/Wait"], after["/States/Second"]
    centre = lambda b: b["x"] + b["width"] / 2  # noqa: E731
    assert abs(centre(wait) - centre(first)) < 2 and abs(centre(second) - centre(first)) < 2, after
    assert first["y"] + first["height"] < wait["y"] < wait["y"] + wait["height"] < second["y"], after
    assert (
        second["y"] > before["/States/Second"]["y"]
        and after["/States/Third"]["y"] > before["/States/Third"]["y"]
    )
    states = [b for id_, b in after.items() if id_.startswith("/States/")]
    assert all(apart(a, b) for i, a in enumerate(states) for b in states[i + 1 :]), after
    page.screenshot(path=str(artifacts / "editor-dropped-on-arrow.png"))


def test_names_drawn_alone_break_between_their_words(page: Page, live_server, make_user, artifacts):
    """Zoomed out, a state is its name on up to two lines: a CamelCase name breaks between its
    words (Validate|IncomingReading), never inside one (ValidateIncomi|ngReading)."""
    names = [
        "ValidateIncomingReading",
        "TransformSensorPayload",
        "EnrichFromDeviceRegistry",
        "StoreHTTPResult2",
    ]
    states = {
        name: {"Type": "Pass", **({"Next": names[i + 1]} if i + 1 < len(names) else {"End": True})}
        for i, name in enumerate(names)
    }
    open_editor(page, live_server, make_user, json.dumps({"StartAt": names[0], "States": states}))
    flow = page.locator(".react-flow")
    while not page.locator(".react-flow.lod-names").count():
        page.locator(".react-flow__controls-zoomout").click()
        page.wait_for_timeout(300)  # the zoom animates
    # Each word (the text between the name's <wbr>s) lies on one line: one box.
    words = page.evaluate(
        """() => [...document.querySelectorAll('.react-flow__node-state .state-name')].map((name) =>
            [...name.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((text) => {
                const range = document.createRange();
                range.selectNodeContents(text);
                return [text.textContent, range.getClientRects().length];
            }))"""
    )
    assert [[word for word, _ in name] for name in words] == [
        ["Validate", "Incoming", "Reading"],
        ["Transform", "Sensor", "Payload"],
        ["Enrich", "From", "Device", "Registry"],
        ["Store", "HTTP", "Result", "2"],
    ]
    assert all(boxes == 1 for name in words for _, boxes in name), words
    # And the names did wrap: each takes two lines at this zoom.
    assert flow.locator(".state-name").first.evaluate("(n) => n.getClientRects()[0].height") > 20
    page.screenshot(path=str(artifacts / "editor-names-by-word.png"))
