"""ASL JSONPath: paths, reference paths, `$$` context paths, `$var` variable paths, ResultPath.

AWS evaluates JSONPath with Jayway JsonPath; this module mirrors its results and its
"not found" messages. A plain dotted/indexed path (`$.a.b[0]['c']`) walks the document by
hand (well under a microsecond); anything else (filters, wildcards, slices, unions, `..`) is
parsed once by jsonpath-ng's extended parser and cached with the compiled `Path`.

Not here: payload templates (payload.py), intrinsic functions (intrinsics.py).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from typing import Any

import regex
from jsonpath_ng.exceptions import JSONPathError
from jsonpath_ng.ext.filter import Expression
from jsonpath_ng.ext.parser import parse as _ext_parse
from jsonpath_ng.jsonpath import DatumInContext, JSONPath

from designer.asl.errors import RESULT_PATH_MATCH_FAILURE, ASLError, ASLSyntaxError, PathNotFound
from designer.asl.scope import Scope

__all__ = ["Path", "PathNotFound", "apply_result_path", "compile_path", "compile_reference_path"]

_INPUT, _CONTEXT, _VARIABLE = 0, 1, 2
REGEX_TIMEOUT = 1.0
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# One definite step: `.name`, `[123]`, `['name']` or `["name"]`.
_STEP = re.compile(r"""\.([^.\[\]\s()'"*]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]""")
# Jayway's path functions, applied to what the path before them selects.
_FUNCTION_SUFFIX = re.compile(r"\.(length|min|max|avg|stddev|sum|keys|first|last)\(\)\Z")
# Jayway names the Java type it found where an object or array was expected.
_JAVA_TYPES = {
    str: "java.lang.String",
    int: "java.lang.Integer",
    float: "java.lang.Double",
    bool: "java.lang.Boolean",
    list: "net.minidev.json.JSONArray",
    dict: "java.util.LinkedHashMap",
}


def dumps_compact(value: Any) -> str:
    """Compact JSON as AWS prints values in messages (a placeholder if too deep to print)."""
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (RecursionError, ValueError, TypeError):
        return "<value too deeply nested to print>"


def _bracket(steps: tuple[str | int, ...]) -> str:
    """Jayway's normalised form of a definite path: $['a'][0]."""
    return "$" + "".join(f"[{s}]" if isinstance(s, int) else f"['{s}']" for s in steps)


class Path:
    """A compiled ASL path. `evaluate(scope)` reads from the input, the context or a variable.

    A definite path (a reference path) yields one value or raises PathNotFound; an indefinite
    path yields the list of its matches (possibly empty), as Jayway does.
    """

    __slots__ = ("_ext", "_function", "_many", "_root", "_variable", "is_definite", "steps", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._ext: Any = None
        self._function: str | None = None
        self._many = False
        root, variable, rest = _split_root(text)
        self._root = root
        self._variable = variable
        function = _FUNCTION_SUFFIX.search(rest)
        if function:
            self._function = function.group(1)
            rest = rest[: function.start()]
        steps = _definite_steps(rest)
        self.steps: tuple[str | int, ...] | None = steps
        self.is_definite = steps is not None
        if steps is None:
            self._ext = _parse_ext("$" + rest, text)
            self._many = not _ext_is_definite(self._ext)
            # A function (`.sum()`, `.length()`, ...) always answers one value.
            self.is_definite = self._function is not None or not self._many

    def __repr__(self) -> str:
        return f"Path({self.text!r})"

    def evaluate(self, scope: Scope) -> Any:
        root = self._root
        if root == _INPUT:
            doc = scope.input
        elif root == _CONTEXT:
            doc = scope.context
        else:
            try:
                doc = scope.variables[self._variable]
            except KeyError:
                raise PathNotFound(self.text, f"Variable '${self._variable}' is not defined") from None
        return self.find(doc)

    def find(self, doc: Any) -> Any:
        """Evaluate against `doc` as the path's root (ignoring `$$`/`$var` prefixes)."""
        steps = self.steps
        if steps is None:
            value = self._find_ext(doc)
        elif steps:
            value = _walk(doc, steps, self.text)
        else:
            value = doc
        if self._function is not None:
            return _apply_function(self._function, value, self.text)
        return value

    def _find_ext(self, doc: Any) -> Any:
        try:
            matches = [m.value for m in self._ext.find(doc)]
        except Exception as exc:  # jsonpath-ng raises assorted errors on odd documents
            raise ASLError("States.Runtime", f"Invalid path '{self.text}' : {exc}") from None
        if self._many:
            return matches
        if not matches:
            raise PathNotFound(self.text, f"No results for path: {self.text}")
        return matches[0]


def _apply_function(name: str, value: Any, text: str) -> Any:
    """Jayway's length(), keys(), first(), last() and numeric aggregations (which answer doubles)."""
    if name == "length":
        if isinstance(value, list | dict | str):
            return len(value)
    elif name == "keys":
        if isinstance(value, dict):
            return list(value)
    elif isinstance(value, list):
        if name in ("first", "last"):
            if value:
                return value[0] if name == "first" else value[-1]
        else:
            numbers = [float(v) for v in value if isinstance(v, int | float) and not isinstance(v, bool)]
            if numbers:
                return _aggregate(name, numbers)
            raise PathNotFound(text, "Aggregation function attempted to calculate value using empty array")
    raise PathNotFound(text, f"Function {name}() cannot be applied to {dumps_compact(value)}")


def _aggregate(name: str, numbers: list[float]) -> float:
    if name == "min":
        return min(numbers)
    if name == "max":
        return max(numbers)
    if name == "sum":
        return math.fsum(numbers)
    mean = math.fsum(numbers) / len(numbers)
    if name == "avg":
        return mean
    return math.sqrt(math.fsum((n - mean) ** 2 for n in numbers) / len(numbers))


def _split_root(text: str) -> tuple[int, str, str]:
    """(root, variable name or "", the rest of the path)."""
    if not isinstance(text, str) or not text.startswith("$"):
        raise ASLSyntaxError(f"The path '{text}' must start with '$'", 0)
    if text.startswith("$$"):
        return _CONTEXT, "", text[2:]
    match = _VARIABLE_NAME.match(text, 1)
    if match:
        return _VARIABLE, match.group(), text[match.end() :]
    return _INPUT, "", text[1:]


def _definite_steps(rest: str) -> tuple[str | int, ...] | None:
    """The steps of a plain dotted/indexed path, or None when it needs the general parser."""
    steps: list[str | int] = []
    pos = 0
    end = len(rest)
    while pos < end:
        match = _STEP.match(rest, pos)
        if match is None:
            return None
        name, index, single, double = match.groups()
        if index is not None:
            steps.append(int(index))
        else:
            steps.append(name if name is not None else single if single is not None else double)
        pos = match.end()
    return tuple(steps)


# Jayway syntax jsonpath-ng spells differently: `$.[...]` is `$[...]`, `[(@.length-1)]` is `[-1]`.
_DOT_BRACKET = re.compile(r"^\$\.\[")
_LENGTH_INDEX = re.compile(r"\[\(@\.length\s*-\s*(\d+)\)\]")


# Jayway's `=~ /regex/flags` must match the whole value; jsonpath-ng takes a quoted regex it searches for.
_JAYWAY_REGEX = re.compile(r"=~\s*/((?:\\.|[^/\\])*)/([a-zA-Z]*)")


def _jayway_regex(match: re.Match[str]) -> str:
    pattern, flags = match.groups()
    inline = "".join(sorted({f.lower() for f in flags} & set("imsx")))
    prefix = f"(?{inline})" if inline else ""
    return '=~ "' + prefix + "^(?:" + pattern.replace("\\", "\\\\").replace('"', '\\"') + ')$"'


def _parse_ext(expr: str, text: str) -> Any:
    expr = _LENGTH_INDEX.sub(r"[-\1]", _DOT_BRACKET.sub("$[", expr))
    expr = _JAYWAY_REGEX.sub(_jayway_regex, expr)
    try:
        return _bound_regexes(_ext_parse(expr), 0)
    except (JSONPathError, Exception) as exc:  # ply raises bare Exceptions on some inputs
        raise ASLSyntaxError(f"The path '{text}' is not a valid JSONPath: {exc}") from None


class _TimedRegexExpression(Expression):
    """A `=~` filter on the regex module with a timeout: Python's `re` (jsonpath-ng's choice)
    cannot be interrupted, and a pattern built to backtrack would hang the engine."""

    def __init__(self, target: Any, pattern: str) -> None:
        super().__init__(target, "=~", pattern)
        self._regex = regex.compile(pattern)

    def find(self, datum: Any) -> list[Any]:
        found = self.target.find(DatumInContext.wrap(datum))
        return [
            d
            for d in found
            if isinstance(d.value, str) and self._regex.search(d.value, timeout=REGEX_TIMEOUT)
        ]


def _bound_regexes(node: Any, depth: int) -> Any:
    """Swap every parsed `=~` filter for its time-bounded twin (in this parse tree only)."""
    if depth > 200:
        raise ASLSyntaxError("The path is nested too deeply")
    if type(node) is Expression and node.op == "=~" and isinstance(node.value, str):
        return _TimedRegexExpression(node.target, node.value)
    for name, value in vars(node).items():
        if isinstance(value, JSONPath):
            setattr(node, name, _bound_regexes(value, depth + 1))
        elif isinstance(value, list) and any(isinstance(item, JSONPath) for item in value):
            setattr(node, name, [_bound_regexes(item, depth + 1) for item in value])
    return node


def _ext_is_definite(node: Any) -> bool:
    """Only names and single indexes make a definite path (a reference path)."""
    from jsonpath_ng.jsonpath import Child, Fields, Index, Root, This

    if isinstance(node, Root | This):
        return True
    if isinstance(node, Child):
        return _ext_is_definite(node.left) and _ext_is_definite(node.right)
    if isinstance(node, Fields):
        return len(node.fields) == 1 and node.fields[0] != "*"
    if isinstance(node, Index):
        return len(node.indices) == 1
    return False


def _walk(doc: Any, steps: tuple[str | int, ...], text: str) -> Any:
    cur = doc
    last = len(steps) - 1
    for i, step in enumerate(steps):
        if isinstance(step, str):
            if isinstance(cur, dict):
                try:
                    cur = cur[step]
                    continue
                except KeyError:
                    if i == last:
                        raise PathNotFound(text, f"No results for path: {_bracket(steps)}") from None
                    raise PathNotFound(text, f"Missing property in path {_bracket(steps[: i + 1])}") from None
            found = "null" if cur is None else _JAVA_TYPES.get(type(cur), type(cur).__name__)
            raise PathNotFound(
                text,
                f"Expected to find an object with property ['{step}'] in path {_bracket(steps[:i])} "
                f"but found '{found}'. This is not a json object according to the JsonProvider: "
                "'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
            )
        if isinstance(cur, list) and isinstance(step, int):
            if step < len(cur):
                cur = cur[step]
                continue
            raise PathNotFound(text, f"Index out of bounds when evaluating path {_bracket(steps[: i + 1])}")
        raise PathNotFound(
            text, f"Filter: [{step}] can only be applied to arrays. Current context is: {dumps_compact(cur)}"
        )
    return cur


def compile_path(expr: str) -> Path:
    """Compile an ASL path (`$...`, `$$...`, `$var...`); cached by text. Raises ASLSyntaxError."""
    if not isinstance(expr, str):
        raise ASLSyntaxError(f"A path must be a string, not {type(expr).__name__}")
    return _compile_path(expr)


@lru_cache(maxsize=4096)
def _compile_path(expr: str) -> Path:
    return Path(expr)


def compile_reference_path(expr: str) -> Path:
    """Compile a reference path (ResultPath, *Path fields that name one node)."""
    path = compile_path(expr)
    if not path.is_definite:
        raise ASLSyntaxError(f"The path '{expr}' is not a reference path (it must select a single node)")
    return path


def apply_result_path(path: Path | None, state_input: Any, result: Any) -> Any:
    """ResultPath: `$` (or absent) replaces the input, None (JSON null) discards the result,
    `$.a.b` writes the result there, creating missing objects. The input is never mutated:
    objects on the written path are copied, everything else is shared.
    """
    if path is None:
        return state_input
    steps = path.steps
    if steps is None or path._root != _INPUT or path._function is not None:
        raise ASLError(RESULT_PATH_MATCH_FAILURE, f"Unable to apply ResultPath '{path.text}'")
    if not steps:
        return result
    return _write(state_input, steps, result)


def _match_failure(step: str, node: Any) -> ASLError:
    return ASLError(
        RESULT_PATH_MATCH_FAILURE, f'Unable to apply step "{step}" to input {dumps_compact(node)}'
    )


def _write(node: Any, steps: tuple[str | int, ...], value: Any) -> Any:
    """Copy `node` along `steps` and put `value` at the end (iterative: paths can be long)."""
    copies: list[tuple[Any, str | int]] = []
    last = len(steps) - 1
    for i, step in enumerate(steps):
        if isinstance(step, str):
            if not isinstance(node, dict):
                raise ASLError(
                    RESULT_PATH_MATCH_FAILURE, f'Unable to apply step "{step}" to input {dumps_compact(node)}'
                )
            copies.append((dict(node), step))
            node = node.get(step, {}) if i < last else None
        else:
            if not isinstance(node, list) or step >= len(node):
                raise ASLError(
                    RESULT_PATH_MATCH_FAILURE,
                    f'Unable to apply step "[{step}]" to input {dumps_compact(node)}',
                )
            copies.append((list(node), step))
            node = node[step] if i < last else None
    for container, step in reversed(copies):
        container[step] = value
        value = container
    return value
