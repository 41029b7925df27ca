import { describe, expect, it } from "vitest";

import { parseDocument } from "../asl/document";
import { buildGraph } from "../graph/build";
import { applyEvent, createRun, type HistoryEvent } from "./run-model";
import { stateLocator } from "./state-locator";
import { filterRows, sortRows, stepRows, type StepRow } from "./step-rows";

const GRAPH = buildGraph(
  parseDocument(
    JSON.stringify({
      StartAt: "Prepare",
      States: {
        Prepare: { Type: "Pass", Next: "Fan" },
        Fan: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
            { StartAt: "B", States: { B: { Type: "Pass", End: true } } },
          ],
          Next: "Each",
        },
        Each: { Type: "Map", ItemProcessor: { StartAt: "Work", States: { Work: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:w", End: true } } }, End: true },
      },
    }),
  ).root,
);

let id = 0;
const ev = (previousEventId: number, type: string, extra: Record<string, unknown> = {}): HistoryEvent => ({ id: ++id, previousEventId, type, timestamp: id, ...extra });
const enter = (prev: number, type: string, name: string) => ev(prev, `${type}StateEntered`, { stateEnteredEventDetails: { name, input: "{}" } });
const exit = (prev: number, type: string, name: string) => ev(prev, `${type}StateExited`, { stateExitedEventDetails: { name, output: "{}" } });

/** Prepare (Pass) -> Fan (Parallel: A | B) -> Each (Map over 2 items: Work, retried once in item 1). */
function history(): HistoryEvent[] {
  id = 0;
  const e: HistoryEvent[] = [];
  const add = (event: HistoryEvent) => (e.push(event), event.id);
  let at = add(ev(0, "ExecutionStarted"));
  at = add(enter(at, "Pass", "Prepare"));
  at = add(exit(at, "Pass", "Prepare"));
  const fan = add(enter(at, "Parallel", "Fan"));
  const started = add(ev(fan, "ParallelStateStarted"));
  const a = add(exit(add(enter(started, "Pass", "A")), "Pass", "A"));
  const b = add(exit(add(enter(started, "Pass", "B")), "Pass", "B"));
  at = add(exit(add(ev(Math.max(a, b), "ParallelStateSucceeded")), "Parallel", "Fan"));
  const each = add(enter(at, "Map", "Each"));
  at = add(ev(each, "MapStateStarted", { mapStateStartedEventDetails: { length: 2 } }));
  for (const index of [0, 1]) {
    let it = add(ev(at, "MapIterationStarted", { mapIterationStartedEventDetails: { name: "Each", index } }));
    it = add(enter(it, "Task", "Work"));
    it = add(ev(it, "TaskScheduled", { taskScheduledEventDetails: {} }));
    if (index === 1) {
      it = add(ev(it, "TaskFailed", { taskFailedEventDetails: { error: "Boom" } }));
      it = add(ev(it, "TaskScheduled", { taskScheduledEventDetails: {} }));
    }
    it = add(ev(it, "TaskSucceeded", { taskSucceededEventDetails: { output: "{}" } }));
    it = add(exit(it, "Task", "Work"));
    at = add(ev(it, "MapIterationSucceeded", { mapIterationSucceededEventDetails: { name: "Each", index } }));
  }
  at = add(exit(add(ev(at, "MapStateSucceeded")), "Map", "Each"));
  return e;
}

function rows(): StepRow[] {
  const run = createRun(stateLocator(GRAPH));
  for (const event of history()) applyEvent(run, event);
  const branches = GRAPH.groups.filter((g) => g.kind === "branch");
  return stepRows(run, (group) => `Branch ${branches.findIndex((g) => g.id === group) + 1}`);
}

const shape = (list: StepRow[]): unknown[] => list.map((r) => (r.children.length ? [r.name, shape(r.children)] : r.name));

describe("step rows", () => {
  it("nests a Parallel's branches and a Map's iterations under their state", () => {
    const tree = rows();
    expect(shape(tree)).toEqual(["Prepare", ["Fan", [["Branch 1", ["A"]], ["Branch 2", ["B"]]]], ["Each", [["Iteration 0", ["Work"]], ["Iteration 1", ["Work"]]]]]);
    const work = tree[2].children[1].children[0];
    expect([work.type, work.status, work.retries]).toEqual(["Task", "succeeded", 1]);
    expect(tree[2].children[1].status).toBe("succeeded");
  });

  it("ends a step the execution ended in with its last event", () => {
    const run = createRun(stateLocator(GRAPH));
    id = 0;
    const started = ev(0, "ExecutionStarted");
    const prepare = enter(started.id, "Pass", "Prepare");
    const prepared = exit(prepare.id, "Pass", "Prepare");
    const charge = ev(prepared.id, "TaskStateEntered", { stateEnteredEventDetails: { name: "Charge", input: "{}" } });
    const scheduled = ev(charge.id, "TaskScheduled", { taskScheduledEventDetails: {} });
    const failed = ev(scheduled.id, "TaskFailed", { taskFailedEventDetails: { error: "Boom" } });
    const ended = ev(failed.id, "ExecutionFailed", { executionFailedEventDetails: { error: "Boom" } });
    for (const e of [started, prepare, prepared, charge, scheduled, failed, ended]) applyEvent(run, e);
    const row = stepRows(run, () => "")[1];
    expect([row.status, row.startedAt, row.endedAt]).toEqual(["failed", 4, 6]);
  });

  it("sorts within each level and filters to matches and what holds them", () => {
    const sorted = sortRows(rows(), "name", true, 0);
    expect(sorted.map((r) => r.name)).toEqual(["Prepare", "Fan", "Each"]);
    expect(sortRows(rows(), "retries", true, 0)[0].name).toBe("Prepare"); // ties keep start order
    expect(shape(filterRows(rows(), "work", ""))).toEqual([["Each", [["Iteration 0", ["Work"]], ["Iteration 1", ["Work"]]]]]);
    expect(filterRows(rows(), "", "failed")).toEqual([]);
  });
});
