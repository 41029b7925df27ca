/**
 * The YAML backend: the `yaml` package's Document keeps comments, key order and scalar styles;
 * edits change the Document's nodes and print it again. An unedited document is never printed
 * (the store keeps the author's text), so import then export is exact.
 */
import { isMap, isScalar, isSeq, parseDocument as parseYamlDocument, Scalar, visit, YAMLMap, YAMLSeq } from "yaml";
import type { Document, Node as YamlNode, Pair } from "yaml";

import type { NewValue, PatchOp } from "./patch";
import { describePath } from "./patch";
import { lineColumn, PatchError, type ParseProblem } from "./problems";
import type { AslValue, Path } from "./value";

const OPTIONS = { keepSourceTokens: false, uniqueKeys: true } as const;
const PRINT = { lineWidth: 0, minContentWidth: 0 } as const;

export function parseYaml(text: string): { root: AslValue | undefined; problems: ParseProblem[] } {
  const doc = parseYamlDocument(text, OPTIONS);
  const problems: ParseProblem[] = doc.errors.map((error) => ({
    message: error.message.split("\n")[0],
    offset: error.pos[0],
    length: Math.max(0, error.pos[1] - error.pos[0]),
    ...lineColumn(text, error.pos[0]),
  }));
  if (problems.length === 0 && doc.contents === null) {
    problems.push({ message: "The document is empty", offset: 0, length: 0, line: 1, column: 1 });
  }
  return { root: doc.contents ? toValue(doc.contents as YamlNode) : undefined, problems };
}

function rangeOf(node: YamlNode): { offset: number; length: number } {
  const [start, end] = node.range ?? [0, 0];
  return { offset: start, length: end - start };
}

function toValue(node: YamlNode): AslValue {
  if (isMap(node)) {
    const entries = [];
    for (const pair of node.items) {
      const key = pair.key;
      const keyText = isScalar(key) ? String(key.value) : String(key);
      const value = pair.value as YamlNode | null;
      entries.push({
        key: keyText,
        value: value ? toValue(value) : { kind: "scalar" as const, value: null, range: rangeOf(key as YamlNode) },
        keyRange: isScalar(key) ? rangeOf(key) : { offset: 0, length: 0 },
      });
    }
    return { kind: "object", entries, range: rangeOf(node) };
  }
  if (isSeq(node)) {
    return { kind: "array", items: node.items.map((item) => toValue(item as YamlNode)), range: rangeOf(node) };
  }
  if (isScalar(node)) {
    const value = node.value;
    const plain = value === undefined || typeof value === "bigint" ? String(value) : value;
    return { kind: "scalar", value: plain as string | number | boolean | null, range: rangeOf(node) };
  }
  // Aliases: ASL has no use for them; show them as their source text.
  return { kind: "scalar", value: String(node), range: rangeOf(node) };
}

export function applyYamlOp(text: string, op: PatchOp): string {
  const doc = parseYamlDocument(text, OPTIONS);
  if (doc.errors.length > 0) throw new PatchError("The YAML has errors; fix them first");
  switch (op.op) {
    case "set": {
      const parent = doc.getIn(op.path.slice(0, -1), true);
      const last = op.path[op.path.length - 1];
      if (op.path.length > 0 && !(typeof last === "number" ? isSeq(parent) : isMap(parent))) {
        throw new PatchError(`No ${typeof last === "number" ? "array" : "object"} at ${describePath(op.path.slice(0, -1))}`);
      }
      const existing = op.path.length > 0 ? doc.getIn(op.path, true) : undefined;
      if (isScalar(existing) && "value" in op && (op.value === null || typeof op.value !== "object")) {
        existing.value = op.value; // in place: the node keeps its comment and quoting style
      } else if (op.path.length === 0) doc.contents = makeNode(doc, op) as never;
      else doc.setIn(op.path, makeNode(doc, op));
      break;
    }
    case "insert": {
      const target = mapAt(doc, op.path);
      if (target.has(op.key)) throw new PatchError(`${describePath(op.path)} already has "${op.key}"`);
      const pair = doc.createPair(op.key, null);
      pair.value = makeNode(doc, op);
      const index = op.after === undefined ? -1 : target.items.findIndex((item) => keyOf(item) === op.after);
      if (index < 0) target.items.push(pair as Pair<unknown, unknown>);
      else target.items.splice(index + 1, 0, pair as Pair<unknown, unknown>);
      break;
    }
    case "remove": {
      if (!doc.hasIn(op.path)) return text;
      doc.deleteIn(op.path);
      break;
    }
    case "rename": {
      const target = mapAt(doc, op.path);
      const pair = target.items.find((item) => keyOf(item) === op.from);
      if (!pair) throw new PatchError(`${describePath(op.path)} has no "${op.from}"`);
      if (op.from === op.to) return text;
      if (target.has(op.to)) throw new PatchError(`${describePath(op.path)} already has "${op.to}"`);
      if (isScalar(pair.key)) pair.key.value = op.to;
      else pair.key = new Scalar(op.to);
      break;
    }
    case "push": {
      const target = doc.getIn(op.path, true);
      if (!isSeq(target)) throw new PatchError(`No array at ${describePath(op.path)}`);
      const index = op.index === undefined ? target.items.length : Math.max(0, Math.min(op.index, target.items.length));
      target.items.splice(index, 0, makeNode(doc, op));
      break;
    }
  }
  return doc.toString(PRINT);
}

function keyOf(pair: Pair<unknown, unknown>): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function mapAt(doc: Document, path: Path): YAMLMap {
  const target = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(target)) throw new PatchError(`No object at ${describePath(path)}`);
  return target;
}

/** A YAML node for a new value: raw JSON is parsed as YAML (JSON is YAML) and put in block style. */
function makeNode(doc: Document, value: NewValue): YamlNode {
  if (!("raw" in value)) return doc.createNode(value.value) as YamlNode;
  const parsed = parseYamlDocument(value.raw, OPTIONS);
  if (parsed.errors.length > 0 || parsed.contents === null) throw new PatchError("The value is not valid JSON");
  const node = parsed.contents as YamlNode;
  visit(node, {
    Map: (_, map: YAMLMap) => void (map.flow = map.items.length === 0),
    Seq: (_, seq: YAMLSeq) => void (seq.flow = seq.items.length === 0),
    Scalar: (_, s: Scalar) => {
      if (s.type === Scalar.QUOTE_DOUBLE && typeof s.value === "string") s.type = undefined;
    },
  });
  return node;
}
