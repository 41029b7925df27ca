import { DATA_FIELDS, RESULT_FIELDS, type StateKind } from "../kind";

export const map: StateKind = {
  type: "Map",
  label: "Map",
  description: "Run steps for each item",
  color: "#db2777",
  icon: "M4 6h4v4H4zM4 14h4v4H4zM10 8h10M10 16h10M16 5l4 3-4 3M16 13l4 3-4 3",
  errorHandling: true,
  terminal: false,
  fields: [
    { key: "ItemsPath", label: "ItemsPath", kind: "text", language: "JSONPath", placeholder: "$.items" },
    { key: "Items", label: "Items", kind: "json", language: "JSONata" },
    { key: "ItemSelector", label: "ItemSelector", kind: "json" },
    { key: "MaxConcurrency", label: "MaxConcurrency", kind: "number-or-expression" },
    { key: "MaxConcurrencyPath", label: "MaxConcurrencyPath", kind: "text", language: "JSONPath" },
    { key: "ToleratedFailurePercentage", label: "ToleratedFailurePercentage", kind: "number-or-expression" },
    { key: "ToleratedFailureCount", label: "ToleratedFailureCount", kind: "number-or-expression" },
    { key: "ItemReader", label: "ItemReader", kind: "json" },
    { key: "ItemBatcher", label: "ItemBatcher", kind: "json" },
    { key: "ResultWriter", label: "ResultWriter", kind: "json" },
    { key: "Label", label: "Label", kind: "text" },
    ...RESULT_FIELDS,
    ...DATA_FIELDS,
  ],
  template: () => ({
    Type: "Map",
    ItemProcessor: {
      ProcessorConfig: { Mode: "INLINE" },
      StartAt: "Process item",
      States: { "Process item": { Type: "Pass", End: true } },
    },
    End: true,
  }),
};
