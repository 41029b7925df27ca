/**
 * The read model of an ASL document: an ordered tree with source ranges.
 *
 * Objects keep their entries as an array, never as a JavaScript object, because JavaScript
 * moves integer-like keys ("1", "20") to the front of an object and the author's key order
 * must survive (DESIGN decision 1). Both the JSON and the YAML backends build this tree.
 */

export interface Range {
  offset: number;
  length: number;
}

export type Scalar = string | number | boolean | null;

export interface AslEntry {
  key: string;
  value: AslValue;
  keyRange: Range;
}

export type AslValue =
  | { kind: "object"; entries: AslEntry[]; range: Range }
  | { kind: "array"; items: AslValue[]; range: Range }
  | { kind: "scalar"; value: Scalar; range: Range };

export type AslObject = Extract<AslValue, { kind: "object" }>;
export type AslArray = Extract<AslValue, { kind: "array" }>;

/** A path into the document: object keys and array indexes. */
export type Path = (string | number)[];

export function isObject(value: AslValue | undefined): value is AslObject {
  return value?.kind === "object";
}

export function isArray(value: AslValue | undefined): value is AslArray {
  return value?.kind === "array";
}

export function field(value: AslValue | undefined, key: string): AslValue | undefined {
  if (!isObject(value)) return undefined;
  return value.entries.find((entry) => entry.key === key)?.value;
}

export function at(value: AslValue | undefined, path: Path): AslValue | undefined {
  let current = value;
  for (const part of path) {
    if (current === undefined) return undefined;
    if (typeof part === "number") current = isArray(current) ? current.items[part] : undefined;
    else current = field(current, part);
  }
  return current;
}

export function scalar(value: AslValue | undefined): Scalar | undefined {
  return value?.kind === "scalar" ? value.value : undefined;
}

export function text(value: AslValue | undefined): string | undefined {
  const found = scalar(value);
  return typeof found === "string" ? found : undefined;
}

export function keys(value: AslValue | undefined): string[] {
  return isObject(value) ? value.entries.map((entry) => entry.key) : [];
}

/**
 * JSON text for a value, in document order. Used for the inspector's JSON editors and the
 * clipboard; never for writing the document back (patches edit the text in place).
 */
export function toJsonText(value: AslValue, indent = 2, depth = 0): string {
  const pad = " ".repeat(indent * (depth + 1));
  const end = " ".repeat(indent * depth);
  switch (value.kind) {
    case "scalar":
      return JSON.stringify(value.value);
    case "array":
      if (value.items.length === 0) return "[]";
      return `[\n${value.items.map((item) => pad + toJsonText(item, indent, depth + 1)).join(",\n")}\n${end}]`;
    case "object":
      if (value.entries.length === 0) return "{}";
      return `{\n${value.entries
        .map((entry) => `${pad}${JSON.stringify(entry.key)}: ${toJsonText(entry.value, indent, depth + 1)}`)
        .join(",\n")}\n${end}}`;
  }
}

/** A plain JavaScript value (integer-like keys may reorder): for reading, not for writing. */
export function toPlain(value: AslValue): unknown {
  switch (value.kind) {
    case "scalar":
      return value.value;
    case "array":
      return value.items.map(toPlain);
    case "object": {
      const out: Record<string, unknown> = {};
      for (const entry of value.entries) out[entry.key] = toPlain(entry.value);
      return out;
    }
  }
}

/** Structural equality in document order. */
export function sameValue(a: AslValue | undefined, b: AslValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind !== b.kind) return false;
  if (a.kind === "scalar") return a.value === (b as typeof a).value;
  if (a.kind === "array") {
    const other = b as typeof a;
    return a.items.length === other.items.length && a.items.every((item, i) => sameValue(item, other.items[i]));
  }
  const other = b as AslObject;
  return (
    a.entries.length === other.entries.length &&
    a.entries.every((entry, i) => entry.key === other.entries[i].key && sameValue(entry.value, other.entries[i].value))
  );
}
