/** A readable one-line summary of a Choice rule's condition, for edge labels. */
import { field, isArray, isObject, scalar, text, toPlain, type AslValue } from "../asl/value";

const OPERATORS: Record<string, string> = {
  Equals: "==",
  LessThan: "<",
  GreaterThan: ">",
  LessThanEquals: "<=",
  GreaterThanEquals: ">=",
};

const TESTS: Record<string, string> = {
  IsPresent: "is present",
  IsNull: "is null",
  IsNumeric: "is numeric",
  IsString: "is string",
  IsBoolean: "is boolean",
  IsTimestamp: "is timestamp",
};

export function summarizeRule(rule: AslValue | undefined, limit = 48): string {
  const full = summarize(rule);
  return full.length > limit ? full.slice(0, limit - 1) + "…" : full;
}

function summarize(rule: AslValue | undefined): string {
  if (!isObject(rule)) return "?";
  const condition = text(field(rule, "Condition"));
  if (condition !== undefined) return condition.replace(/^\{%\s*/, "").replace(/\s*%\}$/, "");
  for (const combinator of ["And", "Or"] as const) {
    const parts = field(rule, combinator);
    if (isArray(parts)) return parts.items.map((part) => wrap(summarize(part))).join(` ${combinator.toLowerCase()} `);
  }
  const negated = field(rule, "Not");
  if (negated) return `not ${wrap(summarize(negated))}`;
  const variable = text(field(rule, "Variable")) ?? "?";
  for (const entry of rule.entries) {
    if (entry.key === "Variable" || entry.key === "Next" || entry.key === "Comment" || entry.key === "Assign") continue;
    const test = TESTS[entry.key];
    if (test) return scalar(entry.value) === false ? `${variable} not ${test.replace(/^is /, "")}` : `${variable} ${test}`;
    const match = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals|Matches)(Path)?$/.exec(
      entry.key,
    );
    if (!match) continue;
    const op = match[2] === "Matches" ? "matches" : OPERATORS[match[2]];
    const operand = match[3] ? String(scalar(entry.value)) : JSON.stringify(toPlain(entry.value));
    return `${variable} ${op} ${operand}`;
  }
  return "?";
}

function wrap(part: string): string {
  return / (and|or) /.test(part) ? `(${part})` : part;
}
