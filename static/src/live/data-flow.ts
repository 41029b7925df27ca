/**
 * One state visit read as Workflow Studio's data flow, as far as AWS's history carries it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html):
 * the state's input; what the task was sent (after InputPath and Parameters, or Arguments); the
 * task's result; the state's output (after ResultSelector, ResultPath and OutputPath, or Output);
 * the variables it assigned. Each stage names the definition fields that shaped it. And each
 * attempt of a task, with the error and cause of every failed one (the retries).
 */
import { field, toJsonText, type AslValue } from "../asl/value";
import { eventDetails, payload, type HistoryEvent, type StateVisit } from "./run-model";

export interface Stage {
  title: string;
  /** The definition fields applied to reach this stage, as written (`ResultPath: "$.x"`). */
  fields: { name: string; value: string }[];
  value: unknown;
  /** Why there is no value (yet). */
  missing?: string;
}

export interface Attempt {
  number: number;
  startedAt: number | null;
  status: "running" | "succeeded" | "failed";
  error?: string;
  cause?: string;
  endedAt?: number | null;
}

const KINDS = ["Task", "LambdaFunction", "Activity"];
const FAILURES = ["Failed", "TimedOut", "StartFailed", "ScheduleFailed", "SubmitFailed"];

function applied(state: AslValue | undefined, names: string[]): Stage["fields"] {
  const out: Stage["fields"] = [];
  for (const name of names) {
    const value = field(state, name);
    if (value !== undefined) out.push({ name, value: toJsonText(value, 0) });
  }
  return out;
}

function eventsOf(visit: StateVisit, eventAt: (id: number) => HistoryEvent | undefined): HistoryEvent[] {
  return visit.eventIds.map(eventAt).filter((e): e is HistoryEvent => e !== undefined);
}

/** Every attempt of a Task visit (one per `*Scheduled` event); a Retry makes the next one. */
export function attempts(visit: StateVisit, eventAt: (id: number) => HistoryEvent | undefined): Attempt[] {
  const out: Attempt[] = [];
  for (const event of eventsOf(visit, eventAt)) {
    const kind = KINDS.find((k) => event.type.startsWith(k));
    if (!kind) continue;
    const rest = event.type.slice(kind.length);
    if (rest === "Scheduled") {
      out.push({ number: out.length + 1, startedAt: event.timestamp, status: "running" });
      continue;
    }
    const current = out[out.length - 1];
    if (!current || current.status !== "running") continue;
    if (rest === "Succeeded") Object.assign(current, { status: "succeeded", endedAt: event.timestamp });
    else if (FAILURES.includes(rest)) {
      const d = eventDetails(event);
      Object.assign(current, {
        status: "failed",
        endedAt: event.timestamp,
        error: d.error === undefined ? event.type : String(d.error),
        cause: d.cause === undefined ? undefined : String(d.cause),
      });
    }
  }
  return out;
}

export function retryCount(visit: StateVisit, eventAt: (id: number) => HistoryEvent | undefined): number {
  return Math.max(0, attempts(visit, eventAt).length - 1);
}

/**
 * The data flow of one visit; `state` is the state's definition (for the fields applied) and
 * `jsonata` whether it uses JSONata (its own QueryLanguage, else the state machine's).
 */
export function dataFlow(visit: StateVisit, eventAt: (id: number) => HistoryEvent | undefined, state: AslValue | undefined, jsonata = false): Stage[] {
  const events = eventsOf(visit, eventAt);
  const exitedYet = visit.exitedAt !== undefined;
  const stages: Stage[] = [{ title: "Input", fields: [], value: visit.input }];
  if (visit.stateType === "Task") {
    const scheduled = [...events].reverse().find((e) => KINDS.some((k) => e.type === `${k}Scheduled`));
    const sent = scheduled ? eventDetails(scheduled) : {};
    stages.push({
      title: "Sent to the task",
      fields: applied(state, jsonata ? ["Arguments"] : ["InputPath", "Parameters"]),
      value: payload(sent.parameters ?? sent.input),
      missing: scheduled ? undefined : "The task was not scheduled.",
    });
    const succeeded = [...events].reverse().find((e) => KINDS.some((k) => e.type === `${k}Succeeded`));
    stages.push({
      title: "Task result",
      fields: [],
      value: succeeded ? payload(eventDetails(succeeded).output) : undefined,
      missing: succeeded ? undefined : visit.status === "running" ? "Not yet: the task has not answered." : "The task did not succeed.",
    });
  }
  const shaping: Record<string, string[]> = {
    Task: ["ResultSelector", "ResultPath", "OutputPath"],
    Parallel: ["ResultSelector", "ResultPath", "OutputPath"],
    Map: ["ItemsPath", "ItemSelector", "ResultSelector", "ResultPath", "OutputPath"],
    Pass: ["InputPath", "Parameters", "Result", "ResultPath", "OutputPath"],
  };
  stages.push({
    title: "Output",
    fields: applied(state, jsonata ? ["Output"] : (shaping[visit.stateType] ?? ["InputPath", "OutputPath"])),
    value: visit.output,
    missing: exitedYet ? undefined : visit.status === "running" ? "Not yet: the state has not exited." : "None: the execution ended in this state.",
  });
  const exited = events.find((e) => e.type.endsWith("StateExited"));
  const assigned = exited ? (eventDetails(exited).assignedVariables as Record<string, string> | undefined) : undefined;
  if (assigned || field(state, "Assign") !== undefined) {
    stages.push({
      title: "Variables assigned",
      fields: applied(state, ["Assign"]),
      value: assigned ? Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, payload(v)])) : undefined,
      missing: exitedYet ? "None." : "Not yet: the state has not exited.",
    });
  }
  return stages;
}

/**
 * The variables a visit saw: what the states that exited before it assigned in its own scope and
 * in each scope around it (the branch or iteration it ran in, its container's, up to the top
 * level), later assignments winning. A sibling branch's or iteration's variables stay inside it,
 * as on AWS.
 */
export function variablesBefore(visits: StateVisit[], visit: StateVisit, eventAt: (id: number) => HistoryEvent | undefined): Record<string, unknown> {
  const first = visit.eventIds[0] ?? Infinity;
  const scopes: { parent?: StateVisit; groupId?: string; iteration?: unknown }[] = [];
  for (let at: StateVisit | undefined = visit; at; at = at.parent) scopes.push({ parent: at.parent, groupId: at.groupId, iteration: at.iteration });
  const inScope = (other: StateVisit) => scopes.some((s) => s.parent === other.parent && s.groupId === other.groupId && s.iteration === other.iteration);
  const seen: Record<string, unknown> = {};
  for (const other of visits) {
    if (other === visit || !inScope(other)) continue;
    const exit = other.eventIds.map(eventAt).find((e) => e?.type.endsWith("StateExited"));
    if (!exit || exit.id >= first) continue;
    const assigned = eventDetails(exit).assignedVariables as Record<string, string> | undefined;
    for (const [name, value] of Object.entries(assigned ?? {})) seen[name] = payload(value);
  }
  return seen;
}
