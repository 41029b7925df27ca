/**
 * The timeline: a bar per step on one time axis from the execution's start, for where the time
 * went; branches and iterations nest under their state. A click selects the step.
 */
import { useMemo } from "react";

import { attempts } from "../live/data-flow";
import { duration, stepRows, type StepRow } from "../live/step-rows";
import { formatDuration } from "./execution-format";
import { STATUS_LABEL } from "./execution-run-node";
import { useRun } from "./execution-store";
import { useNow } from "./use-now";

/** Bars drawn at most; the rest are counted. */
const BARS_AT_MOST = 300;
const TICKS = 5;

export function ExecutionTimeline({ startedAt }: { startedAt: number }) {
  const store = useRun();
  const version = store.version;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the store changes in place; its version says when to fold the history again
  const tree = useMemo(() => stepRows(store.run, store.groupLabel), [store, version]);
  const events = store.run.events;
  const running = store.run.execution.status === "RUNNING";
  const start = events[0]?.timestamp ?? startedAt;
  const now = useNow(running);
  const end = running ? now : (events[events.length - 1]?.timestamp ?? start);
  const span = Math.max(end - start, 0.001);

  const bars: { row: StepRow; depth: number }[] = [];
  let hidden = 0;
  const walk = (rows: StepRow[], depth: number) => {
    for (const row of rows) {
      if (bars.length >= BARS_AT_MOST) hidden++;
      else bars.push({ row, depth });
      walk(row.children, depth + 1);
    }
  };
  walk(tree, 0);

  const shownVisit = store.selectedVisit ?? (store.selected ? store.visitsOf(store.selected).at(-1) : undefined);
  return (
    <div className="run-timeline" id="run-timeline">
      <div className="run-timeline-axis" aria-hidden="true">
        <span />
        <div>
          {Array.from({ length: TICKS + 1 }, (_, i) => (
            <span key={i} style={{ left: `${(i / TICKS) * 100}%` }}>
              +{formatDuration((span * i) / TICKS)}
            </span>
          ))}
        </div>
      </div>
      <ol>
        {bars.map(({ row, depth }) => {
          const took = duration(row, end) ?? 0;
          const left = row.startedAt == null ? 0 : ((row.startedAt - start) / span) * 100;
          const width = Math.min((took / span) * 100, 100 - left);
          const barEnd = left + width;
          const title = `${row.name}: ${STATUS_LABEL[row.status]}, ${formatDuration(took)}${row.retries ? `, ${row.retries} ${row.retries === 1 ? "retry" : "retries"}` : ""}`;
          return (
            <li
              key={row.key}
              className={`run-timeline-row${row.visit && row.visit === shownVisit ? " highlighted" : ""}`}
              data-state={row.visit?.name}
              data-status={row.status}
              title={title}
              onClick={() => row.visit && store.selectVisit(row.visit)}
            >
              <span className="run-timeline-label" style={{ paddingLeft: depth * 14 }}>
                {row.kind === "state" ? row.name : <span className="run-muted">{row.name}</span>}
              </span>
              <span className="run-timeline-track">
                <span className={`run-bar run-bar-${row.status}`} style={{ left: `${Math.min(left, 99.5)}%`, width: `max(3px, ${width}%)` }} />
                {/* A retried task: each attempt over its bar, the gaps between them the Retry's waits. */}
                {row.retries > 0 &&
                  row.visit &&
                  attempts(row.visit, store.eventAt).map((attempt) => {
                    if (attempt.startedAt == null) return null;
                    const from = ((attempt.startedAt - start) / span) * 100;
                    const to = (((attempt.endedAt ?? end) - start) / span) * 100;
                    return (
                      <span
                        key={attempt.number}
                        className={`run-attempt-bar run-attempt-${attempt.status}`}
                        style={{ left: `${from}%`, width: `max(2px, ${to - from}%)` }}
                        title={`${attempt.number === 1 ? "First try" : `Retry ${attempt.number - 1}`}: ${attempt.status}${attempt.error ? ` (${attempt.error})` : ""}`}
                      />
                    );
                  })}
                {/* After the bar; inside its end when the bar reaches the right edge. */}
                <span className={`run-timeline-took${barEnd > 85 ? " inside" : ""}`} style={barEnd > 85 ? { right: `${100 - barEnd}%` } : { left: `${barEnd}%` }}>
                  {formatDuration(took)}
                  {row.retries ? ` ↻${row.retries}` : ""}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
      {bars.length === 0 && <p className="run-empty">No steps yet.</p>}
      {hidden > 0 && <p className="run-empty">{hidden} more steps are not drawn.</p>}
    </div>
  );
}
