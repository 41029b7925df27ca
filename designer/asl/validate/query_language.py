"""Query-language exclusivity: a JSONPath state uses no JSONata-only field (Arguments, Output, Items,
Condition...) and a JSONata state no JSONPath-only field (InputPath, Parameters, ResultPath, *Path...);
a definition whose top level says JSONata cannot set a state back to JSONPath (AWS's own message)."""

from __future__ import annotations

from designer.asl.diagnostics import SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import JSONATA, JSONPATH, Context, pointer_join
from designer.asl.validate.schema import other_language_fields


def check(ctx: Context) -> None:
    top = ctx.definition.get("QueryLanguage") if isinstance(ctx.definition, dict) else None
    for state in ctx.states:
        body = state.body
        if not isinstance(body, dict):
            continue
        if top == JSONATA and body.get("QueryLanguage") == JSONPATH:
            ctx.report(
                SCHEMA_VALIDATION_FAILED,
                state.pointer,
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            )
        state_type = body.get("Type")
        if not isinstance(state_type, str):
            continue
        for name in other_language_fields(state_type, state.query_language):
            if name in body:
                other = JSONPATH if state.jsonata else JSONATA
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    pointer_join(state.pointer, name),
                    f"The field '{name}' is a {other}-only field and is not supported in a "
                    f"{state.query_language} state"
                    + (
                        ' (set "QueryLanguage": "JSONata" on the state to use it)'
                        if not state.jsonata
                        else ""
                    ),
                )
