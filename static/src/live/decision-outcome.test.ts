import { describe, expect, it } from "vitest";

import { decisionOutcome } from "./decision-outcome";
import { applyEvent, createRun, type HistoryEvent } from "./run-model";

const ev = (id: number, previousEventId: number, type: string, extra: Record<string, unknown> = {}): HistoryEvent => ({ id, previousEventId, type, timestamp: id, ...extra });
const entered = (id: number, prev: number, type: string, name: string) => ev(id, prev, `${type}StateEntered`, { stateEnteredEventDetails: { name, input: "{}" } });
const exited = (id: number, prev: number, type: string, name: string) => ev(id, prev, `${type}StateExited`, { stateExitedEventDetails: { name, output: "{}" } });

function fold(events: HistoryEvent[]) {
  const run = createRun();
  for (const e of events) applyEvent(run, e);
  return run;
}

const waiting = [ev(1, 0, "ExecutionStarted"), entered(2, 1, "Task", "Ask"), ev(3, 2, "TaskScheduled"), ev(4, 3, "TaskStarted")];

describe("decisionOutcome", () => {
  it("follows an approval to the end", () => {
    const run = fold([...waiting, ev(5, 4, "TaskSucceeded"), exited(6, 5, "Task", "Ask"), entered(7, 6, "Choice", "IsApproved")]);
    expect(decisionOutcome(run, "Ask")).toMatchObject({
      status: "RUNNING",
      after: ["IsApproved"],
      sentences: ["Ask took the answer as its result.", "Then the workflow went to IsApproved.", "The execution is running, now at IsApproved."],
    });
    for (const e of [exited(8, 7, "Choice", "IsApproved"), entered(9, 8, "Succeed", "Done"), exited(10, 9, "Succeed", "Done"), ev(11, 10, "ExecutionSucceeded", { executionSucceededEventDetails: { output: "{}" } })]) applyEvent(run, e);
    expect(decisionOutcome(run, "Ask")).toMatchObject({ status: "SUCCEEDED", after: ["IsApproved", "Done"], failedAt: undefined });
    expect(decisionOutcome(run, "Ask").sentences.at(-1)).toBe("The execution succeeded.");
  });

  it("says where the run failed and why (the bug the brand-asset sample had)", () => {
    const run = fold([
      ...waiting,
      ev(5, 4, "TaskSucceeded"),
      exited(6, 5, "Task", "Ask"),
      entered(7, 6, "Choice", "IsApproved"),
      ev(8, 7, "ExecutionFailed", { executionFailedEventDetails: { error: "States.Runtime", cause: "Invalid path '$.approval.decision'" } }),
    ]);
    const outcome = decisionOutcome(run, "Ask");
    expect(outcome.failedAt).toBe("IsApproved");
    expect(outcome.sentences.at(-1)).toBe("The execution failed at IsApproved: States.Runtime: Invalid path '$.approval.decision'.");
  });

  it("tells a caught rejection from an approval", () => {
    const run = fold([
      ...waiting,
      ev(5, 4, "TaskFailed", { taskFailedEventDetails: { error: "Rejected", cause: "blurry (rejected by rita)" } }),
      exited(6, 5, "Task", "Ask"),
      entered(7, 6, "Pass", "NotifyRejected"),
    ]);
    expect(decisionOutcome(run, "Ask").sentences[0]).toBe("Ask received the answer as the error Rejected: blurry (rejected by rita), and its Catch took it.");
  });

  it("knows when the state is not in the history yet", () => {
    expect(decisionOutcome(fold([ev(1, 0, "ExecutionStarted")]), "Ask").sentences[0]).toBe("The history does not show Ask yet.");
  });
});
