"""Benchmark: Symphony's compiled ASL evaluators next to the libraries they wrap, in one run.

Peers: jsonpath-ng parsing per evaluation (what an uncached interpreter does) and with a
cached parse; jsonata-python with the expression parsed once. Prints JSON (microseconds per
evaluation).
"""

from __future__ import annotations

import json
import sys
import timeit
from pathlib import Path

import jsonata as jsonata_lib
from jsonpath_ng.ext import parse as jsonpath_parse

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from designer.asl.intrinsics import compile_intrinsic
from designer.asl.jsonata import compile_jsonata
from designer.asl.jsonpath import compile_path
from designer.asl.payload import compile_payload
from designer.asl.scope import Scope

DOCUMENT = {"order": {"id": "o-1", "lines": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 5}]}, "count": 3}
SCOPE = Scope(DOCUMENT, {"Execution": {"Id": "arn:e"}}, {"limit": 4})


def per_call_us(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=3)) / number * 1e6


def bench_paths() -> dict:
    out = {}
    for expr in ["$.order.lines[1].qty", "$.order.lines[?(@.qty > 3)].sku"]:
        compiled = compile_path(expr)
        cached = jsonpath_parse(expr)
        out[expr] = {
            "symphony_us": per_call_us(lambda c=compiled: c.evaluate(SCOPE), 20000),
            "jsonpath_ng_cached_parse_us": per_call_us(
                lambda p=cached: [m.value for m in p.find(DOCUMENT)], 5000
            ),
            "jsonpath_ng_parse_each_time_us": per_call_us(
                lambda e=expr: [m.value for m in jsonpath_parse(e).find(DOCUMENT)], 200
            ),
        }
    return out


def bench_jsonata() -> dict:
    out = {}
    for expr in ["$states.input.order.id", "$sum($states.input.order.lines.qty) * $limit"]:
        compiled = compile_jsonata(expr)
        raw = jsonata_lib.Jsonata(expr)
        bindings = {"states": {"input": DOCUMENT, "context": SCOPE.context}, "limit": 4}
        out[expr] = {
            "symphony_us": per_call_us(lambda c=compiled: c.evaluate(SCOPE), 5000),
            "jsonata_python_us": per_call_us(lambda r=raw, b=bindings: r.evaluate(None, b), 2000),
        }
    return out


def bench_templates() -> dict:
    payload = compile_payload(
        {"id.$": "$.order.id", "n.$": "States.MathAdd($.count, 1)", "fixed": {"a": [1, 2]}}
    )
    intrinsic = compile_intrinsic(
        "States.Format('{} has {} lines', $.order.id, States.ArrayLength($.order.lines))"
    )
    return {
        "payload_3_fields_us": per_call_us(lambda: payload.evaluate(SCOPE), 20000),
        "nested_intrinsic_us": per_call_us(lambda: intrinsic.evaluate(SCOPE), 20000),
    }


def main() -> None:
    print(
        json.dumps(
            {"paths": bench_paths(), "jsonata": bench_jsonata(), "templates": bench_templates()}, indent=2
        )
    )


if __name__ == "__main__":
    main()
