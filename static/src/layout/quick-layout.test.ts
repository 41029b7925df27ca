import { describe, expect, it } from "vitest";

import { parseDocument } from "../asl/document";
import { buildGraph } from "../graph/build";
import { corpusFiles } from "../test-support/corpus";
import { endMarkerId, startMarkerId, type Box } from "./elk-layout";
import { quickLayout } from "./quick-layout";

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("quick layout", () => {
  it.each(corpusFiles(".asl.json").filter((_, i) => i % 7 === 0).map((f) => [f.name, f.text]))("%s: every node placed, siblings apart", (_, text) => {
    const graph = buildGraph(parseDocument(text).root);
    const boxes = quickLayout(graph, new Set());
    for (const state of graph.states) expect(boxes.has(state.id), state.id).toBe(true);
    for (const group of graph.groups) expect(boxes.has(group.id)).toBe(true);
    expect(boxes.has(startMarkerId(""))).toBe(true);
    // Siblings (same parent) never overlap.
    const parentOf = (id: string) => graph.states.find((s) => s.id === id)?.groupId ?? "";
    const top = graph.states.map((s) => s.id);
    for (let i = 0; i < top.length; i++)
      for (let j = i + 1; j < top.length; j++) {
        if (parentOf(top[i]) !== parentOf(top[j])) continue;
        expect(overlap(boxes.get(top[i])!, boxes.get(top[j])!), `${top[i]} / ${top[j]}`).toBe(false);
      }
  });

  it("goes top to bottom and fits branches inside their container", () => {
    const text = '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Y"},"Y":{"Type":"Succeed"}}},{"StartAt":"Z","States":{"Z":{"Type":"Pass","End":true}}}],"Next":"A2"},"A2":{"Type":"Pass","End":true}}}';
    const graph = buildGraph(parseDocument(text).root);
    const boxes = quickLayout(graph, new Set());
    const y = (id: string) => boxes.get(id)!.y;
    expect(y(startMarkerId(""))).toBeLessThan(y("/States/A"));
    expect(y("/States/A")).toBeLessThan(y("/States/P"));
    expect(y("/States/P")).toBeLessThan(y("/States/A2"));
    expect(y("/States/A2")).toBeLessThan(y(endMarkerId("")));
    const p = boxes.get("/States/P")!;
    for (const group of ["/States/P/Branches/0", "/States/P/Branches/1"]) {
      const g = boxes.get(group)!;
      expect(g.x + g.width).toBeLessThanOrEqual(p.width);
      expect(g.y + g.height).toBeLessThanOrEqual(p.height);
    }
    const g0 = boxes.get("/States/P/Branches/0")!;
    const x = boxes.get("/States/P/Branches/0/States/X")!;
    expect(x.x + x.width).toBeLessThanOrEqual(g0.width);
    expect(boxes.get("/States/P/Branches/0/States/X")!.y).toBeLessThan(boxes.get("/States/P/Branches/0/States/Y")!.y);
  });

  it("lays out 2,000 states", () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) states[`S${i}`] = i < 1999 ? { Type: "Pass", Next: `S${i + 1}` } : { Type: "Succeed" };
    const graph = buildGraph(parseDocument(JSON.stringify({ StartAt: "S0", States: states })).root);
    const boxes = quickLayout(graph, new Set());
    expect(boxes.get("/States/S1999")!.y).toBeGreaterThan(boxes.get("/States/S0")!.y);
  });
});
