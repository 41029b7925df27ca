/** The graph of a definition: what the canvas draws, computed from the ASL tree (never stored). */
import type { Path } from "../asl/value";

export type EdgeKind = "next" | "choice" | "default" | "catch";

export interface GraphState {
  /** The state's JSON pointer: unique even when branches reuse names. */
  id: string;
  name: string;
  type: string;
  path: Path;
  /** The JSON path of the States object holding it. */
  scope: Path;
  /** The group (branch or processor) that holds it; undefined at the top level. */
  groupId?: string;
  isStart: boolean;
  isEnd: boolean;
  resource?: string;
  /** The service a Task calls ("Lambda", "SQS"...), for its badge. */
  service?: string;
  hasRetry: boolean;
  hasCatch: boolean;
  /** Container states (Parallel, Map) list their groups. */
  groupIds: string[];
}

/** A Parallel branch or a Map processor: its own scope of states. */
export interface GraphGroup {
  id: string;
  kind: "branch" | "processor";
  label: string;
  /** The container state. */
  stateId: string;
  /** JSON path of the object holding StartAt and States. */
  path: Path;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label?: string;
  /** Where the reference is written (e.g. [..., "Choices", 2, "Next"]). */
  refPath: Path;
}

export interface GraphProblem {
  stateId?: string;
  path: Path;
  message: string;
}

export interface AslGraph {
  states: GraphState[];
  groups: GraphGroup[];
  edges: GraphEdge[];
  /** Per scope (by group id, "" for the top level): the id of the StartAt state. */
  starts: Map<string, string>;
  problems: GraphProblem[];
}

export function pointer(path: Path): string {
  return "/" + path.map((part) => String(part).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}
