"""Property tests: random expressions and inputs only ever give JSON values or ASL errors."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.asl.choice import compile_condition, string_matches
from designer.asl.errors import ASLError, ASLSyntaxError
from designer.asl.intrinsics import INTRINSIC_FUNCTIONS, compile_intrinsic
from designer.asl.jsonata import Jsonata, compile_jsonata, compile_jsonata_template
from designer.asl.jsonpath import apply_result_path, compile_path
from designer.asl.model import build_state_machine
from designer.asl.payload import compile_payload
from designer.asl.scope import Scope

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

keys = st.sampled_from(["a", "b", "c", "x", "items", "n", "odd key", "1", ""])
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    scalars | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=20,
)


def scope_for(document: Any, variables: dict | None = None) -> Scope:
    return Scope(document, {"Execution": {"Id": "arn:e", "Input": document}}, variables or {"v": document})


def check_json(value: Any) -> None:
    json.dumps(value)  # a result must be plain JSON


def outcome(compile_fn, text, scope):
    try:
        compiled = compile_fn(text)
    except ASLSyntaxError:
        return
    with contextlib.suppress(ASLError):
        check_json(compiled.evaluate(scope))


# ---------------------------------------------------------------- JSONPath

steps = st.one_of(
    keys.map(lambda k: f".{k}"),
    keys.map(lambda k: f"['{k}']"),
    st.integers(-3, 5).map(lambda i: f"[{i}]"),
    st.sampled_from(["[*]", "..a", "[0:2]", "[?(@.a > 1)]", "[?(@ == 'x')]", ".length()", "[0,1]", "."]),
)
paths = st.one_of(
    st.tuples(st.sampled_from(["$", "$$", "$v", "$nope"]), st.lists(steps, max_size=5)).map(
        lambda t: t[0] + "".join(t[1])
    ),
    st.text(max_size=20).map(lambda t: "$" + t),
    st.text(max_size=20),
)


@SETTINGS
@given(paths, json_values)
def test_paths_give_values_or_asl_errors(expr, document):
    outcome(compile_path, expr, scope_for(document))


@SETTINGS
@given(paths, json_values, json_values)
def test_result_path_gives_values_or_asl_errors(expr, document, result):
    try:
        path = compile_path(expr)
    except ASLSyntaxError:
        return
    with contextlib.suppress(ASLError):
        check_json(apply_result_path(path, document, result))


# ---------------------------------------------------------------- intrinsic functions

literals = st.one_of(
    st.integers(-5, 20).map(str),
    st.sampled_from(["true", "false", "null", "1.5", "'a,b'", "'{}'", "'\\''", "'{\"a\": 1}'", "'SHA-256'"]),
    paths.filter(lambda p: p.startswith("$") and "," not in p and ")" not in p),
)
function_names = st.sampled_from([*INTRINSIC_FUNCTIONS, "States.Nope", "Format"])
calls = st.recursive(
    literals,
    lambda inner: st.tuples(function_names, st.lists(inner, max_size=4)).map(
        lambda t: f"{t[0]}({', '.join(t[1])})"
    ),
    max_leaves=8,
)


def _well_formed_call(inner):
    def build(name):
        _, low, high = INTRINSIC_FUNCTIONS[name]
        count = st.integers(low, low + 2 if high is None else high)
        return count.flatmap(lambda n: st.lists(inner, min_size=n, max_size=n)).map(
            lambda args: f"{name}({', '.join(args)})"
        )

    return st.sampled_from(sorted(INTRINSIC_FUNCTIONS)).flatmap(build)


well_formed_calls = st.recursive(literals, _well_formed_call, max_leaves=6)


@SETTINGS
@given(
    st.one_of(
        well_formed_calls.filter(lambda c: c.startswith("States.")),
        calls.filter(lambda c: c.startswith("States.")),
        st.text(max_size=30),
    ),
    json_values,
)
def test_intrinsics_give_values_or_asl_errors(expr, document):
    outcome(compile_intrinsic, expr, scope_for(document))


# ---------------------------------------------------------------- JSONata

jsonata_atoms = st.sampled_from(
    [
        "$states.input",
        "$states.input.a",
        "$states.context.Execution.Id",
        "$v",
        "$nope",
        "1",
        "'s'",
        "[1, 2]",
        "{'k': 1}",
        "null",
        "true",
        "$partition([1,2,3], 2)",
        "$range(0, 3, 1)",
        "$parse('[1]')",
        "$hash('x', 'MD5')",
        "$uuid()",
        "$random()",
        "$count($states.input)",
    ]
)
jsonata_exprs = st.recursive(
    jsonata_atoms,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" + ", " & ", " = ", " and ", " > ", "."]), inner).map("".join),
        inner.map(lambda e: f"$string({e})"),
        inner.map(lambda e: f"[{e}]"),
        inner.map(lambda e: f"$partition({e}, 1)"),
    ),
    max_leaves=6,
)


@SETTINGS
@given(st.one_of(jsonata_exprs, st.text(max_size=30)), json_values)
def test_jsonata_gives_values_or_asl_errors(expr, document):
    outcome(compile_jsonata, expr, scope_for(document))


# ---------------------------------------------------------------- templates and Choice rules

dynamic_values = st.one_of(paths, calls, json_values)
templates = st.recursive(
    json_values,
    lambda inner: (
        st.dictionaries(
            st.tuples(keys, st.booleans()).map(lambda t: t[0] + (".$" if t[1] else "")),
            inner | dynamic_values,
            max_size=4,
        )
        | st.lists(inner, max_size=3)
    ),
    max_leaves=10,
)


@SETTINGS
@given(templates, json_values)
def test_payloads_give_values_or_asl_errors(template, document):
    outcome(compile_payload, template, scope_for(document))


@SETTINGS
@given(
    st.recursive(json_values | st.just("{% $states.input %}"), lambda c: st.lists(c, max_size=3)), json_values
)
def test_jsonata_templates_give_values_or_asl_errors(template, document):
    outcome(lambda t: compile_jsonata_template(t, "Output"), template, scope_for(document))


operators = st.sampled_from(
    [
        "StringEquals",
        "NumericLessThan",
        "BooleanEquals",
        "TimestampEquals",
        "StringMatches",
        "IsPresent",
        "IsNull",
        "IsTimestamp",
        "NumericEqualsPath",
        "Bogus",
    ]
)
rules = st.recursive(
    st.fixed_dictionaries({"Variable": paths}).flatmap(
        lambda base: st.tuples(operators, json_values | paths).map(lambda t: {**base, t[0]: t[1]})
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda r: {"And": r}),
        st.lists(inner, max_size=3).map(lambda r: {"Or": r}),
        inner.map(lambda r: {"Not": r}),
    ),
    max_leaves=5,
)


@SETTINGS
@given(rules | json_values, json_values)
def test_choice_rules_give_booleans_or_asl_errors(rule, document):
    try:
        condition = compile_condition(rule)
    except ASLSyntaxError:
        return
    with contextlib.suppress(ASLError):
        assert condition.evaluate(scope_for(document)) in (True, False)


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["StartAt", "States", "QueryLanguage", "Comment"]), json_values | templates
    )
)
def test_random_definitions_build_or_raise_syntax_errors(definition):
    with contextlib.suppress(ASLSyntaxError):
        build_state_machine(definition)


simple_paths = st.tuples(
    st.sampled_from(["$states.input", "$states.context", "$v", "$w", "$states.result"]),
    st.lists(st.sampled_from(["a", "b", "c", "x", "items", "n"]), max_size=4),
).map(lambda t: ".".join([t[0], *t[1]]))


@SETTINGS
@given(simple_paths, json_values, json_values)
def test_the_jsonata_fast_path_agrees_with_jsonata(expr, document, other):
    fast = compile_jsonata(expr)
    slow = Jsonata(expr)
    slow._fast = None
    scope = Scope(document, {"a": other}, {"v": other, "w": None})
    results = []
    for compiled in (fast, slow):
        try:
            results.append(("value", compiled.evaluate(scope)))
        except ASLError as exc:
            results.append(("error", exc.cause))
    assert results[0] == results[1]


@SETTINGS
@given(st.text(alphabet="ab*\\", max_size=8), st.text(alphabet="ab*\\", max_size=10))
def test_wildcard_matching_agrees_with_a_regular_expression(pattern, text):
    parts, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "*\\":
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        parts.append(".*" if pattern[i] == "*" else re.escape(pattern[i]))
        i += 1
    expected = re.fullmatch("".join(parts), text, re.DOTALL) is not None
    assert string_matches(pattern).matches(text) is expected


def _recorded_definitions() -> list[dict]:
    from tests.designer.asl.asl_conformance_cases import load_cases

    chosen = []
    for category in ("base", "assign", "scenarios_map", "scenarios_jsonata", "jsonata", "scenarios_parallel"):
        chosen.extend(c["definition"] for c in load_cases(category) if isinstance(c["definition"], dict))
    return chosen


RECORDED_DEFINITIONS = _recorded_definitions()


def _nodes(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_nodes(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_nodes(item, (*path, index)))
    return found


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(value[head], rest, new)
    return copy


@SETTINGS
@given(st.data())
def test_mutated_recorded_definitions_build_or_raise_syntax_errors(data):
    definition = data.draw(st.sampled_from(RECORDED_DEFINITIONS))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_nodes(definition)))
        replacement = data.draw(json_values | templates | paths | calls | st.just("{% $states.input %}"))
        definition = _replace(definition, path, replacement)
    with contextlib.suppress(ASLSyntaxError):
        build_state_machine(definition)
