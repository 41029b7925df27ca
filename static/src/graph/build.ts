/**
 * ASL tree -> graph, as a pure function: a node per state (nested ones included), an edge per
 * transition (Next, each Choice rule, Default, each Catch), groups for Parallel branches and
 * Map processors. References that name no state become problems, not edges.
 */
import type { PatchOp } from "../asl/patch";
import { field, isArray, isObject, text, type AslValue, type Path } from "../asl/value";
import { serviceOf } from "../states/task/integrations";
import { summarizeRule } from "./choice-summary";
import { pointer, type AslGraph, type GraphEdge, type GraphState } from "./model";

export function buildGraph(root: AslValue | undefined): AslGraph {
  const graph: AslGraph = { states: [], groups: [], edges: [], starts: new Map(), problems: [] };
  if (isObject(root)) addScope(graph, root, [], "", undefined);
  return graph;
}

function functionName(body: AslValue): string | undefined {
  for (const key of ["Parameters", "Arguments"]) {
    const name = text(field(field(body, key), "FunctionName"));
    if (name !== undefined) return name;
  }
  return undefined;
}

/** The same graph (states, edges, starts, problems), so views can keep the old one and skip work. */
export function sameGraph(a: AslGraph, b: AslGraph): boolean {
  return (
    a.states.length === b.states.length &&
    a.edges.length === b.edges.length &&
    JSON.stringify([a.states, a.edges, [...a.starts], a.problems, a.groups]) ===
      JSON.stringify([b.states, b.edges, [...b.starts], b.problems, b.groups])
  );
}

/** The fields of a state the graph reads (keep in step with addScope below). */
const STATE_FIELDS_READ = new Set(["Type", "End", "Resource", "Parameters", "Arguments", "Retry", "Catch", "Next", "Choices", "Default", "Branches", "ItemProcessor", "Iterator"]);

/**
 * Whether these ops can change the graph. An edit to a field the graph never reads (a Comment,
 * a Parameters payload, TimeoutSeconds...) leaves it as it was, so the store skips rebuilding it.
 */
export function touchesGraph(ops: PatchOp[]): boolean {
  return ops.some((op) => {
    if (op.op === "insert") return readByGraph([...op.path, op.key]);
    if (op.op === "rename") return readByGraph([...op.path, op.from]) || readByGraph([...op.path, op.to]);
    if (op.op === "push") return readByGraph([...op.path, op.index ?? 0]);
    return readByGraph(op.path);
  });
}

function readByGraph(path: Path): boolean {
  // `scope` indexes the object holding StartAt/States: the root, a branch, a Map processor.
  let scope = 0;
  for (;;) {
    const [key, name, fieldName, inner] = path.slice(scope, scope + 4);
    if (key === undefined || key === "StartAt") return true;
    if (key !== "States") return false;
    if (name === undefined || fieldName === undefined) return true;
    if (typeof fieldName !== "string" || !STATE_FIELDS_READ.has(fieldName)) return false;
    if (fieldName === "Parameters" || fieldName === "Arguments") return inner === undefined || inner === "FunctionName";
    if (fieldName === "Branches") {
      if (inner === undefined) return true;
      scope += 4;
    } else if (fieldName === "ItemProcessor" || fieldName === "Iterator") scope += 3;
    else return true;
  }
}

function addScope(graph: AslGraph, scope: AslValue, path: Path, scopeKey: string, groupId: string | undefined): void {
  const statesPath = [...path, "States"];
  const states = field(scope, "States");
  const startAt = text(field(scope, "StartAt"));
  if (!isObject(states)) {
    graph.problems.push({ path: statesPath, message: "States is missing or not an object" });
    return;
  }
  const names = new Set(states.entries.map((entry) => entry.key));
  const idOf = (name: string) => pointer([...statesPath, name]);
  if (startAt !== undefined && names.has(startAt)) graph.starts.set(scopeKey, idOf(startAt));
  else graph.problems.push({ path: [...path, "StartAt"], message: `StartAt names no state: "${startAt ?? ""}"` });

  for (const entry of states.entries) {
    const statePath = [...statesPath, entry.key];
    const id = pointer(statePath);
    const body = entry.value;
    const type = text(field(body, "Type")) ?? "Unknown";
    const state: GraphState = {
      id,
      name: entry.key,
      type,
      path: statePath,
      scope: statesPath,
      groupId,
      isStart: startAt === entry.key,
      isEnd: field(body, "End") !== undefined && (field(body, "End") as { value?: unknown }).value === true,
      resource: text(field(body, "Resource")),
      service: serviceOf(text(field(body, "Resource")), functionName(body)),
      hasRetry: isArray(field(body, "Retry")) && (field(body, "Retry") as { items: unknown[] }).items.length > 0,
      hasCatch: isArray(field(body, "Catch")) && (field(body, "Catch") as { items: unknown[] }).items.length > 0,
      groupIds: [],
    };
    graph.states.push(state);

    const link = (target: string | undefined, kind: GraphEdge["kind"], refPath: Path, label?: string) => {
      if (target === undefined) return;
      if (!names.has(target)) {
        graph.problems.push({ stateId: id, path: refPath, message: `"${entry.key}" goes to "${target}", which is not a state here` });
        return;
      }
      graph.edges.push({ id: pointer(refPath), source: id, target: idOf(target), kind, label, refPath });
    };

    link(text(field(body, "Next")), "next", [...statePath, "Next"]);
    const choices = field(body, "Choices");
    if (isArray(choices)) {
      choices.items.forEach((rule, index) =>
        link(text(field(rule, "Next")), "choice", [...statePath, "Choices", index, "Next"], summarizeRule(rule)),
      );
    }
    link(text(field(body, "Default")), "default", [...statePath, "Default"], "Default");
    const catchers = field(body, "Catch");
    if (isArray(catchers)) {
      catchers.items.forEach((catcher, index) => {
        const errors = field(catcher, "ErrorEquals");
        const label = isArray(errors) ? errors.items.map((item) => text(item) ?? "?").join(", ") : "?";
        link(text(field(catcher, "Next")), "catch", [...statePath, "Catch", index, "Next"], `catch ${label}`);
      });
    }

    const branches = field(body, "Branches");
    if (type === "Parallel" && isArray(branches)) {
      branches.items.forEach((branch, index) => {
        const branchPath = [...statePath, "Branches", index];
        const group = { id: pointer(branchPath), kind: "branch" as const, label: `Branch ${index + 1}`, stateId: id, path: branchPath };
        graph.groups.push(group);
        state.groupIds.push(group.id);
        addScope(graph, branch, branchPath, group.id, group.id);
      });
    }
    if (type === "Map") {
      const key = field(body, "ItemProcessor") ? "ItemProcessor" : field(body, "Iterator") ? "Iterator" : undefined;
      if (key) {
        const processorPath = [...statePath, key];
        const group = { id: pointer(processorPath), kind: "processor" as const, label: key, stateId: id, path: processorPath };
        graph.groups.push(group);
        state.groupIds.push(group.id);
        addScope(graph, field(body, key)!, processorPath, group.id, group.id);
      }
    }
  }
}
