import { describe, expect, it } from "vitest";

import { corpusFiles } from "../test-support/corpus";
import { applyPatch, parseDocument } from "./document";
import { at, keys, toJsonText } from "./value";

const jsonFiles = corpusFiles(".asl.json");
const yamlFiles = corpusFiles(".asl.yaml");

describe("corpus round-trip", () => {
  it("has the corpus", () => {
    expect(jsonFiles.length).toBeGreaterThan(800);
    expect(yamlFiles.length).toBeGreaterThan(10);
  });

  it.each(jsonFiles.map((f) => [f.name, f.text]))("%s imports and exports unchanged", (_, text) => {
    const doc = parseDocument(text);
    expect(doc.format).toBe("json");
    expect(doc.problems).toEqual([]);
    expect(doc.text).toBe(text);
    // The tree keeps the author's key order, integer-like keys included.
    expect(keys(at(doc.root, ["States"]))).toEqual(stateKeysInTextOrder(text));
  });

  it.each(jsonFiles.map((f) => [f.name, f.text]))("%s: renaming a state and back restores the text", (_, text) => {
    const doc = parseDocument(text);
    const first = keys(at(doc.root, ["States"]))[0];
    const there = applyPatch(doc, [{ op: "rename", path: ["States"], from: first, to: `${first} (renamed)` }]);
    expect(keys(at(there.root, ["States"]))[0]).toBe(`${first} (renamed)`);
    const back = applyPatch(there, [{ op: "rename", path: ["States"], from: `${first} (renamed)`, to: first }]);
    expect(back.text).toBe(text);
  });

  it.each(jsonFiles.map((f) => [f.name, f.text]))("%s: an insert only adds, and removing it restores the text", (_, text) => {
    const doc = parseDocument(text);
    const first = keys(at(doc.root, ["States"]))[0];
    const inserted = applyPatch(doc, [{ op: "insert", path: ["States", first], key: "XNew", raw: '{"2": [1, {"a": null}], "1": "b"}' }]);
    let prefix = 0;
    while (prefix < text.length && text[prefix] === inserted.text[prefix]) prefix++;
    let suffix = 0;
    while (suffix < text.length - prefix && text[text.length - 1 - suffix] === inserted.text[inserted.text.length - 1 - suffix]) suffix++;
    expect(prefix + suffix).toBe(text.length);
    expect(keys(at(inserted.root, ["States", first, "XNew"]))).toEqual(["2", "1"]);
    expect(applyPatch(inserted, [{ op: "remove", path: ["States", first, "XNew"] }]).text).toBe(text);
  });

  it.each(yamlFiles.map((f) => [f.name, f.text]))("%s (YAML) imports and exports unchanged", (name, text) => {
    const doc = parseDocument(text);
    expect(doc.format).toBe("yaml");
    expect(doc.problems).toEqual([]);
    expect(doc.text).toBe(text);
    const json = jsonFiles.find((f) => f.name === name.replace(/\.asl\.yaml$/, ".asl.json"));
    if (json) expect(toJsonText(doc.root!)).toBe(toJsonText(parseDocument(json.text).root!));
  });
});

describe("patches", () => {
  const sample = `{
    "Comment": "x",
    "StartAt": "A",
    "States": {
        "2": { "Type": "Pass", "End": true },
        "1": { "Type": "Pass", "Next": "2", "XFuture": {"10": 1, "9": 2} },
        "A": { "Type": "Pass", "Next": "1" }
    }
}`;

  it("keeps integer-like keys in place and unknown fields intact", () => {
    const doc = parseDocument(sample);
    expect(keys(at(doc.root, ["States"]))).toEqual(["2", "1", "A"]);
    const edited = applyPatch(doc, [{ op: "set", path: ["States", "A", "Comment"], value: "hi" }]);
    expect(edited.text).toContain('"XFuture": {"10": 1, "9": 2}');
    expect(keys(at(edited.root, ["States"]))).toEqual(["2", "1", "A"]);
    expect(edited.text.split("\n")[1]).toBe('    "Comment": "x",');
  });

  it("inserts raw JSON with the document's indentation and order", () => {
    const doc = parseDocument(sample);
    const edited = applyPatch(doc, [
      { op: "insert", path: ["States"], key: "B", raw: '{"Type": "Pass", "Result": {"3": 1, "1": 2}, "End": true}', after: "2" },
    ]);
    expect(keys(at(edited.root, ["States"]))).toEqual(["2", "B", "1", "A"]);
    expect(edited.text).toContain('        "B": {\n            "Type": "Pass",\n            "Result": {\n                "3": 1,');
  });

  it("edits YAML keeping comments", () => {
    const yaml = "# machine\nStartAt: A  # first\nStates:\n  A:\n    Type: Pass # a pass\n    End: true\n";
    const doc = parseDocument(yaml);
    const edited = applyPatch(doc, [
      { op: "rename", path: ["States"], from: "A", to: "B" },
      { op: "set", path: ["StartAt"], value: "B" },
      { op: "insert", path: ["States", "B"], key: "Result", raw: '{"2": 1, "1": [true]}', after: "Type" },
    ]);
    expect(edited.text).toBe(
      "# machine\nStartAt: B # first\nStates:\n  B:\n    Type: Pass # a pass\n    Result:\n      \"2\": 1\n      \"1\":\n        - true\n    End: true\n",
    );
  });

  it("refuses to patch text with syntax errors and says where", () => {
    const doc = parseDocument('{"StartAt": "A", "States": {');
    expect(doc.problems[0]).toMatchObject({ line: 1 });
    expect(() => applyPatch(doc, [{ op: "remove", path: ["StartAt"] }])).toThrow(/syntax errors/);
  });

  it("keeps tabs and CRLF", () => {
    const text = '{\r\n\t"StartAt": "A",\r\n\t"States": {\r\n\t\t"A": {\r\n\t\t\t"Type": "Succeed"\r\n\t\t}\r\n\t}\r\n}';
    const edited = applyPatch(parseDocument(text), [{ op: "set", path: ["Comment"], value: "c" }]);
    expect(edited.text).toBe(text.replace('\r\n\t}\r\n}', '\r\n\t},\r\n\t"Comment": "c"\r\n}'));
  });
});

/** The top-level States keys as they appear in the text (an independent reading, by scanning). */
function stateKeysInTextOrder(text: string): string[] {
  const order: string[] = [];
  let depth = 0;
  let statesDepth = -1;
  let inString = false;
  let current = "";
  let lastString = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") {
        current += c + text[++i];
      } else if (c === '"') {
        inString = false;
        lastString = JSON.parse(`"${current}"`);
      } else current += c;
      continue;
    }
    if (c === '"') {
      inString = true;
      current = "";
    } else if (c === ":") {
      if (depth === 1 && lastString === "States") statesDepth = 2;
      else if (depth === statesDepth) order.push(lastString);
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth < statesDepth - 1) statesDepth = -1;
    }
  }
  return order;
}
