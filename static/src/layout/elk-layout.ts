/**
 * The layered layout, as a pure function of the graph: ELK lays out each scope top to bottom,
 * containers (Parallel, Map) hierarchically with their branches side by side, and routes every
 * edge around the nodes with room kept for its label. The ELK engine is passed in, so the page
 * runs it in a web worker and tests run the bundled one.
 */
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from "elkjs/lib/elk-api";

import type { AslGraph, GraphState } from "../graph/model";
import { CONTAINER_HEADER, GROUP_HEADER, labelSize, MARKER_SIZE, PADDING, STATE_SIZE } from "./sizes";

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

export interface Point {
  x: number;
  y: number;
}

/**
 * ELK's route for an edge, in the coordinates of the scope holding both ends (the root or a
 * branch), with the box ELK kept free for its label. It holds only while both ends sit where ELK
 * put them; `source`/`target` tell whether the edge still joins the same nodes.
 */
export interface EdgeRoute {
  source: string;
  target: string;
  points: Point[];
  label?: Box;
}

export type EdgeRoutes = Map<string, EdgeRoute>;

export interface Layout {
  boxes: LayoutBoxes;
  /** Routes by edge id; empty for the quick layout, which routes nothing. */
  routes: EdgeRoutes;
}

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

// Every node has one port in (top centre) and one out (bottom centre), where the canvas has its
// handles, so ELK's routes start and end where xyflow's edges do.
const OUT = ":out";
const IN = ":in";
const PORTED: LayoutOptions = { "elk.portConstraints": "FIXED_SIDE", "elk.portAlignment.default": "CENTER" };
const ports = (id: string) => [
  { id: id + IN, width: 0, height: 0, layoutOptions: { "elk.port.side": "NORTH" } },
  { id: id + OUT, width: 0, height: 0, layoutOptions: { "elk.port.side": "SOUTH" } },
];
const link = (id: string, source: string, target: string): ElkExtendedEdge => ({ id, sources: [source + OUT], targets: [target + IN] });
const leaf = (id: string, size: { width: number; height: number }): ElkNode => ({ id, ...size, ports: ports(id), layoutOptions: PORTED });

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
    // A sized label makes ELK keep room for it beside the edge, so labels never overlap.
    // Inline: the label sits on its edge (ELK breaks the line there), so it reads as that edge's.
    const labels = edge.label ? [{ id: `${edge.id}#label`, text: edge.label, ...labelSize(edge.label), layoutOptions: { "elk.edgeLabels.inline": "true" } }] : undefined;
    edgesByScope.get(key)!.push({ ...link(edge.id, edge.source, edge.target), labels });
  }

  const scope = (key: string): { children: ElkNode[]; edges: ElkExtendedEdge[] } => {
    const states = byScope.get(key) ?? [];
    const children: ElkNode[] = [leaf(startMarkerId(key), MARKER_SIZE)];
    const edges = [...(edgesByScope.get(key) ?? [])];
    const start = graph.starts.get(key);
    if (start) edges.unshift(link(`${startMarkerId(key)}->`, startMarkerId(key), start));
    let ends = 0;
    for (const state of states) {
      children.push(stateNode(state));
      if (isTerminal(state)) {
        ends++;
        edges.push(link(`${state.id}->end`, state.id, endMarkerId(key)));
      }
    }
    if (ends > 0) children.push(leaf(endMarkerId(key), MARKER_SIZE));
    return { children, edges };
  };

  const stateNode = (state: GraphState): ElkNode => {
    if (state.groupIds.length === 0 || collapsed.has(state.id)) return leaf(state.id, STATE_SIZE);
    return {
      id: state.id,
      ports: ports(state.id),
      layoutOptions: {
        ...LAYERED,
        ...PORTED,
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

export async function layoutGraph(engine: ElkEngine, graph: AslGraph, collapsed: ReadonlySet<string>): Promise<Layout> {
  const result = await engine.layout(toElkGraph(graph, collapsed));
  const boxes: LayoutBoxes = new Map();
  const routes: EdgeRoutes = new Map();
  const walk = (node: ElkNode) => {
    for (const edge of node.edges ?? []) {
      const section = edge.sections?.[0];
      if (!section) continue;
      const label = edge.labels?.[0];
      routes.set(edge.id, {
        source: edge.sources[0].slice(0, -OUT.length),
        target: edge.targets[0].slice(0, -IN.length),
        points: [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(({ x, y }) => ({ x, y })),
        ...(label ? { label: { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } } : {}),
      });
    }
    for (const child of node.children ?? []) {
      boxes.set(child.id, { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      walk(child);
    }
  };
  walk(result);
  return { boxes, routes };
}
