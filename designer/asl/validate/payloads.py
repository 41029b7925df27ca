"""Payload templates of JSONPath states (Parameters, ResultSelector, ItemSelector, Credentials,
ItemReader/ResultWriter Parameters, Assign): a field whose name ends in `.$` holds a path, a variable
reference or an intrinsic function call (checked through `expressions.py`); a name may not appear both
with and without `.$`. Plain fields whose value looks like a path get AWS's NO_DOLLAR warning, and Pass
`Result` fields ending in `.$` AWS's PASS_RESULT_IS_STATIC warning."""

from __future__ import annotations

import re
from typing import Any

from designer.asl.diagnostics import NO_DOLLAR, PASS_RESULT_IS_STATIC, SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import Context, State, pointer_join
from designer.asl.validate.expressions import intrinsic_problem, path_problem

TEMPLATE_FIELDS = ("Parameters", "ResultSelector", "ItemSelector", "Credentials", "Assign")
NESTED_TEMPLATES = (("ItemReader", "Parameters"), ("ResultWriter", "Parameters"))
LOOKS_LIKE_PATH = re.compile(r"^(\$\$?\.|\$\[|States\.[A-Za-z]+\()")


def check(ctx: Context) -> None:
    for state in ctx.states:
        body = state.body
        if not isinstance(body, dict):
            continue
        if not state.jsonata:
            for field in TEMPLATE_FIELDS:
                if isinstance(body.get(field), dict):
                    template(ctx, pointer_join(state.pointer, field), body[field], assign=field == "Assign")
            for outer, inner in NESTED_TEMPLATES:
                holder = body.get(outer)
                if isinstance(holder, dict) and isinstance(holder.get(inner), dict):
                    template(ctx, pointer_join(state.pointer, outer, inner), holder[inner])
            for where, assign in _nested_assigns(state):
                template(ctx, where, assign, assign=True)
            result = body.get("Result")
            if body.get("Type") == "Pass" and isinstance(result, dict):
                for key in result:
                    if isinstance(key, str) and key.endswith(".$"):
                        ctx.report(
                            PASS_RESULT_IS_STATIC,
                            pointer_join(state.pointer, "Result", key),
                            "Pass 'Result' is static: the '.$' field is not evaluated (use Parameters)",
                            "warning",
                        )


def _nested_assigns(state: State) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for field in ("Choices", "Catch"):
        entries = state.body.get(field)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict) and isinstance(entry.get("Assign"), dict):
                out.append((pointer_join(state.pointer, field, i, "Assign"), entry["Assign"]))
    return out


def template(ctx: Context, pointer: str, value: dict[str, Any], *, assign: bool = False) -> None:
    todo: list[tuple[str, Any]] = [(pointer, value)]
    while todo:
        where, node = todo.pop()
        if isinstance(node, list):
            todo.extend((f"{where}/{i}", item) for i, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, item in node.items():
            at = pointer_join(where, key)
            if key.endswith(".$"):
                if key[:-2] in node:
                    ctx.report(
                        SCHEMA_VALIDATION_FAILED,
                        at,
                        f"The field '{key[:-2]}' appears both with and without '.$' in the same object",
                    )
                problem = _dynamic_problem(item)
                if problem:
                    # AWS locates this finding at the object holding the field.
                    ctx.report(
                        SCHEMA_VALIDATION_FAILED,
                        where,
                        f"The value for the field '{key}' must be a valid JSONPath or a valid intrinsic "
                        f"function call ({problem})",
                    )
            elif isinstance(item, str) and LOOKS_LIKE_PATH.match(item) and not assign:
                ctx.report(
                    NO_DOLLAR,
                    at,
                    f"The value of '{key}' looks like a path or intrinsic function but is passed as a "
                    f"literal string; name the field '{key}.$' to evaluate it",
                    "warning",
                )
            else:
                todo.append((at, item))


def _dynamic_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return "the value is not a string"
    if value.startswith("States."):
        return intrinsic_problem(value)
    if not value.startswith("$"):
        return f"'{value}' is neither a path (starting with '$') nor an intrinsic function ('States.')"
    return path_problem(value)
