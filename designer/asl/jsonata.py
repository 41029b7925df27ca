"""JSONata in Step Functions: `{% ... %}` expressions and the templates that hold them.

Wraps jsonata-python. Each expression is parsed once (cached by text) and evaluated with
`$states` ({input, context, result?, errorOutput?}) and every ASL variable bound as `$name`,
plus the functions AWS adds: `$partition $range $hash $random $uuid $parse`. Evaluation is
bounded: a step budget checks a wall-clock deadline and a nesting limit, so expressions built
to be slow fail with States.QueryEvaluationError instead of hanging the engine.

Errors use AWS's wording, e.g. "The JSONata expression '$x' specified for the field
'Output/a' returned nothing (undefined)."; the interpreter adds the state prefix
(errors.state_cause).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
import uuid
from functools import lru_cache
from typing import Any

import jsonata as _jsonata
import regex
from jsonata.jexception import JException
from jsonata.regex_engine import RegexFlags
from jsonata.utils import Utils

from designer.asl.errors import QUERY_EVALUATION_ERROR, ASLError, ASLSyntaxError
from designer.asl.scope import MISSING, Scope
from designer.asl.template_nodes import ArrayNode, ObjectNode

__all__ = [
    "Jsonata",
    "JsonataTemplate",
    "compile_jsonata",
    "compile_jsonata_template",
    "is_jsonata",
]

# Wall-clock bound of one evaluation (and of each regular-expression use): generous for real
# transformations of large inputs, finite for expressions built to be slow.
TIME_LIMIT_SECONDS = 10.0
# Nested evaluation depth (about six per level of a recursive function); past it, D1011.
MAX_DEPTH = 3000
_NULL = Utils.NULL_VALUE
_MAX_RANGE = 1000
_HASHES = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def is_jsonata(value: Any) -> bool:
    """Whether a string is a whole `{% ... %}` JSONata expression."""
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}") and len(value) >= 4


class _FunctionError(Exception):
    """Raised by the AWS-added functions; reported as the evaluation error."""


class _Budget:
    """Evaluation bounds, installed as jsonata's entry/exit callbacks for one evaluation."""

    __slots__ = ("deadline", "depth", "ticks")

    def __init__(self) -> None:
        self.deadline = time.monotonic() + TIME_LIMIT_SECONDS
        self.depth = 0
        self.ticks = 0

    def entry(self, expr: Any, data: Any, env: Any) -> None:
        self.depth += 1
        self.ticks += 1
        if self.depth > MAX_DEPTH:
            raise JException("D1011", -1)
        if not self.ticks & 127 and time.monotonic() > self.deadline:
            raise JException("D1012", -1, int(TIME_LIMIT_SECONDS * 1000))

    def exit(self, expr: Any, data: Any, env: Any, result: Any) -> None:
        self.depth -= 1


class _TimedPattern:
    """A regular expression whose every use is bounded in time.

    Python's `re` cannot be interrupted, so a pattern built to backtrack (`(a|aa)+$`) would
    hang the engine; the `regex` module takes a timeout instead.
    """

    __slots__ = ("_pattern",)

    def __init__(self, pattern: regex.Pattern[str]) -> None:
        self._pattern = pattern

    def search(self, string: str) -> Any:
        return self._pattern.search(string, timeout=TIME_LIMIT_SECONDS)

    def finditer(self, string: str) -> Any:
        return self._pattern.finditer(string, timeout=TIME_LIMIT_SECONDS)

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        return self._pattern.sub(repl, string, count=count, timeout=TIME_LIMIT_SECONDS)

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        return self._pattern.split(string, maxsplit=maxsplit, timeout=TIME_LIMIT_SECONDS)


def _timed_regex_engine(pattern: str, flags: RegexFlags) -> _TimedPattern:
    options = (regex.IGNORECASE if flags.case_insensitive else 0) | (
        regex.MULTILINE if flags.multiline else 0
    )
    return _TimedPattern(regex.compile(pattern, options))


