/**
 * Jump the code view to a line (from the problems list). The code view loads on demand, so the
 * request is also kept until a code view mounted later takes it.
 */
export interface LineRequest {
  line: number;
  column: number;
}

let pending: LineRequest | null = null;

export function revealLine(line: number, column = 1): void {
  pending = { line, column };
  window.dispatchEvent(new CustomEvent<LineRequest>("symphony:reveal", { detail: pending }));
}

/** The request not yet shown, if any (and forget it). */
export function takeReveal(): LineRequest | null {
  const request = pending;
  pending = null;
  return request;
}
