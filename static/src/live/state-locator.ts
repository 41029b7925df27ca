/**
 * Places the states a history names on the definition's graph. Inside a container, a state
 * entered after a sibling runs in the sibling's branch; a branch's first state in the branch
 * that starts with it (the next such branch not yet started in that container visit, so
 * branches that start with one name each get their own). Anything the definition does not
 * explain (an edited definition, a name it lacks) falls back to the first state of that name.
 */
import type { AslGraph } from "../graph/model";
import type { Placement, StateLocator, StateVisit } from "./run-model";

export function stateLocator(graph: AslGraph): StateLocator {
  const byScope = new Map<string, Map<string, string>>(); // group id ("" top) -> name -> state id
  const firstByName = new Map<string, string>();
  for (const state of graph.states) {
    const scope = state.groupId ?? "";
    if (!byScope.has(scope)) byScope.set(scope, new Map());
    byScope.get(scope)!.set(state.name, state.id);
    if (!firstByName.has(state.name)) firstByName.set(state.name, state.id);
  }
  const groupsOf = new Map(graph.states.map((state) => [state.id, state.groupIds]));
  const startName = new Map(graph.groups.map((group) => [group.id, nameOf(graph, graph.starts.get(group.id))]));
  const started = new WeakMap<StateVisit, Set<string>>();

  const inGroup = (groupId: string, name: string): Placement | undefined => {
    const stateId = byScope.get(groupId)?.get(name);
    return stateId === undefined ? undefined : { stateId, groupId };
  };

  return (name, parent, sibling) => {
    if (!parent) {
      const stateId = byScope.get("")?.get(name);
      if (stateId !== undefined) return { stateId };
    } else if (sibling?.groupId !== undefined) {
      const found = inGroup(sibling.groupId, name);
      if (found) return found;
    } else {
      const groups = groupsOf.get(parent.stateId) ?? [];
      if (!started.has(parent)) started.set(parent, new Set());
      const taken = started.get(parent)!;
      const group =
        groups.find((id) => startName.get(id) === name && !taken.has(id)) ??
        groups.find((id) => startName.get(id) === name) ??
        groups.find((id) => byScope.get(id)?.has(name));
      if (group !== undefined) {
        taken.add(group);
        return inGroup(group, name)!;
      }
    }
    const stateId = firstByName.get(name) ?? name;
    return { stateId, groupId: graph.states.find((state) => state.id === stateId)?.groupId };
  };
}

function nameOf(graph: AslGraph, stateId: string | undefined): string | undefined {
  return stateId === undefined ? undefined : graph.states.find((state) => state.id === stateId)?.name;
}
