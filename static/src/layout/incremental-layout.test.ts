import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";

import { parseDocument } from "../asl/document";
import { buildGraph } from "../graph/build";
import { layoutGraph } from "./elk-layout";
import { incrementalLayout } from "./incremental-layout";

const graphOf = (text: string) => buildGraph(parseDocument(text).root);
const BASE = '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}],"End":true}}}';

describe("incremental layout", async () => {
  const before = await layoutGraph(new ELK(), graphOf(BASE), new Set());

  it("keeps every box when only arrows change", () => {
    const rewired = BASE.replace('"A":{"Type":"Pass","Next":"B"}', '"A":{"Type":"Pass","Next":"P"}');
    const after = incrementalLayout(graphOf(rewired), new Set(), before)!;
    for (const [id, box] of before) expect(after.get(id)).toEqual(box);
  });

  it("keeps every remaining box when a state goes, and lays out again when one comes", () => {
    const removed = BASE.replace('"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"P"}', '"A":{"Type":"Pass","Next":"P"}');
    const after = incrementalLayout(graphOf(removed), new Set(), before)!;
    expect(after.has("/States/B")).toBe(false);
    for (const [id, box] of after) expect(box).toEqual(before.get(id));
    const added = BASE.replace('"A":{"Type":"Pass","Next":"B"}', '"A":{"Type":"Pass","Next":"N"},"N":{"Type":"Pass","Next":"B"}');
    expect(incrementalLayout(graphOf(added), new Set(), before)).toBeNull();
  });

  it("lays out again when a branch's contents change", () => {
    const nested = BASE.replace('"X":{"Type":"Pass","End":true}', '"X":{"Type":"Pass","Next":"Y"},"Y":{"Type":"Pass","End":true}');
    expect(incrementalLayout(graphOf(nested), new Set(), before)).toBeNull();
  });
});
