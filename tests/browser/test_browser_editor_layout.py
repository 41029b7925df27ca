"""The designer's layout in Chromium: it stays put while editing (drop, rename, a state typed in
the code view; a state inserted on an arrow takes its line and moves only what lies below),
keeps what the author moved across a reload, and only Auto-layout lays everything out again.
Edges follow ELK's routes with their labels apart.

Needs the Vite build (`npm run build`, which `make test` runs first).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_browser_editor import (
    CORPUS,
    built_bundle,
    code_text,
    node,
    open_editor,
    wait_for_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["built_bundle"]

SAMPLE = Path(__file__).resolve().parents[2] / "designer" / "samples" / "brand-asset-pipeline.asl.json"

# Every node's box on screen, by node id (states, containers, branches, start/end markers).
SCREEN_BOXES = """() => Object.fromEntries([...document.querySelectorAll('.react-flow__node')].map((n) => {
  const r = n.getBoundingClientRect();
  return [n.dataset.id, [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)]];
}))"""
# Every node's position in flow coordinates (independent of pan and zoom).
FLOW_POSITIONS = """() => Object.fromEntries([...document.querySelectorAll('.react-flow__node')].map((n) =>
  [n.dataset.id, n.style.transform]))"""
LABEL_BOXES = """() => [...document.querySelectorAll('.edge-label')].map((l) => {
  const r = l.getBoundingClientRect();
  return [l.textContent, r.x, r.y, r.width, r.height];
})"""


def graph_box(page: Page) -> tuple:
    """The screen box around every node: (left, top, right, bottom)."""
    boxes = page.evaluate(SCREEN_BOXES).values()
    return (
        min(x for x, _, _, _ in boxes),
        min(y for _, y, _, _ in boxes),
        max(x + w for x, _, w, _ in boxes),
        max(y + h for _, y, _, h in boxes),
    )


def assert_unmoved(before: dict, after: dict, tolerance: int = 1) -> None:
    for node_id, box in before.items():
        assert node_id in after, node_id
        moved = [abs(a - b) for a, b in zip(box, after[node_id], strict=True)]
        assert max(moved) <= tolerance, (node_id, box, after[node_id])


def test_layout_stays_put_while_editing_and_survives_reload(page: Page, live_server, make_user, artifacts):
    open_editor(page, live_server, make_user, SAMPLE.read_text(), name="brand")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "layout-opened.png"))

    # Edges follow ELK's routes, and no two labels overlap (Default and Catch were on top of each other).
    labels = page.evaluate(LABEL_BOXES)
    assert len(labels) >= 4
    for i, (text_a, xa, ya, wa, ha) in enumerate(labels):
        for text_b, xb, yb, wb, hb in labels[i + 1 :]:
            apart = xa + wa <= xb or xb + wb <= xa or ya + ha <= yb or yb + hb <= ya
            assert apart, (text_a, text_b)

    # Drop a Pass on an empty spot of the canvas: it lands there, nothing else moves.
    before = page.evaluate(SCREEN_BOXES)
    pane = page.locator(".react-flow__pane")
    area = pane.bounding_box()
    spot = {"x": area["width"] - 160, "y": 90}
    page.locator('[data-palette-id="Pass"]').drag_to(pane, target_position=spot)
    expect(node(page, "Pass")).to_be_visible()
    dropped = page.locator('.react-flow__node:has([data-state-name="Pass"])').bounding_box()
    assert abs(dropped["x"] + dropped["width"] / 2 - (area["x"] + spot["x"])) < 40
    assert abs(dropped["y"] + dropped["height"] / 2 - (area["y"] + spot["y"])) < 40
    after = page.evaluate(SCREEN_BOXES)
    assert_unmoved(before, after)

    # Insert a Wait on the Default arrow: it lands on the arrow's line, where NotifyRejected (the
    # state the arrow led to) was; that row and all below move down one row, nothing above moves
    # (the view may pan to show it, so compare in flow coordinates).
    flow_before = page.evaluate(FLOW_POSITIONS)
    page.locator('[data-palette-id="Wait"]').drag_to(page.locator(".edge-label", has_text="Default"))
    expect(node(page, "Wait")).to_be_in_viewport()
    flow_after = page.evaluate(FLOW_POSITIONS)
    xy = lambda transform: tuple(float(v) for v in re.findall(r"-?[\d.]+", transform))  # noqa: E731
    row_y = xy(flow_before["/States/NotifyRejected"])[1]
    assert xy(flow_after["/States/Wait"]) == xy(flow_before["/States/NotifyRejected"])
    shifts = set()
    for node_id, transform in flow_before.items():
        (x0, y0), (x1, y1) = xy(transform), xy(flow_after[node_id])
        top_level = node_id in ("start:", "end:") or node_id.count("/") == 2
        if top_level and y0 >= row_y:
            assert x1 == x0 and y1 > y0, node_id
            shifts.add(y1 - y0)
        else:  # above the row, or inside a container (placed relative to it)
            assert (x1, y1) == (x0, y0), node_id
    assert len(shifts) == 1, shifts  # one row, the same for all
    page.wait_for_timeout(400)
    after = page.evaluate(SCREEN_BOXES)
    wait = page.locator('.react-flow__node:has([data-state-name="Wait"])').bounding_box()
    right, bottom = wait["x"] + wait["width"], wait["y"] + wait["height"]
    for node_id, (x, y, w, h) in after.items():
        if node_id.startswith("/States/") and node_id.count("/") == 2 and not node_id.endswith("/Wait"):
            assert not (x < right and wait["x"] < x + w and y < bottom and wait["y"] < y + h), node_id
    page.screenshot(path=str(artifacts / "layout-after-adding.png"))

    # Rename it in the inspector: it keeps its place (the layout record follows the rename).
    before = after
    node(page, "Wait").click()
    page.get_by_label("State name").fill("Cool down")
    page.get_by_label("State name").press("Enter")
    expect(node(page, "Cool down")).to_be_visible()
    after = page.evaluate(SCREEN_BOXES)
    moved_id = "/States/Wait"
    assert after.pop("/States/Cool down") == before.pop(moved_id)
    assert_unmoved(before, after)

    # A state typed into the code view (shown beside the graph at this width): the others keep their places.
    code_text(page)
    before = page.evaluate(FLOW_POSITIONS)
    page.evaluate(
        """() => {
          const view = document.querySelector('.code-view').editorView;
          const at = view.state.doc.toString().indexOf('"States": {') + '"States": {'.length;
          view.dispatch({ changes: { from: at, insert: '\\n    "Typed": {"Type": "Pass", "End": true},' } });
        }"""
    )
    expect(node(page, "Typed")).to_be_in_viewport()
    page.wait_for_timeout(400)  # the view pans to show it
    after = page.evaluate(FLOW_POSITIONS)
    assert {k: after[k] for k in before} == before

    # Drag a node somewhere else: that position is the author's, kept in the draft's layout record.
    target = page.locator('.react-flow__node:has([data-state-name="RecordError"])')
    box = target.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 20)
    page.mouse.down()
    # Inwards: near the canvas edge xyflow pans while dragging, and the node would go far.
    page.mouse.move(box["x"] - 40, box["y"] + 50, steps=8)
    page.mouse.up()
    positions = page.evaluate(FLOW_POSITIONS)
    expect(page.locator(".save-status")).to_have_attribute("data-status", "saved", timeout=10000)
    wait_for_code(page, '"Typed"')
    page.reload()
    expect(node(page, "Typed")).to_be_visible(timeout=20000)
    assert page.evaluate(FLOW_POSITIONS) == positions
    page.screenshot(path=str(artifacts / "layout-reloaded.png"))

    # Hiding the inspector widens the canvas: the graph is fitted again, centred in it.
    fitted = graph_box(page)
    pane_before = page.locator(".react-flow__pane").bounding_box()
    page.get_by_role("button", name="Inspector").click()
    page.wait_for_function(
        "w => document.querySelector('.react-flow__pane').getBoundingClientRect().width > w",
        arg=pane_before["width"],
    )
    page.wait_for_timeout(300)
    pane = page.locator(".react-flow__pane").bounding_box()
    refitted = graph_box(page)
    assert refitted != fitted
    assert pane["x"] <= refitted[0] and refitted[2] <= pane["x"] + pane["width"]
    assert abs((refitted[0] + refitted[2]) / 2 - (pane["x"] + pane["width"] / 2)) < 30

    # Auto-layout lays the whole graph out again (the dragged node goes back into the flow).
    page.get_by_role("button", name="Auto-layout").click()
    page.wait_for_function(
        "old => document.querySelector('[data-id=\"/States/RecordError\"]').style.transform !== old",
        arg=positions["/States/RecordError"],
    )


def test_a_large_definition_has_every_label_apart_and_on_top(page: Page, live_server, make_user, artifacts):
    # The corpus's largest definition: Choices inside a Parallel's branches, many labelled arrows.
    etl = CORPUS / "sfn-devguide__doc_source--sample-etl-orchestration.md__L75.asl.json"
    open_editor(page, live_server, make_user, etl.read_text(), name="etl")
    page.set_viewport_size({"width": 1800, "height": 1400})
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "layout-large-definition.png"))
    labels = page.evaluate(LABEL_BOXES)
    assert len(labels) >= 20
    for i, (text_a, xa, ya, wa, ha) in enumerate(labels):
        for text_b, xb, yb, wb, hb in labels[i + 1 :]:
            assert xa + wa <= xb or xb + wb <= xa or ya + ha <= yb or yb + hb <= ya, (text_a, text_b)
    # None is hidden under a container (the labels inside branches were).
    hidden = page.evaluate(
        """() => [...document.querySelectorAll('.edge-label')].filter((l) => {
          const r = l.getBoundingClientRect();
          return !l.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
        }).map((l) => l.textContent)"""
    )
    assert hidden == []
