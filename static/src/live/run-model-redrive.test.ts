import { describe, expect, it } from "vitest";

import { applyEvent, createRun, statusByState, type HistoryEvent } from "./run-model";

let clock = 0;
const ev = (id: number, previousEventId: number, type: string, extra: Record<string, unknown> = {}): HistoryEvent => ({
  id,
  previousEventId,
  type,
  timestamp: ++clock,
  ...extra,
});
const entered = (id: number, prev: number, type: string, name: string) =>
  ev(id, prev, `${type}StateEntered`, { stateEnteredEventDetails: { name, input: "{}" } });
const exited = (id: number, prev: number, type: string, name: string, output = "{}") =>
  ev(id, prev, `${type}StateExited`, { stateExitedEventDetails: { name, output } });
const failed = { lambdaFunctionFailedEventDetails: { error: "ValueError", cause: "broken" } };
const redriven = (id: number, prev: number) => ev(id, prev, "ExecutionRedriven", { executionRedrivenEventDetails: { redriveCount: 1 } });

function fold(events: HistoryEvent[]) {
  const run = createRun();
  for (const e of events) applyEvent(run, e);
  return run;
}

// Histories as the engine writes them (tests/executions/sfn_api/test_sfn_api_redrive.py).
describe("run model after a redrive", () => {
  it("runs the failed Task's visit again and ends it succeeded", () => {
    const run = fold([
      ev(1, 0, "ExecutionStarted"),
      entered(2, 0, "Task", "Charge"),
      ev(3, 2, "LambdaFunctionScheduled"),
      ev(4, 3, "LambdaFunctionStarted"),
      ev(5, 4, "LambdaFunctionFailed", failed),
      ev(6, 5, "ExecutionFailed", { executionFailedEventDetails: { error: "ValueError" } }),
      redriven(7, 6),
    ]);
    expect(run.execution.status).toBe("RUNNING");
    expect(Object.fromEntries(statusByState(run))).toEqual({ Charge: "running" });
    for (const e of [
      ev(8, 7, "LambdaFunctionScheduled"),
      ev(9, 8, "LambdaFunctionStarted"),
      ev(10, 9, "LambdaFunctionSucceeded"),
      exited(11, 10, "Task", "Charge", '{"ok":1}'),
      ev(12, 11, "ExecutionSucceeded", { executionSucceededEventDetails: { output: '{"ok":1}' } }),
    ])
      applyEvent(run, e);
    const [charge] = run.byName.get("Charge")!;
    expect(run.byName.get("Charge")).toHaveLength(1);
    expect(charge.status).toBe("succeeded");
    expect(charge.error).toBeUndefined();
    // The redrive is listed with the visit it continued, as the console lists it with the state.
    expect(charge.eventIds).toEqual([2, 3, 4, 5, 7, 8, 9, 10, 11]);
    expect(run.execution).toMatchObject({ status: "SUCCEEDED", output: { ok: 1 } });
  });

  it("goes on in the failed Parallel branch and enters a Fail state anew beside the old visit", () => {
    const run = fold([
      ev(1, 0, "ExecutionStarted"),
      entered(2, 0, "Parallel", "Both"),
      ev(3, 2, "ParallelStateStarted"),
      entered(4, 3, "Task", "L"),
      entered(5, 3, "Fail", "Stop"),
      ev(6, 4, "LambdaFunctionScheduled"),
      ev(7, 6, "LambdaFunctionStarted"),
      ev(8, 7, "LambdaFunctionFailed", failed),
      ev(9, 8, "ParallelStateFailed"),
      ev(10, 9, "ExecutionFailed", { executionFailedEventDetails: { error: "ValueError" } }),
      redriven(11, 10),
      ev(12, 8, "LambdaFunctionScheduled"),
      entered(13, 5, "Fail", "Stop"),
    ]);
    expect(run.byName.get("Both")![0].status).toBe("running");
    const [task] = run.byName.get("L")!;
    expect(task.status).toBe("running");
    expect(task.eventIds).toContain(12);
    const stops = run.byName.get("Stop")!;
    expect(stops).toHaveLength(2);
    expect(stops[1].parent).toBe(stops[0].parent);
  });
});
