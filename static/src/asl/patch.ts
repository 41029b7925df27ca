/**
 * Patch operations on an ASL document. Each names the part it changes; the backends apply it
 * to the text in place, so everything else (formatting, key order, unknown fields) stays.
 *
 * A value is given either as a JavaScript value (for scalars and small new objects) or as
 * raw JSON text (`raw`), which is how copied states and the inspector's JSON editors travel:
 * raw text is never put through JSON.parse, so integer-like keys keep their order.
 */
import type { Path } from "./value";

export type NewValue = { value: unknown } | { raw: string };

export type PatchOp =
  /** Set the value at path (the parent must exist); a missing key is appended at the end. */
  | ({ op: "set"; path: Path } & NewValue)
  /** Insert a key into the object at path, after `after` (or at the end). */
  | ({ op: "insert"; path: Path; key: string; after?: string } & NewValue)
  /** Remove the key or array item at path; nothing happens when it is absent. */
  | { op: "remove"; path: Path }
  /** Rename a key of the object at path, in place. */
  | { op: "rename"; path: Path; from: string; to: string }
  /** Insert an item into the array at path, at index (or at the end). */
  | ({ op: "push"; path: Path; index?: number } & NewValue);

export function describePath(path: Path): string {
  return "/" + path.map((part) => String(part).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}
