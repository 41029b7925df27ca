/**
 * Graph + layout boxes + view state -> xyflow nodes and edges (pure). Parents come before their
 * children, as xyflow requires; collapsed containers hide their insides; a pinned position
 * (one the author dragged) wins over the computed one. Edges carry ELK's route when the layout
 * has one for the same two ends; the edge view draws it while both ends stay where ELK put them.
 */
import { MarkerType } from "@xyflow/react";

import { endMarkerId, isTerminal, startMarkerId, type EdgeRoutes, type LayoutBoxes } from "../layout/elk-layout";
import type { AslGraph, GraphState } from "../graph/model";
import { MARKER_SIZE, STATE_SIZE } from "../layout/sizes";
import type { Position } from "../store/view-slice";
import type { FlowNode, FlowRoute, TransitionFlowEdge } from "./flow-types";

export interface FlowInput {
  graph: AslGraph;
  boxes: LayoutBoxes;
  routes?: EdgeRoutes;
  positions: Record<string, Position>;
  collapsed: ReadonlySet<string>;
  selected: ReadonlySet<string>;
}

export function toFlow({ graph, boxes, routes, positions, collapsed, selected }: FlowInput): { nodes: FlowNode[]; edges: TransitionFlowEdge[] } {
  const nodes: FlowNode[] = [];
  const edges: TransitionFlowEdge[] = [];
  const visible = new Set<string>();
  const statesByGroup = new Map<string, GraphState[]>();
  for (const state of graph.states) {
    const key = state.groupId ?? "";
    if (!statesByGroup.has(key)) statesByGroup.set(key, []);
    statesByGroup.get(key)!.push(state);
  }
  const groupsById = new Map(graph.groups.map((g) => [g.id, g]));

  const place = (id: string, fallback: { width: number; height: number }) => {
    const box = boxes.get(id);
    const pinned = positions[id];
    return {
      position: pinned ?? { x: box?.x ?? 0, y: box?.y ?? 0 },
      width: box?.width ?? fallback.width,
      height: box?.height ?? fallback.height,
    };
  };

  const routeOf = (id: string, source: string, target: string): FlowRoute | undefined => {
    const route = routes?.get(id);
    const [from, to] = [boxes.get(source), boxes.get(target)];
    if (!route || route.source !== source || route.target !== target || !from || !to) return undefined;
    return { points: route.points, label: route.label, sourceAt: { x: from.x, y: from.y }, targetAt: { x: to.x, y: to.y } };
  };
  const markerEdge = (id: string, source: string, target: string, kind: "start" | "end"): TransitionFlowEdge => ({
    id,
    source,
    target,
    type: "transition",
    data: { kind, route: routeOf(id, source, target), ...(kind === "end" && routes?.size ? { stub: true } : {}) },
    selectable: false,
    deletable: false,
    reconnectable: false,
    markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
  });

  const addScope = (key: string, parentId: string | undefined) => {
    const states = statesByGroup.get(key) ?? [];
    const parent = parentId ? { parentId, extent: "parent" as const } : {};
    const start = startMarkerId(key);
    const { position: startPos } = place(start, MARKER_SIZE);
    nodes.push({ id: start, type: "marker", data: { kind: "start" }, position: startPos, ...MARKER_SIZE, draggable: false, selectable: false, connectable: false, ...parent });
    visible.add(start);
    const startTarget = graph.starts.get(key);
    if (startTarget) edges.push(markerEdge(`${start}->`, start, startTarget, "start"));
    let ends = false;
    for (const state of states) {
      const box = place(state.id, STATE_SIZE);
      visible.add(state.id);
      const isContainer = state.groupIds.length > 0 && !collapsed.has(state.id);
      if (isContainer) {
        nodes.push({
          id: state.id,
          type: "container",
          data: { state, collapsed: false },
          position: box.position,
          width: box.width,
          height: box.height,
          selected: selected.has(state.id),
          ...parent,
        });
        for (const groupId of state.groupIds) {
          const group = groupsById.get(groupId)!;
          const g = place(groupId, STATE_SIZE);
          nodes.push({ id: groupId, type: "group", data: { group }, position: g.position, width: g.width, height: g.height, parentId: state.id, extent: "parent", draggable: false, selectable: false, connectable: false });
          visible.add(groupId);
          addScope(groupId, groupId);
        }
      } else if (state.groupIds.length > 0) {
        nodes.push({ id: state.id, type: "container", data: { state, collapsed: true }, position: box.position, ...STATE_SIZE, selected: selected.has(state.id), ...parent });
      } else {
        nodes.push({ id: state.id, type: "state", data: { state, service: state.service }, position: box.position, ...STATE_SIZE, selected: selected.has(state.id), ...parent });
      }
      if (isTerminal(state)) {
        ends = true;
        edges.push(markerEdge(`${state.id}->end`, state.id, endMarkerId(key), "end"));
      }
    }
    if (ends) {
      const end = endMarkerId(key);
      nodes.push({ id: end, type: "marker", data: { kind: "end" }, position: place(end, MARKER_SIZE).position, ...MARKER_SIZE, draggable: false, selectable: false, connectable: false, ...parent });
      visible.add(end);
    }
  };
  addScope("", undefined);

  // Labels drawn without a route (none computed, or an end moved) stack up above their target.
  const slots = new Map<string, number>();
  for (const edge of graph.edges) {
    if (!visible.has(edge.source) || !visible.has(edge.target)) continue;
    const route = routeOf(edge.id, edge.source, edge.target);
    const labelSlot = edge.label ? (slots.get(edge.target) ?? 0) : undefined;
    if (labelSlot !== undefined) slots.set(edge.target, labelSlot + 1);
    edges.push({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: "transition",
      data: { kind: edge.kind, label: edge.label, route, labelSlot },
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      reconnectable: "target",
      zIndex: edge.source.includes("/States/", 1) ? 1 : 0,
    });
  }
  // A node the layout has not placed yet (the frame between an edit and its layout) waits unseen
  // rather than flashing at the origin.
  const placed = nodes.map((node) => (boxes.has(node.id) || positions[node.id] ? node : { ...node, hidden: true }));
  return { nodes: placed, edges: edges.filter((e) => visible.has(e.source) && visible.has(e.target)) };
}
