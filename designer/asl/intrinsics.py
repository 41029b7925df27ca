"""ASL intrinsic functions: `States.Format(...)`, `States.ArrayRange(...)`, ... in JSONPath payloads.

`compile_intrinsic(text)` parses a call once (nested calls, string/number/boolean/null
literals, JSONPath arguments) and checks the function name and arity; `Intrinsic.evaluate`
runs it against a Scope. Semantics follow AWS's documentation and recorded executions
(conformance category intrinsic_functions): for example States.MathAdd rounds each operand
half-up as Java's Math.round does, States.StringSplit splits on any of the delimiter's
characters and drops empty strings, States.Format prints objects as Java maps do
(`{Id=..., Name=...}`), States.JsonMerge orders keys as Java's HashMap iterates them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from designer.asl.errors import INTRINSIC_FAILURE, ASLError, ASLSyntaxError
from designer.asl.jsonpath import Path, compile_path
from designer.asl.scope import Scope

__all__ = ["INTRINSIC_FUNCTIONS", "Intrinsic", "compile_intrinsic", "is_intrinsic"]

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_NAME = re.compile(r"States\.[A-Za-z0-9]+")
_MAX_ARRAY_RANGE = 1000
_MAX_STRING = 10000
# AWS: "You can nest up to 10 intrinsic functions within a field".
MAX_NESTING = 10
# Private-use characters standing for `\{` and `\}` inside a parsed string literal.
_ESCAPED_BRACES = {"{": "\ue000", "}": "\ue001"}
_UNMARK_BRACES = str.maketrans({"\ue000": "{", "\ue001": "}"})


def is_intrinsic(text: str) -> bool:
    """Whether a `.$` value is an intrinsic call rather than a path."""
    return text.startswith("States.")


# ---------------------------------------------------------------- argument nodes


@dataclass(frozen=True, slots=True)
class _Literal:
    value: Any
    # For string literals, the text as written (escapes kept) so that States.Format can tell
    # an escaped brace from a placeholder.
    raw: str | None = None

    def evaluate(self, scope: Scope) -> Any:
        return self.value


@dataclass(frozen=True, slots=True)
class _PathArg:
    path: Path

    def evaluate(self, scope: Scope) -> Any:
        return self.path.evaluate(scope)


class Intrinsic:
    """A compiled intrinsic function call."""

    __slots__ = ("args", "function", "name", "text")

    def __init__(self, name: str, args: tuple[Any, ...], text: str) -> None:
        self.name = name
        self.args = args
        self.text = text
        self.function: Callable[[Intrinsic, list[Any]], Any] = INTRINSIC_FUNCTIONS[name][0]

    def __repr__(self) -> str:
        return f"Intrinsic({self.text!r})"

    def evaluate(self, scope: Scope) -> Any:
        values = [arg.evaluate(scope) for arg in self.args]
        try:
            return self.function(self, values)
        except ASLError:
            raise
        except (ValueError, TypeError, OverflowError, RecursionError, UnicodeError) as exc:
            raise ASLError(INTRINSIC_FAILURE, f"{self.name}: {exc}") from None


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def error(self, message: str) -> ASLSyntaxError:
        return ASLSyntaxError(f"Invalid intrinsic function '{self.text}': {message}", self.pos)

    def skip_spaces(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        self.pos = pos

    def call(self) -> Intrinsic:
        start = self.pos
        match = _NAME.match(self.text, self.pos)
        if not match:
            raise self.error(f"expected a function name like States.Format at offset {self.pos}")
        name = match.group()
        if name not in INTRINSIC_FUNCTIONS:
            raise self.error(f"unknown function {name}")
        self.pos = match.end()
        self.skip_spaces()
        if self.pos >= len(self.text) or self.text[self.pos] != "(":
            raise self.error(f"expected '(' after {name}")
        self.pos += 1
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"intrinsic functions can be nested at most {MAX_NESTING} deep")
        args: list[Any] = []
        self.skip_spaces()
        if self.peek() == ")":
            self.pos += 1
        else:
            while True:
                self.skip_spaces()
                args.append(self.argument())
                self.skip_spaces()
                char = self.peek()
                self.pos += 1
                if char == ")":
                    break
                if char != ",":
                    self.pos -= 1
                    raise self.error(f"expected ',' or ')' at offset {self.pos}")
        self.depth -= 1
        _, min_args, max_args = INTRINSIC_FUNCTIONS[name]
        if len(args) < min_args or (max_args is not None and len(args) > max_args):
            expected = str(min_args) if min_args == max_args else f"{min_args}..{max_args or 'n'}"
            raise self.error(f"{name} takes {expected} arguments, got {len(args)}")
        self.check_literals(name, args)
        return Intrinsic(name, tuple(args), self.text[start : self.pos])

    def check_literals(self, name: str, args: list[Any]) -> None:
        """A literal argument of a type the function can never accept is a definition error."""
        kinds = _LITERAL_KINDS.get(name, ())
        for position, (arg, kind) in enumerate(zip(args, kinds, strict=False), start=1):
            if isinstance(arg, _Literal) and kind != "any" and _type_name(arg.value) != kind:
                raise self.error(f"argument {position} of {name} must be a {kind}, not {_dumps(arg.value)}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def argument(self) -> Any:
        char = self.peek()
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if self.text.startswith("States.", self.pos):
            return self.call()
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return _Literal(value)
        match = _NUMBER.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            number = match.group()
            value = float(number) if match.group(1) or match.group(2) else int(number)
            return _Literal(value)
        raise self.error(f"unexpected argument at offset {self.pos}")

    def string(self) -> _Literal:
        text = self.text
        pos = self.pos + 1
        start = pos
        out: list[str] = []
        while pos < len(text):
            char = text[pos]
            if char == "\\":
                nxt = text[pos + 1 : pos + 2]
                if not nxt or nxt not in "'{}\\":
                    self.pos = pos
                    # Recorded on AWS: `\"` inside an intrinsic string is an invalid definition.
                    raise self.error(
                        f"invalid escape sequence at offset {pos}: only \\' \\{{ \\}} \\\\ are allowed"
                    )
                # An escaped brace is marked so that States.Format does not take it for a placeholder.
                out.append(_ESCAPED_BRACES.get(nxt, nxt))
                pos += 2
                continue
            if char == "'":
                self.pos = pos + 1
                raw = "".join(out)
                return _Literal(raw.translate(_UNMARK_BRACES), raw)
            out.append(char)
            pos += 1
        self.pos = start - 1
        raise self.error(f"unterminated string starting at offset {start - 1}")

    def path(self) -> _PathArg:
        text = self.text
        pos = self.pos
        start = pos
        brackets = 0
        quote = ""
        while pos < len(text):
            char = text[pos]
            if quote:
                if char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char in "[(":
                brackets += 1
            elif char in "])":
                if brackets == 0:
                    break
                brackets -= 1
            elif char == "," and brackets == 0:
                break
            pos += 1
        self.pos = pos
        path_text = text[start:pos].rstrip()
        return _PathArg(compile_path(path_text))


def compile_intrinsic(text: str) -> Intrinsic:
    """Compile an intrinsic function call; cached by text. Raises ASLSyntaxError."""
    if not isinstance(text, str):
        raise ASLSyntaxError(f"An intrinsic function must be a string, not {type(text).__name__}")
    return _compile_intrinsic(text)


@lru_cache(maxsize=4096)
def _compile_intrinsic(text: str) -> Intrinsic:
    parser = _Parser(text)
    parser.skip_spaces()
    intrinsic = parser.call()
    parser.skip_spaces()
    if parser.pos != len(text):
        raise parser.error(f"unexpected text after the call at offset {parser.pos}")
    return intrinsic


# ---------------------------------------------------------------- helpers


def _fail(fn: Intrinsic, message: str) -> ASLError:
    return ASLError(INTRINSIC_FAILURE, f"Invalid arguments in {fn.name}: {message}")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _expect(fn: Intrinsic, value: Any, kind: type | tuple[type, ...], position: int, what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _fail(fn, f"argument {position} must be {what}, but was {_type_name(value)}: {_dumps(value)}")
    return value


def _integer(fn: Intrinsic, value: Any, position: int) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return _expect(fn, value, int, position, "an integer")


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _java_double(value: float) -> str:
    """Java's Double.toString, which Jackson also writes: 1.0E-5, 1.0E7, 100.0."""
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    digits_text = "".join(map(str, digits)).rstrip("0") or "0"
    scientific = exponent + len(digits) - 1
    return f"{'-' if sign else ''}{digits_text[0]}.{digits_text[1:] or '0'}E{scientific}"


