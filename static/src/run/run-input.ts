/**
 * The run dialog's checks as the author types, the same rules StartExecution applies
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html):
 * the input is JSON text of at most 256 KiB; a name is 1-80 characters without whitespace,
 * brackets, wildcards, the punctuation " # % \ ^ | ~ ` $ & , ; : / or control characters.
 */
import { parseJson } from "../asl/json-document";

export const MAX_INPUT_BYTES = 256 * 1024;
// executions/arns.py NAME_RE, the server's copy of the rule.
const NAME_RE = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;

/** Why `text` is not an execution input, with where; null when it is one. */
export function inputProblem(text: string): string | null {
  if (text.trim() === "") return "Enter JSON, e.g. {} for no input.";
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_INPUT_BYTES) return `The input is ${bytes.toLocaleString("en")} bytes; StartExecution takes at most 262,144 (256 KiB).`;
  const { problems } = parseJson(text);
  if (problems.length === 0) return null;
  const { message, line, column } = problems[0];
  // jsonc-parser's codes read as words: "PropertyNameExpected" -> "Property name expected".
  const words = message.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} at line ${line}, column ${column}.`;
}

/** Why `name` is not an execution name; null when it is one or empty (the server makes one up). */
export function nameProblem(name: string): string | null {
  if (name === "" || NAME_RE.test(name)) return null;
  if (name.length > 80) return "At most 80 characters.";
  return 'No spaces, brackets, wildcards or any of " # % \\ ^ | ~ ` $ & , ; : /.';
}
