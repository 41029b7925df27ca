/**
 * An execution's history folded into what the run view shows: each state's visits (input,
 * output, events, error) and run status, and the execution's own outcome. Pure and
 * incremental: `applyEvent` takes events in id order, once each (a repeat is ignored), with one
 * handler per event type (Baserow's realtime.js), so the graph can update as events arrive.
 *
 * Events belong to the state visit their `previousEventId` chain leads to; a `<Type>StateExited`
 * closes the open visit of its name and hands later events back to the enclosing visit (a
 * Parallel or Map), as AWS chains them. A visit that saw a failure and still exited was caught.
 *
 * AWS events name states but not where they sit, and names repeat across Map iterations (and,
 * in definitions AWS would refuse, across branches): each visit is placed by the chain too. A
 * visit inside a container belongs to its parent's visit, to the Map iteration whose
 * `MapIterationStarted` its chain starts from, and (through a `StateLocator`) to the state at a
 * definition path: the branch of the sibling it follows, or for a branch's first state, the
 * branch that starts with it.
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: number | null;
  [details: string]: unknown;
}

export type RunStatus = "running" | "succeeded" | "failed" | "caught" | "aborted";

/** One item of a Map visit: its status and the visits made for it, nested ones included. */
export interface MapIteration {
  index: number;
  status: RunStatus;
  map: StateVisit;
  visits: StateVisit[];
}

/** Where a visit sits in the definition: the graph's state id, and the branch or processor. */
export interface Placement {
  stateId: string;
  groupId?: string;
}

/** Places a state entered by name inside its parent's visit, after `sibling` (same parent). */
export type StateLocator = (name: string, parent: StateVisit | undefined, sibling: StateVisit | undefined) => Placement;

export interface StateVisit {
  name: string;
  /** The state's definition path (the graph's state id); the name when no locator is given. */
  stateId: string;
  /** The Parallel branch or Map processor (graph group id) the visit ran in. */
  groupId?: string;
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
  /** The state id of the visit this one followed (the transition taken into it). */
  from?: string;
  /** The nearest Map iteration the visit ran for. */
  iteration?: MapIteration;
  /** A Map visit's iterations, by start order. */
  iterations?: MapIteration[];
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
  /** Visits by state id (definition path). */
  byState: Map<string, StateVisit[]>;
  byName: Map<string, StateVisit[]>;
  /** The visit that events chained after each event belong to (undefined: the execution's own). */
  owner: Map<number, StateVisit | undefined>;
  /** The Map iteration that events chained after each event run for. */
  iterationAt: Map<number, MapIteration | undefined>;
  /** Transitions taken, as transitionKey(from, to) of state ids: a state entered right after another exited. */
  transitions: Set<string>;
  /** The visit each exit event closed, to tell which transition the next entry took. */
  exitedBy: Map<number, StateVisit>;
  execution: ExecutionOutcome;
  locate: StateLocator;
}

export const transitionKey = (from: string, to: string) => `${from}\u0000${to}`;

const byNameOnly: StateLocator = (name) => ({ stateId: name });

export function createRun(locate: StateLocator = byNameOnly): RunModel {
  return {
    events: [],
    lastEventId: 0,
    visits: [],
    byState: new Map(),
    byName: new Map(),
    owner: new Map(),
    iterationAt: new Map(),
    transitions: new Set(),
    exitedBy: new Map(),
    execution: { status: "RUNNING" },
    locate,
  };
}

function file<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
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
  const before = run.exitedBy.get(event.previousEventId);
  const sibling = before?.parent === owner ? before : undefined;
  const iteration = run.iterationAt.get(event.previousEventId);
  const visit: StateVisit = {
    name,
    ...run.locate(name, owner, sibling),
    stateType,
    status: stateType === "Fail" ? "failed" : "running",
    input: payload(d.input),
    failing: false,
    eventIds: [],
    parent: owner,
    from: before?.stateId,
    iteration,
    enteredAt: event.timestamp,
  };
  if (stateType === "Map") visit.iterations = [];
  run.visits.push(visit);
  iteration?.visits.push(visit);
  if (before) run.transitions.add(transitionKey(before.stateId, visit.stateId));
  file(run.byState, visit.stateId, visit);
  file(run.byName, name, visit);
  return visit;
};

