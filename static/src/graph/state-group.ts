/**
 * States inserted together (a palette pattern such as "Human approval"): one group of new
 * states, named so no name in the scope is taken twice, their references to each other following
 * the names they get, inserted as patch operations (each state one insert, so the document's
 * formatting stays). A single new state is a group of one.
 */
import type { PatchOp } from "../asl/patch";
import { at, keys, type AslValue, type Path } from "../asl/value";
import { goOnTo } from "./edit";
import type { GraphEdge } from "./model";
import { uniqueName } from "./names";

export interface NewState {
  name: string;
  type: string;
  body: Record<string, unknown>;
}

export interface StateGroup {
  /** In document order; the first is where the group is entered. */
  states: NewState[];
  /** The state (by its name in `states`) that goes on to what follows when the group is put on an edge. */
  exit: string;
}

export function groupOf(item: NewState | StateGroup): StateGroup {
  return "states" in item ? item : { states: [item], exit: item.name };
}

/** A body whose references to the group's states (Next, Default, each Choice rule's and Catch's Next) follow `names`. */
function renamed(body: Record<string, unknown>, names: Map<string, string>): Record<string, unknown> {
  const follow = (value: unknown) => (typeof value === "string" && names.has(value) ? names.get(value) : value);
  const out: Record<string, unknown> = { ...body };
  for (const key of ["Next", "Default"]) if (key in out) out[key] = follow(out[key]);
  for (const list of ["Choices", "Catch"]) {
    const items = out[list];
    if (!Array.isArray(items)) continue;
    out[list] = items.map((item) => (item && typeof item === "object" && "Next" in item ? { ...item, Next: follow((item as { Next: unknown }).Next) } : item));
  }
  return out;
}

export interface PlacedGroup {
  /** The group's states under the names they get in the scope, references between them renamed. */
  states: NewState[];
  entry: string;
  exit: NewState;
}

/** Give the group's states names free in `taken`, in order. */
export function placeGroup(group: StateGroup, taken: Iterable<string>): PlacedGroup {
  const used = new Set(taken);
  const names = new Map<string, string>();
  for (const state of group.states) {
    const fresh = uniqueName(used, state.name);
    used.add(fresh);
    names.set(state.name, fresh);
  }
  const states = group.states.map((state) => ({ ...state, name: names.get(state.name)!, body: renamed(state.body, names) }));
  const exit = states[group.states.findIndex((state) => state.name === group.exit)];
  return { states, entry: states[0].name, exit };
}

/** Add the group's states at the end of a scope; the first becomes StartAt when the scope was empty. */
export function addGroup(root: AslValue | undefined, statesPath: Path, group: PlacedGroup): PatchOp[] {
  const ops: PatchOp[] = group.states.map((state) => ({ op: "insert", path: statesPath, key: state.name, raw: JSON.stringify(state.body) }));
  if (keys(at(root, statesPath)).length === 0) ops.push({ op: "set", path: [...statesPath.slice(0, -1), "StartAt"], value: group.entry });
  return ops;
}

/** Put the group on an edge: the edge's source goes to its entry, its exit on to the edge's old target. */
export function insertGroupOnEdge(root: AslValue | undefined, statesPath: Path, edge: GraphEdge, group: PlacedGroup, targetName: string): PatchOp[] {
  return [
    ...addGroup(root, statesPath, group),
    { op: "set", path: edge.refPath, value: group.entry },
    ...goOnTo([...statesPath, group.exit.name], group.exit.type, targetName),
  ];
}
