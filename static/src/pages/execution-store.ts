/**
 * The run view's store: the folded history (live/run-model) plus the selection, behind a
 * subscribe/version pair for useSyncExternalStore. Listeners hear at most once per frame, so a
 * backlog of thousands of events renders once, not once per event.
 */
import { createContext, useContext, useSyncExternalStore } from "react";

import { applyEvent, createRun, statusByName, type HistoryEvent, type RunModel, type RunStatus } from "../live/run-model";

export class RunStore {
  run: RunModel = createRun();
  /** The execution status the server last reported (it may lead the events a moment). */
  status: string;
  connected = false;
  selected: string | null = null;
  statuses = new Map<string, RunStatus>();
  version = 0;
  private listeners = new Set<() => void>();
  private scheduled = false;

  constructor(status: string) {
    this.status = status;
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = () => this.version;

  applyEvent(event: HistoryEvent): void {
    if (applyEvent(this.run, event)) this.changed();
  }

  setStatus(status: string): void {
    this.status = status;
    this.changed();
  }

  setConnected(connected: boolean): void {
    this.connected = connected;
    this.changed();
  }

  select(name: string | null): void {
    this.selected = name;
    this.changed();
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      this.statuses = statusByName(this.run);
      this.version++;
      for (const listener of this.listeners) listener();
    };
    if (typeof requestAnimationFrame === "function" && !document.hidden) requestAnimationFrame(flush);
    else setTimeout(flush, 0);
  }
}

export const RunContext = createContext<RunStore | null>(null);

/** The store, re-rendering the caller on every change. */
export function useRun(): RunStore {
  const store = useContext(RunContext);
  if (!store) throw new Error("useRun outside RunContext");
  useSyncExternalStore(store.subscribe, store.getVersion);
  return store;
}
