/**
 * A definition's graph laid out and converted for a read-only canvas (the run view, the
 * version comparison): ELK up to QUICK_LIMIT states, the quick layout above or when ELK fails.
 */
import { useEffect, useMemo, useState } from "react";

import type { AslGraph } from "../graph/model";
import { elkEngine } from "../layout/elk-engine";
import { layoutGraph, type LayoutBoxes } from "../layout/elk-layout";
import { quickLayout } from "../layout/quick-layout";
import { QUICK_LIMIT } from "../layout/use-layout";
import { toFlow } from "./flow-elements";
import type { FlowNode, TransitionFlowEdge } from "./flow-types";

const NONE = new Set<string>();

export function useReadOnlyFlow(graph: AslGraph): { nodes: FlowNode[]; edges: TransitionFlowEdge[] } | null {
  const quick = useMemo(() => (graph.states.length > QUICK_LIMIT ? quickLayout(graph, NONE) : null), [graph]);
  // ELK's boxes with the graph they are for: another graph shows nothing until its own land.
  const [laidOut, setLaidOut] = useState<{ graph: AslGraph; boxes: LayoutBoxes } | null>(null);
  useEffect(() => {
    if (quick) return;
    let cancelled = false;
    layoutGraph(elkEngine(), graph, NONE).then(
      (computed) => !cancelled && setLaidOut({ graph, boxes: computed.boxes }),
      () => !cancelled && setLaidOut({ graph, boxes: quickLayout(graph, NONE) }),
    );
    return () => {
      cancelled = true;
    };
  }, [graph, quick]);
  const boxes = quick ?? (laidOut?.graph === graph ? laidOut.boxes : null);
  return useMemo(() => {
    if (!boxes) return null;
    const { nodes, edges } = toFlow({ graph, boxes, positions: {}, collapsed: NONE, selected: NONE });
    return {
      nodes: nodes.map((n) => ({ ...n, draggable: false, connectable: false })),
      edges: edges.map((e) => ({ ...e, reconnectable: false, selectable: false })),
    };
  }, [graph, boxes]);
}
