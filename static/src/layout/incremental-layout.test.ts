import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";

import { parseDocument } from "../asl/document";
import { pointer } from "../graph/model";
import { buildGraph } from "../graph/build";
import { renameSelected } from "../store/editing";
import { createEditorStore } from "../store";
import { layoutGraph, type Box, type Layout } from "./elk-layout";
import { incrementalLayout, layoutIds } from "./incremental-layout";
import { readLayout, storeLayout } from "./layout-record";
import { quickLayout } from "./quick-layout";

const graphOf = (text: string) => buildGraph(parseDocument(text).root);
const BASE =
  '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}],"Next":"Z"},"Z":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"A"}],"Default":"Done"},"Done":{"Type":"Succeed"}}}';
const X = "/States/P/Branches/0/States/X";

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every box of `before` that still has an id in `after` is exactly where it was. */
function expectKept(before: Layout, after: Layout, except: string[] = []) {
  for (const [id, box] of before.boxes) if (after.boxes.has(id) && !except.includes(id)) expect(after.boxes.get(id), id).toEqual(box);
}

/** No two boxes with the same parent overlap. */
function expectApart(text: string, layout: Layout) {
  const graph = graphOf(text);
  const parentOf = (id: string) => graph.states.find((s) => s.id === id)?.groupId ?? "";
  const states = graph.states.map((s) => s.id).filter((id) => layout.boxes.has(id));
  for (const a of states)
    for (const b of states) if (a < b && parentOf(a) === parentOf(b)) expect(overlap(layout.boxes.get(a)!, layout.boxes.get(b)!), `${a} / ${b}`).toBe(false);
}