const exited: Handler = (run, event, owner) => {
  const d = details(event, "stateExitedEventDetails");
  const name = String(d.name ?? "");
  // The chain leads to the visit it closes; by name only when it does not (concurrent
  // iterations keep several visits of one name open).
  const open =
    owner && owner.name === name && owner.exitedAt === undefined
      ? owner
      : [...(run.byName.get(name) ?? [])].reverse().find((v) => v.exitedAt === undefined);
  const visit = open ?? owner;
  if (!visit) return owner;
  visit.eventIds.push(event.id);
  run.exitedBy.set(event.id, visit);
  run.iterationAt.set(event.id, visit.iteration);
  visit.output = payload(d.output);
  visit.exitedAt = event.timestamp;
  // A container's failure events carry no error; the Catch's error output does.
  const caught = visit.output as { Error?: unknown; Cause?: unknown } | null;
  if (visit.failing && caught && typeof caught === "object" && typeof caught.Error === "string" && visit.error?.startsWith(visit.stateType)) {
    visit.error = caught.Error;
    visit.cause = typeof caught.Cause === "string" ? caught.Cause : undefined;
  }
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

/** The Map visit an iteration event speaks of: the chain's nearest Map of that name. */
function mapVisit(owner: StateVisit | undefined, name: unknown): StateVisit | undefined {
  let visit = owner;
  while (visit && !(visit.stateType === "Map" && (name === undefined || visit.name === name))) visit = visit.parent;
  return visit;
}

const iterationStarted: Handler = (run, event, owner) => {
  const d = eventDetails(event);
  const map = mapVisit(owner, d.name);
  if (map?.iterations) {
    const iteration: MapIteration = { index: Number(d.index ?? map.iterations.length), status: "running", map, visits: [] };
    map.iterations.push(iteration);
    run.iterationAt.set(event.id, iteration);
  }
  return owner;
};

const iterationEnded =
  (status: RunStatus): Handler =>
  (_run, event, owner) => {
    const d = eventDetails(event);
    const map = mapVisit(owner, d.name);
    const index = Number(d.index);
    const iterations = map?.iterations ?? [];
    let at = iterations.length - 1;
    while (at >= 0 && iterations[at].index !== index) at--;
    const iteration = iterations[at];
    if (iteration) iteration.status = status;
    if (map && status === "failed") {
      map.failing = true;
      map.error = d.error === undefined ? event.type : String(d.error);
      map.cause = d.cause === undefined ? undefined : String(d.cause);
    }
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
      for (const iteration of visit.iterations ?? []) if (iteration.status === "running") iteration.status = "aborted";
      if (visit.exitedAt !== undefined || visit.status !== "running") continue;
      visit.status = visit.failing || status === "FAILED" || status === "TIMED_OUT" ? "failed" : "aborted";
    }
    return undefined;
  };

/**
 * A redrive: the execution runs again and the visits it stopped in go on (a Fail state is
 * entered anew). The top visit that goes on owns what follows ExecutionRedriven; a branch or an
 * iteration chains on from its own last event.
 */
const executionRedriven: Handler = (run) => {
  run.execution = { ...run.execution, status: "RUNNING", output: undefined, error: undefined, cause: undefined };
  let resumed: StateVisit | undefined;
  for (const visit of run.visits) {
    if (visit.exitedAt !== undefined || (visit.status !== "failed" && visit.status !== "aborted")) continue;
    if (visit.stateType === "Fail") {
      // Entered again beside itself, not inside itself.
      const last = visit.eventIds[visit.eventIds.length - 1];
      if (last !== undefined) run.owner.set(last, visit.parent);
      continue;
    }
    visit.status = "running";
    visit.failing = false;
    visit.error = visit.cause = undefined;
    if (!visit.parent) resumed = visit;
  }
  return resumed;
};

const HANDLERS: Record<string, Handler> = {
  ExecutionStarted: executionStarted,
  ExecutionRedriven: executionRedriven,
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
  MapIterationStarted: iterationStarted,
  MapIterationSucceeded: iterationEnded("succeeded"),
  MapIterationFailed: iterationEnded("failed"),
  MapIterationAborted: iterationEnded("aborted"),
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
  if (!run.iterationAt.has(event.id)) run.iterationAt.set(event.id, run.iterationAt.get(event.previousEventId));
  // An exit files itself under the visit it closes; every other event under its heir.
  if (handler !== exited && heir) heir.eventIds.push(event.id);
  return true;
}

const PRIORITY: RunStatus[] = ["running", "failed", "caught", "succeeded", "aborted"];

/** One status for several visits: any running wins, then failed, caught, succeeded. */
export function overallStatus(visits: StateVisit[]): RunStatus {
  return PRIORITY.find((status) => visits.some((v) => v.status === status)) ?? "succeeded";
}

/** One status per state id (definition path). */
export function statusByState(run: RunModel): Map<string, RunStatus> {
  const out = new Map<string, RunStatus>();
  for (const [id, visits] of run.byState) out.set(id, overallStatus(visits));
  return out;
}

/** Whether a visit ran for an iteration, directly or inside a container the iteration ran. */
export function ranFor(visit: StateVisit, iteration: MapIteration): boolean {
  for (let v: StateVisit | undefined = visit; v; v = v.iteration?.map) if (v.iteration === iteration) return true;
  return false;
}

/** A Map state's iterations over all its visits, counted by status. */
export function iterationCounts(visits: StateVisit[]): Record<RunStatus, number> {
  const counts: Record<RunStatus, number> = { running: 0, succeeded: 0, failed: 0, caught: 0, aborted: 0 };
  for (const visit of visits) for (const iteration of visit.iterations ?? []) counts[iteration.status]++;
  return counts;
}
