/**
 * The language core's verdict on a definition, for tests: designer.asl.validate run by the
 * project's Python (the same core /api/validate/ answers with), so a template the editor inserts
 * is checked by the real validator, not a copy of its rules.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import type { Diagnostic } from "../api/validate";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const SCRIPT = `
import dataclasses, json, sys
from designer.asl import validate
print(json.dumps([dataclasses.asdict(d) for d in validate(sys.stdin.read(), format=sys.argv[1])]))
`;

export function validateWithCore(text: string, format: "json" | "yaml" = "json"): Diagnostic[] {
  const out = execFileSync(`${ROOT}.venv/bin/python`, ["-c", SCRIPT, format], { cwd: ROOT, input: text, encoding: "utf8" });
  return JSON.parse(out) as Diagnostic[];
}
