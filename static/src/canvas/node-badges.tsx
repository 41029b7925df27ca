/** Marks on a node: diagnostics count, Retry, Catch, and the compare status. */
import { useEditor } from "../store";

export function NodeBadges({ id, hasRetry, hasCatch }: { id: string; hasRetry: boolean; hasCatch: boolean }) {
  // Numbers, not the counts array: every validation makes new arrays, and only a changed count
  // should re-render a badge (of hundreds).
  const errors = useEditor((s) => s.diagnosticCounts[id]?.[0] ?? 0);
  const warnings = useEditor((s) => s.diagnosticCounts[id]?.[1] ?? 0);
  return (
    <div className="node-badges">
      {hasRetry && <span className="badge badge-retry" title="Retries on error">↻</span>}
      {hasCatch && <span className="badge badge-catch" title="Catches errors">⚑</span>}
      {errors > 0 && <span className="badge badge-error" title={`${errors} error(s)`}>{errors}</span>}
      {warnings > 0 && <span className="badge badge-warning" title={`${warnings} warning(s)`}>{warnings}</span>}
    </div>
  );
}

export function useCompareClass(id: string): string {
  const status = useEditor((s) => s.compare?.statuses[id]);
  return status ? ` compare-${status}` : "";
}
