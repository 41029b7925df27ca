/**
 * The computed layout as the draft's layout record keeps it (plain JSON beside the definition,
 * never in it), and how its ids follow a rename: every id is a state's JSON pointer, or one
 * derived from it (groups, start/end markers, marker edges, edges named by their reference path).
 */
import type { Box, EdgeRoute, Layout } from "./elk-layout";

/** A route stored flat: points as [x0, y0, x1, y1, ...], the label box as [x, y, width, height]. */
export interface StoredRoute {
  source: string;
  target: string;
  points: number[];
  label?: [number, number, number, number];
}

export interface AutoLayout {
  /** The graph shape the boxes were made for (use-layout's shapeKey). */
  shape: string;
  boxes: Record<string, Box>;
  routes?: Record<string, StoredRoute>;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function storeLayout(shape: string, layout: Layout): AutoLayout {
  const routes: Record<string, StoredRoute> = {};
  for (const [id, route] of layout.routes) {
    const { label } = route;
    routes[id] = {
      source: route.source,
      target: route.target,
      points: route.points.flatMap((p) => [round(p.x), round(p.y)]),
      ...(label ? { label: [round(label.x), round(label.y), round(label.width), round(label.height)] as StoredRoute["label"] } : {}),
    };
  }
  return { shape, boxes: Object.fromEntries(layout.boxes), routes };
}

export function readLayout(auto: AutoLayout): Layout {
  const routes = new Map<string, EdgeRoute>();
  for (const [id, stored] of Object.entries(auto.routes ?? {})) {
    if (!stored || !Array.isArray(stored.points) || stored.points.length < 4) continue;
    const points = [];
    for (let i = 0; i + 1 < stored.points.length; i += 2) points.push({ x: stored.points[i], y: stored.points[i + 1] });
    const label = Array.isArray(stored.label) && stored.label.length === 4 ? { x: stored.label[0], y: stored.label[1], width: stored.label[2], height: stored.label[3] } : undefined;
    routes.set(id, { source: String(stored.source), target: String(stored.target), points, ...(label ? { label } : {}) });
  }
  return { boxes: new Map(Object.entries(auto.boxes)), routes };
}

const PREFIXES = ["start:", "end:"];
const SUFFIXES = ["->end", "->"];

function split(id: string): [string, string, string] {
  const prefix = PREFIXES.find((p) => id.startsWith(p)) ?? "";
  const rest = id.slice(prefix.length);
  const suffix = SUFFIXES.find((s) => rest.endsWith(s)) ?? "";
  return [prefix, rest.slice(0, rest.length - suffix.length), suffix];
}

/** The state or group pointer an id derives from ("" for the top level's markers). */
export function coreId(id: string): string {
  return split(id)[1];
}

/** Where an id goes when states are renamed (`renames`: [old state id, new state id]). */
export function renameLayoutId(id: string, renames: readonly [string, string][]): string {
  const [prefix, core, suffix] = split(id);
  for (const [from, to] of renames) {
    if (core === from) return prefix + to + suffix;
    if (core.startsWith(from + "/")) return prefix + to + core.slice(from.length) + suffix;
  }
  return id;
}

export function renameLayout(layout: Layout, renames: readonly [string, string][]): Layout {
  if (renames.length === 0) return layout;
  const move = (id: string) => renameLayoutId(id, renames);
  const boxes = new Map([...layout.boxes].map(([id, box]) => [move(id), box]));
  const routes = new Map([...layout.routes].map(([id, route]) => [move(id), { ...route, source: move(route.source), target: move(route.target) }]));
  return { boxes, routes };
}
