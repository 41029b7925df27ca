/**
 * What a state type brings to the editor: its look (colour, icon), its inspector fields and its
 * template. One folder per type holds its spec (`states/<type>/spec.ts`); `registry.ts` lists them.
 */
export type QueryLanguage = "JSONPath" | "JSONata";

export type FieldKind =
  | "text"
  | "multiline"
  | "number"
  | "boolean"
  | "json"
  | "select"
  | "state"
  /** A number, or a JSONata expression string in JSONata states. */
  | "number-or-expression";

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  /** Shown only for states in this query language. */
  language?: QueryLanguage;
  options?: string[];
  help?: string;
  placeholder?: string;
}

export interface StateKind {
  type: string;
  label: string;
  description: string;
  /** Accent colour of the node. */
  color: string;
  /** An SVG path (24x24 viewBox) for the node's icon. */
  icon: string;
  fields: FieldSpec[];
  /** Has Retry/Catch editors. */
  errorHandling: boolean;
  /** Ends the scope by itself (no Next or End). */
  terminal: boolean;
  template(language: QueryLanguage): Record<string, unknown>;
}

/** Fields most non-terminal states share, by query language. */
export const DATA_FIELDS: FieldSpec[] = [
  { key: "InputPath", label: "InputPath", kind: "text", language: "JSONPath", placeholder: "$" },
  { key: "OutputPath", label: "OutputPath", kind: "text", language: "JSONPath", placeholder: "$" },
  { key: "Output", label: "Output", kind: "json", language: "JSONata", help: "JSONata: the state's output" },
  { key: "Assign", label: "Assign", kind: "json", help: "Variables to set" },
];

export const RESULT_FIELDS: FieldSpec[] = [
  { key: "ResultSelector", label: "ResultSelector", kind: "json", language: "JSONPath" },
  { key: "ResultPath", label: "ResultPath", kind: "text", language: "JSONPath", placeholder: "$" },
];
