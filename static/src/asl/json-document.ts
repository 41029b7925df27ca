/**
 * The JSON backend: jsonc-parser's position-keeping tree for reading; writing splices the text
 * at the ranges the tree gives, so only the edited part changes and what is inserted takes the
 * author's indentation style.
 */
import { applyEdits, modify, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";

import { detectIndentation, type Indentation } from "./indentation";
import { blockJson, inlineJson, insertItem, insertProperty } from "./json-insert";
import type { NewValue, PatchOp } from "./patch";
import { describePath } from "./patch";
import { lineColumn, PatchError, type ParseProblem } from "./problems";
import { at, isArray, isObject, type AslValue, type Path } from "./value";

export const JSON_OPTIONS = { allowTrailingComma: false, disallowComments: true };

export function parseJson(text: string): { root: AslValue | undefined; problems: ParseProblem[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, JSON_OPTIONS);
  const problems: ParseProblem[] = errors.map((error) => ({
    message: printParseErrorCode(error.error),
    offset: error.offset,
    length: error.length,
    ...lineColumn(text, error.offset),
  }));
  if (!tree && problems.length === 0) {
    problems.push({ message: "The document is empty", offset: 0, length: 0, line: 1, column: 1 });
  }
  return { root: tree ? toValue(tree) : undefined, problems };
}

/** jsonc-parser's node as our tree; `base` is where the parsed text starts in the document. */
export function toValue(node: Node, base = 0): AslValue {
  const range = { offset: base + node.offset, length: node.length };
  if (node.type === "object") {
    const entries = [];
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || !valueNode) continue;
      entries.push({
        key: String(keyNode.value),
        value: toValue(valueNode, base),
        keyRange: { offset: base + keyNode.offset, length: keyNode.length },
      });
    }
    return { kind: "object", entries, range };
  }
  if (node.type === "array") return { kind: "array", items: (node.children ?? []).map((item) => toValue(item, base)), range };
  return { kind: "scalar", value: (node.value ?? null) as string | number | boolean | null, range };
}

/**
 * Apply one op, editing the text only where the op points. `root`, when given, is the tree of
 * `text` (saves a parse). Removal uses jsonc-parser's `modify` (it takes the property with its
 * comma, nothing more); everything else splices at ranges from the tree.
 */
export function applyJsonOp(text: string, op: PatchOp, root?: AslValue): string {
  const tree = root ?? parseJson(text).root;
  if (!tree) throw new PatchError("The document is empty");
  const indentation = detectIndentation(text);
  switch (op.op) {
    case "set": {
      const json = valueJson(op);
      const target = at(tree, op.path);
      if (target) return replaceValue(text, tree, op.path, target, json, indentation);
      const parentPath = op.path.slice(0, -1);
      const parent = at(tree, parentPath);
      const last = op.path[op.path.length - 1];
      if (typeof last === "string" && isObject(parent)) return insertProperty(text, parent, last, json, undefined, indentation);
      if (typeof last === "number" && isArray(parent) && last === parent.items.length) return insertItem(text, parent, last, json, indentation);
      throw new PatchError(`No ${typeof last === "number" ? "array" : "object"} at ${describePath(parentPath)}`);
    }
    case "insert": {
      const target = at(tree, op.path);
      if (!isObject(target)) throw new PatchError(`No object at ${describePath(op.path)}`);
      if (target.entries.some((e) => e.key === op.key)) throw new PatchError(`${describePath(op.path)} already has "${op.key}"`);
      return insertProperty(text, target, op.key, valueJson(op), op.after, indentation);
    }
    case "remove": {
      const target = at(tree, op.path);
      if (!target) return text;
      const parent = at(tree, op.path.slice(0, -1));
      const index = op.path[op.path.length - 1];
      if (isArray(parent) && typeof index === "number" && index > 0 && index === parent.items.length - 1) {
        // jsonc-parser 3.3.1 cuts the wrong span for the last of several items (`["a", "b"]`
        // became `["a""]`): cut from the end of the item before to the end of this one.
        const previous = parent.items[index - 1].range;
        return text.slice(0, previous.offset + previous.length) + text.slice(target.range.offset + target.range.length);
      }
      return applyEdits(text, modify(text, op.path, undefined, {}));
    }
    case "rename": {
      const target = at(tree, op.path);
      if (!isObject(target)) throw new PatchError(`No object at ${describePath(op.path)}`);
      const entry = target.entries.find((e) => e.key === op.from);
      if (!entry) throw new PatchError(`${describePath(op.path)} has no "${op.from}"`);
      if (op.from === op.to) return text;
      if (target.entries.some((e) => e.key === op.to)) throw new PatchError(`${describePath(op.path)} already has "${op.to}"`);
      const { offset, length } = entry.keyRange;
      return text.slice(0, offset) + JSON.stringify(op.to) + text.slice(offset + length);
    }
    case "push": {
      const target = at(tree, op.path);
      if (!isArray(target)) throw new PatchError(`No array at ${describePath(op.path)}`);
      const index = op.index === undefined ? target.items.length : Math.max(0, Math.min(op.index, target.items.length));
      return insertItem(text, target, index, valueJson(op), indentation);
    }
  }
}

/** The new value as JSON text: raw text is checked, never re-serialized (integer-like keys keep their order). */
function valueJson(value: NewValue): string {
  if ("raw" in value) {
    const errors: ParseError[] = [];
    parseTree(value.raw, errors, JSON_OPTIONS);
    if (errors.length > 0 || value.raw.trim() === "") throw new PatchError("The value is not valid JSON");
    return value.raw;
  }
  if (value.value === undefined) throw new PatchError("A value is needed");
  return JSON.stringify(value.value);
}

function replaceValue(text: string, tree: AslValue, path: Path, target: AslValue, json: string, indentation: Indentation): string {
  const { offset, length } = target.range;
  const parent = at(tree, path.slice(0, -1));
  const parentRange = parent?.range ?? target.range;
  const oneLine = indentation.singleLine || !text.slice(parentRange.offset, parentRange.offset + parentRange.length).includes("\n");
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(start, offset))![0];
  const body = oneLine || !/^[[{]/.test(json.trim()) ? inlineJson(json) : blockJson(json, indentation, indent);
  return text.slice(0, offset) + body + text.slice(offset + length);
}
