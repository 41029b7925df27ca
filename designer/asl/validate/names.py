"""State names: unique across the whole definition (nested machines included), at most 80 characters,
no control characters."""

from __future__ import annotations

import re

from designer.asl.diagnostics import DUPLICATE_STATE_NAME, INVALID_STATE_NAME
from designer.asl.validate.context import Context

MAX_NAME_LENGTH = 80
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check(ctx: Context) -> None:
    first_seen: dict[str, str] = {}
    for state in ctx.states:
        name = state.name
        if name in first_seen:
            ctx.report(
                DUPLICATE_STATE_NAME,
                state.pointer,
                f"Duplicate State name: '{name}' is also defined at {first_seen[name]}; "
                "state names must be unique in the whole state machine, branches and processors included",
            )
        else:
            first_seen[name] = state.pointer
        if not name:
            ctx.report(INVALID_STATE_NAME, state.pointer, "A state name must not be empty")
        elif len(name) > MAX_NAME_LENGTH:
            ctx.report(
                INVALID_STATE_NAME,
                state.pointer,
                f"State name is {len(name)} characters long; the maximum is {MAX_NAME_LENGTH}",
            )
        if CONTROL_CHARACTERS.search(name):
            ctx.report(INVALID_STATE_NAME, state.pointer, "A state name must not contain control characters")
