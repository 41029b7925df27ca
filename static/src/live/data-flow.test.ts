import { describe, expect, it } from "vitest";

import { parseDocument } from "../asl/document";
import { at } from "../asl/value";
import { attempts, dataFlow, retryCount, variablesBefore } from "./data-flow";
import { applyEvent, createRun, type HistoryEvent } from "./run-model";

const ev = (id: number, previousEventId: number, type: string, extra: Record<string, unknown> = {}): HistoryEvent => ({ id, previousEventId, type, timestamp: id, ...extra });

function fold(events: HistoryEvent[]) {
  const run = createRun();
  for (const e of events) applyEvent(run, e);
  return { run, eventAt: (id: number) => run.events[id - 1] };
}

const DEFINITION = parseDocument(
  JSON.stringify({
    StartAt: "Call",
    States: {
      Call: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        InputPath: "$.order",
        Parameters: { "Payload.$": "$" },
        ResultSelector: { "total.$": "$.Payload.total" },
        ResultPath: "$.result",
        Assign: { "lastTotal.$": "$.Payload.total" },
        Retry: [{ ErrorEquals: ["States.TaskFailed"], MaxAttempts: 2 }],
        End: true,
      },
    },
  }),
).root;

// A task that failed once, was retried, and succeeded (the events AWS writes for it).
const RETRIED = [
  ev(1, 0, "ExecutionStarted", { executionStartedEventDetails: { input: '{"order":{"id":7}}' } }),
  ev(2, 0, "TaskStateEntered", { stateEnteredEventDetails: { name: "Call", input: '{"order":{"id":7}}' } }),
  ev(3, 2, "TaskScheduled", { taskScheduledEventDetails: { resource: "invoke", parameters: '{"Payload":{"id":7}}' } }),
  ev(4, 3, "TaskStarted"),
  ev(5, 4, "TaskFailed", { taskFailedEventDetails: { error: "States.TaskFailed", cause: "boom" } }),
  ev(6, 5, "TaskScheduled", { taskScheduledEventDetails: { resource: "invoke", parameters: '{"Payload":{"id":7}}' } }),
  ev(7, 6, "TaskStarted"),
  ev(8, 7, "TaskSucceeded", { taskSucceededEventDetails: { output: '{"Payload":{"total":5}}' } }),
  ev(9, 8, "TaskStateExited", {
    stateExitedEventDetails: { name: "Call", output: '{"order":{"id":7},"result":{"total":5}}', assignedVariables: { lastTotal: "5" } },
  }),
];

describe("data flow", () => {
  it("reads each stage of a task from its events, naming the fields that shaped it", () => {
    const { run, eventAt } = fold(RETRIED);
    const visit = run.byName.get("Call")![0];
    const stages = dataFlow(visit, eventAt, at(DEFINITION, ["States", "Call"]));
    expect(stages.map((s) => [s.title, s.fields.map((f) => f.name), s.value])).toEqual([
      ["Input", [], { order: { id: 7 } }],
      ["Sent to the task", ["InputPath", "Parameters"], { Payload: { id: 7 } }],
      ["Task result", [], { Payload: { total: 5 } }],
      ["Output", ["ResultSelector", "ResultPath"], { order: { id: 7 }, result: { total: 5 } }],
      ["Variables assigned", ["Assign"], { lastTotal: 5 }],
    ]);
    expect(stages[1].fields[0]).toEqual({ name: "InputPath", value: '"$.order"' });
  });

  it("counts every attempt, with each failure's error and cause", () => {
    const { run, eventAt } = fold(RETRIED);
    const visit = run.byName.get("Call")![0];
    expect(attempts(visit, eventAt)).toEqual([
      { number: 1, startedAt: 3, status: "failed", endedAt: 5, error: "States.TaskFailed", cause: "boom" },
      { number: 2, startedAt: 6, status: "succeeded", endedAt: 8 },
    ]);
    expect(retryCount(visit, eventAt)).toBe(1);
  });

  it("names JSONata's fields for a JSONata state", () => {
    const state = parseDocument(JSON.stringify({ Type: "Task", Resource: "r", Arguments: { a: "{% $states.input %}" }, Output: "{% $states.result %}", End: true })).root;
    const { run, eventAt } = fold(RETRIED);
    const stages = dataFlow(run.byName.get("Call")![0], eventAt, state, true);
    expect(stages.map((s) => s.fields.map((f) => f.name))).toEqual([[], ["Arguments"], [], ["Output"], []]);
  });

  it("says what is not there yet while the task runs", () => {
    const { run, eventAt } = fold(RETRIED.slice(0, 4));
    const stages = dataFlow(run.byName.get("Call")![0], eventAt, at(DEFINITION, ["States", "Call"]));
    expect(stages.find((s) => s.title === "Task result")?.missing).toBe("Not yet: the task has not answered.");
    expect(stages.find((s) => s.title === "Output")?.missing).toBe("Not yet: the state has not exited.");
  });
});

