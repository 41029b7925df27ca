/**
 * The function a `lambda:invoke` Task calls: local functions (`/api/functions/`) and, for
 * publishers, each target's Lambda functions (listed through the target's client). Picking one
 * sets FunctionName in Parameters (JSONPath) or Arguments (JSONata).
 */
import { useEffect, useState } from "react";

import { functionChoices, type FunctionChoice } from "../api/integrations";
import type { PatchOp } from "../asl/patch";
import { at, field, text, type AslValue, type Path } from "../asl/value";
import { Field } from "./inputs";
import { parameterOps } from "./parameter-edit";

export function FunctionPicker({ root, statePath, jsonata, apply }: { root: AslValue | undefined; statePath: Path; jsonata: boolean; apply(ops: PatchOp[]): void }) {
  const [loaded, setLoaded] = useState<{ choices: FunctionChoice[]; problems: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    functionChoices().then(setLoaded, (e: Error) => setError(e.message));
  }, []);
  const container = jsonata ? "Arguments" : "Parameters";
  const params = at(root, [...statePath, container]);
  const current = text(field(params, "FunctionName"));
  const fromInput = text(field(params, "FunctionName.$"));
  const groups = new Map<string, FunctionChoice[]>();
  for (const choice of loaded?.choices ?? []) groups.set(choice.group, [...(groups.get(choice.group) ?? []), choice]);
  const known = current === undefined || (loaded?.choices ?? []).some((c) => c.value === current);
  return (
    <Field label="Function" help="The Lambda function this Task invokes (FunctionName)">
      <select
        aria-label="Function"
        value={current ?? ""}
        onChange={(e) => apply(parameterOps(root, statePath, container, "FunctionName", e.target.value ? { value: e.target.value } : undefined))}
      >
        <option value="">{fromInput ? `From the input: ${fromInput}` : loaded ? "(choose a function)" : "Loading functions…"}</option>
        {!known && <option value={current}>{current} (not found)</option>}
        {[...groups].map(([group, choices]) => (
          <optgroup key={group} label={group}>
            {choices.map((choice) => (
              <option key={choice.value} value={choice.value} title={choice.description || undefined}>
                {choice.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {loaded && loaded.choices.length === 0 && (
        <span className="muted">
          No functions yet: <a href="/executions/functions/">write one</a>.
        </span>
      )}
      {[...(loaded?.problems ?? []), ...(error ? [error] : [])].map((problem) => (
        <span key={problem} className="field-error">
          {problem}
        </span>
      ))}
    </Field>
  );
}
