/**
 * The thin hook over the layout. An unchanged graph reuses the layout stored in the draft's
 * layout record (no layout work on open); an edit keeps every box and places only what is new
 * (incremental-layout.ts). A whole layout runs only when there is nothing to keep, or when asked
 * (Auto-layout): ELK in its worker, or, past QUICK_LIMIT states, the quick
 * layered layout in place (ELK needs seconds there). The last boxes stay on screen until the new
 * ones land.
 */
import { useEffect, useEffectEvent, useMemo, useState } from "react";

import type { AslGraph } from "../graph/model";
import { useEditor, useEditorStore } from "../store";
import { elkEngine } from "./elk-engine";
import { layoutGraph, type Layout } from "./elk-layout";
import { incrementalLayout } from "./incremental-layout";
import { readLayout, storeLayout } from "./layout-record";
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

export function useLayout(graph: AslGraph, collapsed: readonly string[]): Layout & { ready: boolean } {
  const store = useEditorStore();
  const key = useMemo(() => shapeKey(graph, collapsed), [graph, collapsed]);
  const auto = useEditor((s) => s.autoLayout);
  const relayout = useEditor((s) => s.relayoutRequest);
  const layout = useMemo(() => (auto ? readLayout(auto) : { boxes: new Map(), routes: new Map() }), [auto]);
  // The whole-layout request last carried out: a newer one lays everything out afresh.
  const [honoured, setHonoured] = useState(relayout);

  // The key and the request capture everything the layout depends on: the graph and the collapsed
  // containers are read as they are when one of those changes.
  const layOut = useEffectEvent((isCancelled: () => boolean) => {
    const state = store.getState();
    const fresh = honoured !== relayout;
    if (!fresh && state.autoLayout?.shape === key) return;
    const done = (computed: Layout) => {
      if (isCancelled()) return;
      setHonoured(relayout);
      performance.mark("symphony:layout");
      store.getState().setAutoLayout(storeLayout(key, computed));
    };
    performance.mark("symphony:layout-start");
    const previous = !fresh && state.autoLayout ? readLayout(state.autoLayout) : null;
    const kept = previous && incrementalLayout(graph, new Set(collapsed), previous, state.positions);
    const quick = () => ({ boxes: quickLayout(graph, new Set(collapsed)), routes: new Map() });
    if (kept) done(kept);
    else if (graph.states.length > QUICK_LIMIT) done(quick());
    else {
      // A graph replaced while another is on screen (pasted, imported) shows at once, laid out the
      // quick way, until ELK's layout lands.
      if (previous) store.getState().setAutoLayout(storeLayout(key, quick()));
      layoutGraph(elkEngine(), graph, new Set(collapsed)).then(done, (error) => console.error("layout failed", error));
    }
  });
  useEffect(() => {
    let cancelled = false;
    layOut(() => cancelled);
    return () => {
      cancelled = true;
    };
  }, [key, relayout]);

  // Not ready while an asked-for layout is still being computed (the old boxes stay drawn).
  return { ...layout, ready: auto?.shape === key && honoured === relayout };
}
