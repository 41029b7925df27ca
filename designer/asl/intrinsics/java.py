"""How Java, which AWS runs, writes and orders JSON values; intrinsic results depend on it.

Recorded on AWS: States.Format prints objects as Java maps (`{Id=..., Name=...}`) and
States.JsonMerge orders keys as a java.util.HashMap iterates them; doubles print as
Double.toString (`1.0E-5`), and States.MathAdd rounds as Math.round.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def java_double(value: float) -> str:
    """Java's Double.toString, which Jackson also writes: 1.0E-5, 1.0E7, 100.0."""
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    if not isinstance(exponent, int):  # 'n', 'N', 'F': JSON has no NaN or Infinity
        raise ValueError(f"{value} is not a finite number")
    digits_text = "".join(map(str, digits)).rstrip("0") or "0"
    scientific = exponent + len(digits) - 1
    return f"{'-' if sign else ''}{digits_text[0]}.{digits_text[1:] or '0'}E{scientific}"


def java_json(value: Any) -> str:
    """Compact JSON as Jackson writes it (doubles as Double.toString)."""
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{dumps(k)}:{java_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(java_json(v) for v in value) + "]"
    return dumps(value)


def java_string(value: Any) -> str:
    """How AWS prints a JSON value inside States.Format: strings raw, objects as Java maps."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={java_string(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(java_string(v) for v in value) + "]"
    if isinstance(value, float):
        return java_double(value)
    return dumps(value)


def java_round(value: float) -> int:
    """Java's Math.round: half up, towards positive infinity."""
    return math.floor(value + 0.5)


def java_hash(text: str) -> int:
    h = 0
    for char in text:
        code = ord(char)
        if code > 0xFFFF:  # a surrogate pair in Java
            code -= 0x10000
            h = (31 * h + (0xD800 + (code >> 10))) & 0xFFFFFFFF
            code = 0xDC00 + (code & 0x3FF)
        h = (31 * h + code) & 0xFFFFFFFF
    return h


def java_hashmap_order(keys: list[str]) -> list[str]:
    """The iteration order of a java.util.HashMap filled with `keys` in that order."""
    capacity = 16
    while len(keys) > capacity * 0.75:
        capacity *= 2

    def bucket(key: str) -> int:
        h = java_hash(key)
        return (h ^ (h >> 16)) & (capacity - 1)

    return sorted(keys, key=bucket)
