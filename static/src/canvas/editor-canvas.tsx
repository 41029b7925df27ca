/**
 * The canvas: <ReactFlow> wired to the store. Node data is derived from the ASL graph
 * (use-flow-nodes); drags pin positions in the layout record; connect/reconnect (use-connections)
 * and palette drops (use-palette-drop) become graph edits; the view follows the layout
 * (use-viewport).
 */
import { Background, Controls, MiniMap, ReactFlow, type EdgeTypes, type NodeTypes } from "@xyflow/react";

import { useLayout } from "../layout/use-layout";
import { useEditor, useEditorStore } from "../store";
import { stateKind } from "../states/registry";
import { ContainerNode } from "./container-node";
import type { FlowNode, TransitionFlowEdge } from "./flow-types";
import { GroupNode } from "./group-node";
import { LevelOfDetail } from "./level-of-detail";
import { MarkerNode } from "./marker-node";
import { StateNode } from "./state-node";
import { TransitionEdge } from "./transition-edge";
import { useConnections } from "./use-connections";
import { useFlowNodes } from "./use-flow-nodes";
import { useIdleFlag } from "./use-idle-flag";
import { usePaletteDrop } from "./use-palette-drop";
import { useSelectionSync } from "./use-selection-sync";
import { useViewport } from "./use-viewport";

const nodeTypes: NodeTypes = { state: StateNode, container: ContainerNode, group: GroupNode, marker: MarkerNode };
const edgeTypes: EdgeTypes = { transition: TransitionEdge };

function miniMapColor(node: FlowNode): string {
  return node.type === "state" || node.type === "container" ? stateKind(node.data.state.type).color : "#cbd5e1";
}

export function EditorCanvas({ onEdgeSelection }: { onEdgeSelection(ids: string[]): void }) {
  const store = useEditorStore();
  const graph = useEditor((s) => s.graph);
  const positions = useEditor((s) => s.positions);
  const collapsed = useEditor((s) => s.collapsed);
  const selected = useEditor((s) => s.selected);
  const fitRequest = useEditor((s) => s.fitRequest);
  const { boxes, routes, ready } = useLayout(graph, collapsed);

  const { nodes, derived, onNodesChange, onNodeDragStop } = useFlowNodes(store, { graph, boxes, routes, positions, collapsed, selected });
  const { minZoom, laidOut } = useViewport(store, { graph, boxes, ready, fitRequest, nodes: derived.nodes });
  const onSelectionChange = useSelectionSync(store, onEdgeSelection);
  const { onConnect, onReconnect } = useConnections(store);
  const { onDrop, onDragOver } = usePaletteDrop(store);
  // The minimap draws every node: it comes after the canvas is usable, not before.
  const mapShown = useIdleFlag(ready);

  return (
    <ReactFlow<FlowNode, TransitionFlowEdge>
      nodes={nodes}
      edges={derived.edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onNodeDragStop={onNodeDragStop}
      onSelectionChange={onSelectionChange}
      onConnect={onConnect}
      onReconnect={onReconnect}
      onDrop={onDrop}
      onDragOver={onDragOver}
      deleteKeyCode={null}
      // Raising a selected node would raise its arrows too, over its own handles.
      elevateNodesOnSelect={false}
      multiSelectionKeyCode={["Shift", "Meta", "Control"]}
      selectionKeyCode="Shift"
      minZoom={minZoom}
      maxZoom={2}
      onlyRenderVisibleElements={graph.states.length > 300}
      proOptions={{ hideAttribution: true }}
      data-layout-ready={laidOut}
    >
      <LevelOfDetail />
      <Background gap={20} size={1} color="#d5dbe5" />
      <Controls showInteractive={false} />
      {mapShown && <MiniMap pannable zoomable nodeColor={miniMapColor} />}
    </ReactFlow>
  );
}
