/**
 * Keep the layout stable while editing. ELK lays a graph out afresh every time (its maintainers
 * call incremental layout out of scope: kieler/elkjs#100, #108), so after an edit every node that
 * stays keeps its box, a renamed one keeps it under its new id, and only what is new is placed:
 * below the state leading into it (else above the one it leads to, else under its scope), at the
 * first free spot from there; inserted on an arrow, on that arrow's line, what lies below moving
 * down one row. A new container brings its insides as the quick layout lays them
 * out; a branch or processor that outgrows its box grows it, and its container with it, and the
 * one exception to staying put follows: what lies below (or beside) a grown box moves down (or
 * along) by exactly the growth, so nothing ends up under it. Collapsing a container shrinks it in
 * place; expanding it again brings its insides back the same way as a new container's. Routes stay for the edges that still
 * join the same nodes (moved along with both ends), unless a new box now sits on them.
 */
import type { AslGraph, GraphState } from "../graph/model";
import { endMarkerId, isTerminal, startMarkerId, type Box, type EdgeRoute, type Layout, type LayoutBoxes, type Point } from "./elk-layout";
import { coreId, renameLayout } from "./layout-record";
import { quickLayout } from "./quick-layout";
import { CONTAINER_HEADER, MARKER_SIZE, PADDING, STATE_SIZE } from "./sizes";

const GAP_X = 36;
const GAP_Y = 56;
const GROUP_GAP = 24;
/** Free-spot search: how far down (in steps) and sideways (in node widths) to look. */
const ROW_STEP = 40;
const ROWS = 60;
const SIDEWAYS = [0, 1, -1, 2, -2, 3, -3];
/** Fewer kept states than this share means another graph: lay it out afresh. */
const KEPT_SHARE = 1 / 3;

const STATE_ID = /\/States\/[^/]+$/;
/** What a group's pointer adds to its container's: a branch or a Map's processor. */
const GROUP_TAIL = /\/(Branches\/\d+|ItemProcessor|Iterator)$/;

