/** The canvas's typed nodes and edges: a union of node kinds, not a bag of optionals. */
import type { Edge, Node } from "@xyflow/react";

import type { EdgeKind, GraphGroup, GraphState } from "../graph/model";
import type { Box, Point } from "../layout/elk-layout";

export type StateFlowNode = Node<{ state: GraphState; service?: string }, "state">;
export type ContainerFlowNode = Node<{ state: GraphState; collapsed: boolean }, "container">;
export type GroupFlowNode = Node<{ group: GraphGroup }, "group">;
export type MarkerFlowNode = Node<{ kind: "start" | "end" }, "marker">;
export type FlowNode = StateFlowNode | ContainerFlowNode | GroupFlowNode | MarkerFlowNode;

/** ELK's route for an edge (scope coordinates), valid while its ends sit at `sourceAt`/`targetAt`. */
export interface FlowRoute {
  points: Point[];
  label?: Box;
  sourceAt: Point;
  targetAt: Point;
}

export type TransitionFlowEdge = Edge<
  {
    kind: EdgeKind | "start" | "end";
    label?: string;
    route?: FlowRoute;
    /** Without a route: which of the labels arriving at the same node this is (they stack up). */
    labelSlot?: number;
    /** An arrow to the end marker of an ELK layout: without its route, only a short stub below the state. */
    stub?: boolean;
  },
  "transition"
>;
