"""Choice Rules, which nest (And/Or/Not) and so are checked here rather than by the schema.

JSONPath: a top-level rule has `Next`; every rule is either a boolean rule (`And`/`Or`: a non-empty
array of rules; `Not`: one rule) or a comparison (`Variable`, a path, and exactly one operator whose
value has the operator's type). Nested rules have no `Next`. JSONata: a rule is `Condition` (a boolean or
a `{% %}` expression) with `Next`; the JSONPath fields do not exist there.
"""

from __future__ import annotations

from typing import Any

from designer.asl.diagnostics import SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import Context, State, pointer_join
from designer.asl.validate.expressions import is_jsonata_expression, path_problem
from designer.asl.validate.fields import is_timestamp
from designer.asl.validate.placeholders import TOKEN


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


_KINDS = {
    "String": (lambda v: isinstance(v, str), "a string"),
    "Numeric": (_number, "a number"),
    "Boolean": (lambda v: isinstance(v, bool), "a boolean"),
    "Timestamp": (lambda v: isinstance(v, str) and is_timestamp(v), "an RFC3339 timestamp string"),
}
_COMPARISONS = ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
OPERATORS: dict[str, tuple[Any, str]] = {}
for _kind, (_test, _what) in _KINDS.items():
    for _cmp in _COMPARISONS if _kind != "Boolean" else ("Equals",):
        OPERATORS[f"{_kind}{_cmp}"] = (_test, _what)
        OPERATORS[f"{_kind}{_cmp}Path"] = (None, "a reference path")
OPERATORS["StringMatches"] = (lambda v: isinstance(v, str), "a string pattern")
for _test_name in ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"):
    OPERATORS[_test_name] = (lambda v: isinstance(v, bool), "a boolean")

BOOLEAN_RULES = ("And", "Or", "Not")
TOP_ONLY = {"Next", "Assign"}
JSONATA_FIELDS = {"Condition", "Next", "Comment", "Assign", "Output"}


def check(ctx: Context) -> None:
    for state in ctx.states:
        body = state.body
        if (
            not isinstance(body, dict)
            or body.get("Type") != "Choice"
            or not isinstance(body.get("Choices"), list)
        ):
            continue
        for i, rule in enumerate(body["Choices"]):
            pointer = pointer_join(state.pointer, "Choices", i)
            if not isinstance(rule, dict):
                continue  # the schema reports it
            if "Next" not in rule:
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    pointer,
                    "A Choice Rule must transition with 'Next'"
                    + (" ('End' is not a field of Choice Rules)" if "End" in rule else ""),
                )
            if state.jsonata:
                _check_jsonata_rule(ctx, pointer, rule)
            else:
                _check_jsonpath_rules(ctx, state, pointer, rule)


def _check_jsonata_rule(ctx: Context, pointer: str, rule: dict[str, Any]) -> None:
    for key in rule:
        if key not in JSONATA_FIELDS:
            ctx.report(
                SCHEMA_VALIDATION_FAILED,
                pointer_join(pointer, key),
                f"The field '{key}' is not supported in a JSONata Choice Rule (use 'Condition')",
            )
    if "Condition" not in rule:
        ctx.report(SCHEMA_VALIDATION_FAILED, pointer, "A JSONata Choice Rule requires 'Condition'")
        return
    condition = rule["Condition"]
    if not isinstance(condition, bool) and not is_jsonata_expression(condition):
        ctx.report(
            SCHEMA_VALIDATION_FAILED,
            pointer_join(pointer, "Condition"),
            "The value for the field 'Condition' must be a boolean or a JSONata expression",
        )


def _check_jsonpath_rules(ctx: Context, state: State, pointer: str, rule: dict[str, Any]) -> None:
    todo: list[tuple[str, Any, bool]] = [(pointer, rule, True)]
    while todo:
        where, current, top = todo.pop()
        if not isinstance(current, dict):
            ctx.report(SCHEMA_VALIDATION_FAILED, where, "A Choice Rule must be a JSON object")
            continue
        booleans = [k for k in BOOLEAN_RULES if k in current]
        operators = [k for k in current if k in OPERATORS or TOKEN.fullmatch(k)]
        for key in current:
            if key in operators or key in BOOLEAN_RULES or key in ("Variable", "Comment"):
                continue
            if top and key in TOP_ONLY:
                continue
            if key == "Next":
                message = "A nested Choice Rule must not have 'Next'; only top-level rules transition"
            elif key == "Condition":
                message = "'Condition' is only supported in JSONata Choice Rules"
            else:
                message = f"The field '{key}' is not supported in a Choice Rule"
            ctx.report(SCHEMA_VALIDATION_FAILED, pointer_join(where, key), message)
        if booleans:
            if len(booleans) > 1 or operators or "Variable" in current:
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    where,
                    "A Choice Rule is either one boolean rule (And, Or, Not) or one comparison, not several",
                )
            key = booleans[0]
            value = current[key]
            if key == "Not":
                if isinstance(value, dict):
                    todo.append((pointer_join(where, key), value, False))
                else:
                    ctx.report(
                        SCHEMA_VALIDATION_FAILED,
                        pointer_join(where, key),
                        "'Not' must be a single Choice Rule object",
                    )
            elif isinstance(value, list) and value:
                todo.extend((pointer_join(where, key, j), r, False) for j, r in enumerate(value))
            else:
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    pointer_join(where, key),
                    f"'{key}' must be a non-empty array of Choice Rules",
                )
            continue
        variable = current.get("Variable")
        if "Variable" not in current:
            ctx.report(
                SCHEMA_VALIDATION_FAILED,
                where,
                "A Choice Rule needs 'Variable' and a comparison operator, or And/Or/Not"
                if not operators
                else "These fields are required: [Variable]",
            )
        elif not isinstance(variable, str):
            ctx.report(
                SCHEMA_VALIDATION_FAILED, pointer_join(where, "Variable"), "'Variable' must be a path string"
            )
        else:
            problem = path_problem(variable)
            if problem:
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    pointer_join(where, "Variable"),
                    f"Invalid 'Variable': {problem}",
                )
        if not operators:
            if "Variable" in current:
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    where,
                    "A Choice Rule with 'Variable' needs a comparison operator",
                )
            continue
        if len(operators) > 1:
            ctx.report(
                SCHEMA_VALIDATION_FAILED,
                where,
                f"A Choice Rule must have exactly one comparison operator (found {', '.join(operators)})",
            )
        for op in operators:
            if op in OPERATORS:
                _check_operand(ctx, pointer_join(where, op), op, current[op])


def _check_operand(ctx: Context, where: str, op: str, value: Any) -> None:
    test, what = OPERATORS[op]
    if test is None:
        problem = path_problem(value, reference=True) if isinstance(value, str) else "it is not a string"
        if problem:
            ctx.report(SCHEMA_VALIDATION_FAILED, where, f"The value for '{op}' must be {what}: {problem}")
    elif not test(value):
        ctx.report(SCHEMA_VALIDATION_FAILED, where, f"The value for '{op}' must be {what}")