describe("incremental layout", async () => {
  const before = await layoutGraph(new ELK(), graphOf(BASE), new Set());

  it("keeps every box and the untouched routes when only arrows change", () => {
    const rewired = BASE.replace('"A":{"Type":"Pass","Next":"B"}', '"A":{"Type":"Pass","Next":"P"}');
    const after = incrementalLayout(graphOf(rewired), new Set(), before)!;
    expectKept(before, after);
    // The rewired reference keeps its id but joins other nodes: its old route is gone.
    expect(after.routes.has("/States/A/Next")).toBe(false);
    expect(after.routes.get("/States/B/Next")).toEqual(before.routes.get("/States/B/Next"));
  });

  it("keeps every remaining box when a state goes", () => {
    const removed = BASE.replace('"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"P"}', '"A":{"Type":"Pass","Next":"P"}');
    const after = incrementalLayout(graphOf(removed), new Set(), before)!;
    expect(after.boxes.has("/States/B")).toBe(false);
    expectKept(before, after);
  });

  it("puts a state inserted on an arrow on its line; what lies below moves down one row", () => {
    const text = BASE.replace('"A":{"Type":"Pass","Next":"B"}', '"A":{"Type":"Pass","Next":"N"},"N":{"Type":"Pass","Next":"B"}');
    const after = incrementalLayout(graphOf(text), new Set(), before)!;
    const [a, b, n] = [before.boxes.get("/States/A")!, before.boxes.get("/States/B")!, after.boxes.get("/States/N")!];
    // Where B was, the end of A's arrow: B's row and all below move down one row.
    expect(n).toEqual({ ...b, width: n.width, height: n.height, x: b.x + (b.width - n.width) / 2 });
    expect(n.y).toBeGreaterThan(a.y + a.height);
    const row = n.height + 56;
    for (const [id, box] of before.boxes) {
      if (!after.boxes.has(id) || id.includes("/States/", 1) || id.startsWith("start:")) continue;
      const moved = after.boxes.get(id)!;
      if (box.y >= n.y - 1) expect(moved, id).toEqual({ ...box, y: box.y + row });
      else expect(moved, id).toEqual(box);
    }
    // Inside the Parallel, nothing moved relative to it.
    expect(after.boxes.get(X)).toEqual(before.boxes.get(X));
    expectApart(text, after);
    // The routes of arrows between moved states moved with them.
    const route = (layout: Layout) => layout.routes.get("/States/P/Next");
    if (route(after)) expect(route(after)!.points[0].y).toBe(route(before)!.points[0].y + row);
  });

  it("puts a dropped state where it was dropped and the next new one clear of it", () => {
    const text = BASE.replace('"Done":{"Type":"Succeed"}', '"Done":{"Type":"Succeed"},"Free":{"Type":"Pass","End":true},"Other":{"Type":"Pass","End":true}');
    const done = before.boxes.get("/States/Done")!;
    const drop = { x: done.x, y: done.y + 200 };
    const after = incrementalLayout(graphOf(text), new Set(), before, { "/States/Free": drop })!;
    expectKept(before, after);
    expect(after.boxes.get("/States/Free")).toMatchObject(drop);
    expect(overlap(after.boxes.get("/States/Free")!, after.boxes.get("/States/Other")!)).toBe(false);
    expectApart(text, after);
  });

  it("places pasted states as a chain below the graph", () => {
    const text = BASE.replace('"Done":{"Type":"Succeed"}', '"Done":{"Type":"Succeed"},"C1":{"Type":"Pass","Next":"C2"},"C2":{"Type":"Pass","Next":"C3"},"C3":{"Type":"Pass","End":true}');
    const after = incrementalLayout(graphOf(text), new Set(), before)!;
    expectKept(before, after);
    const y = (name: string) => after.boxes.get(`/States/${name}`)!.y;
    expect(y("C1")).toBeLessThan(y("C2"));
    expect(y("C2")).toBeLessThan(y("C3"));
    expect(after.boxes.has("end:")).toBe(true);
    expectApart(text, after);
  });

  it("grows a branch (and its container) for a state added inside it; what is below makes room", () => {
    const text = BASE.replace('"X":{"Type":"Pass","End":true}', '"X":{"Type":"Pass","Next":"Y"},"Y":{"Type":"Pass","End":true}');
    const after = incrementalLayout(graphOf(text), new Set(), before)!;
    const grown = ["/States/P", "/States/P/Branches/0"];
    const below = ["/States/Z", "/States/Done", "end:"];
    // Y took the place of the branch's end marker (on X's arrow to it), which moved down a row.
    const end = "end:/States/P/Branches/0";
    expectKept(before, after, [...grown, ...below, end]);
    expect(after.boxes.get(end)!.y).toBe(before.boxes.get(end)!.y + after.boxes.get("/States/P/Branches/0/States/Y")!.height + 56);
    const growth = after.boxes.get("/States/P")!.height - before.boxes.get("/States/P")!.height;
    for (const id of below) expect(after.boxes.get(id)).toEqual({ ...before.boxes.get(id)!, y: before.boxes.get(id)!.y + growth });
    // Routes between two moved nodes move with them; a route into a moved node from one that stayed is dropped.
    expect(after.routes.get("/States/Z/Default")!.points[0].y).toBe(before.routes.get("/States/Z/Default")!.points[0].y + growth);
    expect(after.routes.has("/States/P/Next")).toBe(false);
    for (const id of grown) {
      const [old, now] = [before.boxes.get(id)!, after.boxes.get(id)!];
      expect([now.x, now.y]).toEqual([old.x, old.y]);
      expect(now.height).toBeGreaterThan(old.height);
    }
    const [group, y] = [after.boxes.get("/States/P/Branches/0")!, after.boxes.get("/States/P/Branches/0/States/Y")!];
    expect(y.y).toBeGreaterThan(after.boxes.get(X)!.y);
    expect(y.y + y.height).toBeLessThanOrEqual(group.height);
    expectApart(text, after);
  });

  it("brings a new container with its insides laid out", () => {
    const text = BASE.replace('"Done":{"Type":"Succeed"}', '"Done":{"Type":"Succeed"},"Q":{"Type":"Map","ItemProcessor":{"StartAt":"M1","States":{"M1":{"Type":"Pass","End":true}}},"End":true}');
    const graph = graphOf(text);
    const after = incrementalLayout(graph, new Set(), before)!;
    expectKept(before, after);
    for (const id of layoutIds(graph, new Set())) expect(after.boxes.has(id), id).toBe(true);
    const [q, processor] = [after.boxes.get("/States/Q")!, after.boxes.get("/States/Q/ItemProcessor")!];
    expect(processor.x + processor.width).toBeLessThanOrEqual(q.width);
    expectApart(text, after);
  });

  it("keeps a node's box when it is renamed in the code, its insides' too", () => {
    const text = BASE.replace('"Next":"P"}', '"Next":"Fan out"}').replace('"P":{"Type":"Parallel"', '"Fan out":{"Type":"Parallel"');
    const after = incrementalLayout(graphOf(text), new Set(), before)!;
    const moved = pointer(["States", "Fan out"]);
    expect(after.boxes.get(moved)).toEqual(before.boxes.get("/States/P"));
    expect(after.boxes.get(`${moved}/Branches/0/States/X`)).toEqual(before.boxes.get(X));
    expect(after.boxes.get(`start:${moved}/Branches/0`)).toEqual(before.boxes.get("start:/States/P/Branches/0"));
    expect(after.routes.get(`${moved}/Next`)).toEqual({ ...before.routes.get("/States/P/Next")!, source: moved });
  });

  it("collapses a container in place and expands it again without moving the rest", () => {
    const closed = incrementalLayout(graphOf(BASE), new Set(["/States/P"]), before)!;
    expect(closed.boxes.get("/States/P")).toEqual({ ...before.boxes.get("/States/P")!, width: 220, height: 64 });
    expect(closed.boxes.has(X)).toBe(false);
    expectKept(before, closed, ["/States/P"]);
    const open = incrementalLayout(graphOf(BASE), new Set(), closed)!;
    for (const id of layoutIds(graphOf(BASE), new Set())) expect(open.boxes.has(id), id).toBe(true);
    const [p, group] = [open.boxes.get("/States/P")!, open.boxes.get("/States/P/Branches/0")!];
    expect([p.x, p.y]).toEqual([before.boxes.get("/States/P")!.x, before.boxes.get("/States/P")!.y]);
    expect(group.x + group.width).toBeLessThanOrEqual(p.width);
    expect(group.y + group.height).toBeLessThanOrEqual(p.height);
    expectApart(BASE, open);
  });

  it("keeps a 2,000-state layout when one state is inserted or renamed", () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) states[`S${i}`] = i < 1999 ? { Type: "Pass", Next: `S${i + 1}` } : { Type: "Succeed" };
    const text = JSON.stringify({ StartAt: "S0", States: states });
    const big = { boxes: quickLayout(graphOf(text), new Set()), routes: new Map() };
    const inserted = text.replace('"S7":{"Type":"Pass","Next":"S8"}', '"S7":{"Type":"Pass","Next":"New"},"New":{"Type":"Pass","Next":"S8"}');
    const after = incrementalLayout(graphOf(inserted), new Set(), big)!;
    // Above the arrow it was inserted on nothing moves; below, everything moves down one row.
    const below = [...big.boxes.keys()].filter((id) => /^\/States\/S(\d+)$/.test(id) && Number(id.slice(9)) >= 8);
    expectKept(big, after, [...below, "end:"]);
    const row = after.boxes.get("/States/New")!.height + 56;
    for (const id of below) expect(after.boxes.get(id)!.y, id).toBe(big.boxes.get(id)!.y + row);
    expect(after.boxes.get("/States/New")!.y).toBeLessThan(after.boxes.get("/States/S8")!.y);
    const renamed = text.replace('"S7":{"Type":"Pass","Next":"S8"}', '"Seven":{"Type":"Pass","Next":"S8"}').replace('"Next":"S7"', '"Next":"Seven"');
    expect(incrementalLayout(graphOf(renamed), new Set(), big)!.boxes.get("/States/Seven")).toEqual(big.boxes.get("/States/S7"));
  });

  it("lays out afresh when little of the old graph is left", () => {
    const other = '{"StartAt":"K","States":{"K":{"Type":"Pass","Next":"L"},"L":{"Type":"Pass","Next":"M"},"M":{"Type":"Pass","End":true}}}';
    expect(incrementalLayout(graphOf(other), new Set(), before)).toBeNull();
  });
});

