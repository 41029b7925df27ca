/**
 * Editor actions composed from graph edits: add from the palette, insert on an edge, delete the
 * selection, copy/paste, rename. They read the store, compute patch ops, apply them, and keep
 * view state (selection, pins) on the right ids.
 */
import { parseDocument } from "../asl/document";
import type { PatchOp } from "../asl/patch";
import { at, keys, toJsonText, type Path } from "../asl/value";
import { deleteStates, disconnect, renameState } from "../graph/edit";
import { pointer, type GraphEdge } from "../graph/model";
import { uniqueName } from "../graph/names";
import { addGroup, groupOf, insertGroupOnEdge, placeGroup, type NewState, type StateGroup } from "../graph/state-group";
import type { EditorStore } from "./index";

export type { NewState, StateGroup };

/** The States path of the scope a node id lives in: a state's own scope, or a group's States. */
export function scopeFor(store: EditorStore, nodeId: string | undefined): Path {
  const { graph } = store.getState();
  if (nodeId) {
    const state = graph.states.find((s) => s.id === nodeId);
    if (state) return state.scope;
    const group = graph.groups.find((g) => g.id === nodeId);
    if (group) return [...group.path, "States"];
  }
  return ["States"];
}

/** Add a palette item (a state or a group of them) to a scope; returns the id of the state entered first. */
export function addNewState(store: EditorStore, scope: Path, item: NewState | StateGroup, position?: { x: number; y: number }): string | null {
  const { doc } = store.getState();
  const group = placeGroup(groupOf(item), keys(at(doc.root, scope)));
  if (!store.getState().apply(addGroup(doc.root, scope, group))) return null;
  const id = pointer([...scope, group.entry]);
  if (position) store.getState().pin(id, position);
  store.getState().select(group.states.map((state) => pointer([...scope, state.name])));
  return id;
}

/** Put a palette item on an edge: source -> item -> the edge's old target. */
export function insertNewStateOnEdge(store: EditorStore, edge: GraphEdge, item: NewState | StateGroup): string | null {
  const { doc, graph } = store.getState();
  const source = graph.states.find((s) => s.id === edge.source);
  const target = graph.states.find((s) => s.id === edge.target);
  if (!source || !target) return null;
  const group = placeGroup(groupOf(item), keys(at(doc.root, source.scope)));
  if (!store.getState().apply(insertGroupOnEdge(doc.root, source.scope, edge, group, target.name))) return null;
  store.getState().select(group.states.map((state) => pointer([...source.scope, state.name])));
  return pointer([...source.scope, group.entry]);
}

export function deleteSelection(store: EditorStore, edgeIds: string[] = []): void {
  const { doc, graph, selected } = store.getState();
  const ops: PatchOp[] = [];
  const states = graph.states.filter((s) => selected.includes(s.id));
  // Group by scope so each scope's references are cleaned together.
  const byScope = new Map<string, { scope: Path; names: string[] }>();
  for (const state of states) {
    if (states.some((other) => other !== state && state.id.startsWith(other.id + "/"))) continue;
    const key = pointer(state.scope);
    if (!byScope.has(key)) byScope.set(key, { scope: state.scope, names: [] });
    byScope.get(key)!.names.push(state.name);
  }
  for (const { scope, names } of byScope.values()) {
    const total = keys(at(doc.root, scope)).length;
    if (names.length >= total) {
      store.setState({ editError: "A workflow (and each branch) needs at least one state" });
      return;
    }
    ops.push(...deleteStates(doc.root, scope, names));
  }
  if (ops.length === 0) {
    for (const edge of graph.edges.filter((e) => edgeIds.includes(e.id)).reverse()) ops.push(...disconnect(doc.root, edge));
  }
  if (store.getState().apply(ops)) store.getState().select([]);
}

export function renameSelected(store: EditorStore, stateId: string, to: string): boolean {
  const { doc, graph } = store.getState();
  const state = graph.states.find((s) => s.id === stateId);
  if (!state || to === state.name) return true;
  if (to.length === 0 || to.length > 80) {
    store.setState({ editError: "A state name has 1 to 80 characters" });
    return false;
  }
  if (keys(at(doc.root, state.scope)).includes(to)) {
    store.setState({ editError: `There is already a state named "${to}" here` });
    return false;
  }
  return store.getState().apply(renameState(doc.root, state.scope, state.name, to), [[state.id, pointer([...state.scope, to])]]);
}

const CLIPBOARD_TYPE = "symphony-states";

/** Copy the selected states as JSON text ({"name": {...}}), in document order. */
export function copySelection(store: EditorStore): string | null {
  const { doc, graph, selected } = store.getState();
  const states = graph.states.filter((s) => selected.includes(s.id));
  if (states.length === 0) return null;
  const entries = states.map((s) => `${JSON.stringify(s.name)}: ${toJsonText(at(doc.root, s.path)!, 2, 1)}`);
  return JSON.stringify({ type: CLIPBOARD_TYPE }).slice(0, -1) + `, "states": {\n  ${entries.join(",\n  ")}\n}}`;
}

/** Paste states copied with `copySelection` into a scope, names made unique and references inside renamed. */
export function pasteStates(store: EditorStore, clipboard: string, scope: Path): boolean {
  let parsed: { type?: string; states?: Record<string, unknown> };
  try {
    parsed = JSON.parse(clipboard);
  } catch {
    return false;
  }
  if (parsed.type !== CLIPBOARD_TYPE || !parsed.states) return false;
  const { doc } = store.getState();
  const taken = new Set(keys(at(doc.root, scope)));
  const renames = new Map<string, string>();
  const names = rawStateNames(clipboard);
  for (const name of names) {
    const fresh = uniqueName(taken, name);
    taken.add(fresh);
    renames.set(name, fresh);
  }
  const ops: PatchOp[] = [];
  const raws = rawStates(clipboard);
  names.forEach((name, i) => {
    // References between pasted states follow the new names; references out stay.
    let raw = raws[i];
    for (const [from, to] of renames) {
      if (from === to) continue;
      raw = raw.replace(new RegExp(`("(?:Next|Default)"\\s*:\\s*)${escapeRegExp(JSON.stringify(from))}`, "g"), `$1${JSON.stringify(to).replace(/\$/g, "$$$$")}`);
    }
    ops.push({ op: "insert", path: scope, key: renames.get(name)!, raw });
  });
  if (names.length > 0 && keys(at(doc.root, scope)).length === 0) {
    ops.push({ op: "set", path: [...scope.slice(0, -1), "StartAt"], value: renames.get(names[0])! });
  }
  if (!store.getState().apply(ops)) return false;
  store.getState().select(names.map((name) => pointer([...scope, renames.get(name)!])));
  return true;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The state names and raw bodies of a clipboard, in text order (JSON.parse would reorder "1", "2"). */
function rawStateNames(clipboard: string): string[] {
  return keys(at(parseDocument(clipboard, "json").root, ["states"]));
}

function rawStates(clipboard: string): string[] {
  const root = parseDocument(clipboard, "json").root;
  const states = at(root, ["states"]);
  if (!states || states.kind !== "object") return [];
  return states.entries.map((entry) => clipboard.slice(entry.value.range.offset, entry.value.range.offset + entry.value.range.length));
}
