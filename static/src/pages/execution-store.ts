/**
 * The run view's store: the folded history (live/run-model) plus the selection, behind a
 * subscribe/version pair for useSyncExternalStore. Listeners hear at most once per frame, so a
 * backlog of thousands of events renders once, not once per event.
 *
 * States are keyed by their definition path (the graph's state id), never by name. With a Map
 * iteration in focus, the states inside that Map show that iteration's path only.
 */
import { createContext, useContext, useSyncExternalStore } from "react";

import { at, field, text, type AslValue } from "../asl/value";
import { buildGraph } from "../graph/build";
import type { AslGraph } from "../graph/model";
import { applyEvent, createRun, overallStatus, ranFor, statusByState, transitionKey, type HistoryEvent, type MapIteration, type RunModel, type RunStatus, type StateVisit } from "../live/run-model";
import { stateLocator } from "../live/state-locator";

export class RunStore {
  run: RunModel;
  readonly graph: AslGraph;
  /** The execution status the server last reported (it may lead the events a moment). */
  status: string;
  connected = false;
  /** The selected state's id. */
  selected: string | null = null;
  /** The visit of the selected state picked in the table or timeline (null: its latest). */
  selectedVisit: StateVisit | null = null;
  /** The Map iteration whose path the graph shows inside its Map. */
  focus: MapIteration | null = null;
  statuses = new Map<string, RunStatus>();
  /** With an iteration in focus: the transitions it took inside its Map. */
  focusTransitions = new Set<string>();
  version = 0;
  private listeners = new Set<() => void>();
  private scheduled = false;
  /** Per container state id: the ids of every state it holds, nested ones included. */
  private inside: Map<string, Set<string>>;

  private readonly definition: AslValue | undefined;
  private readonly paths: Map<string, (string | number)[]>;

  constructor(status: string, definition: AslValue | undefined) {
    this.status = status;
    this.definition = definition;
    this.graph = buildGraph(definition);
    this.paths = new Map(this.graph.states.map((state) => [state.id, state.path]));
    this.run = createRun(stateLocator(this.graph));
    this.inside = descendants(this.graph);
  }

  /** A Fail state's Error and Cause as its definition writes them (its events carry neither). */
  definedFailure(stateId: string): { error?: string; cause?: string } {
    const state = at(this.definition, this.paths.get(stateId) ?? []);
    return { error: text(field(state, "Error")), cause: text(field(state, "Cause")) };
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = () => this.version;

  /** Apply events in order; listeners hear once for the lot. */
  applyEvents(events: HistoryEvent[]): void {
    let applied = false;
    for (const event of events) applied = applyEvent(this.run, event) || applied;
    if (applied) this.changed();
  }

  setStatus(status: string): void {
    this.status = status;
    this.changed();
  }

  setConnected(connected: boolean): void {
    this.connected = connected;
    this.changed();
  }

  select(stateId: string | null): void {
    this.selected = stateId;
    this.selectedVisit = null;
    this.changed();
  }

  /** Select one visit: its state, and on the graph the Map iteration it ran for. */
  selectVisit(visit: StateVisit): void {
    this.selected = visit.stateId;
    this.selectedVisit = visit;
    if (visit.iteration) this.focus = visit.iteration;
    this.changed();
  }

  /** A Parallel branch's or Map processor's name (graph group id). */
  groupLabel = (groupId: string | undefined): string => this.graph.groups.find((group) => group.id === groupId)?.label ?? "Branch";

  /** An event by id (ids run 1, 2, 3...: no search). */
  eventAt = (id: number): HistoryEvent | undefined => {
    const event = this.run.events[id - 1];
    return event?.id === id ? event : this.run.events.find((e) => e.id === id);
  };

  /** The selected state's definition, and whether it uses JSONata. */
  stateDefinition(stateId: string): { state: AslValue | undefined; jsonata: boolean } {
    const state = at(this.definition, this.paths.get(stateId) ?? []);
    const language = text(field(state, "QueryLanguage")) ?? text(field(this.definition, "QueryLanguage"));
    return { state, jsonata: language === "JSONata" };
  }

  /** Show one iteration's path inside its Map (null: every iteration). */
  focusIteration(iteration: MapIteration | null): void {
    this.focus = iteration;
    this.changed();
  }

  /** Whether a state sits inside the focused iteration's Map. */
  inFocus(stateId: string): boolean {
    return this.focus !== null && (this.inside.get(this.focus.map.stateId)?.has(stateId) ?? false);
  }

  /** A state's visits, only the focused iteration's when the state is inside its Map. */
  visitsOf(stateId: string): StateVisit[] {
    const visits = this.run.byState.get(stateId) ?? [];
    const focus = this.focus;
    return focus && this.inFocus(stateId) ? visits.filter((visit) => ranFor(visit, focus)) : visits;
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      this.statuses = statusByState(this.run);
      this.focusTransitions = new Set();
      if (this.focus) {
        for (const id of this.inside.get(this.focus.map.stateId) ?? []) {
          const visits = this.visitsOf(id);
          if (visits.length) this.statuses.set(id, overallStatus(visits));
          else this.statuses.delete(id);
          for (const visit of visits) if (visit.from !== undefined) this.focusTransitions.add(transitionKey(visit.from, id));
        }
      }
      this.version++;
      for (const listener of this.listeners) listener();
    };
    if (typeof requestAnimationFrame === "function" && !document.hidden) requestAnimationFrame(flush);
    else setTimeout(flush, 0);
  }
}

function descendants(graph: AslGraph): Map<string, Set<string>> {
  const owner = new Map(graph.groups.map((group) => [group.id, group.stateId]));
  const groupOf = new Map(graph.states.map((state) => [state.id, state.groupId]));
  const out = new Map<string, Set<string>>();
  for (const state of graph.states) {
    for (let group = state.groupId; group !== undefined; ) {
      const container = owner.get(group)!;
      if (!out.has(container)) out.set(container, new Set());
      out.get(container)!.add(state.id);
      group = groupOf.get(container);
    }
  }
  return out;
}

export const RunContext = createContext<RunStore | null>(null);

/** The store, re-rendering the caller on every change. */
export function useRun(): RunStore {
  const store = useContext(RunContext);
  if (!store) throw new Error("useRun outside RunContext");
  useSyncExternalStore(store.subscribe, store.getVersion);
  return store;
}
