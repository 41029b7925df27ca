/**
 * What a test invocation of a local function answered, put in the words the page shows:
 * Lambda console's layout (status, then the response or the error with its stack trace, then the
 * function's log). Pure, so it is tested without a page.
 */

export type InvocationAnswer =
  | { ok: true; result: unknown; log: string; durationMs: number; requestId: string }
  | {
      ok: false;
      errorType: string;
      errorMessage: string;
      stackTrace: string[];
      log: string;
      durationMs: number;
      requestId: string;
    }
  // The request itself was refused (bad event JSON, code that does not compile): nothing ran.
  | { invalid: { field: string; message: string; line?: number; column?: number } };

export interface InvocationView {
  tone: "ok" | "error";
  title: string;
  sections: { label: string; text: string }[];
}

export function describeInvocation(answer: InvocationAnswer): InvocationView {
  if ("invalid" in answer) {
    return { tone: "error", title: `Not run: ${answer.invalid.message}`, sections: [] };
  }
  const facts = `Duration ${answer.durationMs} ms · Request ID ${answer.requestId}`;
  const log = answer.log ? [{ label: "Log output", text: answer.log }] : [];
  if (answer.ok) {
    return {
      tone: "ok",
      title: `Succeeded · ${facts}`,
      sections: [{ label: "Response", text: JSON.stringify(answer.result, null, 2) ?? "null" }, ...log],
    };
  }
  // Lambda's error payload; its stack trace gets a section of its own, readable as text.
  const error = { errorMessage: answer.errorMessage, errorType: answer.errorType };
  return {
    tone: "error",
    title: `Failed: ${answer.errorType} · ${facts}`,
    sections: [
      { label: "Error", text: JSON.stringify(error, null, 2) },
      ...(answer.stackTrace.length ? [{ label: "Stack trace", text: answer.stackTrace.join("") }] : []),
      ...log,
    ],
  };
}

/** The size the server counts: UTF-8 bytes, not UTF-16 code units. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
