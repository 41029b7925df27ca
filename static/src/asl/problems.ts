/** A syntax problem in the document text, with the place a person can go to. */
export interface ParseProblem {
  message: string;
  offset: number;
  length: number;
  line: number;
  column: number;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Raised when a patch cannot apply (missing parent, wrong kind); the text is left as it was. */
export class PatchError extends Error {}
