"""ASL JSONPath: reference paths, context and variable paths, Jayway's messages, ResultPath."""

from __future__ import annotations

import copy

import pytest

from designer.asl.errors import RESULT_PATH_MATCH_FAILURE, ASLError, ASLSyntaxError, PathNotFound
from designer.asl.jsonpath import apply_result_path, compile_path, compile_reference_path
from designer.asl.scope import Scope
from tests.designer.asl.asl_conformance_cases import load_cases, strip_state_prefix

DOC = {
    "a": {"b": [10, {"c": "deep"}], "n": None},
    "items": [{"x": 1, "tag": "odd"}, {"x": 2, "tag": "even"}, {"x": 3, "tag": "odd"}],
    "odd key": {"with.dot": 5},
    "a-b": 4,
}
SCOPE = Scope(DOC, {"Execution": {"Id": "arn:x", "Input": {"k": 1}}}, {"count": 3, "cfg": {"limit": [7, 8]}})


@pytest.mark.parametrize(
    ("expr", "expected", "definite"),
    [
        ("$", DOC, True),
        ("$.a.b[0]", 10, True),
        ("$.a.b[1].c", "deep", True),
        ("$['a']['b'][1]['c']", "deep", True),
        ('$["odd key"]["with.dot"]', 5, True),
        ("$.a-b", 4, True),
        ("$.a.n", None, True),
        ("$$", SCOPE.context, True),
        ("$$.Execution.Input.k", 1, True),
        ("$count", 3, True),
        ("$cfg.limit[1]", 8, True),
        ("$.items[-1].x", 3, True),
        ("$.items.length()", 3, True),
        ("$.items[*].x.sum()", 6.0, True),
        ("$.items[*].x.avg()", 2.0, True),
        ("$.items[*].x.max()", 3.0, True),
        ("$.items[*].x.min()", 1.0, True),
        ("$.items[*].x.stddev()", (2 / 3) ** 0.5, True),
        ("$.items[*].x.first()", 1, True),
        ("$.a.keys()", ["b", "n"], True),
        ("$.items[*].x", [1, 2, 3], False),
        ("$.items[?(@.tag == 'odd')].x", [1, 3], False),
        ("$.items[?(@.x > 1)].tag", ["even", "odd"], False),
        ("$..c", ["deep"], False),
        ("$.items[0:2].x", [1, 2], False),
        ("$.items[?(@.x > 9)]", [], False),
        ("$.[?(@.x == 2)].tag", [], False),
        ("$.items[(@.length-1)].x", 3, True),
        # Jayway regex filters match the whole value.
        ("$.items[?(@.tag =~ /od.*/)].x", [1, 3], False),
        ("$.items[?(@.tag =~ /OD/i)].x", [], False),
        ("$.items[?(@.tag =~ /E\\w+/i)].x", [2], False),
        ("$.items[?(@.x == 1 && @.tag == 'odd')].x", [1], False),
    ],
)
def test_paths(expr, expected, definite):
    path = compile_path(expr)
    assert path.evaluate(SCOPE) == expected
    assert path.is_definite is definite


@pytest.mark.parametrize(
    ("expr", "detail"),
    [
        # Recorded on AWS (scenarios_jsonata/test_invalid_jsonpath-*, lambda_scenarios_error_handling).
        ("$.NoSuchInputPath", "No results for path: $['NoSuchInputPath']"),
        ("$.no.such.result.path", "Missing property in path $['no']"),
        ("$.a.zz", "No results for path: $['a']['zz']"),
        ("$.a.b[7]", "Index out of bounds when evaluating path $['a']['b'][7]"),
    ],
)
def test_jayway_not_found_messages(expr, detail):
    with pytest.raises(PathNotFound) as info:
        compile_path(expr).evaluate(SCOPE)
    assert info.value.error == "States.Runtime"
    assert info.value.path == expr
    assert info.value.detail == detail
    assert info.value.cause == f"Invalid path '{expr}' : {detail}"


