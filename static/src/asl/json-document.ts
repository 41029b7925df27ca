/**
 * The JSON backend: jsonc-parser's position-keeping tree for reading, and its `modify` edits
 * (plus key-token replacement for renames) for writing, so only the edited part of the text
 * changes and the author's indentation style is kept for what is inserted.
 */
import {
  applyEdits,
  createScanner,
  findNodeAtLocation,
  format,
  modify,
  parseTree,
  printParseErrorCode,
  type Edit,
  type FormattingOptions,
  type Node,
  type ParseError,
} from "jsonc-parser";

import { detectIndentation } from "./indentation";
import type { NewValue, PatchOp } from "./patch";
import { describePath } from "./patch";
import { lineColumn, PatchError, type ParseProblem } from "./problems";
import { at, type AslValue } from "./value";

export function parseJson(text: string): { root: AslValue | undefined; problems: ParseProblem[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
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

function toValue(node: Node): AslValue {
  const range = { offset: node.offset, length: node.length };
  if (node.type === "object") {
    const entries = [];
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || !valueNode) continue;
      entries.push({
        key: String(keyNode.value),
        value: toValue(valueNode),
        keyRange: { offset: keyNode.offset, length: keyNode.length },
      });
    }
    return { kind: "object", entries, range };
  }
  if (node.type === "array") return { kind: "array", items: (node.children ?? []).map(toValue), range };
  return { kind: "scalar", value: (node.value ?? null) as string | number | boolean | null, range };
}

const PLACEHOLDER = "\u0000symphony-raw\u0000";

/**
 * Apply one op. `root`, when given, is the tree of `text`: the common edits (set a scalar that
 * exists, rename a key) then splice the text at the known range without parsing it again.
 */
export function applyJsonOp(text: string, op: PatchOp, root?: AslValue): string {
  if (root) {
    const fast = fastEdit(text, op, root);
    if (fast !== undefined) return fast;
  }
  const indentation = detectIndentation(text);
  const formatting: FormattingOptions | undefined = indentation.singleLine
    ? undefined
    : { insertSpaces: indentation.insertSpaces, tabSize: indentation.tabSize, eol: indentation.eol };
  const tree = parseTree(text);
  if (!tree) throw new PatchError("The document is empty");

  const edit = (path: (string | number)[], nv: NewValue | undefined, extra: object = {}): string => {
    const value = nv === undefined ? undefined : "raw" in nv ? PLACEHOLDER : nv.value;
    const edits = modify(text, path, value, { formattingOptions: formatting, ...extra });
    const out = applyEdits(text, edits);
    return nv !== undefined && "raw" in nv ? spliceRaw(out, nv.raw, formatting) : out;
  };

  switch (op.op) {
    case "set": {
      requireParent(tree, op.path);
      return edit(op.path, op);
    }
    case "insert": {
      const target = findNodeAtLocation(tree, op.path);
      if (target?.type !== "object") throw new PatchError(`No object at ${describePath(op.path)}`);
      if (findNodeAtLocation(tree, [...op.path, op.key])) {
        throw new PatchError(`${describePath(op.path)} already has "${op.key}"`);
      }
      const after = op.after;
      return edit([...op.path, op.key], op, {
        getInsertionIndex: (properties: string[]) =>
          after !== undefined && properties.includes(after) ? properties.indexOf(after) + 1 : properties.length,
      });
    }
    case "remove": {
      if (!findNodeAtLocation(tree, op.path)) return text;
      return edit(op.path, undefined);
    }
    case "rename": {
      const target = findNodeAtLocation(tree, op.path);
      if (target?.type !== "object") throw new PatchError(`No object at ${describePath(op.path)}`);
      const property = target.children?.find((child) => child.children?.[0]?.value === op.from);
      const keyNode = property?.children?.[0];
      if (!keyNode) throw new PatchError(`${describePath(op.path)} has no "${op.from}"`);
      if (op.from === op.to) return text;
      if (target.children?.some((child) => child.children?.[0]?.value === op.to)) {
        throw new PatchError(`${describePath(op.path)} already has "${op.to}"`);
      }
      const replacement: Edit = { offset: keyNode.offset, length: keyNode.length, content: JSON.stringify(op.to) };
      return applyEdits(text, [replacement]);
    }
    case "push": {
      const target = findNodeAtLocation(tree, op.path);
      if (target?.type !== "array") throw new PatchError(`No array at ${describePath(op.path)}`);
      const length = target.children?.length ?? 0;
      const index = op.index === undefined ? length : Math.max(0, Math.min(op.index, length));
      return edit([...op.path, index], op, { isArrayInsertion: true });
    }
  }
}

function fastEdit(text: string, op: PatchOp, root: AslValue): string | undefined {
  if (op.op === "set" && "value" in op && (op.value === null || typeof op.value !== "object")) {
    const target = at(root, op.path);
    if (target?.kind !== "scalar") return undefined;
    const { offset, length } = target.range;
    return text.slice(0, offset) + JSON.stringify(op.value) + text.slice(offset + length);
  }
  if (op.op === "rename") {
    const target = at(root, op.path);
    if (target?.kind !== "object") return undefined;
    const entry = target.entries.find((e) => e.key === op.from);
    if (!entry || op.from === op.to || target.entries.some((e) => e.key === op.to)) return undefined;
    const { offset, length } = entry.keyRange;
    return text.slice(0, offset) + JSON.stringify(op.to) + text.slice(offset + length);
  }
  return undefined;
}

function requireParent(tree: Node, path: (string | number)[]): void {
  if (path.length === 0) return;
  const parent = findNodeAtLocation(tree, path.slice(0, -1));
  const last = path[path.length - 1];
  const wanted = typeof last === "number" ? "array" : "object";
  if (parent?.type !== wanted) throw new PatchError(`No ${wanted} at ${describePath(path.slice(0, -1))}`);
}

/** Put raw JSON text where the placeholder string went, indented like the line it lands on. */
function spliceRaw(text: string, raw: string, formatting: FormattingOptions | undefined): string {
  const quoted = JSON.stringify(PLACEHOLDER);
  const at = text.indexOf(quoted);
  if (at < 0) throw new PatchError("Internal error: the inserted value was lost");
  const errors: ParseError[] = [];
  parseTree(raw, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || raw.trim() === "") throw new PatchError("The value is not valid JSON");
  let body: string;
  if (formatting === undefined) {
    body = compact(raw);
  } else {
    body = applyEdits(raw.trim(), format(raw.trim(), undefined, formatting));
    const lineStart = text.lastIndexOf("\n", at) + 1;
    const lead = /^[ \t]*/.exec(text.slice(lineStart))![0];
    body = body.split(/\r?\n/).join(formatting.eol + lead);
  }
  return text.slice(0, at) + body + text.slice(at + quoted.length);
}

function compact(raw: string): string {
  const scanner = createScanner(raw, true);
  let out = "";
  for (let kind = scanner.scan(); kind !== 17 /* SyntaxKind.EOF */; kind = scanner.scan()) {
    out += scanner.getTokenValue() === undefined ? "" : raw.substr(scanner.getTokenOffset(), scanner.getTokenLength());
  }
  return out;
}
