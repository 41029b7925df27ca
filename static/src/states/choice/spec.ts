import type { StateKind } from "../kind";

export const choice: StateKind = {
  type: "Choice",
  label: "Choice",
  description: "Branch on conditions",
  color: "#d97706",
  icon: "M12 3l9 9-9 9-9-9z",
  errorHandling: false,
  terminal: false,
  fields: [
    { key: "Default", label: "Default", kind: "state", help: "Where to go when no rule matches" },
    { key: "InputPath", label: "InputPath", kind: "text", language: "JSONPath", placeholder: "$" },
    { key: "OutputPath", label: "OutputPath", kind: "text", language: "JSONPath", placeholder: "$" },
    { key: "Output", label: "Output", kind: "json", language: "JSONata" },
    { key: "Assign", label: "Assign", kind: "json" },
  ],
  template: (language) =>
    language === "JSONata"
      ? { Type: "Choice", Choices: [{ Condition: "{% $states.input.ok %}", Next: "" }] }
      : { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "" }] },
};
