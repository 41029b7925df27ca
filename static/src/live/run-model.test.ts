import { describe, expect, it } from "vitest";

import { parseDocument } from "../asl/document";
import { buildGraph } from "../graph/build";
import { applyEvent, createRun, iterationCounts, ranFor, statusByState, transitionKey, type HistoryEvent, type StateLocator } from "./run-model";
import { stateLocator } from "./state-locator";

let clock = 0;
const ev = (id: number, previousEventId: number, type: string, extra: Record<string, unknown> = {}): HistoryEvent => ({
  id,
  previousEventId,
  type,
  timestamp: ++clock,
  ...extra,
});
const entered = (id: number, prev: number, type: string, name: string, input = "{}") =>
  ev(id, prev, `${type}StateEntered`, { stateEnteredEventDetails: { name, input, inputDetails: { truncated: false } } });
const exited = (id: number, prev: number, type: string, name: string, output = "{}") =>
  ev(id, prev, `${type}StateExited`, { stateExitedEventDetails: { name, output, outputDetails: { truncated: false } } });

function fold(events: HistoryEvent[], locate?: StateLocator) {
  const run = createRun(locate);
  for (const e of events) applyEvent(run, e);
  return run;
}

describe("run model", () => {
  it("marks states running, then succeeded, with their parsed input and output", () => {
    const run = fold([
      ev(1, 0, "ExecutionStarted", { executionStartedEventDetails: { input: '{"a":1}' } }),
      entered(2, 0, "Pass", "Prepare", '{"a":1}'),
      exited(3, 2, "Pass", "Prepare", '{"order":42}'),
      entered(4, 3, "Wait", "Cool down", '{"order":42}'),
    ]);
    expect(Object.fromEntries(statusByState(run))).toEqual({ Prepare: "succeeded", "Cool down": "running" });
    const [prepare] = run.byName.get("Prepare")!;
    expect(prepare.input).toEqual({ a: 1 });
    expect(prepare.output).toEqual({ order: 42 });
    expect(prepare.eventIds).toEqual([2, 3]);
    expect(run.execution).toMatchObject({ status: "RUNNING", input: { a: 1 } });

    applyEvent(run, exited(5, 4, "Wait", "Cool down", '{"order":42}'));
    applyEvent(run, ev(6, 5, "ExecutionSucceeded", { executionSucceededEventDetails: { output: '{"order":42}' } }));
    expect(statusByState(run).get("Cool down")).toBe("succeeded");
    expect(run.execution).toMatchObject({ status: "SUCCEEDED", output: { order: 42 } });
  });

  it("ignores an event it has already seen (a reconnect may resend)", () => {
    const run = createRun();
    expect(applyEvent(run, entered(2, 0, "Pass", "P"))).toBe(true);
    expect(applyEvent(run, entered(2, 0, "Pass", "P"))).toBe(false);
    expect(run.events).toHaveLength(1);
    expect(run.byName.get("P")).toHaveLength(1);
  });

  it("a failure a Catch takes is caught; the handler runs; an uncaught one fails the state", () => {
    const caught = fold([
      entered(2, 0, "Task", "Call"),
      ev(3, 2, "TaskScheduled"),
      ev(4, 3, "TaskStarted"),
      ev(5, 4, "TaskFailed", { taskFailedEventDetails: { error: "Rejected", cause: "no" } }),
      exited(6, 5, "Task", "Call"),
      entered(7, 6, "Fail", "Rejected"),
      ev(8, 7, "ExecutionFailed", { executionFailedEventDetails: { error: "Rejected", cause: "said no" } }),
    ]);
    expect(Object.fromEntries(statusByState(caught))).toEqual({ Call: "caught", Rejected: "failed" });
    expect(caught.byName.get("Call")![0]).toMatchObject({ error: "Rejected", cause: "no", eventIds: [2, 3, 4, 5, 6] });
    expect(caught.execution).toMatchObject({ status: "FAILED", error: "Rejected", cause: "said no" });

    const failed = fold([
      entered(2, 0, "Task", "Call"),
      ev(3, 2, "LambdaFunctionScheduled"),
      ev(4, 3, "LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: { error: "Boom" } }),
      ev(5, 4, "ExecutionFailed", { executionFailedEventDetails: { error: "Boom" } }),
    ]);
    expect(statusByState(failed).get("Call")).toBe("failed");
  });

  it("a retry after a failure clears it: the state succeeds", () => {
    const run = fold([
      entered(2, 0, "Task", "Call"),
      ev(3, 2, "LambdaFunctionScheduled"),
      ev(4, 3, "LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: { error: "Flaky" } }),
      ev(5, 4, "LambdaFunctionScheduled"),
      ev(6, 5, "LambdaFunctionSucceeded"),
      exited(7, 6, "Task", "Call"),
    ]);
    expect(statusByState(run).get("Call")).toBe("succeeded");
    expect(run.byName.get("Call")![0].error).toBeUndefined();
  });

  it("states inside a Parallel belong to their own visits; the container's events to it", () => {
    const run = fold([
      entered(2, 0, "Parallel", "Both"),
      ev(3, 2, "ParallelStateStarted"),
      entered(4, 3, "Pass", "Left"),
      entered(5, 3, "Wait", "Right"),
      exited(6, 4, "Pass", "Left"),
      exited(7, 5, "Wait", "Right"),
      ev(8, 7, "ParallelStateSucceeded"),
      exited(9, 8, "Parallel", "Both"),
    ]);
    expect(Object.fromEntries(statusByState(run))).toEqual({ Both: "succeeded", Left: "succeeded", Right: "succeeded" });
    expect(run.byName.get("Both")![0].eventIds).toEqual([2, 3, 8, 9]);
    expect(run.byName.get("Right")![0].eventIds).toEqual([5, 7]);
  });

  it("a failed Map fails the Map; a stopped execution aborts what was running", () => {
    const run = fold([
      entered(2, 0, "Map", "Each"),
      ev(3, 2, "MapIterationStarted"),
      entered(4, 3, "Task", "Item"),
      ev(5, 4, "TaskFailed", { taskFailedEventDetails: { error: "Bad" } }),
      ev(6, 5, "MapIterationFailed"),
      ev(7, 6, "MapStateFailed", { mapStateFailedEventDetails: { error: "Bad" } }),
      ev(8, 7, "ExecutionFailed"),
    ]);
    expect(Object.fromEntries(statusByState(run))).toEqual({ Each: "failed", Item: "failed" });

    const stopped = fold([entered(2, 0, "Wait", "Nap"), ev(3, 2, "ExecutionAborted", { executionAbortedEventDetails: { error: "Stopped" } })]);
    expect(statusByState(stopped).get("Nap")).toBe("aborted");
    expect(stopped.execution).toMatchObject({ status: "ABORTED", error: "Stopped" });
  });

  it("a state visited several times is running while any visit is", () => {
    const run = fold([entered(2, 0, "Pass", "Loop"), exited(3, 2, "Pass", "Loop"), entered(4, 3, "Pass", "Loop")]);
    expect(run.byName.get("Loop")).toHaveLength(2);
    expect(statusByState(run).get("Loop")).toBe("running");
  });

  it("records the transitions taken, Catch ones included", () => {
    const run = fold([
      entered(2, 0, "Task", "Call"),
      ev(3, 2, "TaskFailed", { taskFailedEventDetails: { error: "X" } }),
      exited(4, 3, "Task", "Call"),
      entered(5, 4, "Pass", "Handler"),
      exited(6, 5, "Pass", "Handler"),
      entered(7, 6, "Succeed", "Done"),
    ]);
    expect([...run.transitions].sort()).toEqual([transitionKey("Call", "Handler"), transitionKey("Handler", "Done")].sort());
  });

  const iterationEvent = (id: number, prev: number, type: string, name: string, index: number) =>
    ev(id, prev, `MapIteration${type}`, { [`mapIteration${type}EventDetails`]: { name, index } });

  it("counts a Map's iterations; concurrent iterations keep their own visits of one state", () => {
    // As our engine records MaxConcurrency 0: iterations interleave, each chain its own.
    const run = fold([
      entered(2, 0, "Map", "M"),
      ev(3, 2, "MapStateStarted", { mapStateStartedEventDetails: { length: 3 } }),
      iterationEvent(4, 3, "Started", "M", 0),
      entered(5, 4, "Choice", "Check", "1"),
      iterationEvent(6, 3, "Started", "M", 1),
      entered(7, 6, "Choice", "Check", "2"),
      exited(8, 5, "Choice", "Check", "1"),
      iterationEvent(9, 8, "Succeeded", "M", 0),
      exited(10, 7, "Choice", "Check", "2"),
      entered(11, 10, "Fail", "Bad", "2"),
      iterationEvent(12, 11, "Failed", "M", 1),
      ev(13, 11, "MapStateFailed"),
      ev(14, 13, "ExecutionFailed", { executionFailedEventDetails: { error: "Two" } }),
    ]);
    const [map] = run.byState.get("M")!;
    expect(map.iterations!.map((it) => [it.index, it.status])).toEqual([
      [0, "succeeded"],
      [1, "failed"],
    ]);
    expect(iterationCounts([map])).toMatchObject({ succeeded: 1, failed: 1, running: 0 });
    const [first, second] = run.byState.get("Check")!;
    // The exit at 8 chains to the first iteration's visit, though the second opened later.
    expect(first).toMatchObject({ input: 1, output: 1, status: "succeeded" });
    expect(second).toMatchObject({ input: 2, output: 2, status: "succeeded" });
    expect(ranFor(first, map.iterations![0])).toBe(true);
    expect(ranFor(first, map.iterations![1])).toBe(false);
    expect(map.iterations![1].visits.map((v) => v.name)).toEqual(["Check", "Bad"]);
    expect(map).toMatchObject({ status: "failed", error: "MapStateFailed" });
  });

  it("a nested Map's visits belong to the outer iteration too (AWS's recorded chain)", () => {
    const run = fold([
      entered(2, 0, "Map", "L1"),
      ev(3, 2, "MapStateStarted"),
      iterationEvent(4, 3, "Started", "L1", 0),
      entered(5, 4, "Map", "L2"),
      ev(6, 5, "MapStateStarted"),
      iterationEvent(7, 6, "Started", "L2", 0),
      entered(8, 7, "Pass", "Leaf", "1"),
      exited(9, 8, "Pass", "Leaf", "1"),
      iterationEvent(10, 9, "Succeeded", "L2", 0),
      ev(11, 9, "MapStateSucceeded"),
      exited(12, 9, "Map", "L2"),
      iterationEvent(13, 12, "Succeeded", "L1", 0),
      iterationEvent(14, 12, "Started", "L1", 1),
      entered(15, 14, "Map", "L2"),
      ev(16, 15, "MapStateStarted"),
      iterationEvent(17, 16, "Started", "L2", 0),
      entered(18, 17, "Pass", "Leaf", "4"),
    ]);
    const [outer] = run.byState.get("L1")!;
    const leaves = run.byState.get("Leaf")!;
    expect(leaves.map((leaf) => ranFor(leaf, outer.iterations![0]))).toEqual([true, false]);
    expect(leaves.map((leaf) => ranFor(leaf, outer.iterations![1]))).toEqual([false, true]);
    expect(outer.iterations!.map((it) => it.status)).toEqual(["succeeded", "running"]);
    expect(iterationCounts(run.byState.get("L2")!)).toMatchObject({ succeeded: 1, running: 1 });

    // A caught Map takes its error from the Catch's error output.
    applyEvent(run, ev(19, 18, "MapIterationFailed", { mapIterationFailedEventDetails: { name: "L2", index: 0 } }));
    applyEvent(run, ev(20, 19, "MapStateFailed"));
    applyEvent(run, exited(21, 20, "Map", "L2", '{"Error":"Two","Cause":"no"}'));
    expect(run.byState.get("L2")![1]).toMatchObject({ status: "caught", error: "Two", cause: "no" });
  });

  it("places same-named states in their own branch by the chain", () => {
    // AWS refuses such a definition; an imported or edited one may still hold it.
    const definition = JSON.stringify({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          End: true,
          Branches: [
            { StartAt: "Work", States: { Work: { Type: "Pass", Next: "Done" }, Done: { Type: "Pass", End: true } } },
            { StartAt: "Work", States: { Work: { Type: "Pass", Next: "Done" }, Done: { Type: "Fail" } } },
          ],
        },
      },
    });
    const run = fold(
      [
        entered(2, 0, "Parallel", "P"),
        ev(3, 2, "ParallelStateStarted"),
        entered(4, 3, "Pass", "Work"),
        entered(5, 3, "Pass", "Work"),
        exited(6, 5, "Pass", "Work"),
        entered(7, 6, "Fail", "Done"),
        exited(8, 4, "Pass", "Work"),
        entered(9, 8, "Pass", "Done"),
      ],
      stateLocator(buildGraph(parseDocument(definition).root)),
    );
    expect(Object.fromEntries(statusByState(run))).toEqual({
      "/States/P": "running",
      "/States/P/Branches/0/States/Work": "succeeded",
      "/States/P/Branches/1/States/Work": "succeeded",
      "/States/P/Branches/1/States/Done": "failed",
      "/States/P/Branches/0/States/Done": "running",
    });
    expect(run.transitions).toContain(transitionKey("/States/P/Branches/1/States/Work", "/States/P/Branches/1/States/Done"));
  });
});