def test_recorded_input_path_causes_match():
    recorded = {
        strip_state_prefix(case["expected"]["cause"])
        for category in ("scenarios_jsonata", "lambda_scenarios_error_handling")
        for case in load_cases(category)
        if isinstance(case["expected"]["cause"], str) and "Invalid path" in case["expected"]["cause"]
    }
    assert recorded
    for cause in recorded:
        expr = cause.split("'")[1]
        with pytest.raises(PathNotFound) as info:
            compile_path(expr).evaluate(Scope({}))
        assert info.value.cause == cause


def test_aggregating_nothing_is_not_found():
    with pytest.raises(PathNotFound, match="empty array"):
        compile_path("$.items[?(@.x > 9)].x.sum()").evaluate(SCOPE)
    with pytest.raises(PathNotFound, match="cannot be applied"):
        compile_path("$.a.b[1].c.keys()").evaluate(SCOPE)


def test_stepping_into_a_non_object_names_what_was_found():
    with pytest.raises(
        PathNotFound, match=r"in path \$\['a'\]\['b'\] but found 'net.minidev.json.JSONArray'"
    ):
        compile_path("$.a.b.c").evaluate(SCOPE)
    with pytest.raises(PathNotFound, match=r"can only be applied to arrays"):
        compile_path("$.a[0]").evaluate(SCOPE)


def test_a_backtracking_regex_filter_is_bounded():
    with pytest.raises(ASLError, match="timed out"):
        compile_path("$.s[?(@ =~ /(a|aa)+/)]").evaluate(Scope({"s": ["a" * 60 + "b"]}))


def test_an_undefined_variable_is_not_found():
    with pytest.raises(PathNotFound, match=r"\$nope"):
        compile_path("$nope.x").evaluate(SCOPE)


@pytest.mark.parametrize("expr", ["", "a.b", "$.items[?(@.x >", "$[", 42, None])
def test_bad_paths_are_syntax_errors(expr):
    with pytest.raises(ASLSyntaxError):
        compile_path(expr)


def test_reference_paths_must_be_definite():
    assert compile_reference_path("$.a.b[0]").is_definite
    with pytest.raises(ASLSyntaxError, match="reference path"):
        compile_reference_path("$.items[*]")


def test_compilation_is_cached_by_text():
    assert compile_path("$.a.b") is compile_path("$.a.b")


# ---------------------------------------------------------------- ResultPath


def test_result_path_dollar_replaces_and_null_discards():
    assert apply_result_path(compile_path("$"), {"in": 1}, {"out": 2}) == {"out": 2}
    assert apply_result_path(None, {"in": 1}, {"out": 2}) == {"in": 1}


def test_result_path_merges_and_creates_without_mutating_the_input():
    state_input = {"a": {"keep": 1}, "list": [1, {"x": 1}]}
    before = copy.deepcopy(state_input)
    merged = apply_result_path(compile_path("$.a.new.deeper"), state_input, "r")
    assert merged == {"a": {"keep": 1, "new": {"deeper": "r"}}, "list": [1, {"x": 1}]}
    assert apply_result_path(compile_path("$.list[1].x"), state_input, 9)["list"] == [1, {"x": 9}]
    assert apply_result_path(compile_path("$['odd key']"), state_input, 0)["odd key"] == 0
    assert state_input == before


@pytest.mark.parametrize(
    ("path", "state_input"),
    [("$.a.b", {"a": "text"}), ("$.x", [1, 2]), ("$.list[5]", {"list": [1]}), ("$.a", "scalar")],
)
def test_result_path_that_cannot_apply_is_a_match_failure(path, state_input):
    with pytest.raises(ASLError) as info:
        apply_result_path(compile_path(path), state_input, 1)
    assert info.value.error == RESULT_PATH_MATCH_FAILURE
    assert info.value.cause


def test_result_path_must_be_a_plain_input_path():
    for path in ("$.items[*]", "$$.Execution", "$count", "$.a.length()"):
        with pytest.raises(ASLError) as info:
            apply_result_path(compile_path(path), {}, 1)
        assert info.value.error == RESULT_PATH_MATCH_FAILURE
