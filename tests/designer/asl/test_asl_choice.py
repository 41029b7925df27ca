"""Choice rules, driven by AWS's recorded executions (category choice_operators)."""

from __future__ import annotations

import json

import pytest

from designer.asl.choice import compile_choice_rule, compile_condition, parse_timestamp, string_matches
from designer.asl.errors import ASLError, ASLSyntaxError, PathNotFound
from designer.asl.scope import Scope
from tests.designer.asl.asl_conformance_cases import case_input, load_cases

CASES = load_cases("choice_operators")


def choose(state: dict, scope: Scope, query_language: str = "JSONPath") -> str:
    for i, rule in enumerate(state["Choices"]):
        if compile_choice_rule(rule, f"/Choices/{i}", query_language).evaluate(scope):
            return rule["Next"]
    return state["Default"]


def test_the_recorded_cases_are_there():
    assert len(CASES) >= 250


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_recorded_choice_case(case):
    state = case["definition"]["States"][case["definition"]["StartAt"]]
    chosen = choose(state, Scope(case_input(case)))
    # The chosen Pass state's Result is {"TestResult.$": <its name>}, recorded as the output.
    assert chosen == case["expected"]["output"]["TestResult.$"]


def test_recorded_choice_scenarios():
    # scenarios_choice: Choice states with literal operands, evaluated on the execution input.
    checked = 0
    for case in load_cases("scenarios_choice"):
        states = case["definition"]["States"]
        start = states[case["definition"]["StartAt"]]
        if start["Type"] != "Choice":
            continue
        language = start.get("QueryLanguage", case["definition"].get("QueryLanguage", "JSONPath"))
        events = case["expected"]["events"] or []
        entered = [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]
        if len(entered) < 2:
            continue
        try:
            chosen = choose(start, Scope(case_input(case), {}, {}), language)
        except ASLError:
            continue
        assert chosen == entered[1], case["id"]
        checked += 1
    assert checked >= 1


def evaluate(rule: dict, data, variables=None) -> bool:
    return compile_condition(rule).evaluate(Scope(data, {}, variables or {}))


@pytest.mark.parametrize(
    ("rule", "data", "expected"),
    [
        ({"Variable": "$.v", "StringMatches": "log-*.txt"}, {"v": "log-2024.txt"}, True),
        ({"Variable": "$.v", "StringMatches": "log-*.txt"}, {"v": "log-2024.csv"}, False),
        ({"Variable": "$.v", "StringMatches": "a\\*b"}, {"v": "a*b"}, True),
        ({"Variable": "$.v", "StringMatches": "a\\*b"}, {"v": "axxb"}, False),
        ({"Variable": "$.v", "StringMatches": "a\\\\*"}, {"v": "a\\xyz"}, True),
        ({"Variable": "$.v", "StringMatches": "*"}, {"v": "multi\nline"}, True),
        ({"Variable": "$.v", "StringMatches": "a.c"}, {"v": "abc"}, False),
        ({"Variable": "$.v", "StringMatches": "*"}, {"v": 1}, False),
        (
            {"Variable": "$.t", "TimestampEquals": "2024-01-01T00:00:00Z"},
            {"t": "2024-01-01T01:00:00+01:00"},
            True,
        ),
        (
            {"Variable": "$.t", "TimestampLessThan": "2024-01-01T00:00:00.5Z"},
            {"t": "2024-01-01T00:00:00.123Z"},
            True,
        ),
        (
            {"Variable": "$.t", "TimestampGreaterThan": "2024-01-01T00:00:00Z"},
            {"t": "2024-01-01T00:00:00"},
            False,
        ),
        ({"Variable": "$.t", "IsTimestamp": True}, {"t": "2024-02-30T00:00:00Z"}, False),
        ({"Variable": "$.t", "IsTimestamp": True}, {"t": "2024-02-29T23:59:59.999999999-07:00"}, True),
        ({"Variable": "$.s", "StringLessThan": "\uffff"}, {"s": "\U0001f600"}, True),
        ({"Variable": "$.missing", "IsPresent": False}, {}, True),
        ({"Variable": "$.a[?(@ > 5)]", "IsPresent": True}, {"a": [1, 2]}, False),
        ({"Variable": "$.a[?(@ > 5)]", "IsPresent": True}, {"a": [1, 9]}, True),
        ({"Variable": "$v", "NumericGreaterThanPath": "$$.x"}, {}, True),
        (
            {"And": [{"Variable": "$.a", "NumericEquals": 1}, {"Variable": "$.b", "BooleanEquals": True}]},
            {"a": 1.0, "b": True},
            True,
        ),
        (
            {"Or": [{"Variable": "$.a", "IsNull": True}, {"Not": {"Variable": "$.a", "IsNumeric": True}}]},
            {"a": "x"},
            True,
        ),
        ({"Not": {"Variable": "$.a", "StringEquals": "x"}}, {"a": "x"}, False),
    ],
)
def test_rule_semantics(rule, data, expected):
    assert compile_condition(rule).evaluate(Scope(data, {"x": 0}, {"v": 1})) is expected


