/** Small typed inputs for the inspector: text (applied as typed), number, select, state picker. */
import { useEffect, useRef, useState } from "react";

export function TextInput({ value, onChange, label, placeholder, multiline }: { value: string | undefined; onChange(value: string | undefined): void; label: string; placeholder?: string; multiline?: boolean }) {
  const [draft, setDraft] = useState(value ?? "");
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useEffect(() => {
    if (document.activeElement !== ref.current) setDraft(value ?? "");
  }, [value]);
  const props = {
    ref,
    "aria-label": label,
    value: draft,
    placeholder,
    spellCheck: false,
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      setDraft(event.target.value);
      onChange(event.target.value === "" ? undefined : event.target.value);
    },
    onBlur: () => setDraft(value ?? ""),
  };
  return multiline ? <textarea rows={3} {...props} /> : <input type="text" {...props} />;
}

/** A number; in JSONata states also a "{% expression %}" string. */
export function NumberInput({ value, onChange, label, allowExpression }: { value: unknown; onChange(value: number | string | undefined): void; label: string; allowExpression?: boolean }) {
  const shown = value === undefined ? "" : String(value);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (document.activeElement !== ref.current) setDraft(shown);
  }, [shown]);
  return (
    <>
      <input
        ref={ref}
        type="text"
        inputMode="numeric"
        aria-label={label}
        value={draft}
        onChange={(event) => {
          const text = event.target.value.trim();
          setDraft(event.target.value);
          if (text === "") {
            setError(null);
            return onChange(undefined);
          }
          if (allowExpression && text.startsWith("{%")) {
            setError(null);
            return onChange(text);
          }
          const number = Number(text);
          if (!Number.isFinite(number)) return setError(allowExpression ? "A number or a {% JSONata %} expression" : "A number");
          setError(null);
          onChange(number);
        }}
        onBlur={() => {
          setDraft(shown);
          setError(null);
        }}
      />
      {error && <div className="field-error">{error}</div>}
    </>
  );
}

export function SelectInput({ value, options, onChange, label, empty }: { value: string | undefined; options: string[]; onChange(value: string | undefined): void; label: string; empty?: string }) {
  const known = value === undefined || options.includes(value);
  return (
    <select aria-label={label} value={value ?? ""} onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)}>
      {empty !== undefined && <option value="">{empty}</option>}
      {!known && <option value={value}>{value} (missing)</option>}
      {options.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </select>
  );
}

export function Field({ label, help, children, wide }: { label: string; help?: string; children: React.ReactNode; wide?: boolean }) {
  return (
    <label className={`field${wide ? " field-wide" : ""}`} data-field={label}>
      <span className="field-label" title={help}>
        {label}
      </span>
      {children}
    </label>
  );
}
