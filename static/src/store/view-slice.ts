/**
 * View state keyed by state id (JSON pointer): selection, pinned positions, collapsed
 * containers, the compare overlay. None of it enters the ASL text (DESIGN decision 1);
 * positions and collapsed containers go to the draft's layout record.
 */
import type { StateCreator } from "zustand";

import { readLayout, renameLayout, renameLayoutId, storeLayout, type AutoLayout } from "../layout/layout-record";
import type { EditorState } from "./index";

export interface Position {
  x: number;
  y: number;
}

/** The draft's layout record, as stored beside the definition. */
export interface LayoutRecord {
  version: 1;
  /** Positions the author chose (dragged), by state id. */
  positions: Record<string, Position>;
  collapsed: string[];
  auto?: AutoLayout;
}

export type CompareStatus = "added" | "removed" | "changed";

export interface ViewSlice {
  selected: string[];
  /** A field the inspector should scroll to (from a diagnostic). */
  focusPointer: string | null;
  positions: Record<string, Position>;
  collapsed: string[];
  compare: { label: string; statuses: Record<string, CompareStatus>; otherText: string } | null;
  /** The computed layout, kept with the shape it was computed for so an unchanged graph opens without layout work. */
  autoLayout: AutoLayout | null;
  /** Bumped when the whole graph should be laid out afresh (Auto-layout). */
  relayoutRequest: number;
  /** Bumped whenever the canvas should fit the view again. */
  fitRequest: number;
  select(ids: string[], focusPointer?: string | null): void;
  pin(id: string, position: Position): void;
  /** Forget the author's positions and lay everything out afresh. */
  autoLayoutAll(): void;
  toggleCollapsed(id: string): void;
  renameIds(renames: [string, string][]): void;
  setCompare(compare: ViewSlice["compare"]): void;
  requestFit(): void;
  layoutRecord(): LayoutRecord;
  /** The part of the layout the author made (what makes a save necessary). */
  authoredLayout(): string;
  setAutoLayout(auto: AutoLayout | null): void;
  loadLayout(record: unknown): void;
}

export const createViewSlice: StateCreator<EditorState, [], [], ViewSlice> = (set, get) => ({
  selected: [],
  focusPointer: null,
  positions: {},
  collapsed: [],
  compare: null,
  autoLayout: null,
  relayoutRequest: 0,
  fitRequest: 0,

  select(ids, focusPointer = null) {
    set({ selected: ids, focusPointer });
  },
  pin(id, position) {
    set({ positions: { ...get().positions, [id]: { x: Math.round(position.x), y: Math.round(position.y) } } });
    get().layoutChanged();
  },
  autoLayoutAll() {
    set({ positions: {}, relayoutRequest: get().relayoutRequest + 1, fitRequest: get().fitRequest + 1 });
    get().layoutChanged();
  },
  toggleCollapsed(id) {
    const collapsed = get().collapsed;
    set({ collapsed: collapsed.includes(id) ? collapsed.filter((c) => c !== id) : [...collapsed, id] });
    get().layoutChanged();
  },
  renameIds(renames) {
    const moveKey = (id: string) => renameLayoutId(id, renames);
    const positions: Record<string, Position> = {};
    for (const [id, position] of Object.entries(get().positions)) positions[moveKey(id)] = position;
    const auto = get().autoLayout;
    set({
      positions,
      selected: get().selected.map(moveKey),
      collapsed: get().collapsed.map(moveKey),
      // The computed boxes and routes follow too; the shape no longer matches, so the next layout
      // pass keeps them all (incremental-layout.ts).
      autoLayout: auto && storeLayout(auto.shape, renameLayout(readLayout(auto), renames)),
    });
    get().layoutChanged();
  },
  setCompare(compare) {
    set({ compare });
  },
  requestFit() {
    set({ fitRequest: get().fitRequest + 1 });
  },
  layoutRecord() {
    const auto = get().autoLayout;
    return { version: 1, positions: get().positions, collapsed: get().collapsed, ...(auto ? { auto } : {}) };
  },
  authoredLayout() {
    return JSON.stringify([get().positions, get().collapsed]);
  },
  setAutoLayout(autoLayout) {
    set({ autoLayout });
  },
  loadLayout(record) {
    const value = (record ?? {}) as Partial<LayoutRecord>;
    const positions: Record<string, Position> = {};
    for (const [id, p] of Object.entries(value.positions ?? {})) {
      if (p && Number.isFinite(p.x) && Number.isFinite(p.y)) positions[id] = { x: p.x, y: p.y };
    }
    const auto = value.auto && typeof value.auto.shape === "string" && value.auto.boxes && typeof value.auto.boxes === "object" ? value.auto : null;
    set({ positions, collapsed: Array.isArray(value.collapsed) ? value.collapsed.filter((c) => typeof c === "string") : [], autoLayout: auto });
  },
});
