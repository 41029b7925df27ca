import type { StateKind } from "../kind";

export const fail: StateKind = {
  type: "Fail",
  label: "Fail",
  description: "Stop with an error",
  color: "#dc2626",
  icon: "M6 6l12 12M18 6L6 18",
  errorHandling: false,
  terminal: true,
  fields: [
    { key: "Error", label: "Error", kind: "text", placeholder: "MyError" },
    { key: "Cause", label: "Cause", kind: "multiline" },
    { key: "ErrorPath", label: "ErrorPath", kind: "text", language: "JSONPath" },
    { key: "CausePath", label: "CausePath", kind: "text", language: "JSONPath" },
  ],
  template: () => ({ Type: "Fail", Error: "Failed", Cause: "Something went wrong" }),
};
