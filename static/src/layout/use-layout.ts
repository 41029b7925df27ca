/**
 * The thin hook over the layout. An unchanged graph reuses the layout stored in the draft's
 * layout record (no layout work on open); a small edit keeps every box and places what is new
 * (incremental-layout.ts); otherwise ELK runs in its worker, or, past QUICK_LIMIT states, the
 * quick layered layout runs in place (ELK needs seconds there). "Tidy layout" starts afresh.
 * The last boxes stay on screen until the new ones land.
 */
import { useEffect, useMemo } from "react";

import type { AslGraph } from "../graph/model";
import { useEditor, useEditorStore } from "../store";
import { elkEngine } from "./elk-engine";
import { layoutGraph, type LayoutBoxes } from "./elk-layout";
import { incrementalLayout } from "./incremental-layout";
import { quickLayout } from "./quick-layout";

export const QUICK_LIMIT = 150;

export function shapeKey(graph: AslGraph, collapsed: readonly string[]): string {
  const text = JSON.stringify([
    graph.states.map((s) => [s.id, s.groupIds.length, s.isEnd || s.type === "Succeed" || s.type === "Fail"]),
    graph.edges.map((e) => [e.source, e.target]),
    [...graph.starts],
    collapsed,
  ]);
  // FNV-1a: a short, stable fingerprint to store beside the boxes.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `${graph.states.length}:${(hash >>> 0).toString(36)}`;
}

export function useLayout(graph: AslGraph, collapsed: readonly string[]): { boxes: LayoutBoxes; ready: boolean } {
  const store = useEditorStore();
  const key = useMemo(() => shapeKey(graph, collapsed), [graph, collapsed]);
  const auto = useEditor((s) => s.autoLayout);
  const boxes = useMemo(() => new Map(Object.entries(auto?.boxes ?? {})), [auto]);

  useEffect(() => {
    if (store.getState().autoLayout?.shape === key) return;
    let cancelled = false;
    const done = (computed: LayoutBoxes) => {
      if (cancelled) return;
      performance.mark("symphony:layout");
      store.getState().setAutoLayout({ shape: key, boxes: Object.fromEntries(computed) });
    };
    performance.mark("symphony:layout-start");
    const previous = store.getState().autoLayout;
    const kept = previous && incrementalLayout(graph, new Set(collapsed), new Map(Object.entries(previous.boxes)));
    if (kept) done(kept);
    else if (graph.states.length > QUICK_LIMIT) done(quickLayout(graph, new Set(collapsed)));
    else layoutGraph(elkEngine(), graph, new Set(collapsed)).then(done, (error) => console.error("layout failed", error));
    return () => {
      cancelled = true;
    };
    // The key captures everything the layout depends on.
  }, [key, store]);

  return { boxes, ready: auto?.shape === key };
}
