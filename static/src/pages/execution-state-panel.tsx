/** The selected state's visits: status, input, output, error and its events. */
import { useRun } from "./execution-store";
import { JsonBlock } from "./execution-json";
import { STATUS_LABEL } from "./execution-run-node";
import { formatDuration, formatTime } from "./execution-format";

export function StatePanel() {
  const store = useRun();
  const name = store.selected;
  if (!name) {
    return (
      <aside className="run-card run-side" aria-label="State">
        <h2>State details</h2>
        <p className="run-empty">Click a state on the graph to see its input, output and events.</p>
        <ul className="run-legend">
          {(["running", "succeeded", "caught", "failed", "aborted", "not-reached"] as const).map((status) => (
            <li key={status}>
              <span className={`run-pip run-pip-${status}`} /> {STATUS_LABEL[status]}
            </li>
          ))}
        </ul>
      </aside>
    );
  }
  const visits = store.run.byName.get(name) ?? [];
  const latest = visits[visits.length - 1];
  const status = store.statuses.get(name) ?? "not-reached";
  return (
    <aside className="run-card run-side" aria-label="State">
      <div className="run-card-head">
        <h2 className="run-state-title" title={name}>
          {name}
        </h2>
        <span className={`run-badge run-badge-${status}`}>{STATUS_LABEL[status]}</span>
        <button type="button" className="run-link" onClick={() => store.select(null)} aria-label="Close">
          ✕
        </button>
      </div>
      {!latest ? (
        <p className="run-empty">This state has not been reached.</p>
      ) : (
        <>
          <p className="run-muted">
            {visits.length > 1 ? `Visit ${visits.length} of ${visits.length}, ` : ""}
            entered {formatTime(latest.enteredAt)}
            {latest.exitedAt != null && latest.enteredAt != null ? `, took ${formatDuration(latest.exitedAt - latest.enteredAt)}` : ""}
          </p>
          {latest.error && <JsonBlock title="Error" value={latest.cause ? `${latest.error}: ${latest.cause}` : latest.error} tone="error" />}
          <JsonBlock title="Input" value={latest.input} />
          <JsonBlock title="Output" value={latest.output} empty={latest.exitedAt === undefined ? "Not yet: the state has not exited." : "—"} />
          <p className="run-muted">Events {latest.eventIds.join(", ")}</p>
        </>
      )}
    </aside>
  );
}
