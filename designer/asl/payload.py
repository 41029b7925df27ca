"""JSONPath payload templates: Parameters, ResultSelector, ItemSelector and JSONPath Assign.

A key ending in `.$` takes its value from a path (`$.x`, `$$.Execution.Id`, `$var.x`) or an
intrinsic function call; the `.$` is dropped from the output key. Nested objects and arrays
are templates too. Constant subtrees are built once at compile time and shared between
evaluations: callers must treat evaluation results as immutable (copy before changing).
"""

from __future__ import annotations

from typing import Any

from designer.asl.errors import RUNTIME, ASLError, ASLSyntaxError, PathNotFound
from designer.asl.intrinsics import compile_intrinsic, is_intrinsic
from designer.asl.jsonpath import compile_path, dumps_compact
from designer.asl.scope import Scope
from designer.asl.template_nodes import ArrayNode, ObjectNode

__all__ = ["Payload", "compile_payload", "path_not_found_in_field"]


def path_not_found_in_field(path: str, field: str, state_input: Any) -> ASLError:
    """AWS's States.Runtime for a path in a named field (`key.$`, ErrorPath, CausePath, ...)."""
    text = dumps_compact(state_input)
    return ASLError(
        RUNTIME,
        f"The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{text}'",
    )


class _Const:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def evaluate(self, scope: Scope) -> Any:
        return self.value


class _Dynamic:
    """A `key.$` value: a path or an intrinsic function."""

    __slots__ = ("evaluator", "field", "text")

    def __init__(self, text: Any, field: str, pointer: str) -> None:
        if not isinstance(text, str):
            raise ASLSyntaxError(
                f"The value of the field '{field}' must be a JSONPath or an intrinsic function (a string)",
                pointer=pointer,
            )
        self.text = text
        self.field = field
        try:
            self.evaluator = compile_intrinsic(text) if is_intrinsic(text) else compile_path(text)
        except ASLSyntaxError as exc:
            raise ASLSyntaxError(exc.message, exc.offset, pointer) from None

    def evaluate(self, scope: Scope) -> Any:
        try:
            return self.evaluator.evaluate(scope)
        except PathNotFound as exc:
            raise path_not_found_in_field(exc.path, self.field, scope.input) from None


def _escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _build(value: Any, pointer: str, depth: int) -> Any:
    if depth > 1000:
        raise ASLSyntaxError("The payload template is nested too deeply", pointer=pointer)
    if isinstance(value, dict):
        entries: list[tuple[str, Any]] = []
        dynamic = False
        for key, item in value.items():
            child_pointer = f"{pointer}/{_escape_pointer(key)}"
            if key.endswith(".$"):
                entries.append((key[:-2], _Dynamic(item, key, child_pointer)))
                dynamic = True
            else:
                node = _build(item, child_pointer, depth + 1)
                dynamic = dynamic or not isinstance(node, _Const)
                entries.append((key, node))
        if not dynamic:
            return _Const(value)
        return ObjectNode(tuple(entries))
    if isinstance(value, list):
        items = tuple(_build(item, f"{pointer}/{i}", depth + 1) for i, item in enumerate(value))
        if all(isinstance(item, _Const) for item in items):
            return _Const(value)
        return ArrayNode(items)
    return _Const(value)


class Payload:
    """A compiled payload template; `evaluate(scope)` returns the filled-in JSON value."""

    __slots__ = ("_root", "template")

    def __init__(self, template: Any, pointer: str = "") -> None:
        self.template = template
        self._root = _build(template, pointer, 0)

    def __repr__(self) -> str:
        return f"Payload({self.template!r})"

    @property
    def is_constant(self) -> bool:
        return isinstance(self._root, _Const)

    def evaluate(self, scope: Scope) -> Any:
        return self._root.evaluate(scope)


def compile_payload(template: Any, pointer: str = "") -> Payload:
    """Compile a payload template. Raises ASLSyntaxError (with the JSON pointer) on a bad path."""
    return Payload(template, pointer)
