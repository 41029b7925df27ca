/** Marks on a node: diagnostics count, Retry, Catch, and the compare status. */
import { useEditor } from "../store";

export function NodeBadges({ id, hasRetry, hasCatch }: { id: string; hasRetry: boolean; hasCatch: boolean }) {
  const counts = useEditor((s) => s.diagnosticCounts[id]);
  const [errors, warnings] = counts ?? [0, 0];
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
