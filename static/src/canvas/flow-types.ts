/** The canvas's typed nodes and edges: a union of node kinds, not a bag of optionals. */
import type { Edge, Node } from "@xyflow/react";

import type { EdgeKind, GraphGroup, GraphState } from "../graph/model";

export type StateFlowNode = Node<{ state: GraphState; service?: string }, "state">;
export type ContainerFlowNode = Node<{ state: GraphState; collapsed: boolean }, "container">;
export type GroupFlowNode = Node<{ group: GraphGroup }, "group">;
export type MarkerFlowNode = Node<{ kind: "start" | "end" }, "marker">;
export type FlowNode = StateFlowNode | ContainerFlowNode | GroupFlowNode | MarkerFlowNode;

export type TransitionFlowEdge = Edge<{ kind: EdgeKind | "start" | "end"; label?: string }, "transition">;
