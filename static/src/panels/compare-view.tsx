/**
 * Compare two versions, or the draft with a version: both graphs side by side (states removed
 * and changed marked on the older, added and changed on the newer) with the ASL diff beside
 * them; picking a state on either graph narrows the diff to that state.
 */
import { useEffect, useMemo, useState } from "react";

import { getVersion, listVersions, type VersionSummary } from "../api/workflows";
import { parseDocument, type Format } from "../asl/document";
import { at, toJsonText } from "../asl/value";
import { buildGraph } from "../graph/build";
import { compareStates } from "../graph/compare";
import { useEditor } from "../store";
import { CompareGraph, type DiffStatus } from "./compare-graph";
import { TextDiff } from "./text-diff";
import "./compare.css";

/** A side of the comparison: the draft or a version number. */
export type Side = "draft" | number;

interface Loaded {
  text: string;
  format?: Format;
}

const sideLabel = (side: Side) => (side === "draft" ? "Draft" : `v${side}`);

export function CompareView({ initial, onClose }: { initial: { before: Side; after: Side }; onClose(): void }) {
  const workflow = useEditor((s) => s.workflow);
  const draft = useEditor((s) => s.text);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [before, setBefore] = useState<Side>(initial.before);
  const [after, setAfter] = useState<Side>(initial.after);
  const [texts, setTexts] = useState<Record<string, Loaded>>({});
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);

  useEffect(() => {
    if (workflow) listVersions(workflow).then(setVersions, (e: Error) => setError(e.message));
  }, [workflow]);
  useEffect(() => {
    for (const side of [before, after]) {
      if (side === "draft" || !workflow || texts[side] !== undefined) continue;
      getVersion(workflow, side).then(
        (version) => setTexts((known) => ({ ...known, [side]: { text: version.definition, format: version.format } })),
        (e: Error) => setError(e.message),
      );
    }
  }, [before, after, workflow, texts]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const load = (side: Side): Loaded | undefined => (side === "draft" ? { text: draft } : texts[side]);
  const left = load(before);
  const right = load(after);
  const result = useMemo(() => {
    if (!left || !right) return null;
    const old = parseDocument(left.text, left.format).root;
    const now = parseDocument(right.text, right.format).root;
    const diff = compareStates(old, now);
    const oldMarks = new Map<string, DiffStatus>([...diff.removed.map((id) => [id, "removed"] as const), ...diff.changed.map((id) => [id, "changed"] as const)]);
    const newMarks = new Map<string, DiffStatus>([...diff.added.map((id) => [id, "added"] as const), ...diff.changed.map((id) => [id, "changed"] as const)]);
    return { old, now, diff, oldGraph: buildGraph(old), newGraph: buildGraph(now), oldMarks, newMarks };
  }, [left, right]);

  // A picked state: its own text on each side (absent on one side when added or removed).
  const stateText = (root: unknown, id: string) => {
    const state = [...(result?.oldGraph.states ?? []), ...(result?.newGraph.states ?? [])].find((s) => s.id === id);
    const value = state && at(root as Parameters<typeof at>[0], state.path);
    return value ? toJsonText(value) + "\n" : "";
  };
  const pickedName = picked && [...(result?.newGraph.states ?? []), ...(result?.oldGraph.states ?? [])].find((s) => s.id === picked)?.name;
  const options = [...versions].sort((a, b) => a.number - b.number);

  return (
    <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-labelledby="compare-title">
      <div className="dialog compare-view">
        <header className="compare-head">
          <h2 id="compare-title">Compare</h2>
          <label>
            Before{" "}
            <select aria-label="Before" value={String(before)} onChange={(e) => (setBefore(e.target.value === "draft" ? "draft" : Number(e.target.value)), setPicked(null))}>
              {options.map((v) => (
                <option key={v.number} value={v.number}>
                  v{v.number}
                  {v.message ? ` — ${v.message}` : ""}
                </option>
              ))}
              <option value="draft">Draft</option>
            </select>
          </label>
          <label>
            After{" "}
            <select aria-label="After" value={String(after)} onChange={(e) => (setAfter(e.target.value === "draft" ? "draft" : Number(e.target.value)), setPicked(null))}>
              <option value="draft">Draft</option>
              {options.map((v) => (
                <option key={v.number} value={v.number}>
                  v{v.number}
                  {v.message ? ` — ${v.message}` : ""}
                </option>
              ))}
            </select>
          </label>
          {result && (
            <div className="compare-legend" aria-label="Summary">
              <span className="legend added">{result.diff.added.length} added</span>
              <span className="legend changed">{result.diff.changed.length} changed</span>
              <span className="legend removed">{result.diff.removed.length} removed</span>
            </div>
          )}
          <button type="button" className="small-button compare-close" onClick={onClose}>
            Close
          </button>
        </header>
        {error && <div className="field-error">{error}</div>}
        {!result ? (
          <p className="muted">Loading…</p>
        ) : (
          <div className="compare-body">
            <CompareGraph title={sideLabel(before)} graph={result.oldGraph} statuses={result.oldMarks} picked={picked} onPick={setPicked} />
            <CompareGraph title={sideLabel(after)} graph={result.newGraph} statuses={result.newMarks} picked={picked} onPick={setPicked} />
            <section className="compare-text" aria-label="Definition diff">
              <h3>
                {pickedName ? `“${pickedName}”` : "Definition"}
                {pickedName && (
                  <button type="button" className="link-button" onClick={() => setPicked(null)}>
                    Whole definition
                  </button>
                )}
              </h3>
              {picked ? (
                <TextDiff before={stateText(result.old, picked)} after={stateText(result.now, picked)} beforeLabel={sideLabel(before)} afterLabel={sideLabel(after)} />
              ) : (
                <TextDiff before={left!.text} after={right!.text} beforeLabel={sideLabel(before)} afterLabel={sideLabel(after)} />
              )}
            </section>
          </div>
        )}
      </div>
    </div>
  );
}
