import type { StateKind } from "../kind";

export const succeed: StateKind = {
  type: "Succeed",
  label: "Succeed",
  description: "Stop successfully",
  color: "#16a34a",
  icon: "M5 12.5l4.5 4.5L19 7.5",
  errorHandling: false,
  terminal: true,
  fields: [
    { key: "InputPath", label: "InputPath", kind: "text", language: "JSONPath", placeholder: "$" },
    { key: "OutputPath", label: "OutputPath", kind: "text", language: "JSONPath", placeholder: "$" },
    { key: "Output", label: "Output", kind: "json", language: "JSONata" },
  ],
  template: () => ({ Type: "Succeed" }),
};