def _java_json(value: Any) -> str:
    """Compact JSON as Jackson writes it (doubles as Double.toString)."""
    if isinstance(value, float):
        return _java_double(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_dumps(k)}:{_java_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_java_json(v) for v in value) + "]"
    return _dumps(value)


def _java_string(value: Any) -> str:
    """How AWS prints a JSON value inside States.Format: strings raw, objects as Java maps."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_java_string(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_java_string(v) for v in value) + "]"
    if isinstance(value, float):
        return _java_double(value)
    return _dumps(value)


def _java_round(value: float) -> int:
    """Java's Math.round: half up, towards positive infinity."""
    return math.floor(value + 0.5)


def _java_hash(text: str) -> int:
    h = 0
    for char in text:
        code = ord(char)
        if code > 0xFFFF:  # a surrogate pair in Java
            code -= 0x10000
            h = (31 * h + (0xD800 + (code >> 10))) & 0xFFFFFFFF
            code = 0xDC00 + (code & 0x3FF)
        h = (31 * h + code) & 0xFFFFFFFF
    return h


def _java_hashmap_order(keys: list[str]) -> list[str]:
    """The iteration order of a java.util.HashMap filled with `keys` in that order."""
    capacity = 16
    while len(keys) > capacity * 0.75:
        capacity *= 2

    def bucket(key: str) -> int:
        h = _java_hash(key)
        return (h ^ (h >> 16)) & (capacity - 1)

    return sorted(keys, key=bucket)


