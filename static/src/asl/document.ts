/**
 * An ASL document: the author's exact text, its format, and the ordered tree read from it.
 *
 * The text is the source of truth (DESIGN decision 1): exporting an unedited document returns
 * it unchanged, and `applyPatch` edits it in place through the format's backend.
 */
import { applyJsonOp, parseJson } from "./json-document";
import { reparseJson } from "./json-reparse";
import type { PatchOp } from "./patch";
import { PatchError, type ParseProblem } from "./problems";
import type { AslValue } from "./value";
import { applyYamlOp, parseYaml } from "./yaml-document";

export type Format = "json" | "yaml";

export interface AslDocument {
  readonly text: string;
  readonly format: Format;
  /** The tree; undefined when the text has no value at all. */
  readonly root: AslValue | undefined;
  /** Syntax problems; a document with problems is shown but not patched. */
  readonly problems: ParseProblem[];
}

export function detectFormat(text: string): Format {
  const first = text.trimStart()[0];
  return first === "{" || first === "[" ? "json" : "yaml";
}

export function parseDocument(text: string, format: Format = detectFormat(text)): AslDocument {
  const { root, problems } = format === "json" ? parseJson(text) : parseYaml(text);
  if (problems.length === 0 && root !== undefined && root.kind !== "object") {
    problems.push({
      message: "A state machine definition is an object",
      offset: root.range.offset,
      length: root.range.length,
      line: 1,
      column: 1,
    });
  }
  return { text, format, root, problems };
}

/** Apply operations in order; the result is a new document (the input is unchanged). */
export function applyPatch(doc: AslDocument, ops: PatchOp[]): AslDocument {
  if (doc.problems.length > 0) throw new PatchError("The definition has syntax errors; fix the code first");
  let text = doc.text;
  if (doc.format === "yaml") {
    for (const op of ops) text = applyYamlOp(text, op);
    return parseDocument(text, "yaml");
  }
  // Each op re-reads only the part of the tree it changed (json-reparse.ts), and the next op
  // uses that tree; when that is not possible the whole text is parsed.
  let root = doc.root;
  for (const op of ops) {
    const next = applyJsonOp(text, op, root);
    if (next !== text) root = root && reparseJson(text, root, next);
    text = next;
  }
  return root ? { text, format: "json", root, problems: [] } : parseDocument(text, "json");
}

export { PatchError };
export type { ParseProblem };
