import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { applyPatch, parseDocument, type AslDocument } from "../asl/document";
import type { PatchOp } from "../asl/patch";
import { at, keys, type Path } from "../asl/value";
import { corpusFiles } from "../test-support/corpus";
import { buildGraph } from "./build";
import { connect, deleteStates, disconnect, renameState } from "./edit";
import { uniqueName } from "./names";
import { addGroup, groupOf, insertGroupOnEdge, placeGroup } from "./state-group";

const UNKNOWN = '{"9": "nine", "10": ["ten", {"${Sub}": true}]}';

/** Plant an unknown field at the top and in every top-level state, so edits must carry them. */
function planted(text: string): AslDocument {
  let doc = parseDocument(text);
  const ops: PatchOp[] = [{ op: "set", path: ["XSymphonyFuture"], raw: UNKNOWN }];
  for (const name of keys(at(doc.root, ["States"]))) ops.push({ op: "set", path: ["States", name, "XSymphonyFuture"], raw: UNKNOWN });
  doc = applyPatch(doc, ops);
  return doc;
}

type Edit =
  | { kind: "rename"; pick: number; to: string }
  | { kind: "delete"; pick: number }
  | { kind: "connect"; pick: number; target: number }
  | { kind: "disconnect"; pick: number }
  | { kind: "add"; name: string; after: number }
  | { kind: "insert"; pick: number; name: string };

const nameArb = fc.oneof(fc.constantFrom("10", "2", "Step", 'Say "hi"', "<b>x</b>", "🎉 done", "a/b~c"), fc.string({ minLength: 1, maxLength: 8 }));
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("rename" as const), pick: fc.nat(), to: nameArb }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("connect" as const), pick: fc.nat(), target: fc.nat() }),
  fc.record({ kind: fc.constant("disconnect" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("add" as const), name: nameArb, after: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), pick: fc.nat(), name: nameArb }),
);

const STATES: Path = ["States"];

const pass = (name: string) => ({ name, type: "Pass", body: { Type: "Pass", End: true } });

function toOps(doc: AslDocument, edit: Edit): PatchOp[] {
  const names = keys(at(doc.root, STATES));
  const graph = buildGraph(doc.root);
  const top = new Set(graph.states.filter((s) => s.groupId === undefined).map((s) => s.id));
  const topEdges = graph.edges.filter((e) => top.has(e.source));
  const pick = <T>(list: T[], n: number) => list[n % list.length];
  switch (edit.kind) {
    case "rename":
      return names.length ? renameState(doc.root, STATES, pick(names, edit.pick), uniqueName(names, edit.to)) : [];
    case "delete":
      return names.length > 1 ? deleteStates(doc.root, STATES, [pick(names, edit.pick)]) : [];
    case "connect":
      return names.length ? connect(doc.root, STATES, pick(names, edit.pick), pick(names, edit.target)) : [];
    case "disconnect":
      return topEdges.length ? disconnect(doc.root, pick(topEdges, edit.pick)) : [];
    case "add":
      return addGroup(doc.root, STATES, placeGroup(groupOf(pass(edit.name)), names));
    case "insert": {
      if (!topEdges.length) return [];
      const edge = pick(topEdges, edit.pick);
      const target = String(at(doc.root, edge.refPath) && (at(doc.root, edge.refPath) as { value: string }).value);
      return insertGroupOnEdge(doc.root, STATES, edge, placeGroup(groupOf(pass(edit.name)), names), target);
    }
  }
}

describe("edit sequences keep unknown fields and a well-formed document", () => {
  const samples = corpusFiles(".asl.json").filter((_, i) => i % 40 === 0);
  it.each(samples.map((f) => [f.name, f.text]))("%s", (_, text) => {
    const start = planted(text);
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 8 }), (edits) => {
        let doc = start;
        let problemsBefore = buildGraph(doc.root).problems.map((p) => p.message);
        for (const edit of edits) {
          doc = applyPatch(doc, toOps(doc, edit));
          expect(doc.problems).toEqual([]);
          JSON.parse(doc.text);
          // An edit never leaves a new reference dangling.
          const problems = buildGraph(doc.root).problems.map((p) => p.message);
          for (const message of problems) expect(problemsBefore).toContain(message);
          problemsBefore = problems;
        }
        expect(doc.text).toMatch(/"XSymphonyFuture"\s*:\s*\{/);
        expect(JSON.stringify(JSON.parse(doc.text).XSymphonyFuture)).toBe(JSON.stringify(JSON.parse(UNKNOWN)));
        for (const name of keys(at(doc.root, STATES))) {
          const state = JSON.parse(doc.text).States[name];
          if (state.XSymphonyFuture !== undefined) expect(state.XSymphonyFuture).toEqual(JSON.parse(UNKNOWN));
        }
        // Untouched integer-like keys keep their order in the text.
        const future = doc.text.indexOf('"XSymphonyFuture"');
        expect(doc.text.indexOf('"9"', future)).toBeLessThan(doc.text.indexOf('"10"', future));
      }),
      { numRuns: 25 },
    );
  });

  it("rename follows StartAt, Next, Default, Choice rules and Catch, and nothing else", () => {
    const text = `{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "A", "Next": "B"}], "Default": "A"},
    "B": {"Type": "Task", "Resource": "arn:x", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "A"}], "Next": "A", "Comment": "A"}
  }
}`;
    const doc = applyPatch(parseDocument(text), renameState(parseDocument(text).root, STATES, "A", "<img src=x>"));
    const plain = JSON.parse(doc.text);
    expect(plain.StartAt).toBe("<img src=x>");
    expect(plain.States["<img src=x>"].Default).toBe("<img src=x>");
    expect(plain.States["<img src=x>"].Choices[0].StringEquals).toBe("A");
    expect(plain.States.B.Catch[0].Next).toBe("<img src=x>");
    expect(plain.States.B.Next).toBe("<img src=x>");
    expect(plain.States.B.Comment).toBe("A");
    expect(buildGraph(doc.root).problems).toEqual([]);
  });

  it("delete turns a Next into End and drops rules and catchers that led there", () => {
    const text = '{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "B"}, {"Variable": "$.x", "IsNull": true, "Next": "C"}], "Default": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}}}';
    const doc = applyPatch(parseDocument(text), deleteStates(parseDocument(text).root, STATES, ["B"]));
    expect(JSON.parse(doc.text)).toEqual({
      StartAt: "A",
      States: { A: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "C" }] }, C: { Type: "Succeed" } },
    });
  });
});
