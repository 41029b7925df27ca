import type { StateKind } from "../kind";

export const wait: StateKind = {
  type: "Wait",
  label: "Wait",
  description: "Pause for a time or until a timestamp",
  color: "#7c3aed",
  icon: "M12 3a9 9 0 100 18 9 9 0 000-18zM12 7v5l3 3",
  errorHandling: false,
  terminal: false,
  fields: [
    { key: "Seconds", label: "Seconds", kind: "number-or-expression" },
    { key: "Timestamp", label: "Timestamp", kind: "text", placeholder: "2026-01-01T00:00:00Z" },
    { key: "SecondsPath", label: "SecondsPath", kind: "text", language: "JSONPath" },
    { key: "TimestampPath", label: "TimestampPath", kind: "text", language: "JSONPath" },
    { key: "InputPath", label: "InputPath", kind: "text", language: "JSONPath", placeholder: "$" },
    { key: "OutputPath", label: "OutputPath", kind: "text", language: "JSONPath", placeholder: "$" },
    { key: "Output", label: "Output", kind: "json", language: "JSONata" },
    { key: "Assign", label: "Assign", kind: "json" },
  ],
  template: () => ({ Type: "Wait", Seconds: 10, End: true }),
};
