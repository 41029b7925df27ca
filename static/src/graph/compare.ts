/** Compare two definitions state by state: added, removed and changed, by JSON pointer. */
import { at, isObject, sameValue, type AslValue } from "../asl/value";
import { buildGraph } from "./build";


export interface StateDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

export function compareStates(before: AslValue | undefined, after: AslValue | undefined): StateDiff {
  const old = new Map(buildGraph(before).states.map((s) => [s.id, s]));
  const now = new Map(buildGraph(after).states.map((s) => [s.id, s]));
  const diff: StateDiff = { added: [], removed: [], changed: [] };
  for (const [id, state] of now) {
    const previous = old.get(id);
    if (!previous) diff.added.push(id);
    else if (!sameValue(ownFields(before, previous.path), ownFields(after, state.path))) diff.changed.push(id);
  }
  for (const id of old.keys()) if (!now.has(id)) diff.removed.push(id);
  return diff;
}

/** A state's fields without its nested branches (those are compared state by state). */
function ownFields(root: AslValue | undefined, path: (string | number)[]): AslValue | undefined {
  const value = at(root, path);
  if (!isObject(value)) return value;
  return { ...value, entries: value.entries.filter((e) => !["Branches", "ItemProcessor", "Iterator"].includes(e.key)) };
}

