import { describe, expect, it } from "vitest";

import { calledFunction, functionNameOf, logsOfVisit, type FunctionLog } from "./function-logs";
import { applyEvent, createRun, type HistoryEvent } from "./run-model";

const ev = (id: number, previousEventId: number, type: string, extra: Record<string, unknown> = {}): HistoryEvent => ({ id, previousEventId, type, timestamp: 100 + id, ...extra });

function visitOf(events: HistoryEvent[]) {
  const run = createRun();
  for (const e of events) applyEvent(run, e);
  return { visit: run.visits[0], eventAt: (id: number) => run.events[id - 1] };
}

describe("function logs", () => {
  it("reads the function's name from a name or any Lambda ARN", () => {
    expect(functionNameOf("validate-order")).toBe("validate-order");
    expect(functionNameOf("arn:aws:lambda:us-east-1:123456789012:function:validate-order")).toBe("validate-order");
    expect(functionNameOf("arn:aws:lambda:us-east-1:123456789012:function:validate-order:live")).toBe("validate-order");
  });

  it("finds the function a Lambda resource or lambda:invoke called", () => {
    const enter = ev(1, 0, "TaskStateEntered", { stateEnteredEventDetails: { name: "T", input: "{}" } });
    const arn = visitOf([enter, ev(2, 1, "LambdaFunctionScheduled", { lambdaFunctionScheduledEventDetails: { resource: "arn:aws:lambda:us-east-1:1:function:fetch" } })]);
    expect(calledFunction(arn.visit, arn.eventAt)).toBe("fetch");
    const invoke = visitOf([
      enter,
      ev(2, 1, "TaskScheduled", { taskScheduledEventDetails: { resourceType: "lambda", resource: "invoke", parameters: '{"FunctionName":"arn:aws:lambda:us-east-1:1:function:notify","Payload":{}}' } }),
    ]);
    expect(calledFunction(invoke.visit, invoke.eventAt)).toBe("notify");
    const sqs = visitOf([enter, ev(2, 1, "TaskScheduled", { taskScheduledEventDetails: { resourceType: "sqs", resource: "sendMessage", parameters: "{}" } })]);
    expect(calledFunction(sqs.visit, sqs.eventAt)).toBeUndefined();
  });

  it("keeps the calls made while the visit ran", () => {
    const { visit } = visitOf([ev(1, 0, "TaskStateEntered", { stateEnteredEventDetails: { name: "T", input: "{}" } }), ev(5, 1, "TaskStateExited", { stateExitedEventDetails: { name: "T", output: "{}" } })]);
    const log = (fn: string, startedAt: number): FunctionLog => ({ function: fn, requestId: `${fn}${startedAt}`, startedAt, durationMs: 3, errorType: "", log: "" });
    const logs = [log("fetch", 99), log("fetch", 102), log("other", 102), log("fetch", 110)];
    expect(logsOfVisit(logs, "fetch", visit, 200).map((l) => l.requestId)).toEqual(["fetch102"]);
  });
});
