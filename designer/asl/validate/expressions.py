"""The one place where validation asks whether an expression is well-formed.

Every syntax check of a JSONPath, reference path, intrinsic function call or JSONata expression goes
through these functions, which compile the text with the evaluation core (`designer.asl.jsonpath`,
`designer.asl.intrinsics`, `designer.asl.jsonata`) and turn its `ASLSyntaxError` into a message, so the
validator accepts exactly what the interpreter can run. Compilation is cached there by text.
"""

from __future__ import annotations

from designer.asl.errors import ASLSyntaxError
from designer.asl.intrinsics import compile_intrinsic
from designer.asl.jsonata import compile_jsonata
from designer.asl.jsonpath import compile_path

JSONATA_OPEN = "{%"
JSONATA_CLOSE = "%}"


def path_problem(
    text: str, *, reference: bool = False, context: bool = True, variables: bool = True
) -> str | None:
    """Why `text` is not an acceptable ASL path, or None.

    reference: it must select one node (ResultPath, ItemsPath, *Path fields, Choice Variable);
    context: `$$.` context paths allowed; variables: `$name` variable paths allowed.
    """
    if not text.startswith("$"):
        return f"'{text}' is not a JSONPath (it must start with '$')"
    if text.startswith("$$"):
        if not context:
            return f"'{text}' is a context object path, which this field does not accept"
    elif len(text) > 1 and (text[1].isalpha() or text[1] == "_") and not variables:
        return f"'{text}' is a variable reference, which this field does not accept"
    try:
        path = compile_path(text)
    except ASLSyntaxError as exc:
        return exc.message
    except RecursionError:
        return f"'{text}' is nested too deeply"
    if reference and not path.is_definite:
        return (
            f"'{text}' is not a Reference Path: it must select a single node (no wildcards, filters or '..')"
        )
    return None


def intrinsic_problem(text: str) -> str | None:
    """Why `text` is not a well-formed intrinsic function call (known name, right arity), or None."""
    try:
        compile_intrinsic(text)
    except ASLSyntaxError as exc:
        return exc.message
    except RecursionError:
        return f"'{text}' is nested too deeply"
    return None


def is_jsonata_expression(value: object) -> bool:
    return isinstance(value, str) and value.startswith(JSONATA_OPEN) and value.endswith(JSONATA_CLOSE)


def jsonata_problem(text: str) -> str | None:
    """Why a `{% ... %}` string is not a well-formed JSONata expression, or None."""
    starts, ends = text.startswith(JSONATA_OPEN), text.endswith(JSONATA_CLOSE)
    if starts and not ends:
        return "The JSONata expression is not closed with '%}'"
    if ends and not starts:
        return "The JSONata expression is not opened with '{%'"
    if len(text) < 4 or not text[2:-2].strip():
        return "The JSONata expression is empty"
    try:
        compile_jsonata(text)
    except ASLSyntaxError as exc:
        return exc.message
    except RecursionError:
        return "The JSONata expression is nested too deeply"
    return None