# ---------------------------------------------------------------- the functions


def _format(fn: Intrinsic, args: list[Any]) -> str:
    template = _expect(fn, args[0], str, 1, "a string")
    literal = fn.args[0]
    # A literal template keeps its escaped braces marked, so `\{}` is not a placeholder.
    source = literal.raw if isinstance(literal, _Literal) and literal.raw is not None else template
    segments = source.split("{}")
    values = args[1:]
    if len(segments) - 1 != len(values):
        raise _fail(
            fn,
            f"the template has {len(segments) - 1} placeholders but {len(values)} arguments were given",
        )
    out = [segments[0].translate(_UNMARK_BRACES)]
    for value, segment in zip(values, segments[1:], strict=True):
        out.append(_java_string(value))
        out.append(segment.translate(_UNMARK_BRACES))
    return "".join(out)


def _string_to_json(fn: Intrinsic, args: list[Any]) -> Any:
    text = _expect(fn, args[0], str, 1, "a string")
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise _fail(fn, f"the string is not valid JSON: {text}") from None


def _json_to_string(fn: Intrinsic, args: list[Any]) -> str:
    return _java_json(args[0])


def _array(fn: Intrinsic, args: list[Any]) -> list[Any]:
    return list(args)


def _array_partition(fn: Intrinsic, args: list[Any]) -> list[list[Any]]:
    array = _expect(fn, args[0], list, 1, "an array")
    size = _integer(fn, args[1], 2)
    if size <= 0:
        raise _fail(fn, f"the chunk size must be greater than 0, but was {size}")
    return [array[i : i + size] for i in range(0, len(array), size)]


def _array_contains(fn: Intrinsic, args: list[Any]) -> bool:
    array = _expect(fn, args[0], list, 1, "an array")
    needle = args[1]
    return any(_json_equal(item, needle) for item in array)


