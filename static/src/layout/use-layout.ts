/** The thin hook over the layout: re-run ELK when the graph's shape changes, keep the last boxes meanwhile. */
import { useEffect, useMemo, useState } from "react";

import type { AslGraph } from "../graph/model";
import { elkEngine } from "./elk-engine";
import { layoutGraph, type LayoutBoxes } from "./elk-layout";

export function shapeKey(graph: AslGraph, collapsed: readonly string[]): string {
  return JSON.stringify([
    graph.states.map((s) => [s.id, s.groupIds.length, s.isEnd || s.type === "Succeed" || s.type === "Fail"]),
    graph.edges.map((e) => [e.source, e.target]),
    [...graph.starts],
    collapsed,
  ]);
}

export function useLayout(graph: AslGraph, collapsed: readonly string[]): { boxes: LayoutBoxes; ready: boolean; version: number } {
  const key = useMemo(() => shapeKey(graph, collapsed), [graph, collapsed]);
  const [state, setState] = useState<{ key: string; boxes: LayoutBoxes; version: number }>({ key: "", boxes: new Map(), version: 0 });
  useEffect(() => {
    let cancelled = false;
    layoutGraph(elkEngine(), graph, new Set(collapsed)).then(
      (boxes) => {
        if (!cancelled) setState((previous) => ({ key, boxes, version: previous.version + 1 }));
      },
      (error) => console.error("layout failed", error),
    );
    return () => {
      cancelled = true;
    };
    // The key captures everything layout depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { boxes: state.boxes, ready: state.key === key, version: state.version };
}
