/**
 * Keep the layout stable while editing: when the graph changes only by its arrows or by
 * top-level states going away, every box that stays stays where it was (a new end marker is
 * placed below). New states, or anything deeper (a branch's contents, a container's size), get a
 * full layout (returns null): placing a new state well needs the layout to make room for it.
 */
import type { AslGraph, GraphState } from "../graph/model";
import { endMarkerId, isTerminal, startMarkerId, type Box, type LayoutBoxes } from "./elk-layout";
import { MARKER_SIZE, STATE_SIZE } from "./sizes";

const GAP_Y = 56;
const STEP_X = STATE_SIZE.width + 36;

/** The ids a layout of this graph has boxes for (what collapsed containers hide excluded). */
export function layoutIds(graph: AslGraph, collapsed: ReadonlySet<string>): Set<string> {
  const hidden = (state: GraphState) => {
    for (let group = state.groupId; group; ) {
      const owner = graph.groups.find((g) => g.id === group)!;
      if (collapsed.has(owner.stateId)) return true;
      group = graph.states.find((s) => s.id === owner.stateId)?.groupId;
    }
    return false;
  };
  const ids = new Set<string>();
  for (const state of graph.states) if (!hidden(state)) ids.add(state.id);
  for (const group of graph.groups) if (ids.has(group.stateId) && !collapsed.has(group.stateId)) ids.add(group.id);
  const scopes = new Set([""].concat(graph.groups.filter((g) => ids.has(g.id)).map((g) => g.id)));
  for (const scope of scopes) {
    ids.add(startMarkerId(scope));
    if (graph.states.some((s) => (s.groupId ?? "") === scope && isTerminal(s))) ids.add(endMarkerId(scope));
  }
  return ids;
}

export function incrementalLayout(graph: AslGraph, collapsed: ReadonlySet<string>, previous: LayoutBoxes): LayoutBoxes | null {
  if (previous.size === 0) return null;
  const ids = layoutIds(graph, collapsed);
  const added = [...ids].filter((id) => !previous.has(id));
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const topLevelSimple = (id: string) => {
    const state = byId.get(id);
    if (state) return !state.groupId && (state.groupIds.length === 0 || collapsed.has(state.id));
    return id === endMarkerId("");
  };
  if (added.some((id) => id !== endMarkerId(""))) return null;
  // A removed nested node means a container's contents changed: lay out again.
  for (const id of previous.keys()) if (!ids.has(id) && !topLevelSimple(id) && !byId.has(id) && id.includes("/States/", 1)) return null;

  const boxes: LayoutBoxes = new Map([...previous].filter(([id]) => ids.has(id)));
  const top = () => [...boxes].filter(([id]) => topLevelSimple(id) || byId.get(id)?.groupId === undefined).map(([, b]) => b);
  const free = (box: Box) =>
    !top().some((b) => box.x < b.x + b.width && b.x < box.x + box.width && box.y < b.y + b.height && b.y < box.y + box.height);
  for (const id of added) {
    const size = id === endMarkerId("") ? MARKER_SIZE : STATE_SIZE;
    const source = graph.edges.find((e) => e.target === id && boxes.has(e.source))?.source;
    const anchor = source ? boxes.get(source)! : undefined;
    const lowest = Math.max(0, ...top().map((b) => b.y + b.height));
    const box: Box = anchor
      ? { x: anchor.x + (anchor.width - size.width) / 2, y: anchor.y + anchor.height + GAP_Y, ...size }
      : { x: Math.min(...top().map((b) => b.x), 24), y: lowest + GAP_Y, ...size };
    while (!free(box)) box.x += STEP_X;
    boxes.set(id, box);
  }
  return boxes;
}
