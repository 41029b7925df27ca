/** Converting a definition between JSON and YAML for export, keeping key order (never via JS objects). */
import { parseDocument as parseYamlDocument, Scalar, visit } from "yaml";

import type { AslDocument } from "./document";
import { toJsonText } from "./value";

export function toYamlText(doc: AslDocument): string {
  if (doc.format === "yaml") return doc.text;
  // JSON is YAML: the yaml parser keeps the key order; switch the styles to block and plain.
  const yaml = parseYamlDocument(doc.text);
  visit(yaml, {
    Map: (_, map) => void (map.flow = false),
    Seq: (_, seq) => void (seq.flow = false),
    Scalar: (_, s: Scalar) => {
      if (s.type === Scalar.QUOTE_DOUBLE) s.type = undefined;
    },
  });
  return yaml.toString({ lineWidth: 0 });
}

export function toJsonTextOf(doc: AslDocument): string {
  if (doc.format === "json" || !doc.root) return doc.text;
  return toJsonText(doc.root) + "\n";
}
