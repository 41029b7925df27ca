/**
 * An ASL document: the author's exact text, its format, and the ordered tree read from it.
 *
 * The text is the source of truth (DESIGN decision 1): exporting an unedited document returns
 * it unchanged, and `applyPatch` edits it in place through the format's backend.
 */
import { applyJsonOp, parseJson } from "./json-document";
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
  // The first op can use the tree already parsed; later ones see changed text.
  ops.forEach((op, i) => {
    text = doc.format === "json" ? applyJsonOp(text, op, i === 0 ? doc.root : undefined) : applyYamlOp(text, op);
  });
  return parseDocument(text, doc.format);
}

export { PatchError };
export type { ParseProblem };