def test_a_missing_variable_fails_except_for_is_present():
    with pytest.raises(PathNotFound) as info:
        evaluate({"Variable": "$.nope", "StringEquals": "x"}, {})
    assert info.value.error == "States.Runtime"
    assert info.value.cause == "Invalid path '$.nope' : No results for path: $['nope']"


def test_jsonata_conditions():
    rule = {"Condition": "{% $states.input.n > $limit %}", "Next": "Big"}
    compiled = compile_choice_rule(rule, "/Choices/0", "JSONata")
    assert compiled.next == "Big"
    assert compiled.evaluate(Scope({"n": 5}, {}, {"limit": 3})) is True
    assert compiled.evaluate(Scope({"n": 1}, {}, {"limit": 3})) is False
    with pytest.raises(ASLError) as info:
        compile_choice_rule({"Condition": "{% $states.input.n %}"}, "", "JSONata").evaluate(Scope({"n": 5}))
    assert info.value.cause == (
        "The JSONata expression '$states.input.n' specified for the field 'Condition' returned an unexpected "
        "result type. Expected 'boolean', but was 'number' for value: 5"
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"StringEquals": "x"}, "needs a 'Variable'"),
        ({"Variable": "$.a"}, "exactly one comparison operator"),
        ({"Variable": "$.a", "StringEquals": "x", "IsNull": True}, "exactly one comparison operator"),
        ({"Variable": "$.a", "NumericEquals": "1"}, "must be a numeric"),
        ({"Variable": "$.a", "TimestampEquals": "yesterday"}, "must be a timestamp"),
        ({"Variable": "$.a", "IsNull": "yes"}, "must be true or false"),
        ({"Variable": "$.a", "StringEqualz": "x"}, "Unknown Choice rule operator"),
        ({"Variable": "a", "StringEquals": "x"}, "must start with '\\$'"),
        ({"And": []}, "non-empty array"),
        ({"Not": {"Variable": "$.a", "StringEqualsPath": "nope"}}, "must start with '\\$'"),
    ],
)
def test_malformed_rules_are_syntax_errors_with_pointers(rule, message):
    with pytest.raises(ASLSyntaxError, match=message) as info:
        compile_condition(rule, "/States/C/Choices/0")
    assert info.value.pointer.startswith("/States/C/Choices/0")


def test_string_matches_escapes():
    assert string_matches("a*").matches("abc")
    assert not string_matches("a\\*").matches("abc")
    assert string_matches("a\\*").matches("a*")
    assert string_matches("(x)[y]").matches("(x)[y]")
    assert string_matches("*").matches("")
    assert string_matches("a*a").matches("aa")
    assert not string_matches("a*a").matches("a")
    assert string_matches("*b*b*").matches("abcbd")
    assert not string_matches("").matches("x")


def test_string_matches_is_linear_on_many_wildcards():
    pattern = string_matches("*a" * 30 + "*b")
    assert not pattern.matches("a" * 100_000)
    assert pattern.matches("a" * 100 + "b")


def test_parse_timestamp_rejects_what_aws_rejects():
    for text in [
        "2016-12-05T21:29:29",
        "2016-12-05 21:29:29Z",
        "2016-13-05T21:29:29Z",
        "05-12-2016T21:29:29Z",
    ]:
        assert parse_timestamp(text) is None, text
    assert parse_timestamp("2016-12-05T21:29:29Z") == parse_timestamp("2016-12-05T22:29:29+01:00")
    assert json.dumps(parse_timestamp("2016-12-05T21:29:29.5Z"))
