/** Retry and Catch editors: one row per retrier / catcher, each field a small patch. */
import type { PatchOp } from "../asl/patch";
import { field, isArray, scalar, text, type AslValue, type Path } from "../asl/value";
import { Field, NumberInput, SelectInput, TextInput } from "./inputs";
import { JsonField } from "./json-field";

type Apply = (ops: PatchOp[], coalesce?: string) => void;

function errorsText(value: AslValue | undefined): string {
  return isArray(value) ? value.items.map((item) => text(item) ?? "").join(", ") : "";
}

function errorsOps(path: Path, value: string | undefined): PatchOp[] {
  const errors = (value ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  return [{ op: "set", path: [...path, "ErrorEquals"], value: errors.length ? errors : ["States.ALL"] }];
}

const numberOps = (path: Path, key: string, value: number | string | undefined): PatchOp[] =>
  value === undefined ? [{ op: "remove", path: [...path, key] }] : [{ op: "set", path: [...path, key], value }];

export function RetryEditor({ state, statePath, apply }: { state: AslValue | undefined; statePath: Path; apply: Apply }) {
  const retry = field(state, "Retry");
  const items = isArray(retry) ? retry.items : [];
  const blank = '{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}';
  return (
    <section className="inspector-section">
      <h4>Retry</h4>
      {items.map((retrier, i) => {
        const path = [...statePath, "Retry", i];
        const key = (k: string) => `retry:${path.join("/")}:${k}`;
        return (
          <div key={i} className="list-card">
            <Field label="Errors">
              <TextInput label="Retry errors" value={errorsText(field(retrier, "ErrorEquals"))} onChange={(v) => apply(errorsOps(path, v), key("errors"))} />
            </Field>
            <div className="field-row">
              {(["IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds"] as const).map((k) => (
                <Field key={k} label={k.replace("Seconds", " s")}>
                  <NumberInput label={k} value={scalar(field(retrier, k))} onChange={(v) => apply(numberOps(path, k, v), key(k))} />
                </Field>
              ))}
            </div>
            <Field label="Jitter">
              <SelectInput label="JitterStrategy" value={text(field(retrier, "JitterStrategy"))} options={["FULL", "NONE"]} empty="(default)" onChange={(v) => apply(v ? [{ op: "set", path: [...path, "JitterStrategy"], value: v }] : [{ op: "remove", path: [...path, "JitterStrategy"] }])} />
            </Field>
            <button type="button" className="link-button" onClick={() => apply(items.length === 1 ? [{ op: "remove", path: [...statePath, "Retry"] }] : [{ op: "remove", path }])}>
              Remove retrier
            </button>
          </div>
        );
      })}
      <button type="button" className="small-button" onClick={() => apply(isArray(retry) ? [{ op: "push", path: [...statePath, "Retry"], raw: blank }] : [{ op: "set", path: [...statePath, "Retry"], raw: `[${blank}]` }])}>
        + retrier
      </button>
    </section>
  );
}

export function CatchEditor({ state, statePath, names, apply, jsonata }: { state: AslValue | undefined; statePath: Path; names: string[]; apply: Apply; jsonata: boolean }) {
  const catchers = field(state, "Catch");
  const items = isArray(catchers) ? catchers.items : [];
  const blank = `{"ErrorEquals": ["States.ALL"], "Next": ${JSON.stringify(names[0] ?? "")}}`;
  return (
    <section className="inspector-section">
      <h4>Catch</h4>
      {items.map((catcher, i) => {
        const path = [...statePath, "Catch", i];
        return (
          <div key={i} className="list-card">
            <Field label="Errors">
              <TextInput label="Catch errors" value={errorsText(field(catcher, "ErrorEquals"))} onChange={(v) => apply(errorsOps(path, v), `catch:${path.join("/")}`)} />
            </Field>
            <Field label="Go to">
              <SelectInput label="Catch Next" value={text(field(catcher, "Next"))} options={names} onChange={(v) => v && apply([{ op: "set", path: [...path, "Next"], value: v }])} />
            </Field>
            {!jsonata && (
              <Field label="ResultPath">
                <TextInput label="Catch ResultPath" value={text(field(catcher, "ResultPath"))} placeholder="$.error" onChange={(v) => apply(v === undefined ? [{ op: "remove", path: [...path, "ResultPath"] }] : [{ op: "set", path: [...path, "ResultPath"], value: v }], `catch-rp:${path.join("/")}`)} />
              </Field>
            )}
            {jsonata && (
              <Field label="Output" wide>
                <JsonField label="Catch Output" value={field(catcher, "Output")} onChange={(raw) => apply(raw === undefined ? [{ op: "remove", path: [...path, "Output"] }] : [{ op: "set", path: [...path, "Output"], raw }])} />
              </Field>
            )}
            <button type="button" className="link-button" onClick={() => apply(items.length === 1 ? [{ op: "remove", path: [...statePath, "Catch"] }] : [{ op: "remove", path }])}>
              Remove catcher
            </button>
          </div>
        );
      })}
      <button type="button" className="small-button" disabled={names.length === 0} onClick={() => apply(isArray(catchers) ? [{ op: "push", path: [...statePath, "Catch"], raw: blank }] : [{ op: "set", path: [...statePath, "Catch"], raw: `[${blank}]` }])}>
        + catcher
      </button>
    </section>
  );
}