# ---------------------------------------------------------------- AWS's added functions


def _to_json(value: Any) -> Any:
    """A jsonata result as plain JSON values (None for null); raises TypeError for functions."""
    if value is _NULL:
        return None
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError("unsupported result type")


def _from_json(value: Any) -> Any:
    return _NULL if value is None else value


def _integer(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
        raise _FunctionError(f"The {name} argument must be an integer")
    return int(value)


def _partition(array: Any = None, size: Any = None) -> Any:
    if not isinstance(array, list):
        raise _FunctionError("The first argument of $partition must be an array")
    chunk = _integer("second $partition", size)
    if chunk <= 0:
        raise _FunctionError("The second argument of $partition must be greater than 0")
    items = _to_json(array)
    return [items[i : i + chunk] for i in range(0, len(items), chunk)]


def _range(start: Any = None, end: Any = None, step: Any = None) -> Any:
    first = _integer("first $range", start)
    last = _integer("second $range", end)
    stride = _integer("third $range", step)
    if stride == 0:
        raise _FunctionError("The step of $range must not be 0")
    if max(0, (last - first) // stride + 1) > _MAX_RANGE:
        raise _FunctionError(f"$range can produce at most {_MAX_RANGE} items")
    return list(range(first, last + (1 if stride > 0 else -1), stride))


def _hash(data: Any = None, algorithm: Any = None) -> str:
    if algorithm not in _HASHES:
        raise _FunctionError(f"The hash algorithm must be one of {', '.join(_HASHES)}")
    text = data if isinstance(data, str) else json.dumps(_to_json(data), separators=(",", ":"))
    return hashlib.new(_HASHES[algorithm], text.encode("utf-8")).hexdigest()


def _random(seed: Any = None) -> float:
    if seed is None:
        return random.random()
    return random.Random(_integer("$random seed", seed)).random()


def _uuid() -> str:
    return str(uuid.uuid4())


def _parse(text: Any = None) -> Any:
    if not isinstance(text, str):
        raise _FunctionError("The argument of $parse must be a string")
    try:
        value = json.loads(text)
    except ValueError:
        raise _FunctionError(f"The argument of $parse is not valid JSON: {text}") from None
    return _NULL if value is None else value


_AWS_FUNCTIONS = {
    "partition": _partition,
    "range": _range,
    "hash": _hash,
    "random": _random,
    "uuid": _uuid,
    "parse": _parse,
}


# ---------------------------------------------------------------- compiled expressions

# jsonata names signature types in T0412 ("must be an array of numbers").
_ARRAY_OF = {"a": "arrays", "b": "booleans", "f": "functions", "n": "numbers", "o": "objects", "s": "strings"}
_PLACEHOLDER = re.compile(r"\{\{\{?(\w+)\}?\}\}")


def _message(exc: JException) -> str:
    """`CODE: message` worded as jsonata itself words it.

    jsonata-python's catalogue says "Object" wherever jsonata says "function" and inserts values
    bare; jsonata quotes inserted strings (`The left side of the "+" operator ...`).
    """
    template = JException.error_codes.get(exc.error)
    if template is None or template.startswith("{{{"):
        return f"{exc.error}: {exc}"
    extra = _ARRAY_OF.get(exc.extra, exc.extra) if exc.error == "T0412" else exc.extra
    values = iter((exc.current, exc.expected, extra))

    def fill(match: re.Match[str]) -> str:
        value = next(values, None)
        if match.group(0).startswith("{{{"):
            return str(value)
        return json.dumps(value) if isinstance(value, str) else str(value)

    return f"{exc.error}: {_PLACEHOLDER.sub(fill, template.replace('Object', 'function'))}"


# `$states.input.a.b` or `$name.a.b`: walked by hand when every step meets an object, which is
# exactly what jsonata computes then (a step into an array falls back to jsonata's mapping).
_SIMPLE_PATH = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)")
_STATES_FIELDS = {"input": "input", "context": "context", "result": "result", "errorOutput": "error_output"}
_OPERATOR_WORDS = {"and", "or", "in", "true", "false", "null", "function"}
_NO_FAST_PATH = object()


def _simple_path(text: str) -> tuple[str, str | None, tuple[str, ...]] | None:
    """(scope attribute or "variables", variable name, steps) for a plain path expression."""
    match = _SIMPLE_PATH.fullmatch(text)
    if match is None:
        return None
    root = match.group(1)
    steps = tuple(match.group(2).split(".")[1:])
    if _OPERATOR_WORDS.intersection(steps):
        return None
    if root == "states":
        if not steps or steps[0] not in _STATES_FIELDS:
            return None
        return _STATES_FIELDS[steps[0]], None, steps[1:]
    return "variables", root, steps


class Jsonata:
    """A compiled JSONata expression (the text between `{%` and `%}`)."""

    __slots__ = ("_expr", "_fast", "field", "text")

    def __init__(self, text: str, field: str = "") -> None:
        self.text = text
        self.field = field
        try:
            expr = _jsonata.Jsonata(text, _timed_regex_engine)
        except JException as exc:
            raise ASLSyntaxError(
                f"Invalid JSONata expression '{text}': {_message(exc)}", exc.location
            ) from None
        except Exception as exc:  # the parser can fail in other ways on odd input
            raise ASLSyntaxError(f"Invalid JSONata expression '{text}': {exc}") from None
        expr.set_output_convert_nulls(False)
        expr.set_validate_input(False)
        for name, function in _AWS_FUNCTIONS.items():
            expr.register_lambda(name, function)
        # AWS: "$eval is not available - use $parse instead"; calling it is T1006 (not a function).
        expr.register_function("eval", None)
        self._expr = expr
        self._fast = _simple_path(text)

    def __repr__(self) -> str:
        return f"Jsonata({self.text!r})"

    def with_field(self, field: str) -> Jsonata:
        """The same expression reporting errors for `field` (e.g. 'Output/FunctionResult')."""
        copy = object.__new__(Jsonata)
        copy.text, copy.field, copy._expr, copy._fast = self.text, field, self._expr, self._fast
        return copy

    def _error(self, detail: str) -> ASLError:
        return ASLError(
            QUERY_EVALUATION_ERROR,
            f"The JSONata expression '{self.text}' specified for the field '{self.field}' {detail}",
        )

    def _evaluate_fast(self, fast: tuple[str, str | None, tuple[str, ...]], scope: Scope) -> Any:
        """The value, MISSING (undefined), or _NO_FAST_PATH when jsonata must map over an array."""
        attribute, variable, steps = fast
        value = getattr(scope, attribute) if variable is None else scope.variables.get(variable, MISSING)
        for step in steps:
            if type(value) is not dict:
                return _NO_FAST_PATH if isinstance(value, list) else MISSING
            value = value.get(step, MISSING)
        return value

    def evaluate(self, scope: Scope) -> Any:
        if self._fast is not None:
            value = self._evaluate_fast(self._fast, scope)
            if value is not _NO_FAST_PATH:
                if value is MISSING:
                    raise self._error("returned nothing (undefined).")
                return value
        states: dict[str, Any] = {"input": scope.input, "context": scope.context}
        if scope.result is not MISSING:
            states["result"] = scope.result
        if scope.error_output is not MISSING:
            states["errorOutput"] = scope.error_output
        budget = _Budget()
        bindings: dict[str, Any] = {k: _from_json(v) for k, v in scope.variables.items()}
        bindings["states"] = states
        bindings["__evaluate_entry"] = budget.entry
        bindings["__evaluate_exit"] = budget.exit
        try:
            result = self._expr.evaluate(None, bindings)
        except JException as exc:
            raise self._error(f"threw an error during evaluation. {_message(exc)}") from None
        except ZeroDivisionError:
            # jsonata yields Infinity and rejects it; Python raises instead.
            raise self._error("threw an error during evaluation. D1001: Number out of range: null") from None
        except _FunctionError as exc:
            raise self._error(f"threw an error during evaluation. {exc}") from None
        except RecursionError:
            raise self._error("threw an error during evaluation. D1011: Stack overflow") from None
        except TimeoutError:
            limit = int(TIME_LIMIT_SECONDS * 1000)
            message = f"D1012: Evaluation timeout after {limit} milliseconds. Check for infinite loop"
            raise self._error(f"threw an error during evaluation. {message}") from None
        except Exception as exc:  # jsonata-python can fail with Python errors on odd input
            raise self._error(f"threw an error during evaluation. {type(exc).__name__}: {exc}") from None
        if result is None:
            raise self._error("returned nothing (undefined).")
        try:
            return _to_json(result)
        except TypeError:
            raise self._error("returned an unsupported result type.") from None
        except RecursionError:
            raise self._error("threw an error during evaluation. D1011: Stack overflow") from None


@lru_cache(maxsize=4096)
def _compile(text: str) -> Jsonata:
    return Jsonata(text)


def compile_jsonata(text: str, field: str = "") -> Jsonata:
    """Compile a JSONata expression; `text` may include the `{% %}` braces. Cached by text."""
    if not isinstance(text, str):
        raise ASLSyntaxError(f"A JSONata expression must be a string, not {type(text).__name__}")
    if is_jsonata(text):
        text = text[2:-2]
    compiled = _compile(text.strip())
    return compiled.with_field(field) if field else compiled


# ---------------------------------------------------------------- templates


class _Const:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def evaluate(self, scope: Scope) -> Any:
        return self.value


def _build(value: Any, field: str, pointer: str, depth: int) -> Any:
    if depth > 1000:
        raise ASLSyntaxError("The template is nested too deeply", pointer=pointer)
    if is_jsonata(value):
        try:
            return compile_jsonata(value, field)
        except ASLSyntaxError as exc:
            raise ASLSyntaxError(exc.message, exc.offset, pointer) from None
    if isinstance(value, dict):
        entries = []
        for key, item in value.items():
            escaped = key.replace("~", "~0").replace("/", "~1")
            entries.append((key, _build(item, f"{field}/{key}", f"{pointer}/{escaped}", depth + 1)))
        if all(isinstance(node, _Const) for _, node in entries):
            return _Const(value)
        return ObjectNode(tuple(entries))
    if isinstance(value, list):
        items = tuple(_build(v, f"{field}/{i}", f"{pointer}/{i}", depth + 1) for i, v in enumerate(value))
        if all(isinstance(node, _Const) for node in items):
            return _Const(value)
        return ArrayNode(items)
    return _Const(value)


class JsonataTemplate:
    """A JSONata-mode field value: any JSON with `{% %}` strings inside (Arguments, Output, ...).

    Constant parts are shared between evaluations: treat results as immutable.
    """

    __slots__ = ("_root", "field", "template")

    def __init__(self, template: Any, field: str, pointer: str = "") -> None:
        self.template = template
        self.field = field
        self._root = _build(template, field, pointer, 0)

    def __repr__(self) -> str:
        return f"JsonataTemplate({self.field!r}, {self.template!r})"

    @property
    def is_constant(self) -> bool:
        return isinstance(self._root, _Const)

    @property
    def expression(self) -> Jsonata | None:
        """The expression when the whole field is one `{% %}` string, else None."""
        return self._root if isinstance(self._root, Jsonata) else None

    def evaluate(self, scope: Scope) -> Any:
        return self._root.evaluate(scope)


def compile_jsonata_template(value: Any, field: str = "", pointer: str = "") -> JsonataTemplate:
    """Compile a JSONata-mode field value; `field` names it in errors ('Output', 'Arguments', ...)."""
    return JsonataTemplate(value, field, pointer)
