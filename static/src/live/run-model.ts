/**
 * An execution's history folded into what the run view shows: each state's visits (input,
 * output, events, error) and run status, and the execution's own outcome. Pure and
 * incremental: `applyEvent` takes events in id order, once each (a repeat is ignored), with one
 * handler per event type (Baserow's realtime.js), so the graph can update as events arrive.
 *
 * Events belong to the state visit their `previousEventId` chain leads to; a `<Type>StateExited`
 * closes the open visit of its name and hands later events back to the enclosing visit (a
 * Parallel or Map), as AWS chains them. A visit that saw a failure and still exited was caught.
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: number | null;
  [details: string]: unknown;
}

export type RunStatus = "running" | "succeeded" | "failed" | "caught" | "aborted";

export interface StateVisit {
  name: string;
  stateType: string;
  status: RunStatus;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  /** The failure seen since the last (re)try: a visit that exits with one was caught. */
  failing: boolean;
  eventIds: number[];
  parent?: StateVisit;
  enteredAt: number | null;
  exitedAt?: number | null;
}

export interface ExecutionOutcome {
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface RunModel {
  events: HistoryEvent[];
  lastEventId: number;
  visits: StateVisit[];
  byName: Map<string, StateVisit[]>;
  /** The visit that events chained after each event belong to (undefined: the execution's own). */
  owner: Map<number, StateVisit | undefined>;
  /** Transitions taken, as transitionKey(from, to): a state entered right after another exited. */
  transitions: Set<string>;
  /** The state each exit event closed, to tell which transition the next entry took. */
  exitedBy: Map<number, string>;
  execution: ExecutionOutcome;
}

export const transitionKey = (from: string, to: string) => `${from}\u0000${to}`;

export function createRun(): RunModel {
  return { events: [], lastEventId: 0, visits: [], byName: new Map(), owner: new Map(), transitions: new Set(), exitedBy: new Map(), execution: { status: "RUNNING" } };
}

/** JSON payloads arrive as text (AWS's shape); show them parsed when they parse. */
export function payload(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function details(event: HistoryEvent, key: string): Record<string, unknown> {
  const value = event[key];
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** The `<x>EventDetails` object of an event, whichever it is. */
export function eventDetails(event: HistoryEvent): Record<string, unknown> {
  const key = Object.keys(event).find((k) => k.endsWith("EventDetails"));
  return key ? details(event, key) : {};
}

type Handler = (run: RunModel, event: HistoryEvent, owner: StateVisit | undefined) => StateVisit | undefined;

const STATE_TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

const entered: Handler = (run, event, owner) => {
  const d = details(event, "stateEnteredEventDetails");
  const name = String(d.name ?? "");
  const stateType = event.type.slice(0, -"StateEntered".length);
  const visit: StateVisit = {
    name,
    stateType,
    status: stateType === "Fail" ? "failed" : "running",
    input: payload(d.input),
    failing: false,
    eventIds: [],
    parent: owner,
    enteredAt: event.timestamp,
  };
  run.visits.push(visit);
  const from = run.exitedBy.get(event.previousEventId);
  if (from !== undefined) run.transitions.add(transitionKey(from, name));
  if (!run.byName.has(name)) run.byName.set(name, []);
  run.byName.get(name)!.push(visit);
  return visit;
};

const exited: Handler = (run, event, owner) => {
  const d = details(event, "stateExitedEventDetails");
  const name = String(d.name ?? "");
  const open = [...(run.byName.get(name) ?? [])].reverse().find((v) => v.exitedAt === undefined);
  const visit = open ?? owner;
  if (!visit) return owner;
  visit.eventIds.push(event.id);
  run.exitedBy.set(event.id, name);
  visit.output = payload(d.output);
  visit.exitedAt = event.timestamp;
  if (visit.status !== "failed") visit.status = visit.failing ? "caught" : "succeeded";
  // What follows belongs to the enclosing Parallel or Map, or to the execution.
  return visit.parent;
};

/** A task, branch or iteration failed: the visit fails unless a Catch takes it (then it exits). */
const stateFailure: Handler = (_run, event, owner) => {
  if (owner) {
    const d = eventDetails(event);
    owner.failing = true;
    owner.error = d.error === undefined ? event.type : String(d.error);
    owner.cause = d.cause === undefined ? undefined : String(d.cause);
  }
  return owner;
};

/** ParallelStateFailed / MapStateFailed: the container itself failed, wherever the chain was. */
const containerFailure = (stateType: string): Handler => (run, event, owner) => {
  let visit = owner;
  while (visit && visit.stateType !== stateType) visit = visit.parent;
  stateFailure(run, event, visit ?? owner);
  return owner;
};

/** A new attempt (a Retry): the earlier failure no longer decides the visit. */
const attempt: Handler = (_run, _event, owner) => {
  if (owner) {
    owner.failing = false;
    owner.error = owner.cause = undefined;
  }
  return owner;
};

const executionStarted: Handler = (run, event) => {
  run.execution.input = payload(details(event, "executionStartedEventDetails").input);
  return undefined;
};

const executionEnded =
  (status: ExecutionOutcome["status"], key: string): Handler =>
  (run, event) => {
    const d = details(event, key);
    run.execution = {
      ...run.execution,
      status,
      output: d.output === undefined ? undefined : payload(d.output),
      error: d.error === undefined ? undefined : String(d.error),
      cause: d.cause === undefined ? undefined : String(d.cause),
    };
    // Whatever was still open ends with the execution.
    for (const visit of run.visits) {
      if (visit.exitedAt !== undefined || visit.status !== "running") continue;
      visit.status = visit.failing || status === "FAILED" || status === "TIMED_OUT" ? "failed" : "aborted";
    }
    return undefined;
  };

const HANDLERS: Record<string, Handler> = {
  ExecutionStarted: executionStarted,
  ExecutionSucceeded: executionEnded("SUCCEEDED", "executionSucceededEventDetails"),
  ExecutionFailed: executionEnded("FAILED", "executionFailedEventDetails"),
  ExecutionTimedOut: executionEnded("TIMED_OUT", "executionTimedOutEventDetails"),
  ExecutionAborted: executionEnded("ABORTED", "executionAbortedEventDetails"),
  ParallelStateFailed: containerFailure("Parallel"),
  MapStateFailed: containerFailure("Map"),
  ...Object.fromEntries(STATE_TYPES.flatMap((t) => [[`${t}StateEntered`, entered], [`${t}StateExited`, exited]])),
  ...Object.fromEntries(
    ["Task", "LambdaFunction", "Activity"].flatMap((t) => [
      [`${t}Failed`, stateFailure],
      [`${t}TimedOut`, stateFailure],
      [`${t}StartFailed`, stateFailure],
      [`${t}ScheduleFailed`, stateFailure],
      [`${t}SubmitFailed`, stateFailure],
      [`${t}Scheduled`, attempt],
    ]),
  ),
  MapIterationFailed: stateFailure,
  MapIterationAborted: stateFailure,
};

/** Fold one event in; false when it was already seen (ids only grow). */
export function applyEvent(run: RunModel, event: HistoryEvent): boolean {
  if (event.id <= run.lastEventId) return false;
  run.events.push(event);
  run.lastEventId = event.id;
  const owner = run.owner.get(event.previousEventId);
  const handler = HANDLERS[event.type];
  const heir = handler ? handler(run, event, owner) : owner;
  run.owner.set(event.id, heir);
  // An exit files itself under the visit it closes; every other event under its heir.
  if (handler !== exited && heir) heir.eventIds.push(event.id);
  return true;
}

const PRIORITY: RunStatus[] = ["running", "failed", "caught", "succeeded", "aborted"];

/** One status per state name: any visit running wins, then failed, caught, succeeded. */
export function statusByName(run: RunModel): Map<string, RunStatus> {
  const out = new Map<string, RunStatus>();
  for (const [name, visits] of run.byName) {
    out.set(name, PRIORITY.find((status) => visits.some((v) => v.status === status)) ?? "succeeded");
  }
  return out;
}
