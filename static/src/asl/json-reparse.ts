/**
 * Re-reading a JSON document after an edit without parsing all of it: an edit touches one
 * region of the text, so only the smallest object or array around that region is parsed again;
 * what lies before it is kept as is and what follows is only moved by the change in length.
 * On a 500-state definition this is the difference between tokenizing 160 KB per keystroke and
 * tokenizing one state.
 */
import { parseTree, type ParseError } from "jsonc-parser";

import { JSON_OPTIONS, toValue } from "./json-document";
import type { AslEntry, AslValue } from "./value";

/**
 * The tree of `text`, given `before` (a valid document) and its tree. Undefined when the edit
 * cannot be read locally (it reaches the outermost brackets, or the region no longer parses on
 * its own): the caller parses the whole text, which also finds the problems.
 */
export function reparseJson(before: string, root: AslValue, text: string): AslValue | undefined {
  const limit = Math.min(before.length, text.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === text.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < limit - start && before.charCodeAt(before.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail++;
  const end = before.length - tail;
  const delta = text.length - before.length;

  const region = enclosing(root, start, end);
  if (!region) return undefined;
  const { offset, length } = region.range;
  const errors: ParseError[] = [];
  const tree = parseTree(text.slice(offset, offset + length + delta), errors, JSON_OPTIONS);
  if (!tree || errors.length > 0 || tree.type !== region.kind) return undefined;
  const fresh = toValue(tree, offset);
  return splice(root, region, fresh, end, delta);
}

/** The innermost object or array whose brackets stay outside the changed span [start, end). */
function enclosing(root: AslValue, start: number, end: number): AslValue | undefined {
  const inside = (value: AslValue) => value.kind !== "scalar" && value.range.offset < start && end < value.range.offset + value.range.length;
  if (!inside(root)) return undefined;
  let current = root;
  for (;;) {
    const children = current.kind === "object" ? current.entries.map((e) => e.value) : current.kind === "array" ? current.items : [];
    const next = children.find(inside);
    if (!next) return current;
    current = next;
  }
}

/** `root` with `region` replaced by `fresh`; everything from `end` on moves by `delta`. */
function splice(node: AslValue, region: AslValue, fresh: AslValue, end: number, delta: number): AslValue {
  if (node === region) return fresh;
  const range = { offset: node.range.offset, length: node.range.length + delta };
  const contains = (value: AslValue) => value.range.offset <= region.range.offset && region.range.offset < value.range.offset + value.range.length;
  const child = (value: AslValue) => (contains(value) ? splice(value, region, fresh, end, delta) : value.range.offset >= end ? shift(value, delta) : value);
  if (node.kind === "object") {
    const entries: AslEntry[] = node.entries.map((entry) =>
      entry.keyRange.offset >= end ? { key: entry.key, value: shift(entry.value, delta), keyRange: moved(entry.keyRange, delta) } : contains(entry.value) ? { ...entry, value: child(entry.value) } : entry,
    );
    return { kind: "object", entries, range };
  }
  if (node.kind === "array") return { kind: "array", items: node.items.map(child), range };
  return node;
}

function moved(range: { offset: number; length: number }, delta: number) {
  return { offset: range.offset + delta, length: range.length };
}

function shift(value: AslValue, delta: number): AslValue {
  const range = moved(value.range, delta);
  if (value.kind === "scalar") return { kind: "scalar", value: value.value, range };
  if (value.kind === "array") return { kind: "array", items: value.items.map((item) => shift(item, delta)), range };
  return { kind: "object", entries: value.entries.map((e) => ({ key: e.key, value: shift(e.value, delta), keyRange: moved(e.keyRange, delta) })), range };
}
