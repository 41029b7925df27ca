/** Patch ops for one key of a Task's Parameters (JSONPath) or Arguments (JSONata), creating the
 * object when the state has none; setting `Key` drops a `Key.$` path that fed it, and back. */
import type { NewValue, PatchOp } from "../asl/patch";
import { at, field, isObject, type AslValue, type Path } from "../asl/value";
import { setFieldOps } from "./field-edit";

export function parameterOps(root: AslValue | undefined, statePath: Path, container: "Parameters" | "Arguments", key: string, value: NewValue | undefined, dynamic = false): PatchOp[] {
  const objectPath = [...statePath, container];
  const object = at(root, objectPath);
  const name = dynamic ? `${key}.$` : key;
  const other = dynamic ? key : `${key}.$`;
  if (!isObject(object)) {
    if (value === undefined) return [];
    const raw = "raw" in value ? value.raw : JSON.stringify(value.value);
    return setFieldOps(root, statePath, container, { raw: `{${JSON.stringify(name)}: ${raw}}` });
  }
  const ops: PatchOp[] = [];
  if (value !== undefined && container === "Parameters" && field(object, other) !== undefined) ops.push({ op: "remove", path: [...objectPath, other] });
  ops.push(...setFieldOps(root, objectPath, name, value));
  return ops;
}
