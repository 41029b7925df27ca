/**
 * Compare two texts side by side: both graphs (states removed and changed marked on the "before"
 * side, added and changed on the "after" side) with the ASL diff beside them; picking a state on
 * either graph narrows the diff to that state. What can be compared comes from the caller as
 * sources: a workflow's versions and draft in the editor (version-sources.ts), or a target's
 * deployed definition, the published one and the draft on the deploy page.
 */
import { useEffect, useMemo, useState } from "react";

import { parseDocument, type Format } from "../asl/document";
import { at, toJsonText } from "../asl/value";
import { buildGraph } from "../graph/build";
import { compareStates } from "../graph/compare";
import { CompareGraph, type DiffStatus } from "./compare-graph";
import { TextDiff } from "./text-diff";
import "./compare.css";

export interface Loaded {
  text: string;
  format?: Format;
}

/** One thing to compare: its text now (`text`), or fetched once when first shown (`load`). */
export interface Source {
  key: string;
  label: string;
  text?: string;
  format?: Format;
  load?(): Promise<Loaded>;
}

export function CompareView({ sources, initial, onClose }: { sources: Source[]; initial: { before: string; after: string }; onClose(): void }) {
  const [before, setBefore] = useState(initial.before);
  const [after, setAfter] = useState(initial.after);
  const [texts, setTexts] = useState<Record<string, Loaded>>({});
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const byKey = useMemo(() => new Map(sources.map((s) => [s.key, s])), [sources]);

  useEffect(() => {
    for (const key of [before, after]) {
      const source = byKey.get(key);
      if (!source?.load || source.text !== undefined || texts[key] !== undefined) continue;
      source.load().then(
        (loaded) => setTexts((known) => ({ ...known, [key]: loaded })),
        (e: Error) => setError(e.message),
      );
    }
  }, [before, after, byKey, texts]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const load = (key: string): Loaded | undefined => {
    const source = byKey.get(key);
    return source?.text !== undefined ? { text: source.text, format: source.format } : texts[key];
  };
  const sideLabel = (key: string) => byKey.get(key)?.label ?? key;
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

  return (
    <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-labelledby="compare-title">
      <div className="dialog compare-view">
        <header className="compare-head">
          <h2 id="compare-title">Compare</h2>
          <label>
            Before{" "}
            <select aria-label="Before" value={before} onChange={(e) => (setBefore(e.target.value), setPicked(null))}>
              {sources.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            After{" "}
            <select aria-label="After" value={after} onChange={(e) => (setAfter(e.target.value), setPicked(null))}>
              {sources.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
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
