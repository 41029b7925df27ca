"""Validation of Amazon States Language definitions: `validate(text_or_value) -> list[Diagnostic]`.

The protocol, once:

1. **One parse.** Text is parsed once by `designer.asl.document.parse` (JSON, or YAML when asked), which
   keeps the position of every key and value. Text that is not a document yields one
   INVALID_JSON_DESCRIPTION diagnostic and validation stops; duplicate keys are reported and it goes on.
2. **Placeholders.** Unless asked not to, `placeholders.substitute` reports each `${X}`-style template
   token as a warning and hands the rules a copy where each is filled with a value its field accepts.
3. **One walk.** `Context.build` lists every state machine (top level, Parallel branches, Map processors)
   and every state with its JSON pointer and effective query language.
4. **Rules collect.** Each module in `RULES` is a function `check(ctx)` that reads the context and calls
   `ctx.report(code, pointer, message, severity)` for every finding; no rule raises, none stops the
   others. `report` adds the state name and the line/column. A rule that needs to know whether an
   expression is well-formed asks `expressions.py`, the single bridge to the evaluation core.

Adding a rule: a module named for what it checks, with `check(ctx)`, appended to `RULES`; use AWS's
ValidateStateMachineDefinition code where one fits (diagnostics.py) and AWS's wording where it is known.
"""

from __future__ import annotations

from typing import Any

from designer.asl.diagnostics import (
    INVALID_JSON_DESCRIPTION,
    PLACEHOLDER,
    SCHEMA_VALIDATION_FAILED,
    Diagnostic,
)
from designer.asl.document import Document, Format, ParseError, parse
from designer.asl.validate import (
    choice_rules,
    fields,
    jsonata_fields,
    jsonpath_fields,
    map,
    names,
    payloads,
    placeholders,
    query_language,
    resources,
    retry_catch,
    schema,
    transitions,
)
from designer.asl.validate.context import Context

__all__ = ["RULES", "validate", "validate_document"]

RULES = (
    schema,
    names,
    transitions,
    fields,
    query_language,
    choice_rules,
    retry_catch,
    map,
    resources,
    jsonpath_fields,
    payloads,
    jsonata_fields,
)
MACHINE_TYPES = ("STANDARD", "EXPRESS")
NOT_AN_OBJECT = "Definition must be a valid JSON object"


def validate(
    text_or_value: Any, *, type: str = "STANDARD", format: Format = "json", placeholders: bool = True
) -> list[Diagnostic]:
    """Every finding about a definition, errors first, each in the order it appears in the text.

    `text_or_value` is definition text (str/bytes, JSON unless `format="yaml"`) or an already parsed
    value (then diagnostics carry no line/column). A definition is valid when no diagnostic has
    severity "error"; warnings (placeholders, NO_DOLLAR, ...) do not stop a deployment.
    `placeholders=False` judges the text as it stands, as AWS would if it were sent unsubstituted
    (`"Resource": "${Arn}"` is then an invalid resource, and no PLACEHOLDER warnings are given).
    """
    if type not in MACHINE_TYPES:
        raise ValueError(f"type must be one of {MACHINE_TYPES}, not {type!r}")
    if isinstance(text_or_value, str | bytes | bytearray):
        text = text_or_value if isinstance(text_or_value, str) else text_or_value.decode("utf-8", "replace")
        if not text.strip():
            return [Diagnostic(SCHEMA_VALIDATION_FAILED, "error", "", None, None, None, NOT_AN_OBJECT)]
        try:
            document = parse(text_or_value, format=format)
        except ParseError as exc:
            return [exc.diagnostic]
        return validate_document(document, type=type, placeholders=placeholders)
    return _validate(text_or_value, None, type, placeholders)


def validate_document(
    document: Document, *, type: str = "STANDARD", placeholders: bool = True
) -> list[Diagnostic]:
    """`validate` for text already parsed with `designer.asl.parse`."""
    return _validate(document.value, document, type, placeholders)


def _validate(value: Any, document: Document | None, machine_type: str, substitute: bool) -> list[Diagnostic]:
    found: list[tuple[str, str]] = []
    if substitute and isinstance(value, dict):
        value, found = placeholders.substitute(value, document.text if document is not None else None)
    ctx = Context.build(value, document, machine_type)
    for duplicate in document.duplicates if document is not None else ():
        key = duplicate.pointer.rpartition("/")[2].replace("~1", "/").replace("~0", "~")
        line, column = document.line_column(duplicate.offset)  # type: ignore[union-attr]
        message = f"Duplicate field '{key}'"
        ctx.diagnostics.append(
            Diagnostic(INVALID_JSON_DESCRIPTION, "error", duplicate.pointer, None, line, column, message)
        )
    if not isinstance(value, dict):
        ctx.report(SCHEMA_VALIDATION_FAILED, "", NOT_AN_OBJECT)
        return ctx.diagnostics
    for pointer, token in found:
        ctx.report(
            PLACEHOLDER,
            pointer,
            f"Template placeholder {token} must be substituted before the definition is deployed; "
            "it was checked as a value of the right kind",
            "warning",
        )
    for rule in RULES:
        rule.check(ctx)
    return _ordered(ctx.diagnostics)


def _ordered(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    unique = list(dict.fromkeys(diagnostics))
    return sorted(unique, key=lambda d: (d.severity != "error", d.line or 0, d.column or 0))
