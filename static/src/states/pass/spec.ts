import { DATA_FIELDS, type StateKind } from "../kind";

export const pass: StateKind = {
  type: "Pass",
  label: "Pass",
  description: "Pass input to output, optionally shaping it",
  color: "#64748b",
  icon: "M4 12h13M13 7l5 5-5 5",
  errorHandling: false,
  terminal: false,
  fields: [
    { key: "Result", label: "Result", kind: "json", language: "JSONPath" },
    { key: "Parameters", label: "Parameters", kind: "json", language: "JSONPath" },
    { key: "ResultPath", label: "ResultPath", kind: "text", language: "JSONPath", placeholder: "$" },
    ...DATA_FIELDS,
  ],
  template: () => ({ Type: "Pass", End: true }),
};
