import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { corpusFiles } from "../test-support/corpus";
import { applyPatch, parseDocument } from "./document";
import { reparseJson } from "./json-reparse";
import type { PatchOp } from "./patch";
import type { AslValue, Path } from "./value";

const jsonFiles = corpusFiles(".asl.json");

/** Every path in the tree, with the node there. */
function nodes(value: AslValue, path: Path = [], out: [Path, AslValue][] = []): [Path, AslValue][] {
  out.push([path, value]);
  if (value.kind === "object") for (const e of value.entries) nodes(e.value, [...path, e.key], out);
  if (value.kind === "array") value.items.forEach((item, i) => nodes(item, [...path, i], out));
  return out;
}

/** An op on the node at `pick` (an index into every node), chosen by `kind`. */
function opFor(root: AslValue, pick: number, kind: number, word: string): PatchOp | null {
  const all = nodes(root).slice(1);
  if (all.length === 0) return null;
  const [path, node] = all[pick % all.length];
  switch (kind) {
    case 0:
      return { op: "set", path, value: word };
    case 1:
      return { op: "set", path, raw: `{"10": [1, {"${word}": null}], "2": "x"}` };
    case 2:
      return node.kind === "object" ? { op: "insert", path, key: `${word} new`, raw: '{"a": [true]}' } : { op: "remove", path };
    case 3:
      return { op: "remove", path };
    case 4: {
      const last = path[path.length - 1];
      return typeof last === "string" ? { op: "rename", path: path.slice(0, -1), from: last, to: `${last}${word}` } : { op: "set", path, value: 7 };
    }
    default:
      return node.kind === "array" ? { op: "push", path, index: 0, value: { [word]: 1 } } : { op: "set", path, value: null };
  }
}

describe("incremental JSON re-read", () => {
  it("reads every corpus definition after random edit sequences exactly as a full parse does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: jsonFiles.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 5 }), fc.string({ minLength: 1, maxLength: 6 })), { minLength: 1, maxLength: 5 }),
        (fileIndex, edits) => {
          let doc = parseDocument(jsonFiles[fileIndex].text);
          for (const [pick, kind, word] of edits) {
            const op = opFor(doc.root!, pick, kind, word);
            if (!op) return;
            let next;
            try {
              next = applyPatch(doc, [op]);
            } catch {
              continue; // an op the document refuses (duplicate key...) is not what this tests
            }
            const full = parseDocument(next.text, "json");
            expect(next.problems).toEqual(full.problems);
            expect(next.root).toEqual(full.root);
            doc = next;
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("reads a multi-op patch (a rename with its references) as a full parse does", () => {
    const text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "Next": "B"},\n    "B": {"Type": "Pass", "End": true}\n  }\n}';
    const doc = applyPatch(parseDocument(text), [
      { op: "rename", path: ["States"], from: "B", to: "Bee \"quoted\" 🐝" },
      { op: "set", path: ["States", "A", "Next"], value: 'Bee "quoted" 🐝' },
      { op: "set", path: ["Comment"], value: "<b>x</b>" },
    ]);
    expect(doc.root).toEqual(parseDocument(doc.text).root);
  });

  it("leaves to a full parse what it cannot read locally", () => {
    const before = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}';
    const root = parseDocument(before).root!;
    // Text after the outermost bracket: no region around it to re-read.
    expect(reparseJson(before, root, before + " x")).toBeUndefined();
    // The region no longer parses alone.
    expect(reparseJson(before, root, before.replace('"Pass"', '"Pass'))).toBeUndefined();
  });
});
