/** The selected state's visits: status, input, output, error and its events; a state run
 * many times (a loop, Map iterations) steps through its visits, the latest followed live. */
import { useState } from "react";

import type { StateVisit } from "../live/run-model";
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
      {visits.length === 0 ? <p className="run-empty">This state has not been reached.</p> : <Visits key={name} visits={visits} />}
    </aside>
  );
}

function Visits({ visits }: { visits: StateVisit[] }) {
  const store = useRun();
  // Event ids run 1, 2, 3...: the id finds the event without a search.
  const eventById = (id: number) => {
    const event = store.run.events[id - 1];
    return event?.id === id ? event : store.run.events.find((e) => e.id === id);
  };
  // null follows the latest visit as new ones arrive.
  const [chosen, setChosen] = useState<number | null>(null);
  const index = Math.min(chosen ?? visits.length - 1, visits.length - 1);
  const visit = visits[index];
  const firstFailed = visits.findIndex((v) => v.status === "failed");
  return (
    <>
      {visits.length > 1 && (
        <div className="run-visits">
          <button type="button" className="run-link" disabled={index === 0} onClick={() => setChosen(index - 1)} aria-label="Previous visit">
            ‹
          </button>
          <span>
            Visit {index + 1} of {visits.length}
          </span>
          <button type="button" className="run-link" disabled={index === visits.length - 1} onClick={() => setChosen(index + 1 === visits.length - 1 ? null : index + 1)} aria-label="Next visit">
            ›
          </button>
          {firstFailed >= 0 && firstFailed !== index && (
            <button type="button" className="run-link" onClick={() => setChosen(firstFailed)}>
              First failed
            </button>
          )}
          <span className={`run-badge run-badge-${visit.status}`}>{STATUS_LABEL[visit.status]}</span>
        </div>
      )}
      <p className="run-muted">
        Entered {formatTime(visit.enteredAt)}
        {visit.exitedAt != null && visit.enteredAt != null ? `, took ${formatDuration(visit.exitedAt - visit.enteredAt)}` : ""}
      </p>
      {visit.error && <JsonBlock title="Error" value={visit.cause ? `${visit.error}: ${visit.cause}` : visit.error} tone="error" />}
      <JsonBlock title="Input" value={visit.input} />
      <JsonBlock title="Output" value={visit.output} empty={visit.exitedAt === undefined ? "Not yet: the state has not exited." : "—"} />
      <section className="run-block" aria-label="State events">
        <h3>Events</h3>
        <ol className="run-visit-events">
          {visit.eventIds.map((id) => {
            const event = eventById(id);
            return (
              <li key={id}>
                <span className="run-muted">{id}</span> {event?.type} <span className="run-muted">{formatTime(event?.timestamp)}</span>
              </li>
            );
          })}
        </ol>
      </section>
    </>
  );
}
