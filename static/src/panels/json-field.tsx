/**
 * A JSON value editor for Parameters, Arguments, ResultSelector, Output, Assign...: the value's
 * text in document order; valid JSON is applied as raw text (never re-serialized), invalid
 * JSON shows the problem and changes nothing.
 */
import { useEffect, useRef, useState } from "react";

import { parseDocument } from "../asl/document";
import { toJsonText, type AslValue } from "../asl/value";

export function JsonField({ value, onChange, label }: { value: AslValue | undefined; onChange(raw: string | undefined): void; label: string }) {
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
          const parsed = parseDocument(text, "json");
          if (parsed.problems.length > 0) {
            const p = parsed.problems[0];
            setError(`${p.message} at line ${p.line}, column ${p.column}`);
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
