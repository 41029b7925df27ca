/**
 * The layered layout, as a pure function of the graph: ELK lays out each scope top to bottom,
 * containers (Parallel, Map) hierarchically with their branches side by side. The ELK engine
 * is passed in, so the page runs it in a web worker and tests run the bundled one.
 */
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from "elkjs/lib/elk-api";

import type { AslGraph, GraphState } from "../graph/model";
import { CONTAINER_HEADER, GROUP_HEADER, MARKER_SIZE, PADDING, STATE_SIZE } from "./sizes";

export interface ElkEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Boxes by node id, x/y relative to the parent node (as xyflow wants them). */
export type LayoutBoxes = Map<string, Box>;

export const startMarkerId = (scopeKey: string) => `start:${scopeKey}`;
export const endMarkerId = (scopeKey: string) => `end:${scopeKey}`;

const LAYERED: LayoutOptions = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.spacing.nodeNode": "36",
  "elk.layered.spacing.nodeNodeBetweenLayers": "56",
  "elk.layered.spacing.edgeNodeBetweenLayers": "24",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.crossingMinimization.forceNodeModelOrder": "false",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  // Loops (retry-until-done polls) are common: break cycles depth-first from the start marker,
  // so the flow reads top to bottom from the start and only the loop-back edges point up.
  "elk.layered.cycleBreaking.strategy": "DEPTH_FIRST",
};

export function isTerminal(state: GraphState): boolean {
  return state.isEnd || state.type === "Succeed" || state.type === "Fail";
}

/** The ELK graph for an ASL graph; collapsed containers are leaves. */
export function toElkGraph(graph: AslGraph, collapsed: ReadonlySet<string>): ElkNode {
  const byScope = new Map<string, GraphState[]>();
  for (const state of graph.states) {
    const key = state.groupId ?? "";
    if (!byScope.has(key)) byScope.set(key, []);
    byScope.get(key)!.push(state);
  }
  const edgesByScope = new Map<string, ElkExtendedEdge[]>();
  const scopeOf = new Map(graph.states.map((s) => [s.id, s.groupId ?? ""]));
  for (const edge of graph.edges) {
    const key = scopeOf.get(edge.source) ?? "";
    if (!edgesByScope.has(key)) edgesByScope.set(key, []);
    edgesByScope.get(key)!.push({ id: edge.id, sources: [edge.source], targets: [edge.target] });
  }

  const scope = (key: string): { children: ElkNode[]; edges: ElkExtendedEdge[] } => {
    const states = byScope.get(key) ?? [];
    const children: ElkNode[] = [{ id: startMarkerId(key), ...MARKER_SIZE }];
    const edges = [...(edgesByScope.get(key) ?? [])];
    const start = graph.starts.get(key);
    if (start) edges.unshift({ id: `${startMarkerId(key)}->`, sources: [startMarkerId(key)], targets: [start] });
    let ends = 0;
    for (const state of states) {
      children.push(stateNode(state));
      if (isTerminal(state)) {
        ends++;
        edges.push({ id: `${state.id}->end`, sources: [state.id], targets: [endMarkerId(key)] });
      }
    }
    if (ends > 0) children.push({ id: endMarkerId(key), ...MARKER_SIZE });
    return { children, edges };
  };

  const stateNode = (state: GraphState): ElkNode => {
    if (state.groupIds.length === 0 || collapsed.has(state.id)) return { id: state.id, ...STATE_SIZE };
    return {
      id: state.id,
      layoutOptions: {
        ...LAYERED,
        "elk.padding": `[top=${CONTAINER_HEADER},left=${PADDING},bottom=${PADDING},right=${PADDING}]`,
        "elk.spacing.nodeNode": "24",
      },
      children: state.groupIds.map((groupId) => ({
        id: groupId,
        layoutOptions: { ...LAYERED, "elk.padding": `[top=${GROUP_HEADER + 8},left=${PADDING},bottom=${PADDING},right=${PADDING}]` },
        ...scope(groupId),
      })),
      edges: [],
    };
  };

  return { id: "root", layoutOptions: { ...LAYERED, "elk.padding": "[top=24,left=24,bottom=24,right=24]" }, ...scope("") };
}

export async function layoutGraph(engine: ElkEngine, graph: AslGraph, collapsed: ReadonlySet<string>): Promise<LayoutBoxes> {
  const result = await engine.layout(toElkGraph(graph, collapsed));
  const boxes: LayoutBoxes = new Map();
  const walk = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      boxes.set(child.id, { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      walk(child);
    }
  };
  walk(result);
  return boxes;
}
