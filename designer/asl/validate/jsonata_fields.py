"""JSONata expressions in JSONata states: every string written as `{% ... %}` anywhere in the state
(outside nested state machines) must parse; a string opened with `{%` but not closed, or closed but not
opened, is reported; Arguments, Items and ItemSelector given as strings must be expressions."""

from __future__ import annotations

from typing import Any

from designer.asl.diagnostics import SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import Context, pointer_join
from designer.asl.validate.expressions import (
    JSONATA_CLOSE,
    JSONATA_OPEN,
    is_jsonata_expression,
    jsonata_problem,
)

NESTED_MACHINES = frozenset({"ItemProcessor", "Iterator", "Branches"})
NOT_EXPRESSIONS = frozenset({"Type", "Comment", "QueryLanguage", "Next", "Default", "End"})
EXPRESSION_OR_VALUE = ("Arguments", "Items", "ItemSelector")


def check(ctx: Context) -> None:
    for state in ctx.states:
        body = state.body
        if not state.jsonata or not isinstance(body, dict):
            continue
        todo: list[tuple[str, Any]] = [
            (pointer_join(state.pointer, k), v)
            for k, v in body.items()
            if k not in NESTED_MACHINES | NOT_EXPRESSIONS
        ]
        while todo:
            where, node = todo.pop()
            if isinstance(node, dict):
                todo.extend((pointer_join(where, k), v) for k, v in node.items())
            elif isinstance(node, list):
                todo.extend((f"{where}/{i}", v) for i, v in enumerate(node))
            elif isinstance(node, str) and (node.startswith(JSONATA_OPEN) or node.endswith(JSONATA_CLOSE)):
                problem = jsonata_problem(node)
                if problem:
                    ctx.report(SCHEMA_VALIDATION_FAILED, where, f"{problem}: {node[:200]!r}")
        for field in EXPRESSION_OR_VALUE:
            value = body.get(field)
            if isinstance(value, str) and not is_jsonata_expression(value):
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    pointer_join(state.pointer, field),
                    f"The value for the field '{field}' must be an object/array or a JSONata expression "
                    "'{% ... %}'",
                )
