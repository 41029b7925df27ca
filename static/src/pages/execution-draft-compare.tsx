/**
 * The draft beside a run: the workflow's draft as it is now, each state marked added or changed
 * since the definition the run recorded (graph/compare, by definition path), and the states the
 * draft no longer has listed by name (the run's own graph marks them). A run started "from here"
 * recorded its generated entry, so it compares against what actually ran.
 */
import { useEffect, useMemo, useState } from "react";

import { getDraftAt } from "../api/workflows";
import { parseDocument } from "../asl/document";
import { buildGraph } from "../graph/build";
import { compareStates, type StateDiff } from "../graph/compare";
import { CompareGraph, type DiffStatus } from "../panels/compare-graph";
import type { ExecutionWorkflow } from "./execution-data";
import { useRun } from "./execution-store";

export interface DraftDiff {
  diff: StateDiff;
  /** Marks on the draft's graph (added, changed). */
  draftMarks: Map<string, DiffStatus>;
  /** Marks on the run's graph (removed, changed). */
  runMarks: Map<string, DiffStatus>;
  draftGraph: ReturnType<typeof buildGraph>;
  revision: number;
}

/** The draft compared with `definition` (the run's), fetched when `on` turns true. */
export function useDraftDiff(workflow: ExecutionWorkflow | null, definition: string, on: boolean): { result: DraftDiff | null; error: string | null } {
  const [draft, setDraft] = useState<{ text: string; format: "json" | "yaml"; revision: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!on || !workflow) return;
    getDraftAt(workflow.links.draft).then(
      (loaded) => setDraft({ text: loaded.definition, format: loaded.format, revision: loaded.revision }),
      (e: Error) => setError(e.message),
    );
  }, [on, workflow]);
  const result = useMemo(() => {
    if (!draft) return null;
    const ran = parseDocument(definition).root;
    const now = parseDocument(draft.text, draft.format).root;
    const diff = compareStates(ran, now);
    const changed = diff.changed.map((id) => [id, "changed"] as const);
    return {
      diff,
      draftMarks: new Map<string, DiffStatus>([...diff.added.map((id) => [id, "added"] as const), ...changed]),
      runMarks: new Map<string, DiffStatus>([...diff.removed.map((id) => [id, "removed"] as const), ...changed]),
      draftGraph: buildGraph(now),
      revision: draft.revision,
    };
  }, [draft, definition]);
  return { result, error };
}

export function DraftCompare({ result, error, pageUrl }: { result: DraftDiff | null; error: string | null; pageUrl: string }) {
  const store = useRun();
  if (error) return <aside className="run-card run-side run-draft" aria-label="Draft now"><p className="run-error">{error}</p></aside>;
  if (!result) return <aside className="run-card run-side run-draft" aria-label="Draft now"><p className="run-empty">Loading the draft…</p></aside>;
  const { diff } = result;
  const nameOf = (id: string) => store.graph.states.find((state) => state.id === id)?.name ?? id;
  const same = diff.added.length + diff.changed.length + diff.removed.length === 0;
  return (
    <aside className="run-card run-side run-draft" aria-label="Draft now">
      <div className="run-card-head">
        <h2>
          Draft now <span className="run-muted">revision {result.revision}</span>
        </h2>
        <a className="run-link" href={pageUrl}>
          Open in the editor
        </a>
      </div>
      <p className="run-draft-summary" aria-label="Changes since this run">
        {same ? (
          "No state changed since this run."
        ) : (
          <>
            Since this run: <span className="legend changed">{diff.changed.length} changed</span> <span className="legend added">{diff.added.length} added</span>{" "}
            <span className="legend removed">{diff.removed.length} removed</span>
          </>
        )}
      </p>
      {diff.removed.length > 0 && (
        <p className="run-muted" data-removed>
          Not in the draft any more: {diff.removed.map(nameOf).join(", ")}
        </p>
      )}
      <div className="run-draft-graph">
        <CompareGraph title="Draft" graph={result.draftGraph} statuses={result.draftMarks} picked={null} onPick={() => undefined} />
      </div>
    </aside>
  );
}
