/**
 * Where the canvas looks: fitted once the first layout lands and whenever asked (Auto-layout),
 * panned just enough to show a state added off screen, kept steady when a side panel changes the
 * canvas's width, and zoomable out as far as fitting the whole graph takes.
 */
import { useReactFlow, useStore, useStoreApi } from "@xyflow/react";
import { useEffect, useEffectEvent, useMemo, useRef, useState } from "react";

import type { AslGraph } from "../graph/model";
import { startMarkerId, type LayoutBoxes } from "../layout/elk-layout";
import type { EditorStore } from "../store";
import type { FlowNode } from "./flow-types";

/** Past this many states the canvas opens at the start rather than fitting everything. */
export const LARGE = 80;

interface ViewInputs {
  graph: AslGraph;
  boxes: LayoutBoxes;
  ready: boolean;
  fitRequest: number;
  /** The derived nodes: new ones among them are brought into view. */
  nodes: FlowNode[];
}

export function useViewport(store: EditorStore, { graph, boxes, ready, fitRequest, nodes }: ViewInputs) {
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);

  // Once laid out, the canvas stays "layout ready" through later relayouts (the old boxes stay drawn).
  const [laidOut, setLaidOut] = useState(false);
  if (ready && !laidOut) setLaidOut(true);

  // Fitting depends on the layout being ready, not on every later graph change: those are read
  // when it happens.
  const fitted = useRef(false);
  const fitAsked = useRef(fitRequest);
  const fit = useEffectEvent(() => {
    const start = boxes.get(startMarkerId(""));
    // A large definition fitted whole is unreadable: open at its start instead.
    if (graph.states.length > LARGE && start) {
      // At this zoom the names alone are drawn, ~12 px on screen (LevelOfDetail): a screenful of
      // states from the start marker down.
      const zoom = 0.5;
      const below = (flowStore.getState().height || 800) / zoom / 2 - 40;
      requestAnimationFrame(() => void flow.setCenter(start.x + 14, start.y + below, { zoom, duration: 0 }));
    } else requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1, duration: 0 }));
  });
  useEffect(() => {
    if (!ready) return;
    if (!fitted.current || fitAsked.current !== fitRequest) {
      fitted.current = true;
      fitAsked.current = fitRequest;
      fit();
    }
  }, [ready, fitRequest]);

  // Fit view shows the whole graph however large: the zoom may go as low as fitting it takes.
  const minZoom = useMemo(() => {
    let [right, bottom] = [0, 0];
    for (const box of boxes.values()) [right, bottom] = [Math.max(right, box.x + box.width), Math.max(bottom, box.y + box.height)];
    return right && width && height ? Math.min(0.05, 0.85 * Math.min(width / right, height / bottom)) : 0.05;
  }, [boxes, width, height]);

  // A state added off screen (placed beside its neighbours, or pasted) is brought into view by the
  // smallest pan; the zoom and the other nodes' places stay. The canvas's size is read when the
  // frame comes.
  const canvasSize = useEffectEvent(() => ({ width, height }));
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const before = seen.current;
    seen.current = new Set(nodes.filter((n) => !n.hidden).map((n) => n.id));
    if (!before || before.size === 0) return;
    const added = nodes.filter((n) => !before.has(n.id) && !n.hidden && (n.type === "state" || n.type === "container")).map((n) => n.id);
    if (added.length === 0) return;
    const frame = requestAnimationFrame(() => {
      const { width, height } = canvasSize();
      const bounds = flow.getNodesBounds(added);
      const { x, y, zoom } = flow.getViewport();
      const margin = 40;
      const pan = (start: number, size: number, view: number, offset: number) => {
        const [low, high] = [start * zoom + offset, (start + size) * zoom + offset];
        if (high - low > view - 2 * margin || low < margin) return margin - low;
        return high > view - margin ? view - margin - high : 0;
      };
      const dx = pan(bounds.x, bounds.width, width, x);
      const dy = pan(bounds.y, bounds.height, height, y);
      if (dx || dy) void flow.setViewport({ x: x + dx, y: y + dy, zoom }, { duration: 200 });
    });
    return () => cancelAnimationFrame(frame);
  }, [nodes, flow]);

  // A side panel shown or hidden makes the canvas wider or narrower while the window keeps its
  // width: fit again, or on a large graph keep what was in the middle in the middle. (Its height
  // follows the problems list, which must not move the view.)
  const size = useRef({ width, window: window.innerWidth });
  useEffect(() => {
    const before = size.current;
    size.current = { width, window: window.innerWidth };
    if (!fitted.current || before.width === 0 || before.width === width || before.window !== window.innerWidth) return;
    if (store.getState().graph.states.length > LARGE) {
      const { x, y, zoom } = flow.getViewport();
      void flow.setViewport({ x: x + (width - before.width) / 2, y, zoom });
    } else void flow.fitView({ padding: 0.15, maxZoom: 1.1, duration: 0 });
  }, [width, flow, store]);

  return { minZoom, laidOut };
}
