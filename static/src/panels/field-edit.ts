/** Patch ops for the inspector: set, insert (before Next/End, where a person expects it) or remove one field. */
import type { NewValue, PatchOp } from "../asl/patch";
import { at, field, isObject, type AslValue, type Path } from "../asl/value";

const TAIL = new Set(["Next", "End"]);

export function setFieldOps(root: AslValue | undefined, objectPath: Path, key: string, value: NewValue | undefined): PatchOp[] {
  const target = at(root, objectPath);
  if (value === undefined) return field(target, key) === undefined ? [] : [{ op: "remove", path: [...objectPath, key] }];
  if (field(target, key) !== undefined || !isObject(target)) return [{ op: "set", path: [...objectPath, key], ...value }];
  const before = target.entries.filter((e) => !TAIL.has(e.key)).pop()?.key;
  return [{ op: "insert", path: objectPath, key, after: before, ...value }];
}

/** Next or End, as one choice. */
export function transitionOps(root: AslValue | undefined, statePath: Path, next: string | null): PatchOp[] {
  if (next === null) {
    return [{ op: "remove", path: [...statePath, "Next"] }, ...setFieldOps(root, statePath, "End", { value: true }).map((op) => (op.op === "insert" ? { ...op, after: undefined } : op))];
  }
  const ops: PatchOp[] = [{ op: "remove", path: [...statePath, "End"] }];
  ops.push(field(at(root, statePath), "Next") === undefined ? { op: "insert", path: statePath, key: "Next", value: next } : { op: "set", path: [...statePath, "Next"], value: next });
  return ops;
}
