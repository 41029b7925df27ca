/** State-name helpers: every name in a scope, and a fresh one that is not taken. */
import { at, keys, type AslValue, type Path } from "../asl/value";

export function stateNames(root: AslValue | undefined, scope: Path): string[] {
  return keys(at(root, scope));
}

export function uniqueName(taken: Iterable<string>, base: string): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  const stem = base.replace(/ \d+$/, "");
  for (let n = 2; ; n++) if (!names.has(`${stem} ${n}`)) return `${stem} ${n}`;
}