describe("layout record in the store", async () => {
  const text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "Next": "B"},\n    "B": {"Type": "Succeed"}\n  }\n}\n';
  const layout = await layoutGraph(new ELK(), graphOf(text), new Set());

  it("moves boxes, routes and pins with a rename from the inspector", () => {
    const store = createEditorStore();
    store.getState().setText(text, "remote", "json");
    store.getState().setAutoLayout(storeLayout("shape", layout));
    store.getState().pin("/States/B", { x: 300, y: 400 });
    expect(renameSelected(store, "/States/B", "Finish")).toBe(true);
    const after = readLayout(store.getState().autoLayout!);
    expect(after.boxes.get("/States/Finish")).toEqual(layout.boxes.get("/States/B"));
    expect(after.boxes.has("/States/B")).toBe(false);
    expect(after.routes.get("/States/A/Next")!.target).toBe("/States/Finish");
    expect(after.routes.get("/States/Finish->end")!.source).toBe("/States/Finish");
    expect(store.getState().positions).toEqual({ "/States/Finish": { x: 300, y: 400 } });
    // Saved and read back (the draft's layout record), it is the same layout.
    const saved = JSON.parse(JSON.stringify(store.getState().layoutRecord()));
    const reloaded = createEditorStore();
    reloaded.getState().loadLayout(saved);
    expect(readLayout(reloaded.getState().autoLayout!).boxes).toEqual(after.boxes);
    expect(reloaded.getState().positions).toEqual({ "/States/Finish": { x: 300, y: 400 } });
  });

  it("asks for a whole layout on Auto-layout, forgetting pins but keeping the last boxes on screen", () => {
    const store = createEditorStore();
    store.getState().setAutoLayout(storeLayout("shape", layout));
    store.getState().pin("/States/A", { x: 1, y: 2 });
    const request = store.getState().relayoutRequest;
    store.getState().autoLayoutAll();
    expect(store.getState().relayoutRequest).toBe(request + 1);
    expect(store.getState().positions).toEqual({});
    expect(store.getState().autoLayout).not.toBeNull();
  });
});
