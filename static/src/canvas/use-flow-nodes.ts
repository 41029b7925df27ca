/**
 * The canvas's nodes and edges: derived from the graph, its layout and the view state, held
 * locally so xyflow can measure and drag nodes between derivations; a drag's end pins the
 * dragged states where they were left (the layout record, never the definition).
 */
import { applyNodeChanges, type NodeChange } from "@xyflow/react";
import { useCallback, useMemo, useState } from "react";

import type { AslGraph } from "../graph/model";
import type { EdgeRoutes, LayoutBoxes } from "../layout/elk-layout";
import type { EditorStore } from "../store";
import type { Position } from "../store/view-slice";
import { toFlow } from "./flow-elements";
import type { FlowNode, TransitionFlowEdge } from "./flow-types";

interface FlowElements {
  nodes: FlowNode[];
  edges: TransitionFlowEdge[];
}

const NOTHING: FlowElements = { nodes: [], edges: [] };

function reuse<T>(old: T | undefined, fresh: T, same: (a: T, b: T) => boolean): T {
  return old !== undefined && same(old, fresh) ? old : fresh;
}

function sameNode(a: FlowNode, b: FlowNode): boolean {
  if (a.type !== b.type || a.parentId !== b.parentId || a.selected !== b.selected || a.hidden !== b.hidden) return false;
  if (a.position.x !== b.position.x || a.position.y !== b.position.y || a.width !== b.width || a.height !== b.height) return false;
  return JSON.stringify(a.data) === JSON.stringify(b.data);
}

function sameEdge(a: TransitionFlowEdge, b: TransitionFlowEdge): boolean {
  if (a.source !== b.source || a.target !== b.target || a.data?.kind !== b.data?.kind || a.data?.label !== b.data?.label) return false;
  if (a.data?.labelSlot !== b.data?.labelSlot || a.data?.stub !== b.data?.stub) return false;
  return JSON.stringify(a.data?.route) === JSON.stringify(b.data?.route);
}

/**
 * The node and edge objects last handed to xyflow, by id. Nodes and edges that did not change
 * keep their identity (the measured node xyflow holds, for nodes), so an edit re-renders and
 * re-measures only what it touched.
 */
class FlowIdentities {
  private nodes = new Map<string, FlowNode>();
  private edges = new Map<string, TransitionFlowEdge>();

  reuse(fresh: FlowElements): FlowElements {
    const nodes = fresh.nodes.map((node) => reuse(this.nodes.get(node.id), node, sameNode));
    const edges = fresh.edges.map((edge) => reuse(this.edges.get(edge.id), edge, sameEdge));
    this.nodes = new Map(nodes.map((n) => [n.id, n]));
    this.edges = new Map(edges.map((e) => [e.id, e]));
    return { nodes, edges };
  }

  remember(nodes: FlowNode[]): void {
    for (const node of nodes) this.nodes.set(node.id, node);
  }
}

export interface FlowInputs {
  graph: AslGraph;
  boxes: LayoutBoxes;
  routes: EdgeRoutes;
  positions: Record<string, Position>;
  collapsed: readonly string[];
  selected: readonly string[];
}

export function useFlowNodes(store: EditorStore, { graph, boxes, routes, positions, collapsed, selected }: FlowInputs) {
  const [identities] = useState(() => new FlowIdentities());
  const derived = useMemo(
    // Nothing is drawn before the first layout: every node would sit at the origin.
    () => (boxes.size === 0 ? NOTHING : identities.reuse(toFlow({ graph, boxes, routes, positions, collapsed: new Set(collapsed), selected: new Set(selected) }))),
    [identities, graph, boxes, routes, positions, collapsed, selected],
  );
  // xyflow's changes (measurements, a drag in progress) apply to the local nodes until the next
  // derivation replaces them (set while rendering: the new nodes show in the same frame).
  const [nodes, setNodes] = useState<FlowNode[]>(derived.nodes);
  const [from, setFrom] = useState(derived.nodes);
  if (from !== derived.nodes) {
    setFrom(derived.nodes);
    setNodes(derived.nodes);
  }

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      setNodes((nodes) => {
        const next = applyNodeChanges(
          changes.filter((c) => c.type !== "remove"),
          nodes,
        );
        // Remember the measured objects, so the next derivation reuses them.
        identities.remember(next);
        return next;
      });
    },
    [identities],
  );

  const onNodeDragStop = useCallback(
    (_: unknown, __: FlowNode, dragged: FlowNode[]) => {
      for (const node of dragged) if (node.type === "state" || node.type === "container") store.getState().pin(node.id, node.position);
    },
    [store],
  );

  return { nodes, derived, onNodesChange, onNodeDragStop };
}
