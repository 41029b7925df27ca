/**
 * A JSON value editor for Parameters, Arguments, ResultSelector, Output, Assign...: the value's
 * text in document order; valid JSON is applied as raw text (never re-serialized), invalid
 * JSON (or JSON of another kind than `expect`) shows the problem and changes nothing.
 */
import { useEffect, useRef, useState } from "react";

import { parseJson } from "../asl/json-document";
import { toJsonText, type AslValue } from "../asl/value";

/** What a field takes: any JSON, an object, or an array (a JSONata `{% %}` string too when `expression`). */
export type JsonKind = "any" | "object" | "array";

export function JsonField({ value, onChange, label, expect = "any", expression = false }: { value: AslValue | undefined; onChange(raw: string | undefined): void; label: string; expect?: JsonKind; expression?: boolean }) {
  const shown = value ? toJsonText(value) : "";
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    // While the author types here, their text stays as typed; it refreshes when they leave.
    if (document.activeElement === area.current) return;
    setDraft(shown);
    setError(null);
  }, [shown]);
  return (
    <div className="json-field">
      <textarea
        ref={area}
        aria-label={label}
        onBlur={() => !error && setDraft(shown)}
        spellCheck={false}
        rows={Math.min(12, Math.max(2, draft.split("\n").length))}
        value={draft}
        placeholder="(not set)"
        onChange={(event) => {
          const text = event.target.value;
          setDraft(text);
          if (text.trim() === "") {
            setError(null);
            onChange(undefined);
            return;
          }
          // Any JSON value: parseDocument would also demand an object (a definition's rule).
          const parsed = parseJson(text);
          if (parsed.problems.length > 0) {
            const p = parsed.problems[0];
            setError(`${p.message} at line ${p.line}, column ${p.column}`);
            return;
          }
          const root = parsed.root;
          const isExpression = expression && root?.kind === "scalar" && typeof root.value === "string" && root.value.trim().startsWith("{%");
          if (expect !== "any" && root?.kind !== expect && !isExpression) {
            setError(`Expected a JSON ${expect}${expression ? " or a {% JSONata %} string" : ""}, not ${describe(root)}`);
            return;
          }
          setError(null);
          onChange(text);
        }}
      />
      {error && <div className="field-error">{error}</div>}
    </div>
  );
}

function describe(value: AslValue | undefined): string {
  if (value?.kind === "object") return "an object";
  if (value?.kind === "array") return "an array";
  const scalar = value?.value;
  return scalar === null ? "null" : `a ${typeof scalar}`;
}
