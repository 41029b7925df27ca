"""A definition that starts at one of its top-level states: "run from here" in the run view.

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


def start_at(text: str, state: str, variables: dict[str, Any] | None = None) -> str:
    """The JSON definition `text` started at top-level `state`, as JSON text."""
    definition = json.loads(text)
    states = definition.get("States") if isinstance(definition, dict) else None
    if not isinstance(states, dict) or not isinstance(states.get(state), dict):
        raise EntryError(f"The definition has no top-level state {state!r} to start at.")
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