def _json_equal(a: Any, b: Any) -> bool:
    """Equality of JSON values as Java's JSON nodes see it: true is not 1, and 1 is not 1.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return a == b


def _array_range(fn: Intrinsic, args: list[Any]) -> list[int]:
    start = _integer(fn, args[0], 1)
    end = _integer(fn, args[1], 2)
    step = _integer(fn, args[2], 3)
    if step == 0:
        raise _fail(fn, "the step must not be 0")
    count = max(0, (end - start) // step + 1)
    if count > _MAX_ARRAY_RANGE:
        raise _fail(fn, f"the result would have {count} items; at most {_MAX_ARRAY_RANGE} are allowed")
    return list(range(start, end + (1 if step > 0 else -1), step))


def _array_get_item(fn: Intrinsic, args: list[Any]) -> Any:
    array = _expect(fn, args[0], list, 1, "an array")
    index = _integer(fn, args[1], 2)
    if index < 0 or index >= len(array):
        raise _fail(fn, f"the index {index} is out of bounds for an array of {len(array)} items")
    return array[index]


def _array_length(fn: Intrinsic, args: list[Any]) -> int:
    return len(_expect(fn, args[0], list, 1, "an array"))


def _array_unique(fn: Intrinsic, args: list[Any]) -> list[Any]:
    array = _expect(fn, args[0], list, 1, "an array")
    unique: list[Any] = []
    for item in array:
        if not any(_json_equal(item, seen) for seen in unique):
            unique.append(item)
    return unique


def _base64_encode(fn: Intrinsic, args: list[Any]) -> str:
    text = _expect(fn, args[0], str, 1, "a string")
    if len(text) > _MAX_STRING:
        raise _fail(fn, f"the input must be at most {_MAX_STRING} characters")
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _base64_decode(fn: Intrinsic, args: list[Any]) -> str:
    text = _expect(fn, args[0], str, 1, "a string")
    if len(text) > _MAX_STRING:
        raise _fail(fn, f"the input must be at most {_MAX_STRING} characters")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise _fail(fn, f"the input is not valid Base64: {text}") from None


_HASHES = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def _hash(fn: Intrinsic, args: list[Any]) -> str:
    data, algorithm = args
    algorithm = _expect(fn, algorithm, str, 2, "a string")
    if algorithm not in _HASHES:
        raise _fail(fn, f"the hash algorithm must be one of {', '.join(_HASHES)}, but was {algorithm}")
    text = data if isinstance(data, str) else _dumps(data)
    if len(text) > _MAX_STRING:
        raise _fail(fn, f"the input must be at most {_MAX_STRING} characters")
    return hashlib.new(_HASHES[algorithm], text.encode("utf-8")).hexdigest()


def _json_merge(fn: Intrinsic, args: list[Any]) -> dict[str, Any]:
    left = _expect(fn, args[0], dict, 1, "an object")
    right = _expect(fn, args[1], dict, 2, "an object")
    deep = _expect(fn, args[2], bool, 3, "a boolean")
    if deep:
        raise _fail(fn, "deep merging is not supported: the third argument must be false")
    merged = dict(left)
    merged.update(right)
    return {key: merged[key] for key in _java_hashmap_order(list(merged))}


def _math_random(fn: Intrinsic, args: list[Any]) -> int:
    start = _expect(fn, args[0], int | float, 1, "a number")
    end = _expect(fn, args[1], int | float, 2, "a number")
    low, high = int(start), int(end)
    if high <= low:
        raise _fail(fn, "the end of the range must be greater than its start")
    rng = random.Random(_integer(fn, args[2], 3)) if len(args) > 2 else random
    return rng.randrange(low, high)


def _math_add(fn: Intrinsic, args: list[Any]) -> int:
    a, b = args
    if type(a) is int and type(b) is int:  # the common case (counters), no rounding needed
        return a + b
    a = _expect(fn, args[0], int | float, 1, "a number")
    b = _expect(fn, args[1], int | float, 2, "a number")
    if not (math.isfinite(a) and math.isfinite(b)):
        raise _fail(fn, "the arguments must be finite numbers")
    return _java_round(a) + _java_round(b)


def _string_split(fn: Intrinsic, args: list[Any]) -> list[str]:
    text = _expect(fn, args[0], str, 1, "a string")
    delimiters = _expect(fn, args[1], str, 2, "a string")
    if not delimiters:
        return [text] if text else []
    pattern = "[" + "".join(re.escape(c) for c in delimiters) + "]"
    return [part for part in re.split(pattern, text) if part]


def _uuid(fn: Intrinsic, args: list[Any]) -> str:
    return str(uuid.uuid4())


# The JSON type each argument must have, checked statically for literal arguments ("array" and
# "object" therefore only admit paths and calls: there are no array or object literals).
_LITERAL_KINDS: dict[str, tuple[str, ...]] = {
    "States.Format": ("string",),
    "States.StringToJson": ("string",),
    "States.ArrayPartition": ("array", "number"),
    "States.ArrayContains": ("array", "any"),
    "States.ArrayRange": ("number", "number", "number"),
    "States.ArrayGetItem": ("array", "number"),
    "States.ArrayLength": ("array",),
    "States.ArrayUnique": ("array",),
    "States.Base64Encode": ("string",),
    "States.Base64Decode": ("string",),
    "States.Hash": ("any", "string"),
    "States.JsonMerge": ("object", "object", "boolean"),
    "States.MathRandom": ("number", "number", "number"),
    "States.MathAdd": ("number", "number"),
    "States.StringSplit": ("string", "string"),
}

# name -> (implementation, minimum arguments, maximum arguments or None for any number)
INTRINSIC_FUNCTIONS: dict[str, tuple[Callable[[Intrinsic, list[Any]], Any], int, int | None]] = {
    "States.Format": (_format, 1, None),
    "States.StringToJson": (_string_to_json, 1, 1),
    "States.JsonToString": (_json_to_string, 1, 1),
    "States.Array": (_array, 0, None),
    "States.ArrayPartition": (_array_partition, 2, 2),
    "States.ArrayContains": (_array_contains, 2, 2),
    "States.ArrayRange": (_array_range, 3, 3),
    "States.ArrayGetItem": (_array_get_item, 2, 2),
    "States.ArrayLength": (_array_length, 1, 1),
    "States.ArrayUnique": (_array_unique, 1, 1),
    "States.Base64Encode": (_base64_encode, 1, 1),
    "States.Base64Decode": (_base64_decode, 1, 1),
    "States.Hash": (_hash, 2, 2),
    "States.JsonMerge": (_json_merge, 3, 3),
    "States.MathRandom": (_math_random, 2, 3),
    "States.MathAdd": (_math_add, 2, 2),
    "States.StringSplit": (_string_split, 2, 2),
    "States.UUID": (_uuid, 0, 0),
}
