/** The history as a table, live; the selected state's events are marked, and can be shown alone. */
import { useState } from "react";

import { EventRow } from "./execution-event-row";
import { useRun } from "./execution-store";

export function ExecutionEvents() {
  const store = useRun();
  const [onlySelected, setOnlySelected] = useState(false);
  const { events } = store.run;
  const visits = store.selected ? (store.run.byName.get(store.selected) ?? []) : [];
  const mine = new Set(visits.flatMap((v) => v.eventIds));
  const shown = onlySelected && store.selected ? events.filter((e) => mine.has(e.id)) : events;
  const start = events[0]?.timestamp ?? null;
  return (
    <section className="run-card run-events" aria-label="Events">
      <div className="run-card-head">
        <h2>
          Events <span className="run-count">{events.length}</span>
        </h2>
        {store.selected && (
          <label className="run-filter">
            <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} /> Only “{store.selected}”
          </label>
        )}
      </div>
      <table className="run-table" id="run-events">
        <thead>
          <tr>
            <th className="num">ID</th>
            <th className="num">Prev</th>
            <th>Type</th>
            <th>Step</th>
            <th className="num">Elapsed</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.map((event) => (
            <EventRow key={event.id} event={event} start={start} highlighted={mine.has(event.id)} />
          ))}
          {shown.length === 0 && (
            <tr>
              <td colSpan={6} className="run-empty">
                No events yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
