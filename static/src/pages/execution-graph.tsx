/**
 * The workflow's graph, read-only, from the designer's own conversion (graph/) and layout
 * (layout/): states coloured by run status; a click selects a state for the side panel.
 */
import { Background, Controls, Panel, ReactFlow, type NodeTypes, type EdgeTypes } from "@xyflow/react";
import { useMemo } from "react";

import { GroupNode } from "../canvas/group-node";
import { LevelOfDetail } from "../canvas/level-of-detail";
import { MarkerNode } from "../canvas/marker-node";
import { useReadOnlyFlow } from "../canvas/read-only-flow";
import { TransitionEdge } from "../canvas/transition-edge";
import { transitionKey } from "../live/run-model";
import { RunStateNode } from "./execution-run-node";
import { useRun } from "./execution-store";

const NODE_TYPES: NodeTypes = { state: RunStateNode, container: RunStateNode, group: GroupNode, marker: MarkerNode };
const EDGE_TYPES: EdgeTypes = { transition: TransitionEdge };

export function ExecutionGraph() {
  const store = useRun();
  const { graph } = store;
  const flow = useReadOnlyFlow(graph);

  // Transitions the run took are drawn in the run's colour (xyflow puts className on the edge).
  const ids = useMemo(() => new Set(graph.states.map((state) => state.id)), [graph]);
  const { transitions } = store.run;
  const edges = useMemo(() => {
    if (!flow) return [];
    return flow.edges.map((edge) => {
      const from = ids.has(edge.source) ? edge.source : undefined;
      const to = ids.has(edge.target) ? edge.target : undefined;
      const taken =
        from !== undefined && to !== undefined
          ? (store.inFocus(to) ? store.focusTransitions : transitions).has(transitionKey(from, to))
          : edge.data?.kind === "start"
            ? to !== undefined && store.statuses.has(to)
            : from !== undefined && store.statuses.get(from) === "succeeded";
      return taken ? { ...edge, className: "run-taken" } : edge;
    });
    // store.version: the transitions set grows in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the rule takes values as immutable; this store mutates and counts versions
  }, [flow, ids, transitions, store, store.version]);

  if (graph.states.length === 0) return <div className="run-graph-empty">This definition has no states to draw.</div>;
  if (!flow) return <div className="run-graph-empty">Laying out the workflow…</div>;
  return (
    <ReactFlow
      // The last event this render draws (the live benchmark reads it to time commit-to-shown).
      data-shown-through={store.run.lastEventId}
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
      // Low enough that fitting shows any run's whole graph.
      minZoom={0.02}
      proOptions={{ hideAttribution: true }}
      onNodeClick={(_, node) => {
        const state = (node.data as { state?: { id: string } }).state;
        if (state) store.select(state.id);
      }}
      onPaneClick={() => store.select(null)}
    >
      {store.focus && (
        <Panel position="top-left" className="run-focus" aria-live="polite">
          Showing iteration {store.focus.index} of “{store.focus.map.name}”{" "}
          <button type="button" className="run-link" onClick={() => store.focusIteration(null)}>
            Show all iterations
          </button>
        </Panel>
      )}
      <LevelOfDetail />
      <Background gap={20} size={1} color="#e2e8f0" />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
