import { DATA_FIELDS, RESULT_FIELDS, type StateKind } from "../kind";

export const task: StateKind = {
  type: "Task",
  label: "Task",
  description: "Call a service or a function",
  color: "#2563eb",
  icon: "M4 5h16v4H4zM4 11h10v4H4zM4 17h7v3H4zM17 12l4 3.5-4 3.5z",
  errorHandling: true,
  terminal: false,
  fields: [
    { key: "Resource", label: "Resource", kind: "text", placeholder: "arn:aws:states:::lambda:invoke" },
    { key: "Parameters", label: "Parameters", kind: "json", language: "JSONPath" },
    { key: "Arguments", label: "Arguments", kind: "json", language: "JSONata" },
    ...RESULT_FIELDS,
    { key: "TimeoutSeconds", label: "TimeoutSeconds", kind: "number-or-expression" },
    { key: "TimeoutSecondsPath", label: "TimeoutSecondsPath", kind: "text", language: "JSONPath" },
    { key: "HeartbeatSeconds", label: "HeartbeatSeconds", kind: "number-or-expression" },
    { key: "HeartbeatSecondsPath", label: "HeartbeatSecondsPath", kind: "text", language: "JSONPath" },
    { key: "Credentials", label: "Credentials", kind: "json" },
    ...DATA_FIELDS,
  ],
  template: (language) =>
    language === "JSONata"
      ? { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "${FunctionArn}", Payload: "{% $states.input %}" }, End: true }
      : { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "${FunctionArn}", "Payload.$": "$" }, End: true },
};
