/**
 * Graph edits as patch operations: what the canvas asks for (rename, delete, connect, insert)
 * turned into the smallest set of text edits. References follow renames within their scope
 * (StartAt, Next, Default, each Choice rule's Next, each Catch's Next).
 */
import type { PatchOp } from "../asl/patch";
import { at, field, isArray, isObject, keys, text, type AslValue, type Path } from "../asl/value";
import type { GraphEdge } from "./model";

/** The scope (the object holding StartAt and States) of a States path. */
function scopeOf(statesPath: Path): Path {
  return statesPath.slice(0, -1);
}

interface Reference {
  path: Path;
  kind: "start" | "next" | "choice" | "default" | "catch";
}

/** Every place in a scope that names `name`. */
export function referencesTo(root: AslValue | undefined, statesPath: Path, name: string): Reference[] {
  const refs: Reference[] = [];
  const scope = scopeOf(statesPath);
  if (text(at(root, [...scope, "StartAt"])) === name) refs.push({ path: [...scope, "StartAt"], kind: "start" });
  const states = at(root, statesPath);
  if (!isObject(states)) return refs;
  for (const entry of states.entries) {
    const base = [...statesPath, entry.key];
    if (text(field(entry.value, "Next")) === name) refs.push({ path: [...base, "Next"], kind: "next" });
    if (text(field(entry.value, "Default")) === name) refs.push({ path: [...base, "Default"], kind: "default" });
    for (const list of ["Choices", "Catch"] as const) {
      const items = field(entry.value, list);
      if (!isArray(items)) continue;
      items.items.forEach((item, index) => {
        if (text(field(item, "Next")) === name) {
          refs.push({ path: [...base, list, index, "Next"], kind: list === "Choices" ? "choice" : "catch" });
        }
      });
    }
  }
  return refs;
}

export function renameState(root: AslValue | undefined, statesPath: Path, from: string, to: string): PatchOp[] {
  if (from === to) return [];
  const refs = referencesTo(root, statesPath, from).map((ref): PatchOp => {
    // A reference inside the renamed state itself moves with the key.
    const path = ref.path.length > statesPath.length && ref.path[statesPath.length] === from
      ? [...statesPath, to, ...ref.path.slice(statesPath.length + 1)]
      : ref.path;
    return { op: "set", path, value: to };
  });
  return [{ op: "rename", path: statesPath, from, to }, ...refs];
}

/**
 * Remove states and what points at them: a Next becomes End, a Default goes, a Choice rule or
 * Catch that led there goes; StartAt moves to the first state left.
 */
export function deleteStates(root: AslValue | undefined, statesPath: Path, names: string[]): PatchOp[] {
  const gone = new Set(names);
  const ops: PatchOp[] = [];
  const removals: Path[] = [];
  for (const name of gone) {
    for (const ref of referencesTo(root, statesPath, name)) {
      const owner = ref.path[statesPath.length] as string;
      if (ref.kind !== "start" && gone.has(owner)) continue;
      const statePath = [...statesPath, owner];
      if (ref.kind === "next") {
        ops.push({ op: "remove", path: ref.path }, { op: "set", path: [...statePath, "End"], value: true });
      } else if (ref.kind === "default") {
        ops.push({ op: "remove", path: ref.path });
      } else if (ref.kind === "choice" || ref.kind === "catch") {
        removals.push(ref.path.slice(0, -1));
      }
    }
  }
  // Remove array items from the highest index down so earlier indexes stay right.
  removals.sort((a, b) => (b[b.length - 1] as number) - (a[a.length - 1] as number));
  for (const path of removals) ops.push({ op: "remove", path });
  for (const name of gone) ops.push({ op: "remove", path: [...statesPath, name] });
  const startAt = text(at(root, [...scopeOf(statesPath), "StartAt"]));
  if (startAt !== undefined && gone.has(startAt)) {
    const left = keys(at(root, statesPath)).find((name) => !gone.has(name));
    if (left !== undefined) ops.push({ op: "set", path: [...scopeOf(statesPath), "StartAt"], value: left });
  }
  return ops;
}

/** Point `source` at `target`: Next for most states; Default, then a new rule, for a Choice. */
export function connect(root: AslValue | undefined, statesPath: Path, source: string, target: string): PatchOp[] {
  const state = at(root, [...statesPath, source]);
  const type = text(field(state, "Type"));
  const base = [...statesPath, source];
  if (type === "Succeed" || type === "Fail") return [];
  if (type === "Choice") {
    if (field(state, "Default") === undefined) return [{ op: "set", path: [...base, "Default"], value: target }];
    const jsonata = queryLanguage(root, base) === "JSONata";
    const rule = jsonata
      ? { Condition: "{% true %}", Next: target }
      : { Variable: "$.value", StringEquals: "", Next: target };
    if (!isArray(field(state, "Choices"))) return [{ op: "set", path: [...base, "Choices"], value: [rule] }];
    return [{ op: "push", path: [...base, "Choices"], value: rule }];
  }
  return [
    { op: "remove", path: [...base, "End"] },
    field(state, "Next") === undefined
      ? { op: "insert", path: base, key: "Next", value: target, after: "Type" }
      : { op: "set", path: [...base, "Next"], value: target },
  ];
}

/** Send an existing edge to another target. */
export function reconnect(edge: GraphEdge, target: string): PatchOp[] {
  return [{ op: "set", path: edge.refPath, value: target }];
}

/** Remove one transition. */
export function disconnect(root: AslValue | undefined, edge: GraphEdge): PatchOp[] {
  const owner = edge.refPath.slice(0, edge.refPath.indexOf("States") + 2);
  switch (edge.kind) {
    case "next": {
      const type = text(at(root, [...owner, "Type"]));
      return type === "Choice" ? [] : [{ op: "remove", path: edge.refPath }, { op: "set", path: [...owner, "End"], value: true }];
    }
    case "default":
      return [{ op: "remove", path: edge.refPath }];
    case "choice":
    case "catch":
      return [{ op: "remove", path: edge.refPath.slice(0, -1) }];
  }
}

/** Send a new state on to `target`: its Next (End goes), a Choice's Default; terminal types just end. */
export function goOnTo(statePath: Path, type: string, target: string): PatchOp[] {
  if (type === "Choice") return [{ op: "set", path: [...statePath, "Default"], value: target }];
  if (type === "Succeed" || type === "Fail") return [];
  return [{ op: "remove", path: [...statePath, "End"] }, { op: "set", path: [...statePath, "Next"], value: target }];
}

/** The QueryLanguage in force at a state: its own, else the machine's, else JSONPath. */
export function queryLanguage(root: AslValue | undefined, statePath: Path): "JSONPath" | "JSONata" {
  const own = text(at(root, [...statePath, "QueryLanguage"]));
  const top = text(at(root, ["QueryLanguage"]));
  return (own ?? top) === "JSONata" ? "JSONata" : "JSONPath";
}
