/**
 * The run as a tree of steps for the table and the timeline: the execution's state visits in the
 * order they started, a Parallel's visits under a row per branch, a Map's under a row per
 * iteration. Sorting applies within each level; a filter keeps a row that matches or holds one.
 */
import { retryCount } from "./data-flow";
import type { HistoryEvent, MapIteration, RunModel, RunStatus, StateVisit } from "./run-model";

export interface StepRow {
  key: string;
  kind: "state" | "branch" | "iteration";
  name: string;
  type: string;
  status: RunStatus;
  startedAt: number | null;
  endedAt: number | null | undefined;
  retries: number;
  visit?: StateVisit;
  iteration?: MapIteration;
  children: StepRow[];
}

export type SortKey = "name" | "type" | "status" | "startedAt" | "duration" | "retries";

/** The rows under a visit (parent undefined: the execution), in start order. */
export function stepRows(run: RunModel, branchLabel: (groupId: string | undefined) => string, parent?: StateVisit, within?: StateVisit[]): StepRow[] {
  const eventAt = (id: number) => (run.events[id - 1]?.id === id ? run.events[id - 1] : run.events.find((e) => e.id === id)) as HistoryEvent | undefined;
  const visits = (within ?? run.visits).filter((v) => v.parent === parent);
  return visits.map((visit, index) => {
    const container = visit.iterations !== undefined || visit.stateType === "Parallel";
    const kept = container ? undefined : leafRows.get(visit);
    if (kept && kept.events === visit.eventIds.length && kept.row.status === visit.status) return kept.row;
    const row: StepRow = {
      key: `${visit.eventIds[0] ?? index}`,
      kind: "state",
      name: visit.name,
      type: visit.stateType,
      status: visit.status,
      startedAt: visit.enteredAt,
      // A visit the execution ended in never exits: it ended with its last event.
      endedAt: visit.exitedAt ?? (visit.status === "running" ? undefined : (eventAt(visit.eventIds[visit.eventIds.length - 1])?.timestamp ?? null)),
      retries: retryCount(visit, eventAt),
      visit,
      children: [],
    };
    if (visit.iterations) {
      row.children = visit.iterations.map((iteration) => {
        const inner = stepRows(run, branchLabel, visit, iteration.visits);
        return {
          key: `${row.key}/i${iteration.index}`,
          kind: "iteration",
          name: `Iteration ${iteration.index}`,
          type: "",
          status: iteration.status,
          startedAt: inner[0]?.startedAt ?? null,
          endedAt: iteration.status === "running" ? undefined : last(inner)?.endedAt,
          retries: 0,
          iteration,
          children: inner,
        };
      });
    } else if (visit.stateType === "Parallel") {
      const inner = stepRows(run, branchLabel, visit);
      const groups = new Map<string, StepRow[]>();
      for (const child of inner) {
        const group = child.visit?.groupId ?? "";
        if (!groups.has(group)) groups.set(group, []);
        groups.get(group)!.push(child);
      }
      row.children = [...groups].map(([group, rows]) => ({
        key: `${row.key}/b${group}`,
        kind: "branch",
        name: branchLabel(group || undefined),
        type: "",
        status: branchStatus(rows),
        startedAt: rows[0]?.startedAt ?? null,
        endedAt: rows.some((r) => r.endedAt === undefined) ? undefined : last(rows)?.endedAt,
        retries: 0,
        children: rows,
      }));
    }
    if (!container) leafRows.set(visit, { events: visit.eventIds.length, row });
    return row;
  });
}

/** A state's row, kept while its visit gains no event: a live run folds only what changed. */
const leafRows = new WeakMap<StateVisit, { events: number; row: StepRow }>();

function last<T>(items: T[]): T | undefined {
  return items[items.length - 1];
}

function branchStatus(rows: StepRow[]): RunStatus {
  if (rows.some((r) => r.status === "failed")) return "failed";
  if (rows.some((r) => r.status === "running")) return "running";
  if (rows.some((r) => r.status === "aborted")) return "aborted";
  return "succeeded";
}

export function duration(row: StepRow, now: number): number | null {
  if (row.startedAt == null) return null;
  return (row.endedAt ?? now) - row.startedAt;
}

const STATUS_ORDER: RunStatus[] = ["failed", "caught", "running", "aborted", "succeeded"];

/** Sorted copies, level by level (start order is the order rows come in: kept as they are). */
export function sortRows(rows: StepRow[], key: SortKey, descending: boolean, now: number): StepRow[] {
  if (key === "startedAt" && !descending) return rows;
  const value = (row: StepRow): string | number => {
    switch (key) {
      case "name":
        return row.name.toLowerCase();
      case "type":
        return row.type;
      case "status":
        return STATUS_ORDER.indexOf(row.status);
      case "startedAt":
        return row.startedAt ?? Infinity;
      case "duration":
        return duration(row, now) ?? -1;
      case "retries":
        return row.retries;
    }
  };
  const sign = descending ? -1 : 1;
  return [...rows]
    .sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      return x < y ? -sign : x > y ? sign : 0;
    })
    .map((row) => (row.children.length ? { ...row, children: sortRows(row.children, key, descending, now) } : row));
}

/** Rows that match (a name containing `text`, a status in `statuses` when given) or hold one. */
export function filterRows(rows: StepRow[], text: string, status: RunStatus | ""): StepRow[] {
  if (!text && !status) return rows;
  const needle = text.toLowerCase();
  const matches = (row: StepRow) => row.kind === "state" && (!needle || row.name.toLowerCase().includes(needle)) && (!status || row.status === status);
  const out: StepRow[] = [];
  for (const row of rows) {
    const children = filterRows(row.children, text, status);
    if (matches(row) || children.length) out.push({ ...row, children });
  }
  return out;
}
