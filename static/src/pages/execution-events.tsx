/**
 * The history as a table, live; the selected state's events are marked, and can be shown alone.
 * Its rows render at a lower priority than the graph and the steps (useDeferredValue): under a
 * fast run the table catches up between frames instead of holding up every one of them.
 */
import { useDeferredValue, useMemo, useState } from "react";

import { EventRow } from "./execution-event-row";

/** Past this many rows the table shows the latest ones until asked for all (a history may hold 25,000). */
const SHOWN_AT_MOST = 1000;
import { useRun } from "./execution-store";

export function ExecutionEvents() {
  const store = useRun();
  const [onlySelected, setOnlySelected] = useState(false);
  const [all, setAll] = useState(false);
  const { events } = store.run;
  const selectedName = store.graph.states.find((state) => state.id === store.selected)?.name;
  // The history only grows: its length says what a render has drawn.
  const count = useDeferredValue(events.length);
  const selected = useDeferredValue(store.selected);
  const rows = useMemo(() => {
    const visits = selected ? store.visitsOf(selected) : [];
    const mine = new Set(visits.flatMap((v) => v.eventIds));
    const upTo = events.slice(0, count);
    const matching = onlySelected && selected ? upTo.filter((e) => mine.has(e.id)) : upTo;
    const hidden = all ? 0 : Math.max(0, matching.length - SHOWN_AT_MOST);
    const shown = hidden ? matching.slice(hidden) : matching;
    const start = events[0]?.timestamp ?? null;
    return (
      <>
        {hidden > 0 && (
          <tr>
            <td colSpan={6} className="run-empty">
              {hidden} earlier events are not shown.{" "}
              <button type="button" className="run-link" onClick={() => setAll(true)}>
                Show all
              </button>
            </td>
          </tr>
        )}
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
      </>
    );
    // store.focus changes which visits a state shows; events grow in place (count says how far).
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the store mutates in place: focus is read off it
  }, [store, events, count, selected, onlySelected, all, store.focus]);
  return (
    <section className="run-card run-events" aria-label="Events">
      <div className="run-card-head">
        <h2>
          Events <span className="run-count">{events.length}</span>
        </h2>
        {store.selected && (
          <label className="run-filter">
            <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} /> Only “{selectedName}”
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
        <tbody>{rows}
        </tbody>
      </table>
    </section>
  );
}