/** The ids a layout of this graph has boxes for (what collapsed containers hide excluded). */
export function layoutIds(graph: AslGraph, collapsed: ReadonlySet<string>): Set<string> {
  const stateById = new Map(graph.states.map((s) => [s.id, s]));
  const groupById = new Map(graph.groups.map((g) => [g.id, g]));
  const hidden = (state: GraphState) => {
    for (let group = state.groupId; group; ) {
      const owner = groupById.get(group)!;
      if (collapsed.has(owner.stateId)) return true;
      group = stateById.get(owner.stateId)?.groupId;
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

/**
 * Renames made in the code view show as one state gone and one come in the same scope: pair them,
 * so the node keeps its place while its name is typed.
 */
export function codeRenames(previous: Iterable<string>, ids: ReadonlySet<string>): [string, string][] {
  const before = new Set(previous);
  const isState = (id: string) => !id.includes(":") && STATE_ID.test(id);
  const scopeOf = (id: string) => id.slice(0, id.lastIndexOf("/States/"));
  // Only the outermost of what changed: a renamed container's insides follow it.
  const roots = (list: string[]) => {
    const all = new Set(list);
    return list.filter((id) => {
      for (let scope = scopeOf(id); scope; scope = scopeOf(scope)) if (all.has(scope.replace(GROUP_TAIL, ""))) return false;
      return true;
    });
  };
  const byScope = (list: string[]) => {
    const map = new Map<string, string[]>();
    for (const id of roots(list)) {
      const scope = scopeOf(id);
      if (!map.has(scope)) map.set(scope, []);
      map.get(scope)!.push(id);
    }
    return map;
  };
  const removed = byScope([...before].filter((id) => isState(id) && !ids.has(id)));
  const added = byScope([...ids].filter((id) => isState(id) && !before.has(id)));
  const renames: [string, string][] = [];
  for (const [scope, gone] of removed) {
    const come = added.get(scope);
    if (gone.length === 1 && come?.length === 1) renames.push([gone[0], come[0]]);
  }
  return renames;
}

const overlap = (a: Box, b: Box, margin = 0) =>
  a.x < b.x + b.width + margin && b.x < a.x + a.width + margin && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;

function crosses(points: Point[], box: Box): boolean {
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    const segment = { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
    if (overlap(segment, box)) return true;
  }
  return false;
}

/**
 * The layout after an edit, from the one before it; `pinned` are the positions the author chose,
 * which new nodes keep clear of. Null when there is nothing to keep (lay out afresh).
 */
export function incrementalLayout(graph: AslGraph, collapsed: ReadonlySet<string>, previous: Layout, pinned: Readonly<Record<string, Point>> = {}): Layout | null {
  const ids = layoutIds(graph, collapsed);
  const moved = renameLayout(previous, codeRenames(previous.boxes.keys(), ids));
  const boxes: LayoutBoxes = new Map([...moved.boxes].filter(([id]) => ids.has(id)));
  const visible = graph.states.filter((s) => ids.has(s.id));
  const kept = visible.filter((s) => boxes.has(s.id)).length;
  if (kept === 0 || kept < visible.length * KEPT_SHARE) return null;

  // Every node's parent in xyflow's sense: a state's group, a group's container, a marker's scope.
  const parent = new Map<string, string>();
  const stateById = new Map(graph.states.map((s) => [s.id, s]));
  for (const state of graph.states) parent.set(state.id, state.groupId ?? "");
  for (const group of graph.groups) parent.set(group.id, group.stateId);
  const scopes = [""].concat(graph.groups.map((g) => g.id));
  for (const scope of scopes) {
    parent.set(startMarkerId(scope), scope);
    parent.set(endMarkerId(scope), scope);
  }
  // Every arrow, the markers' included: what a new node is placed next to.
  const links: [string, string][] = graph.edges.map((e) => [e.source, e.target]);
  for (const [scope, start] of graph.starts) links.push([startMarkerId(scope), start]);
  for (const state of graph.states) if (isTerminal(state)) links.push([state.id, endMarkerId(state.groupId ?? "")]);

  const children = new Map<string, string[]>();
  const adopt = (id: string) => {
    const key = parent.get(id) ?? "";
    if (!children.has(key)) children.set(key, []);
    children.get(key)!.push(id);
  };
  for (const id of boxes.keys()) adopt(id);
  const at = (id: string): Box => ({ ...boxes.get(id)!, ...pinned[id] });
  const changed = new Set<string>();
  // A container just collapsed is a plain node again, where it was.
  for (const state of graph.states) {
    const box = boxes.get(state.id);
    if (box && collapsed.has(state.id) && (box.width !== STATE_SIZE.width || box.height !== STATE_SIZE.height)) {
      boxes.set(state.id, { ...box, ...STATE_SIZE });
      changed.add(state.id);
    }
  }
  const put = (id: string, box: Box) => {
    boxes.set(id, box);
    changed.add(id);
    adopt(id);
  };

  let quick: LayoutBoxes | undefined;
  const quickBoxes = () => (quick ??= quickLayout(graph, collapsed));
  /** A new container or group: its insides as the quick layout has them (relative to their parents). */
  const bringInsides = (id: string) => {
    for (const [inner, box] of quickBoxes()) {
      if (inner !== id && (coreId(inner) + "/").startsWith(id + "/") && ids.has(inner) && !boxes.has(inner)) put(inner, { ...box });
    }
  };
  const sizeOf = (id: string) => {
    if (id.startsWith("start:") || id.startsWith("end:")) return MARKER_SIZE;
    const state = stateById.get(id);
    if (state && (state.groupIds.length === 0 || collapsed.has(state.id))) return STATE_SIZE;
    const box = quickBoxes().get(id)!;
    return { width: box.width, height: box.height };
  };

  const joins = new Map<string, [string, string]>();
  for (const edge of graph.edges) joins.set(edge.id, [edge.source, edge.target]);
  for (const [scope, start] of graph.starts) joins.set(`${startMarkerId(scope)}->`, [startMarkerId(scope), start]);
  for (const state of graph.states) if (isTerminal(state)) joins.set(`${state.id}->end`, [state.id, endMarkerId(state.groupId ?? "")]);
  // The routes that still hold (same two ends): a new node keeps off them and their labels too.
  const holds = (id: string, route: EdgeRoute) => {
    const ends = joins.get(id);
    return !!ends && ends[0] === route.source && ends[1] === route.target && boxes.has(route.source) && boxes.has(route.target);
  };
  const standing = [...moved.routes].filter(([id, route]) => holds(id, route)).map(([, route]) => route);

  const findFree = (id: string, want: Box): Box => {
    const scope = parent.get(id) ?? "";
    const top = scope === "";
    // Inside a branch only downwards: growing sideways would run into the next branch.
    const sideways = top ? SIDEWAYS : [0];
    const floorY = top ? -Infinity : want.y;
    const others = (children.get(scope) ?? []).filter((other) => other !== id).map(at);
    const lines = standing.filter((route) => parent.get(route.source) === scope);
    const labels = lines.flatMap((route) => (route.label ? [route.label] : []));
    const clear = (box: Box) => {
      const around = { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: box.height + 16 };
      return !others.some((other) => overlap(box, other, 12)) && !labels.some((label) => overlap(around, label)) && !lines.some((route) => crosses(route.points, around));
    };
    for (let row = 0; row < ROWS; row++) {
      for (const step of sideways) {
        const box = { ...want, x: want.x + step * (want.width + GAP_X), y: Math.max(floorY, want.y + row * ROW_STEP) };
        if (!top) box.x = Math.max(PADDING, box.x);
        if (clear(box)) return box;
      }
    }
    return { ...want, y: Math.max(0, ...others.map((o) => o.y + o.height)) + GAP_Y };
  };

  // What moves to make room (a state inserted on an arrow, a grown box), and by how much in all.
  const shifted = new Map<string, Point>();
  const shift = (id: string, dx: number, dy: number) => {
    const box = boxes.get(id)!;
    boxes.set(id, { ...box, x: box.x + dx, y: box.y + dy });
    const total = shifted.get(id) ?? { x: 0, y: 0 };
    shifted.set(id, { x: total.x + dx, y: total.y + dy });
  };

  const placeNear = (id: string) => {
    const size = sizeOf(id);
    const scope = parent.get(id) ?? "";
    const sibling = (other: string) => other !== id && boxes.has(other) && parent.get(other) === scope;
    const before = links.filter(([, target]) => target === id).map(([source]) => source).filter(sibling);
    const after = links.filter(([source]) => source === id).map(([, target]) => target).filter(sibling);
    const centred = (anchor: Box) => anchor.x + (anchor.width - size.width) / 2;
    let want: Box;
    if (id.startsWith("end:") && before.length > 0) {
      // The end marker goes under the lowest state that ends.
      const lowest = before.map(at).reduce((a, b) => (b.y + b.height > a.y + a.height ? b : a));
      want = { x: centred(lowest), y: lowest.y + lowest.height + GAP_Y, ...size };
    } else if (before.length > 0) {
      const anchor = at(before[0]);
      want = { x: centred(anchor), y: anchor.y + anchor.height + GAP_Y, ...size };
      // Inserted on an arrow (what it leads to lies below what leads into it): it takes the place
      // of what the arrow led to, on the arrow's line, and that row and all below move down one.
      const next = pinned[id] ? undefined : after.map(at).find((box) => box.y >= anchor.y + anchor.height);
      if (next) {
        want = { x: centred(next), y: next.y, ...size };
        const room = size.height + GAP_Y;
        for (const other of children.get(scope) ?? []) {
          if (other !== id && !pinned[other] && boxes.get(other)!.y >= next.y - 1) shift(other, 0, room);
        }
        put(id, want);
        const state = stateById.get(id);
        if (state && state.groupIds.length > 0 && !collapsed.has(id)) bringInsides(id);
        return;
      }
    } else if (after.length > 0) {
      const anchor = at(after[0]);
      want = { x: centred(anchor), y: anchor.y - GAP_Y - size.height, ...size };
    } else {
      const others = (children.get(scope) ?? []).map(at);
      const left = others.length ? Math.min(...others.map((o) => o.x)) : PADDING;
      want = { x: left, y: others.length ? Math.max(...others.map((o) => o.y + o.height)) + GAP_Y : CONTAINER_HEADER, ...size };
    }
    put(id, pinned[id] ? { ...want, ...pinned[id] } : findFree(id, want));
    const state = stateById.get(id);
    if (state && state.groupIds.length > 0 && !collapsed.has(id)) bringInsides(id);
  };

  const placeGroup = (id: string) => {
    const container = parent.get(id)!;
    const siblings = (children.get(container) ?? []).map(at);
    const x = siblings.length ? Math.max(...siblings.map((g) => g.x + g.width)) + GROUP_GAP : PADDING;
    put(id, { ...quickBoxes().get(id)!, x, y: CONTAINER_HEADER });
    bringInsides(id);
  };

  // New nodes whose parent is already laid out; the rest come inside them. Dropped (pinned) ones
  // first, so the others keep clear of them; then states chained to placed ones; markers last.
  const pending = () => [...ids].filter((id) => !boxes.has(id) && (parent.get(id) === "" || boxes.has(parent.get(id)!)));
  for (let next = pending(); next.length > 0; next = pending()) {
    const group = next.find((id) => graph.groups.some((g) => g.id === id));
    if (group) {
      placeGroup(group);
      continue;
    }
    const states = next.filter((id) => stateById.has(id));
    const linked = states.find((id) => links.some(([source, target]) => target === id && boxes.has(source)));
    placeNear(states.find((id) => pinned[id]) ?? linked ?? states[0] ?? next[0]);
  }

  // Branches and containers grow (never shrink) to hold what is inside them, deepest first; their
  // neighbours below and to the right make room.
  const holders = [...boxes.keys()].filter((id) => children.has(id) && id !== "").sort((a, b) => b.length - a.length);
  for (const id of holders) {
    const inner = children.get(id)!.map(at);
    const box = boxes.get(id)!;
    const width = Math.max(box.width, ...inner.map((b) => b.x + b.width + PADDING));
    const height = Math.max(box.height, ...inner.map((b) => b.y + b.height + PADDING));
    if (width === box.width && height === box.height) continue;
    boxes.set(id, { ...box, width, height });
    changed.add(id);
    const [right, bottom] = [box.x + box.width, box.y + box.height];
    for (const other of children.get(parent.get(id) ?? "") ?? []) {
      if (other === id || pinned[other]) continue;
      const b = boxes.get(other)!;
      if (b.y >= bottom - 1) shift(other, 0, height - box.height);
      else if (b.x >= right - 1 && b.y < bottom) shift(other, width - box.width, 0);
    }
  }

  const routes: Layout["routes"] = new Map();
  for (const [id, old] of moved.routes) {
    if (!holds(id, old) || changed.has(old.source) || changed.has(old.target)) continue;
    // Both ends moved alike (or not at all): the route moves with them.
    const [a, b] = [shifted.get(old.source) ?? { x: 0, y: 0 }, shifted.get(old.target) ?? { x: 0, y: 0 }];
    if (a.x !== b.x || a.y !== b.y) continue;
    const route = a.x || a.y ? { ...old, points: old.points.map((p) => ({ x: p.x + a.x, y: p.y + a.y })), ...(old.label ? { label: { ...old.label, x: old.label.x + a.x, y: old.label.y + a.y } } : {}) } : old;
    const scope = parent.get(old.source);
    if ([...changed].some((other) => other !== old.source && other !== old.target && parent.get(other) === scope && crosses(route.points, boxes.get(other)!))) continue;
    routes.set(id, route);
  }
  return { boxes, routes };
}
