/**
 * The table of steps (Workflow Studio's table view): state, type, status, started, duration,
 * retries; sortable by any column, filtered by name and status; a Parallel's branches and a
 * Map's iterations nest under their state. Selecting a row shows its data flow beside the graph.
 */
import { useMemo, useState } from "react";

import type { RunStatus } from "../live/run-model";
import { duration, filterRows, sortRows, stepRows, type SortKey, type StepRow } from "../live/step-rows";
import { formatDuration, formatTime } from "./execution-format";
import { STATUS_LABEL } from "./execution-run-node";
import { useRun } from "./execution-store";
import { useNow } from "./use-now";

/** Rows drawn at most (the rest are counted): a long loop or a big Map stays responsive. */
const ROWS_AT_MOST = 500;
/** A container with more children than this starts folded. */
const OPEN_UP_TO = 20;

const COLUMNS: { key: SortKey; title: string; numeric?: boolean }[] = [
  { key: "name", title: "State" },
  { key: "type", title: "Type" },
  { key: "status", title: "Status" },
  { key: "startedAt", title: "Started" },
  { key: "duration", title: "Duration", numeric: true },
  { key: "retries", title: "Retries", numeric: true },
];

export function ExecutionSteps() {
  const store = useRun();
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "startedAt", descending: false });
  const [text, setText] = useState("");
  const [status, setStatus] = useState<RunStatus | "">("");
  // Rows the author folded or unfolded, by key (otherwise: open when small).
  const [toggled, setToggled] = useState<Map<string, boolean>>(new Map());
  // Durations of what still runs grow each second, events or not.
  const now = useNow(store.run.execution.status === "RUNNING");
  const version = store.version;
  // The store changes in place; its version says when to fold the history again.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the rule takes values as immutable; this one mutates and counts versions
  const tree = useMemo(() => stepRows(store.run, store.groupLabel), [store, version]);
  const shown = sortRows(filterRows(tree, text, status), sort.key, sort.descending, now);
  const filtering = text !== "" || status !== "";
  const isOpen = (row: StepRow) => toggled.get(row.key) ?? (filtering || row.children.length <= OPEN_UP_TO);

  const lines: { row: StepRow; depth: number }[] = [];
  let hidden = 0;
  const walk = (rows: StepRow[], depth: number) => {
    for (const row of rows) {
      if (lines.length >= ROWS_AT_MOST) {
        hidden++;
        continue;
      }
      lines.push({ row, depth });
      if (row.children.length && isOpen(row)) walk(row.children, depth + 1);
    }
  };
  walk(shown, 0);

  // The visit the state panel shows: the one picked, else the selected state's latest.
  const latest = store.selected ? store.visitsOf(store.selected).at(-1) : undefined;
  const shownVisit = store.selectedVisit ?? latest;
  const choose = (row: StepRow) => {
    if (row.visit) store.selectVisit(row.visit);
    else if (row.iteration) store.focusIteration(store.focus === row.iteration ? null : row.iteration);
  };
  const isSelected = (row: StepRow) => row.visit !== undefined && row.visit === shownVisit;

  return (
    <div className="run-steps">
      <div className="run-steps-tools" role="search">
        <input type="search" placeholder="Filter by state name" aria-label="Filter steps by name" value={text} onChange={(e) => setText(e.target.value)} />
        <select aria-label="Filter steps by status" value={status} onChange={(e) => setStatus(e.target.value as RunStatus | "")}>
          <option value="">All statuses</option>
          {(["running", "succeeded", "caught", "failed", "aborted"] as const).map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <table className="run-table" id="run-steps" data-shown-through={store.run.lastEventId}>
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              const active = sort.key === column.key;
              return (
                <th key={column.key} className={column.numeric ? "num" : undefined} aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}>
                  <button type="button" className="run-sort" onClick={() => setSort({ key: column.key, descending: active ? !sort.descending : false })}>
                    {column.title}
                    {active ? (sort.descending ? " ▼" : " ▲") : ""}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {lines.map(({ row, depth }) => {
            const took = duration(row, now);
            return (
              <tr
                key={row.key}
                className={`run-step run-step-${row.kind}${isSelected(row) ? " highlighted" : ""}`}
                data-state={row.visit?.name}
                data-status={row.status}
                aria-selected={isSelected(row)}
                onClick={() => choose(row)}
              >
                <td style={{ paddingLeft: 8 + depth * 18 }}>
                  {row.children.length > 0 ? (
                    <button
                      type="button"
                      className="run-fold"
                      aria-expanded={isOpen(row)}
                      aria-label={`${isOpen(row) ? "Fold" : "Unfold"} ${row.name}`}
                      onClick={(event) => {
                        event.stopPropagation();
                        setToggled((current) => new Map(current).set(row.key, !isOpen(row)));
                      }}
                    >
                      {isOpen(row) ? "▾" : "▸"}
                    </button>
                  ) : (
                    <span className="run-fold-space" />
                  )}
                  {row.kind === "state" ? <strong>{row.name}</strong> : <span className="run-muted">{row.name}</span>}
                  {row.kind === "state" && row.children.length > 0 && (
                    <span className="run-count">
                      {row.children.length} {row.visit?.iterations ? "iterations" : "branches"}
                    </span>
                  )}
                </td>
                <td>{row.type}</td>
                <td>
                  <span className={`run-pip run-pip-${row.status}`} /> {STATUS_LABEL[row.status]}
                </td>
                <td>{formatTime(row.startedAt)}</td>
                <td className="num">{took == null ? "" : `${formatDuration(took)}${row.endedAt === undefined ? "…" : ""}`}</td>
                <td className="num">{row.retries || ""}</td>
              </tr>
            );
          })}
          {lines.length === 0 && (
            <tr>
              <td colSpan={6} className="run-empty">
                {filtering ? "No step matches." : "No steps yet."}
              </td>
            </tr>
          )}
          {hidden > 0 && (
            <tr>
              <td colSpan={6} className="run-empty">
                {hidden} more rows: filter or fold to see them.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
