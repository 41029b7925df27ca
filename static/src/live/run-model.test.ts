import { describe, expect, it } from "vitest";

import { applyEvent, createRun, statusByName, transitionKey, type HistoryEvent } from "./run-model";

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

function fold(events: HistoryEvent[]) {
  const run = createRun();
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
    expect(Object.fromEntries(statusByName(run))).toEqual({ Prepare: "succeeded", "Cool down": "running" });
    const [prepare] = run.byName.get("Prepare")!;
    expect(prepare.input).toEqual({ a: 1 });
    expect(prepare.output).toEqual({ order: 42 });
    expect(prepare.eventIds).toEqual([2, 3]);
    expect(run.execution).toMatchObject({ status: "RUNNING", input: { a: 1 } });

    applyEvent(run, exited(5, 4, "Wait", "Cool down", '{"order":42}'));
    applyEvent(run, ev(6, 5, "ExecutionSucceeded", { executionSucceededEventDetails: { output: '{"order":42}' } }));
    expect(statusByName(run).get("Cool down")).toBe("succeeded");
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
    expect(Object.fromEntries(statusByName(caught))).toEqual({ Call: "caught", Rejected: "failed" });
    expect(caught.byName.get("Call")![0]).toMatchObject({ error: "Rejected", cause: "no", eventIds: [2, 3, 4, 5, 6] });
    expect(caught.execution).toMatchObject({ status: "FAILED", error: "Rejected", cause: "said no" });

    const failed = fold([
      entered(2, 0, "Task", "Call"),
      ev(3, 2, "LambdaFunctionScheduled"),
      ev(4, 3, "LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: { error: "Boom" } }),
      ev(5, 4, "ExecutionFailed", { executionFailedEventDetails: { error: "Boom" } }),
    ]);
    expect(statusByName(failed).get("Call")).toBe("failed");
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
    expect(statusByName(run).get("Call")).toBe("succeeded");
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
    expect(Object.fromEntries(statusByName(run))).toEqual({ Both: "succeeded", Left: "succeeded", Right: "succeeded" });
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
    expect(Object.fromEntries(statusByName(run))).toEqual({ Each: "failed", Item: "failed" });

    const stopped = fold([entered(2, 0, "Wait", "Nap"), ev(3, 2, "ExecutionAborted", { executionAbortedEventDetails: { error: "Stopped" } })]);
    expect(statusByName(stopped).get("Nap")).toBe("aborted");
    expect(stopped.execution).toMatchObject({ status: "ABORTED", error: "Stopped" });
  });

  it("a state visited several times is running while any visit is", () => {
    const run = fold([entered(2, 0, "Pass", "Loop"), exited(3, 2, "Pass", "Loop"), entered(4, 3, "Pass", "Loop")]);
    expect(run.byName.get("Loop")).toHaveLength(2);
    expect(statusByName(run).get("Loop")).toBe("running");
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
});
