/** Every Choice comparison operator (JSONPath rules), with the kind of value each takes. */
export type OperandKind = "string" | "number" | "boolean" | "path" | "test";

export const OPERATORS: [string, OperandKind][] = [];
for (const family of ["String", "Numeric", "Timestamp"] as const) {
  for (const op of ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"]) {
    OPERATORS.push([`${family}${op}`, family === "Numeric" ? "number" : "string"]);
    OPERATORS.push([`${family}${op}Path`, "path"]);
  }
}
OPERATORS.push(["StringMatches", "string"], ["BooleanEquals", "boolean"], ["BooleanEqualsPath", "path"]);
for (const test of ["IsPresent", "IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]) OPERATORS.push([test, "test"]);

const KIND = new Map(OPERATORS);

export function operandKind(operator: string): OperandKind | undefined {
  return KIND.get(operator);
}

export function defaultOperand(kind: OperandKind): unknown {
  switch (kind) {
    case "number":
      return 0;
    case "boolean":
    case "test":
      return true;
    case "path":
      return "$.other";
    default:
      return "";
  }
}
