"""Transitions within each state machine: StartAt and every Next/Default/Catch target name a state of
the same machine (branches and processors are closed scopes), each state ends with exactly one of Next
or End, every state is reachable from StartAt, and a terminal state is reachable."""

from __future__ import annotations

from collections.abc import Iterator

from designer.asl.diagnostics import MISSING_END_STATE, MISSING_TRANSITION_TARGET, SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import Context, Machine, State, pointer_join

NEEDS_TRANSITION = {"Task", "Pass", "Wait", "Parallel", "Map"}
TERMINAL_TYPES = {"Succeed", "Fail"}


def targets(state: State) -> Iterator[tuple[str, str]]:
    """(pointer of the field, target name) for every transition out of `state`."""
    body = state.body
    if not isinstance(body, dict):
        return
    if isinstance(body.get("Next"), str):
        yield pointer_join(state.pointer, "Next"), body["Next"]
    if body.get("Type") == "Choice":
        if isinstance(body.get("Default"), str):
            yield pointer_join(state.pointer, "Default"), body["Default"]
        choices = body.get("Choices")
        for i, rule in enumerate(choices if isinstance(choices, list) else []):
            if isinstance(rule, dict) and isinstance(rule.get("Next"), str):
                yield pointer_join(state.pointer, "Choices", i, "Next"), rule["Next"]
    catchers = body.get("Catch")
    for i, catcher in enumerate(catchers if isinstance(catchers, list) else []):
        if isinstance(catcher, dict) and isinstance(catcher.get("Next"), str):
            yield pointer_join(state.pointer, "Catch", i, "Next"), catcher["Next"]


def is_terminal(state: State) -> bool:
    body = state.body
    return isinstance(body, dict) and (state.type in TERMINAL_TYPES or body.get("End") is True)


def check(ctx: Context) -> None:
    for state in ctx.states:
        _check_next_end(ctx, state)
    for machine in ctx.machines:
        _check_machine(ctx, machine)


def _check_next_end(ctx: Context, state: State) -> None:
    body = state.body
    if not isinstance(body, dict) or state.type not in NEEDS_TRANSITION:
        return
    has_next, end = "Next" in body, body.get("End")
    if has_next and "End" in body:
        ctx.report(
            SCHEMA_VALIDATION_FAILED,
            pointer_join(state.pointer, "End"),
            "A state must have either 'Next' or 'End': true, not both",
        )
    elif not has_next and end is not True:
        ctx.report(
            SCHEMA_VALIDATION_FAILED,
            state.pointer,
            "A state must have either 'Next' or 'End': true"
            + (" ('End': false does not end the state machine)" if end is False else ""),
        )


def _check_machine(ctx: Context, machine: Machine) -> None:
    names = machine.state_names
    start = machine.body.get("StartAt")
    for state in machine.states:
        for where, target in targets(state):
            if target not in names:
                ctx.report(
                    MISSING_TRANSITION_TARGET, where, f"Missing 'Next' target: {target}{_scope(machine)}"
                )
    if not isinstance(start, str) or not isinstance(machine.body.get("States"), dict):
        return
    if start not in names:
        ctx.report(
            MISSING_TRANSITION_TARGET,
            pointer_join(machine.pointer, "StartAt"),
            f"Missing 'Next' target: {start} (StartAt names no state{_scope(machine)})",
        )
        if names and not any(is_terminal(s) for s in machine.states):
            ctx.report(MISSING_END_STATE, machine.pointer or "", "Workflow has no terminal state")
        return
    reached = {start}
    todo = [names[start]]
    while todo:
        for _, target in targets(todo.pop()):
            if target in names and target not in reached:
                reached.add(target)
                todo.append(names[target])
    for state in machine.states:
        if state.name not in reached:
            ctx.report(MISSING_TRANSITION_TARGET, state.pointer, f'State "{state.name}" is not reachable')
    if not any(is_terminal(names[n]) for n in reached):
        ctx.report(
            MISSING_END_STATE,
            machine.pointer,
            "Workflow has no terminal state" + (f" in {_describe(machine)}" if machine.owner else ""),
        )


def _scope(machine: Machine) -> str:
    return f" in {_describe(machine)}" if machine.owner else ""


def _describe(machine: Machine) -> str:
    owner = machine.owner
    if owner is None:
        return "the state machine"
    if machine.kind == "branch":
        return f"a branch of Parallel state '{owner.name}'"
    return f"the item processor of Map state '{owner.name}'"
