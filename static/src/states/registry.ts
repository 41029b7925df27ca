/** Every state type the editor knows, in palette order. */
import { choice } from "./choice/spec";
import { fail } from "./fail/spec";
import type { StateKind } from "./kind";
import { map } from "./map/spec";
import { parallel } from "./parallel/spec";
import { pass } from "./pass/spec";
import { succeed } from "./succeed/spec";
import { task } from "./task/spec";
import { wait } from "./wait/spec";

export const STATE_KINDS: StateKind[] = [task, pass, choice, wait, parallel, map, succeed, fail];

const BY_TYPE = new Map(STATE_KINDS.map((kind) => [kind.type, kind]));

const UNKNOWN: StateKind = {
  type: "Unknown",
  label: "Unknown",
  description: "A Type the editor does not know",
  color: "#475569",
  icon: "M12 17v.01M12 7a3 3 0 013 3c0 2-3 2-3 4",
  errorHandling: false,
  terminal: false,
  fields: [],
  template: () => ({ Type: "Pass", End: true }),
};

export function stateKind(type: string): StateKind {
  return BY_TYPE.get(type) ?? UNKNOWN;
}
