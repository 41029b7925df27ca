"""Retriers and Catchers beyond their shape (schema.py): States.ALL must be alone in its ErrorEquals
and its Retrier/Catcher must be the last one; a catch-all that leads straight to Succeed is warned of,
since it turns every failure into a success."""

from __future__ import annotations

from designer.asl.diagnostics import CATCH_ALL_HIDES_ERRORS, SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import Context, pointer_join

STATES_ALL = "States.ALL"


def check(ctx: Context) -> None:
    for state in ctx.states:
        body = state.body
        if not isinstance(body, dict):
            continue
        for field in ("Retry", "Catch"):
            entries = body.get(field)
            if not isinstance(entries, list):
                continue
            kind = "Retrier" if field == "Retry" else "Catcher"
            for i, entry in enumerate(entries):
                errors = entry.get("ErrorEquals") if isinstance(entry, dict) else None
                if not isinstance(errors, list) or STATES_ALL not in errors:
                    continue
                where = pointer_join(state.pointer, field, i, "ErrorEquals")
                if len(errors) > 1:
                    ctx.report(
                        SCHEMA_VALIDATION_FAILED, where, f"'{STATES_ALL}' must appear alone in ErrorEquals"
                    )
                if i != len(entries) - 1:
                    ctx.report(
                        SCHEMA_VALIDATION_FAILED,
                        where,
                        f"A {kind} with '{STATES_ALL}' must be the last {kind} in {field}",
                    )
                if field == "Catch" and isinstance(entry.get("Next"), str):
                    target = state.machine.state_names.get(entry["Next"])
                    if target is not None and target.type == "Succeed":
                        ctx.report(
                            CATCH_ALL_HIDES_ERRORS,
                            pointer_join(state.pointer, field, i),
                            f"This Catcher sends every error to the Succeed state '{target.name}', "
                            "so failures will look like successes",
                            "warning",
                        )
