/**
 * A fast layered layout for large definitions, where ELK needs seconds (cold, in a worker, at
 * 500 states). Same shape as the ELK layout (top to bottom, containers holding their branches side
 * by side, the same node ids), computed in milliseconds: longest-path layers after breaking cycles
 * depth-first, two barycentre sweeps to untangle, rows centred.
 */
import type { AslGraph, GraphState } from "../graph/model";
import { endMarkerId, isTerminal, startMarkerId, type Box, type LayoutBoxes } from "./elk-layout";
import { CONTAINER_HEADER, GROUP_HEADER, MARKER_SIZE, PADDING, STATE_SIZE } from "./sizes";

const ROW_GAP = 56;
const COLUMN_GAP = 36;
const GROUP_GAP = 24;

interface Sized {
  id: string;
  width: number;
  height: number;
  /** Boxes of everything inside, each relative to its own parent node. */
  inner: [string, Box][];
}

interface ScopeLayout {
  width: number;
  height: number;
  /** The scope's own nodes, relative to the scope's top-left. */
  direct: [string, Box][];
  /** Everything deeper, relative to its own parent. */
  nested: [string, Box][];
}

export function quickLayout(graph: AslGraph, collapsed: ReadonlySet<string>): LayoutBoxes {
  const byScope = new Map<string, GraphState[]>();
  for (const state of graph.states) {
    const key = state.groupId ?? "";
    if (!byScope.has(key)) byScope.set(key, []);
    byScope.get(key)!.push(state);
  }
  const scopeOf = new Map(graph.states.map((s) => [s.id, s.groupId ?? ""]));
  const edgesByScope = new Map<string, [string, string][]>();
  for (const edge of graph.edges) {
    const key = scopeOf.get(edge.source) ?? "";
    if (!edgesByScope.has(key)) edgesByScope.set(key, []);
    edgesByScope.get(key)!.push([edge.source, edge.target]);
  }

  const sizeState = (state: GraphState): Sized => {
    if (state.groupIds.length === 0 || collapsed.has(state.id)) return { id: state.id, ...STATE_SIZE, inner: [] };
    const groups = state.groupIds.map((groupId) => {
      const scope = layoutScope(groupId);
      return { id: groupId, width: scope.width + 2 * PADDING, height: scope.height + GROUP_HEADER + 8 + PADDING, scope };
    });
    const inner: [string, Box][] = [];
    let x = PADDING;
    let height = 0;
    for (const group of groups) {
      inner.push([group.id, { x, y: CONTAINER_HEADER, width: group.width, height: group.height }]);
      for (const [id, box] of group.scope.direct) inner.push([id, { ...box, x: box.x + PADDING, y: box.y + GROUP_HEADER + 8 }]);
      inner.push(...group.scope.nested);
      x += group.width + GROUP_GAP;
      height = Math.max(height, group.height);
    }
    const width = Math.max(STATE_SIZE.width + 2 * PADDING, x - GROUP_GAP + PADDING);
    return { id: state.id, width, height: CONTAINER_HEADER + height + PADDING, inner };
  };

  /** Lay out one scope; boxes are relative to the scope's top-left. */
  const layoutScope = (key: string): ScopeLayout => {
    const states = byScope.get(key) ?? [];
    const nodes: Sized[] = [{ id: startMarkerId(key), ...MARKER_SIZE, inner: [] }, ...states.map(sizeState)];
    const edges: [string, string][] = [...(edgesByScope.get(key) ?? [])];
    const start = graph.starts.get(key);
    if (start) edges.unshift([startMarkerId(key), start]);
    const terminals = states.filter(isTerminal);
    if (terminals.length) {
      nodes.push({ id: endMarkerId(key), ...MARKER_SIZE, inner: [] });
      for (const t of terminals) edges.push([t.id, endMarkerId(key)]);
    }
    const out = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
    for (const [a, b] of edges) out.get(a)?.push(b);

    // Break cycles depth-first from the start (iteratively: definitions can be deep).
    const forward = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
    const state = new Map<string, 1 | 2>();
    const order: string[] = [];
    const visit = (root: string) => {
      const stack: [string, number][] = [[root, 0]];
      state.set(root, 1);
      order.push(root);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const next = out.get(top[0])![top[1]++];
        if (next === undefined) {
          state.set(top[0], 2);
          stack.pop();
        } else if (!state.has(next)) {
          forward.get(top[0])!.push(next);
          state.set(next, 1);
          order.push(next);
          stack.push([next, 0]);
        } else if (state.get(next) === 2) forward.get(top[0])!.push(next);
      }
    };
    visit(nodes[0].id);
    for (const n of nodes) if (!state.has(n.id)) visit(n.id);

    // Longest-path layers over the acyclic edges, in discovery order (a topological order is not
    // guaranteed by discovery, so relax until stable; the graph is small per scope).
    const layer = new Map<string, number>(nodes.map((n) => [n.id, 0]));
    for (let changed = true, rounds = 0; changed && rounds < nodes.length + 1; rounds++) {
      changed = false;
      for (const id of order) {
        for (const next of forward.get(id)!) {
          if (layer.get(next)! < layer.get(id)! + 1) {
            layer.set(next, layer.get(id)! + 1);
            changed = true;
          }
        }
      }
    }
    const end = endMarkerId(key);
    if (layer.has(end)) layer.set(end, 1 + Math.max(...[...layer].filter(([id]) => id !== end).map(([, l]) => l)));

    const rows: string[][] = [];
    for (const id of order) (rows[layer.get(id)!] ??= []).push(id);
    const size = new Map(nodes.map((n) => [n.id, n]));
    const preds = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
    for (const [a, b] of edges) preds.get(b)?.push(a);
    const slot = new Map<string, number>();
    const place = () => rows.forEach((row) => row?.forEach((id, i) => slot.set(id, i - (row.length - 1) / 2)));
    place();
    for (let sweep = 0; sweep < 2; sweep++) {
      for (const row of rows) {
        if (!row) continue;
        const score = (id: string) => {
          const ps = preds.get(id)!.filter((p) => slot.has(p) && layer.get(p)! < layer.get(id)!);
          return ps.length ? ps.reduce((sum, p) => sum + slot.get(p)!, 0) / ps.length : slot.get(id)!;
        };
        row.sort((a, b) => score(a) - score(b));
      }
      place();
    }

    const direct: [string, Box][] = [];
    const nested: [string, Box][] = [];
    let y = 0;
    let width = 0;
    const rowBoxes = rows.map((row) => {
      const ids = row ?? [];
      const w = ids.reduce((sum, id) => sum + size.get(id)!.width, 0) + COLUMN_GAP * Math.max(0, ids.length - 1);
      width = Math.max(width, w);
      return { ids, w, h: Math.max(0, ...ids.map((id) => size.get(id)!.height)) };
    });
    for (const row of rowBoxes) {
      let x = (width - row.w) / 2;
      for (const id of row.ids) {
        const node = size.get(id)!;
        const box = { x, y: y + (row.h - node.height) / 2, width: node.width, height: node.height };
        direct.push([id, box]);
        nested.push(...node.inner);
        x += node.width + COLUMN_GAP;
      }
      y += row.h + ROW_GAP;
    }
    return { width, height: Math.max(0, y - ROW_GAP), direct, nested };
  };

  const top = layoutScope("");
  const boxes: LayoutBoxes = new Map(top.nested);
  for (const [id, box] of top.direct) boxes.set(id, { ...box, x: box.x + 24, y: box.y + 24 });
  return boxes;
}
