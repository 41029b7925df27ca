/**
 * The Run dialog: JSON input checked as typed, the workflow's saved test inputs, an optional
 * execution name, the draft or a version, and (for publishers) the deploy target whose AWS the
 * run's Task integrations call. Starting opens the new execution's live view.
 * Used by the editor's toolbar and versions panel, the version page and "Run again" on an execution.
 */
import "./run-dialog.css";

import { useEffect, useId, useRef, useState } from "react";

import { ApiError } from "../api/client";
import { deleteTestInput, listTestInputs, saveTestInput, startRun, type RunnableWorkflow, type TestInput } from "../api/runs";
import { listVersions, type VersionSummary } from "../api/workflows";
import { inputProblem, nameProblem } from "./run-input";

export type RunTarget = number | "draft";

export interface RunDialogProps {
  workflow: RunnableWorkflow;
  initialTarget?: RunTarget;
  /** Without it the dialog offers the saved input changed last, if any (else `{}`). */
  initialInput?: string;
  /** Make the draft the server runs the one on screen (the editor saves first). */
  prepareDraft?(): Promise<void>;
  onClose(): void;
  /** Where to go once started; the default opens the execution's page. */
  onStarted?(page: string): void;
  /** Run from here: the draft from this state, these variables assigned first; `within`: the JSON
   * path of the Parallel branch or Map processor holding it, and `scope` says what then runs. */
  from?: { state: string; variables: Record<string, unknown>; within?: (string | number)[]; scope?: string };
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function RunDialog({ workflow, initialTarget = "draft", initialInput, prepareDraft, onClose, onStarted, from }: RunDialogProps) {
  const ids = useId();
  const [input, setInput] = useState(() => pretty(initialInput ?? "{}"));
  const [name, setName] = useState("");
  const [target, setTarget] = useState<RunTarget>(initialTarget);
  const [awsTarget, setAwsTarget] = useState("");
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [saved, setSaved] = useState<TestInput[]>([]);
  const [chosen, setChosen] = useState<TestInput | null>(null);
  const [saveName, setSaveName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  // Cleared by the first keystroke: what someone typed is never replaced by a saved input.
  const offerSaved = useRef(initialInput === undefined && !from);

  useEffect(() => {
    listVersions(workflow).then(setVersions, () => setVersions([]));
    listTestInputs(workflow).then(
      (rows) => {
        setSaved(rows);
        const latest = rows.reduce<TestInput | null>((last, t) => (last && last.updated_at >= t.updated_at ? last : t), null);
        if (latest && offerSaved.current) {
          setChosen(latest);
          setInput(pretty(latest.input));
          setSaveName(latest.name);
        }
      },
      () => setSaved([]),
    );
    area.current?.focus();
  }, [workflow]);
  useEffect(() => {
    const escape = (event: KeyboardEvent) => event.key === "Escape" && !busy && onClose();
    window.addEventListener("keydown", escape);
    return () => window.removeEventListener("keydown", escape);
  }, [busy, onClose]);

  const inputError = inputProblem(input);
  const variableCount = from ? Object.keys(from.variables).length : 0;
  const nameError = nameProblem(name);
  const fieldError = (field: string) => (error?.field === field ? error.message : null);

  const start = async () => {
    if (inputError || nameError) return;
    setBusy(true);
    setError(null);
    try {
      if (target === "draft") await prepareDraft?.();
      const start = from ? { start_at: from.state, variables: from.variables, ...(from.within ? { within: from.within } : {}) } : {};
      const run = await startRun(workflow, { input, name, version: from || target === "draft" ? null : target, target: awsTarget, ...start });
      (onStarted ?? ((page: string) => window.location.assign(page)))(run.links.page);
    } catch (e) {
      setError(explain(e));
      setBusy(false);
    }
  };

  const keep = async () => {
    const label = saveName.trim();
    if (!label || inputError) return;
    setError(null);
    try {
      const existing = saved.find((t) => t.name === label);
      const kept = await saveTestInput(workflow, label, input, existing);
      setSaved((current) => [...current.filter((t) => t.id !== kept.id), kept].sort((a, b) => a.name.localeCompare(b.name)));
      setChosen(kept);
      setNote(existing ? `Updated “${label}”.` : `Saved as “${label}”.`);
    } catch (e) {
      setError(explain(e));
    }
  };

  const forget = async () => {
    if (!chosen) return;
    try {
      await deleteTestInput(workflow, chosen);
      setSaved((current) => current.filter((t) => t.id !== chosen.id));
      setNote(`Deleted “${chosen.name}”.`);
      setChosen(null);
    } catch (e) {
      setError(explain(e));
    }
  };

  return (
    <div className="run-dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && !busy && onClose()}>
      <form
        className="run-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${ids}-title`}
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <h2 id={`${ids}-title`}>{from ? `Run ${workflow.name} from ${from.state}` : `Run ${workflow.name}`}</h2>
        {from && (
          <p className="run-dialog-from">
            The draft as it is now, starting at <strong>{from.state}</strong> with the input that step had
            {variableCount === 1 ? " and the variable it saw" : variableCount > 1 ? ` and the ${variableCount} variables it saw` : ""}; the states before it do not
            run.
            {from.scope && <span className="run-dialog-scope"> {from.scope}</span>}
          </p>
        )}
        {!from && (
          <div className="run-dialog-row">
            <label htmlFor={`${ids}-target`}>Definition</label>
            <select id={`${ids}-target`} value={String(target)} onChange={(e) => setTarget(e.target.value === "draft" ? "draft" : Number(e.target.value))}>
              <option value="draft">The draft{prepareDraft ? " (as on screen)" : ""}</option>
              {versions.map((v) => (
                <option key={v.number} value={v.number}>
                  Version {v.number}
                  {v.message ? ` — ${v.message}` : ""}
                </option>
              ))}
              {typeof target === "number" && !versions.some((v) => v.number === target) && <option value={target}>Version {target}</option>}
            </select>
          </div>
        )}
        {(workflow.aws_targets?.length ?? 0) > 0 && (
          <div className="run-dialog-row">
            <label htmlFor={`${ids}-aws`}>AWS calls go to</label>
            <select id={`${ids}-aws`} value={awsTarget} onChange={(e) => setAwsTarget(e.target.value)}>
              <option value="">The local AWS</option>
              {workflow.aws_targets?.map((t) => (
                <option key={t} value={t}>
                  Target {t} (its AWS, its credentials)
                </option>
              ))}
            </select>
          </div>
        )}
        {fieldError("target") && <div className="run-dialog-error">{fieldError("target")}</div>}
        <div className="run-dialog-row">
          <label htmlFor={`${ids}-saved`}>Saved inputs</label>
          <div className="run-dialog-inline">
            <select
              id={`${ids}-saved`}
              value={chosen ? String(chosen.id) : ""}
              onChange={(e) => {
                const picked = saved.find((t) => String(t.id) === e.target.value) ?? null;
                setChosen(picked);
                setNote(null);
                if (picked) {
                  setInput(pretty(picked.input));
                  setSaveName(picked.name);
                }
              }}
            >
              <option value="">{saved.length ? "Choose a saved input…" : "None yet"}</option>
              {saved.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            {chosen && (
              <button type="button" className="btn btn-sm btn-danger-ghost" onClick={() => void forget()}>
                Delete
              </button>
            )}
          </div>
        </div>
        <div className="run-dialog-field">
          <label htmlFor={`${ids}-input`}>Input (JSON)</label>
          <textarea
            id={`${ids}-input`}
            ref={area}
            className={inputError ? "invalid" : ""}
            spellCheck={false}
            rows={Math.min(16, Math.max(6, input.split("\n").length + 1))}
            value={input}
            aria-invalid={inputError !== null}
            aria-describedby={`${ids}-input-check`}
            onChange={(e) => {
              offerSaved.current = false;
              setInput(e.target.value);
              setNote(null);
            }}
          />
          <div id={`${ids}-input-check`} className={inputError || fieldError("input") ? "run-dialog-error" : "run-dialog-ok"} role="status">
            {inputError ?? fieldError("input") ?? "Valid JSON"}
          </div>
          <div className="run-dialog-inline">
            <input type="text" aria-label="Name for this input" placeholder="Name to save this input as" value={saveName} maxLength={80} onChange={(e) => setSaveName(e.target.value)} />
            <button type="button" className="btn btn-sm" disabled={!saveName.trim() || inputError !== null} onClick={() => void keep()}>
              {saved.some((t) => t.name === saveName.trim()) ? "Update saved input" : "Save input"}
            </button>
            {note && <span className="run-dialog-note">{note}</span>}
          </div>
        </div>
        <div className="run-dialog-field">
          <label htmlFor={`${ids}-name`}>Execution name (optional)</label>
          <input
            id={`${ids}-name`}
            type="text"
            placeholder="A generated id"
            value={name}
            maxLength={200}
            aria-invalid={nameError !== null}
            onChange={(e) => setName(e.target.value)}
          />
          {(nameError ?? fieldError("name")) && <div className="run-dialog-error">{nameError ?? fieldError("name")}</div>}
        </div>
        {error && !["input", "name", "target"].includes(error.field ?? "") && (
          <div className="run-dialog-error run-dialog-failure" role="alert">
            {error.message}
          </div>
        )}
        <div className="run-dialog-actions">
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary run-dialog-start" disabled={busy || inputError !== null || nameError !== null}>
            {busy ? "Starting…" : "Start execution"}
          </button>
        </div>
      </form>
    </div>
  );
}

function explain(error: unknown): { field: string | null; message: string } {
  if (error instanceof ApiError) {
    const entries = (error.body as { errors?: { field?: string | null; message: string }[] } | null)?.errors ?? [];
    return { field: entries[0]?.field ?? null, message: error.message };
  }
  return { field: null, message: error instanceof Error ? error.message : String(error) };
}
