import { DATA_FIELDS, RESULT_FIELDS, type StateKind } from "../kind";

export const parallel: StateKind = {
  type: "Parallel",
  label: "Parallel",
  description: "Run branches at the same time",
  color: "#0891b2",
  icon: "M7 4v16M17 4v16M4 8h6M14 16h6",
  errorHandling: true,
  terminal: false,
  fields: [
    { key: "Parameters", label: "Parameters", kind: "json", language: "JSONPath" },
    { key: "Arguments", label: "Arguments", kind: "json", language: "JSONata" },
    ...RESULT_FIELDS,
    ...DATA_FIELDS,
  ],
  template: () => ({
    Type: "Parallel",
    Branches: [
      { StartAt: "Branch A", States: { "Branch A": { Type: "Pass", End: true } } },
      { StartAt: "Branch B", States: { "Branch B": { Type: "Pass", End: true } } },
    ],
    End: true,
  }),
};
