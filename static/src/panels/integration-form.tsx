/**
 * An AWS integration's parameters as a form, built from botocore's service model
 * (`/api/integrations/parameters/`): each parameter's name, type, whether it is required and its
 * documentation; an input per type (text, number, true/false, a choice of the API's values, JSON
 * checked as an object or array). Values go into Parameters (JSONPath; a `Name.$` path is edited
 * as a path) or Arguments (JSONata). The required and the set ones show first; the rest on demand.
 */
import { useEffect, useState } from "react";

import { integrationParameters, type ApiParameter, type IntegrationParameters } from "../api/integrations";
import type { NewValue, PatchOp } from "../asl/patch";
import { at, field, scalar, text, type AslValue, type Path } from "../asl/value";
import { Field, NumberInput, SelectInput, TextInput } from "./inputs";
import { JsonField, type JsonKind } from "./json-field";
import { parameterOps } from "./parameter-edit";

const NUMBERS = new Set(["integer", "long", "double", "float"]);
const JSON_KIND: Record<string, JsonKind> = { structure: "object", map: "object", list: "array" };

export function IntegrationForm({ resource, root, statePath, jsonata, apply }: { resource: string; root: AslValue | undefined; statePath: Path; jsonata: boolean; apply(ops: PatchOp[]): void }) {
  // The parameters of the Resource they were asked for: while another is typed, none show.
  const [loaded, setLoaded] = useState<{ resource: string; model: IntegrationParameters | null } | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  useEffect(() => {
    // The Resource changes as it is typed: ask once it rests.
    const timer = setTimeout(
      () => integrationParameters(resource).then((model) => setLoaded({ resource, model }), (e: Error) => setError(e.message)),
      250,
    );
    return () => clearTimeout(timer);
  }, [resource]);
  const model = loaded?.resource === resource ? loaded.model : undefined;
  if (error) return <p className="field-error">{error}</p>;
  if (model === undefined) return <p className="muted">Loading the API's parameters…</p>;
  if (model === null) return null;

  const container = jsonata ? "Arguments" : "Parameters";
  const params = at(root, [...statePath, container]);
  const isSet = (p: ApiParameter) => field(params, p.name) !== undefined || field(params, `${p.name}.$`) !== undefined;
  const first = model.parameters.filter((p) => p.required || isSet(p));
  const rest = model.parameters.filter((p) => !first.includes(p));
  const shown = all ? [...first, ...rest] : first;
  const set = (name: string, value: NewValue | undefined, dynamic = false) => apply(parameterOps(root, statePath, container, name, value, dynamic));
  return (
    <div className="integration-form" aria-label="API parameters" role="group">
      <p className="integration-doc">
        <strong>
          {model.service_name}: {model.operation}
        </strong>{" "}
        <span className="muted">{model.documentation}</span>
      </p>
      {shown.map((p) => (
        <ParameterField key={p.name} parameter={p} params={params} jsonata={jsonata} set={set} />
      ))}
      {rest.length > 0 && (
        <button type="button" className="link-button" onClick={() => setAll(!all)}>
          {all ? "Show only the required and set parameters" : `Show all ${model.parameters.length} parameters`}
        </button>
      )}
    </div>
  );
}

function ParameterField({ parameter: p, params, jsonata, set }: { parameter: ApiParameter; params: AslValue | undefined; jsonata: boolean; set(name: string, value: NewValue | undefined, dynamic?: boolean): void }) {
  const value = field(params, p.name);
  const path = jsonata ? undefined : text(field(params, `${p.name}.$`));
  const wrap = (v: unknown) => (v === undefined ? undefined : { value: v });
  const missing = p.required && value === undefined && path === undefined;
  const type = p.type === "list" && p.items ? `list of ${p.items}` : p.type;
  const label = `${p.name} · ${type}${p.required ? " · required" : ""}`;
  let input: React.ReactNode;
  if (path !== undefined) {
    input = <TextInput label={`${p.name}.$`} value={path} placeholder="$.field" onChange={(v) => set(p.name, wrap(v), true)} />;
  } else if (p.enum) {
    input = <SelectInput label={p.name} value={text(value)} options={p.enum} empty="(not set)" onChange={(v) => set(p.name, wrap(v))} />;
  } else if (NUMBERS.has(p.type)) {
    input = <NumberInput label={p.name} value={scalar(value)} allowExpression={jsonata} onChange={(v) => set(p.name, wrap(v))} />;
  } else if (p.type === "boolean") {
    const shown = scalar(value);
    input = <SelectInput label={p.name} value={shown === undefined ? undefined : String(shown)} options={["true", "false"]} empty="(not set)" onChange={(v) => set(p.name, v === undefined ? undefined : { value: v === "true" })} />;
  } else if (p.type === "string" || p.type === "timestamp") {
    input = <TextInput label={p.name} value={text(value)} onChange={(v) => set(p.name, wrap(v))} />;
  } else {
    input = <JsonField label={p.name} value={value} expect={JSON_KIND[p.type] ?? "any"} expression={jsonata} onChange={(raw) => set(p.name, raw === undefined ? undefined : { raw })} />;
  }
  return (
    <div className={`integration-param${missing ? " missing" : ""}`} data-parameter={p.name}>
      <Field label={label} help={p.documentation} wide={!!JSON_KIND[p.type] || p.type === "blob"}>
        {input}
      </Field>
      {missing && <span className="field-error">Required by the API: not set.</span>}
      {p.documentation && <p className="integration-param-doc">{firstSentence(p.documentation)}</p>}
    </div>
  );
}

function firstSentence(documentation: string): string {
  const end = documentation.indexOf(". ");
  return end > 0 && end < 200 ? documentation.slice(0, end + 1) : documentation.slice(0, 200) + (documentation.length > 200 ? "…" : "");
}
