"""A definition that starts at one of its states: "run from here" in the run view.

For a state inside a Parallel branch or a Map's ItemProcessor (`within`: the JSON path of that
branch or processor), the definition is that branch's or processor's states: the run goes on
from the state to the end of its branch or iteration, and its output is what the branch or
iteration would return. It cannot go on past the Parallel or Map: a Parallel's result needs the
other branches' outputs, and a Map's iterations share one ItemProcessor, so one iteration cannot
start at a different state than the others. The top level's QueryLanguage and TimeoutSeconds
are kept.

StartAt names that state; the states it can no longer reach are left out (AWS refuses a
definition with unreachable states); and when the run had assigned variables by then, an entry
Pass state assigns them again before going on to it (Assign, as in
https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html), so the state sees
the variables it saw in the run.
"""

import json
from typing import Any

ENTRY = "Run from here"


class EntryError(ValueError):
    """The state cannot start a run: `str()` says why."""


def _targets(state: dict[str, Any]) -> list[str]:
    names = [state.get("Next"), state.get("Default")]
    names += [rule.get("Next") for rule in state.get("Choices", []) if isinstance(rule, dict)]
    names += [catcher.get("Next") for catcher in state.get("Catch", []) if isinstance(catcher, dict)]
    return [name for name in names if isinstance(name, str)]


def _scope(definition: Any, within: list[str | int]) -> dict[str, Any]:
    """The branch or ItemProcessor (or Iterator) at `within`, checked to be one."""
    node = definition
    for step in within:
        in_object = isinstance(node, dict) and isinstance(step, str) and step in node
        in_array = (
            isinstance(node, list)
            and isinstance(step, int)
            and not isinstance(step, bool)
            and 0 <= step < len(node)
        )
        if in_object or in_array:
            node = node[step]
        else:
            raise EntryError(f"The definition has nothing at {within!r}.")
    last = within[-1] if within else None
    branch = len(within) >= 2 and within[-2] == "Branches" and isinstance(last, int)
    if not (branch or last in ("ItemProcessor", "Iterator")) or not isinstance(node, dict):
        raise EntryError(f"{within!r} is not a Parallel branch or a Map's ItemProcessor.")
    return node


def start_at(
    text: str, state: str, variables: dict[str, Any] | None = None, within: list[str | int] | None = None
) -> str:
    """The JSON definition `text` started at `state` (top-level, or in the branch or processor
    at `within`), as JSON text."""
    definition = json.loads(text)
    if not isinstance(definition, dict):
        raise EntryError("The definition is not a JSON object.")
    if within:
        scope = _scope(definition, within)
        kept_fields = {
            key: definition[key] for key in ("QueryLanguage", "TimeoutSeconds") if key in definition
        }
        definition = {**kept_fields, "StartAt": scope.get("StartAt"), "States": scope.get("States")}
    states = definition.get("States")
    where = "its branch or iteration" if within else "the top level"
    if not isinstance(states, dict) or not isinstance(states.get(state), dict):
        raise EntryError(f"The definition has no state {state!r} at {where} to start at.")
    reachable, todo = set(), [state]
    while todo:
        name = todo.pop()
        if name in reachable or not isinstance(states.get(name), dict):
            continue
        reachable.add(name)
        todo.extend(_targets(states[name]))
    kept = {name: body for name, body in states.items() if name in reachable}
    definition["StartAt"] = state
    if variables:
        entry = ENTRY
        while entry in kept:
            entry += " "
        # Values as they were: names without `.$` take them literally (JSONPath and JSONata alike).
        kept = {entry: {"Type": "Pass", "Assign": dict(variables), "Next": state}, **kept}
        definition["StartAt"] = entry
    definition["States"] = kept
    return json.dumps(definition, indent=2, ensure_ascii=False)