describe("variablesBefore", () => {
  it("collects what earlier top-level states assigned, later ones winning", () => {
    const { run, eventAt } = fold([
      ev(1, 0, "ExecutionStarted"),
      ev(2, 1, "PassStateEntered", { stateEnteredEventDetails: { name: "A", input: "{}" } }),
      ev(3, 2, "PassStateExited", { stateExitedEventDetails: { name: "A", output: "{}", assignedVariables: { n: "1", who: '"ana"' } } }),
      ev(4, 3, "PassStateEntered", { stateEnteredEventDetails: { name: "B", input: "{}" } }),
      ev(5, 4, "PassStateExited", { stateExitedEventDetails: { name: "B", output: "{}", assignedVariables: { n: "2" } } }),
      ev(6, 5, "PassStateEntered", { stateEnteredEventDetails: { name: "C", input: "{}" } }),
      ev(7, 6, "PassStateExited", { stateExitedEventDetails: { name: "C", output: "{}", assignedVariables: { late: "true" } } }),
    ]);
    const [b] = run.byName.get("B")!;
    const [c] = run.byName.get("C")!;
    expect(variablesBefore(run.visits, b, eventAt)).toEqual({ n: 1, who: "ana" });
    expect(variablesBefore(run.visits, c, eventAt)).toEqual({ n: 2, who: "ana" });
  });

  it("inside a Map iteration: the outer scopes' and its own iteration's, never a sibling iteration's", () => {
    const iteration = (id: number, prev: number, index: number) => ev(id, prev, "MapIterationStarted", { mapIterationStartedEventDetails: { name: "M", index } });
    const pass = (id: number, prev: number, kind: "Entered" | "Exited", name: string, assigned?: Record<string, string>) =>
      ev(id, prev, `PassState${kind}`, kind === "Entered" ? { stateEnteredEventDetails: { name, input: "{}" } } : { stateExitedEventDetails: { name, output: "{}", assignedVariables: assigned } });
    const { run, eventAt } = fold([
      ev(1, 0, "ExecutionStarted"),
      pass(2, 1, "Entered", "Top"),
      pass(3, 2, "Exited", "Top", { outer: "1" }),
      ev(4, 3, "MapStateEntered", { stateEnteredEventDetails: { name: "M", input: "[]" } }),
      ev(5, 4, "MapStateStarted"),
      iteration(6, 5, 0),
      pass(7, 6, "Entered", "X"),
      pass(8, 7, "Exited", "X", { inner: '"a"' }),
      iteration(9, 5, 1),
      pass(10, 9, "Entered", "X"),
      pass(11, 10, "Exited", "X", { inner: '"b"' }),
      pass(12, 8, "Entered", "Y"),
      pass(13, 11, "Entered", "Y"),
    ]);
    const [y0, y1] = run.byName.get("Y")!;
    expect(variablesBefore(run.visits, y0, eventAt)).toEqual({ outer: 1, inner: "a" });
    expect(variablesBefore(run.visits, y1, eventAt)).toEqual({ outer: 1, inner: "b" });
  });
});
