/**
 * One side of a version comparison: the definition's graph, read-only, each state marked as
 * added, removed or changed (by its definition path); a click picks a state to diff alone.
 */
import { Background, Controls, Handle, Position, ReactFlow, ReactFlowProvider, type EdgeTypes, type NodeProps, type NodeTypes } from "@xyflow/react";
import { createContext, memo, useContext, useMemo } from "react";

import type { ContainerFlowNode, StateFlowNode } from "../canvas/flow-types";
import { GroupNode } from "../canvas/group-node";
import { MarkerNode } from "../canvas/marker-node";
import { useReadOnlyFlow } from "../canvas/read-only-flow";
import { StateIcon } from "../canvas/state-icon";
import { TransitionEdge } from "../canvas/transition-edge";
import type { AslGraph } from "../graph/model";
import { stateKind } from "../states/registry";

export type DiffStatus = "added" | "removed" | "changed";

const LABEL: Record<DiffStatus, string> = { added: "Added", removed: "Removed", changed: "Changed" };

interface Marks {
  statuses: ReadonlyMap<string, DiffStatus>;
  picked: string | null;
}

const MarksContext = createContext<Marks>({ statuses: new Map(), picked: null });

function CompareNodeView({ data }: NodeProps<StateFlowNode | ContainerFlowNode>) {
  const { state } = data;
  const kind = stateKind(state.type);
  const { statuses, picked } = useContext(MarksContext);
  const status = statuses.get(state.id);
  const container = state.groupIds.length > 0 && !("collapsed" in data && data.collapsed);
  return (
    <div
      className={`compare-node ${container ? "compare-container" : "compare-state"}${status ? ` diff-${status}` : ""}${picked === state.id ? " picked" : ""}`}
      style={{ "--accent": kind.color } as React.CSSProperties}
      data-state-name={state.name}
      data-diff={status ?? "same"}
      title={status ? `${state.name}: ${LABEL[status]}` : state.name}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="compare-node-head">
        <StateIcon path={kind.icon} color={kind.color} />
        <div className="compare-node-text">
          <div className="compare-node-name">{state.name}</div>
          <div className="compare-node-meta">{status ? `${LABEL[status]} · ${state.type}` : state.type}</div>
        </div>
      </div>
      {!kind.terminal && <Handle type="source" position={Position.Bottom} isConnectable={false} />}
    </div>
  );
}

const CompareNode = memo(CompareNodeView);
const NODE_TYPES: NodeTypes = { state: CompareNode, container: CompareNode, group: GroupNode, marker: MarkerNode };
const EDGE_TYPES: EdgeTypes = { transition: TransitionEdge };

function Graph({ graph, onPick }: { graph: AslGraph; onPick(id: string | null): void }) {
  const flow = useReadOnlyFlow(graph);
  if (graph.states.length === 0) return <div className="compare-empty">No states.</div>;
  if (!flow) return <div className="compare-empty">Laying out…</div>;
  return (
    <ReactFlow
      nodes={flow.nodes}
      edges={flow.edges}
      nodeTypes={NODE_TYPES}
      edgeTypes={EDGE_TYPES}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesReconnectable={false}
      fitView
      fitViewOptions={{ padding: 0.12, maxZoom: 1 }}
      minZoom={0.05}
      proOptions={{ hideAttribution: true }}
      onNodeClick={(_, node) => {
        const state = (node.data as { state?: { id: string } }).state;
        if (state) onPick(state.id);
      }}
      onPaneClick={() => onPick(null)}
    >
      <Background gap={20} size={1} color="#e2e8f0" />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

export function CompareGraph({ title, graph, statuses, picked, onPick }: { title: string; graph: AslGraph; statuses: ReadonlyMap<string, DiffStatus>; picked: string | null; onPick(id: string | null): void }) {
  const marks = useMemo(() => ({ statuses, picked }), [statuses, picked]);
  return (
    <section className="compare-graph" aria-label={title}>
      <h3>{title}</h3>
      <div className="compare-canvas">
        <MarksContext.Provider value={marks}>
          <ReactFlowProvider>
            <Graph graph={graph} onPick={onPick} />
          </ReactFlowProvider>
        </MarksContext.Provider>
      </div>
    </section>
  );
}
