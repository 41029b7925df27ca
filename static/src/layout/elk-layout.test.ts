import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";

import { parseDocument } from "../asl/document";
import { buildGraph } from "../graph/build";
import { corpusFiles } from "../test-support/corpus";
import { endMarkerId, layoutGraph, startMarkerId } from "./elk-layout";

const elk = new ELK();

describe("layered layout", () => {
  it("places every state, nests containers and keeps siblings apart", async () => {
    const file = corpusFiles(".asl.json").find((f) => /"Type"\s*:\s*"Parallel"/.test(f.text) && /"Type"\s*:\s*"Map"/.test(f.text))!;
    const graph = buildGraph(parseDocument(file.text).root);
    const { boxes } = await layoutGraph(elk, graph, new Set());
    for (const state of graph.states) expect(boxes.has(state.id), state.id).toBe(true);
    for (const group of graph.groups) expect(boxes.has(group.id)).toBe(true);
    expect(boxes.has(startMarkerId(""))).toBe(true);
    expect(boxes.has(endMarkerId(""))).toBe(true);
    const top = graph.states.filter((s) => !s.groupId).map((s) => boxes.get(s.id)!);
    for (let i = 0; i < top.length; i++)
      for (let j = i + 1; j < top.length; j++) {
        const [a, b] = [top[i], top[j]];
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap).toBe(false);
      }
  });

  it("lays the start above the first state, and collapsed containers are leaves", async () => {
    const text = '{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"Next":"Z"},"Z":{"Type":"Succeed"}}}';
    const graph = buildGraph(parseDocument(text).root);
    const { boxes: open } = await layoutGraph(elk, graph, new Set());
    expect(open.get(startMarkerId(""))!.y).toBeLessThan(open.get("/States/P")!.y);
    expect(open.get("/States/P")!.y).toBeLessThan(open.get("/States/Z")!.y);
    expect(open.has("/States/P/Branches/0/States/A")).toBe(true);
    const { boxes: closed } = await layoutGraph(elk, graph, new Set(["/States/P"]));
    expect(closed.has("/States/P/Branches/0/States/A")).toBe(false);
  });

  it("reads a loop top to bottom from the start", async () => {
    const text = '{"StartAt":"Poll","States":{"Poll":{"Type":"Task","Resource":"x","Next":"Done?"},"Done?":{"Type":"Choice","Choices":[{"Variable":"$.d","BooleanEquals":true,"Next":"Finish"},{"Variable":"$.d","BooleanEquals":false,"Next":"Pass"}]},"Sleep":{"Type":"Wait","Seconds":1,"Next":"Poll"},"Finish":{"Type":"Succeed"},"Pass":{"Type":"Pass","Next":"Sleep"}}}';
    const { boxes } = await layoutGraph(elk, buildGraph(parseDocument(text).root), new Set());
    const y = (name: string) => boxes.get(`/States/${name}`)!.y;
    expect(boxes.get(startMarkerId(""))!.y).toBeLessThan(y("Poll"));
    expect(y("Poll")).toBeLessThan(y("Done?"));
    expect(y("Done?")).toBeLessThan(y("Pass"));
    expect(y("Pass")).toBeLessThan(y("Sleep"));
  });
});
