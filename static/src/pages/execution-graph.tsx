/**
 * The workflow's graph, read-only, from the designer's own conversion (graph/) and layout
 * (layout/): states coloured by run status; a click selects a state for the side panel.
 */
import { Background, Controls, ReactFlow, type NodeTypes, type EdgeTypes } from "@xyflow/react";
import { useEffect, useMemo, useState } from "react";

import { parseDocument } from "../asl/document";
import { toFlow } from "../canvas/flow-elements";
import { GroupNode } from "../canvas/group-node";
import { MarkerNode } from "../canvas/marker-node";
import { TransitionEdge } from "../canvas/transition-edge";
import { buildGraph } from "../graph/build";
import { elkEngine } from "../layout/elk-engine";
import { layoutGraph, type LayoutBoxes } from "../layout/elk-layout";
import { quickLayout } from "../layout/quick-layout";
import { transitionKey } from "../live/run-model";
import { QUICK_LIMIT } from "../layout/use-layout";
import { RunStateNode } from "./execution-run-node";
import { useRun } from "./execution-store";

const NODE_TYPES: NodeTypes = { state: RunStateNode, container: RunStateNode, group: GroupNode, marker: MarkerNode };
const EDGE_TYPES: EdgeTypes = { transition: TransitionEdge };
const NONE = new Set<string>();

export function ExecutionGraph({ definition }: { definition: string }) {
  const store = useRun();
  const graph = useMemo(() => buildGraph(parseDocument(definition).root), [definition]);
  const [boxes, setBoxes] = useState<LayoutBoxes | null>(null);

  useEffect(() => {
    let cancelled = false;
    if (graph.states.length > QUICK_LIMIT) setBoxes(quickLayout(graph, NONE));
    else
      layoutGraph(elkEngine(), graph, NONE).then(
        (computed) => !cancelled && setBoxes(computed),
        () => !cancelled && setBoxes(quickLayout(graph, NONE)),
      );
    return () => {
      cancelled = true;
    };
  }, [graph]);

  const flow = useMemo(() => {
    if (!boxes) return null;
    const { nodes, edges } = toFlow({ graph, boxes, positions: {}, collapsed: NONE, selected: NONE });
    return { nodes: nodes.map((n) => ({ ...n, draggable: false, connectable: false })), edges: edges.map((e) => ({ ...e, reconnectable: false, selectable: false })) };
  }, [graph, boxes]);

  // Transitions the run took are drawn in the run's colour (xyflow puts className on the edge).
  const names = useMemo(() => new Map(graph.states.map((state) => [state.id, state.name])), [graph]);
  const { transitions } = store.run;
  const edges = useMemo(() => {
    if (!flow) return [];
    return flow.edges.map((edge) => {
      const from = names.get(edge.source);
      const to = names.get(edge.target);
      const taken =
        from !== undefined && to !== undefined
          ? transitions.has(transitionKey(from, to))
          : edge.data?.kind === "start"
            ? to !== undefined && store.run.byName.has(to)
            : from !== undefined && store.statuses.get(from) === "succeeded";
      return taken ? { ...edge, className: "run-taken" } : edge;
    });
    // store.version: the transitions set grows in place.
  }, [flow, names, transitions, store.version]);

  if (graph.states.length === 0) return <div className="run-graph-empty">This definition has no states to draw.</div>;
  if (!flow) return <div className="run-graph-empty">Laying out the workflow…</div>;
  return (
    <ReactFlow
      nodes={flow.nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      edgeTypes={EDGE_TYPES}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesReconnectable={false}
      elementsSelectable
      fitView
      fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
      minZoom={0.1}
      proOptions={{ hideAttribution: true }}
      onNodeClick={(_, node) => {
        const state = (node.data as { state?: { name: string } }).state;
        if (state) store.select(state.name);
      }}
      onPaneClick={() => store.select(null)}
    >
      <Background gap={20} size={1} color="#e2e8f0" />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
