"""The intrinsic functions themselves, and the table that names them.

Each takes the call (for its name and literal arguments) and the evaluated argument values.
Semantics follow AWS's documentation and recorded executions (conformance category
intrinsic_functions): States.MathAdd rounds each operand half-up, States.StringSplit splits
on any of the delimiter's characters and drops empty strings, JSON equality is Java's (1 is
not 1.0), States.StringToJson of a blank string is null.
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
from typing import Any

from designer.asl.errors import INTRINSIC_FAILURE, ASLError, json_type_name
from designer.asl.intrinsics.calls import UNMARK_BRACES, Intrinsic, Literal
from designer.asl.intrinsics.java import dumps, java_hashmap_order, java_json, java_round, java_string

_MAX_ARRAY_RANGE = 1000
_MAX_STRING = 10000


def _fail(fn: Intrinsic, message: str) -> ASLError:
    return ASLError(INTRINSIC_FAILURE, f"Invalid arguments in {fn.name}: {message}")


def _expect(fn: Intrinsic, value: Any, kind: type | tuple[type, ...], position: int, what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _fail(
            fn, f"argument {position} must be {what}, but was {json_type_name(value)}: {dumps(value)}"
        )
    return value


def _integer(fn: Intrinsic, value: Any, position: int) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    integer: int = _expect(fn, value, int, position, "an integer")
    return integer


def _format(fn: Intrinsic, args: list[Any]) -> str:
    template = _expect(fn, args[0], str, 1, "a string")
    literal = fn.args[0]
    # A literal template keeps its escaped braces marked, so `\{}` is not a placeholder.
    source = literal.raw if isinstance(literal, Literal) and literal.raw is not None else template
    segments = source.split("{}")
    values = args[1:]
    if len(segments) - 1 != len(values):
        raise _fail(
            fn,
            f"the template has {len(segments) - 1} placeholders but {len(values)} arguments were given",
        )
    out = [segments[0].translate(UNMARK_BRACES)]
    for value, segment in zip(values, segments[1:], strict=True):
        out.append(java_string(value))
        out.append(segment.translate(UNMARK_BRACES))
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
    return java_json(args[0])


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
    return bool(a == b)


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
    text = data if isinstance(data, str) else dumps(data)
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
    return {key: merged[key] for key in java_hashmap_order(list(merged))}


def _math_random(fn: Intrinsic, args: list[Any]) -> int:
    start = _expect(fn, args[0], (int, float), 1, "a number")
    end = _expect(fn, args[1], (int, float), 2, "a number")
    low, high = int(start), int(end)
    if high <= low:
        raise _fail(fn, "the end of the range must be greater than its start")
    rng = random.Random(_integer(fn, args[2], 3)) if len(args) > 2 else random
    return rng.randrange(low, high)


def _math_add(fn: Intrinsic, args: list[Any]) -> int:
    a, b = args
    if type(a) is int and type(b) is int:  # the common case (counters), no rounding needed
        return a + b
    a = _expect(fn, args[0], (int, float), 1, "a number")
    b = _expect(fn, args[1], (int, float), 2, "a number")
    if not (math.isfinite(a) and math.isfinite(b)):
        raise _fail(fn, "the arguments must be finite numbers")
    return java_round(a) + java_round(b)


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
LITERAL_KINDS: dict[str, tuple[str, ...]] = {
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
