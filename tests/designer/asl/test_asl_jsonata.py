"""JSONata in Step Functions, driven by AWS's recorded executions where they isolate one field."""

from __future__ import annotations

import json
import re

import pytest

import designer.asl.jsonata as jsonata_module
from designer.asl.errors import QUERY_EVALUATION_ERROR, ASLError, ASLSyntaxError
from designer.asl.jsonata import compile_jsonata, compile_jsonata_template, is_jsonata
from designer.asl.scope import Scope
from tests.designer.asl.asl_conformance_cases import case_input, load_cases, only_state, strip_state_prefix


def single_output_cases():
    """Single JSONata Pass states whose Output is the whole result (or error)."""
    for category in ("intrinsic_functions", "jsonata", "scenarios_jsonata", "assign"):
        for case in load_cases(category):
            states = case["definition"]["States"]
            if len(states) != 1:
                continue
            state = next(iter(states.values()))
            language = state.get("QueryLanguage", case["definition"].get("QueryLanguage"))
            if (
                language == "JSONata"
                and state["Type"] == "Pass"
                and "Output" in state
                and "Assign" not in state
            ):
                yield case


CASES = list(single_output_cases())


def test_the_recorded_cases_are_there():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_recorded_output_case(case):
    state = only_state(case)
    template = compile_jsonata_template(state["Output"], "Output")
    expected = case["expected"]
    scope = Scope(case_input(case), {"Execution": {"Input": case_input(case)}})
    if expected["status"] == "SUCCEEDED":
        assert template.evaluate(scope) == expected["output"]
    else:
        with pytest.raises(ASLError) as info:
            template.evaluate(scope)
        assert info.value.error == expected["error"]
        assert info.value.cause == strip_state_prefix(expected["cause"])


def test_recorded_undefined_reference_causes():
    # assign/test_undefined_reference-*: the field path names where the expression sits.
    seen = 0
    for case in load_cases("assign"):
        if not case["id"].startswith("test_undefined_reference"):
            continue
        state = next(iter(case["definition"]["States"].values()))
        cause = strip_state_prefix(case["expected"]["cause"])
        field = re.search(r"for the field '([^']+)'", cause).group(1)
        top = field.split("/")[0]
        template = compile_jsonata_template(state[top], top)
        with pytest.raises(ASLError) as info:
            template.evaluate(Scope(case_input(case)))
        assert (info.value.error, info.value.cause) == (case["expected"]["error"], cause)
        seen += 1
    assert seen >= 4


def test_states_bindings_and_variables():
    scope = Scope(
        {"x": 1},
        {"State": {"Name": "S"}},
        {"count": 2, "nothing": None},
        result={"r": 3},
        error_output={"Error": "E"},
    )
    expr = compile_jsonata(
        "{% [$states.input.x, $states.context.State.Name, $count, $nothing, $states.result.r,"
        " $states.errorOutput.Error] %}"
    )
    assert expr.evaluate(scope) == [1, "S", 2, None, 3, "E"]


def test_result_and_error_output_are_absent_unless_given():
    with pytest.raises(ASLError, match="returned nothing"):
        compile_jsonata("$states.result").evaluate(Scope({}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$partition([1,2,3,4,5], 2)", [[1, 2], [3, 4], [5]]),
        ("$range(0, 10, 5)", [0, 5, 10]),
        ("$range(3, 1, -1)", [3, 2, 1]),
        (
            "$hash('input data', 'SHA-256')",
            "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
        ),
        ("$parse('{\"a\": [1, null]}')", {"a": [1, None]}),
        ("$parse('null')", None),
        ("$random(42) = $random(42)", True),
        ("$length($uuid())", 36),
        ("$contains('hello$world', /^hello\\$/)", True),
        ("$merge([{'a': 1}, {'b': 2}])", {"a": 1, "b": 2}),
        ("1.0", 1),
    ],
)
def test_aws_functions_and_the_standard_library(text, expected):
    assert compile_jsonata(text).evaluate(Scope({})) == expected


def test_random_is_between_zero_and_one():
    value = compile_jsonata("$random()").evaluate(Scope({}))
    assert 0 <= value < 1


@pytest.mark.parametrize(
    "text",
    ["$partition('x', 2)", "$partition([1], 0)", "$range(0, 5000, 1)", "$hash('x', 'MD4')", "$parse('{')"],
)
def test_aws_function_misuse_is_a_query_evaluation_error(text):
    with pytest.raises(ASLError) as info:
        compile_jsonata(text, "Output").evaluate(Scope({}))
    assert info.value.error == QUERY_EVALUATION_ERROR
    assert info.value.cause.startswith(
        f"The JSONata expression '{text}' specified for the field 'Output' threw"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("'a' + 1", 'T2001: The left side of the "+" operator must evaluate to a number'),
        ("$sum(['a'])", 'T0412: Argument 1 of function "sum" must be an array of "numbers"'),
        ("$substring(1, 'x')", 'T0410: Argument 1 of function "substring" does not match function signature'),
        ("$error('boom')", "D3137: boom"),
        ("1/0", "D1001: Number out of range: null"),
    ],
)
def test_evaluation_errors_are_worded_as_jsonata_words_them(text, message):
    with pytest.raises(ASLError) as info:
        compile_jsonata(text, "Output").evaluate(Scope({}))
    assert info.value.cause.endswith(f"threw an error during evaluation. {message}")


def test_eval_is_not_available():
    with pytest.raises(ASLError, match="T1006: Attempted to invoke a non-function"):
        compile_jsonata("$eval('1 + 1')", "Output").evaluate(Scope({}))


def test_a_function_result_is_unsupported():
    with pytest.raises(ASLError) as info:
        compile_jsonata("{% $fn := function($x){$x} %}", "Items").evaluate(Scope({}))
    assert info.value.cause == (
        "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' "
        "returned an unsupported result type."
    )


@pytest.mark.parametrize(
    "text",
    [
        "($f := function($n){$n <= 1 ? 1 : $n * $f($n - 1)}; $f(100000))",
        "($loop := function($n){$loop($n + 1)}; $loop(0))",
        "$map([1..5000000], function($v){$v * 2})",
        # A regular expression built to backtrack.
        "$contains('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', /(a|aa)+$/)",
    ],
)
def test_slow_expressions_are_bounded(text, monkeypatch):
    # Returning at all is the point: the bound is the module's time and depth limit.
    monkeypatch.setattr(jsonata_module, "TIME_LIMIT_SECONDS", 0.5)
    with pytest.raises(ASLError) as info:
        compile_jsonata(text, "Output").evaluate(Scope({}))
    assert info.value.error == QUERY_EVALUATION_ERROR
    assert re.search(r"D101[12]", info.value.cause)


@pytest.mark.parametrize("text", ["1 +", "$foo(", "{'a':}", "[1, 2", ""])
def test_bad_expressions_are_syntax_errors(text):
    with pytest.raises(ASLSyntaxError):
        compile_jsonata(text)


def test_templates_evaluate_nested_expressions_and_name_fields():
    template = compile_jsonata_template(
        {"a": "{% $states.input.v %}", "list": [1, "{% $states.input.v + 1 %}"], "lit": "{%x"}, "Arguments"
    )
    assert template.evaluate(Scope({"v": 1})) == {"a": 1, "list": [1, 2], "lit": "{%x"}
    with pytest.raises(ASLError) as info:
        template.evaluate(Scope({}))
    assert "for the field 'Arguments/a' returned nothing" in info.value.cause


def test_constant_templates_are_constant():
    template = compile_jsonata_template({"a": [1, {"b": "c"}]}, "Output")
    assert template.is_constant
    assert template.evaluate(Scope(None)) == {"a": [1, {"b": "c"}]}


def test_compilation_is_cached_by_text():
    assert compile_jsonata("{% 1 + 1 %}") is compile_jsonata(" 1 + 1 ")


def test_is_jsonata():
    assert is_jsonata("{% x %}")
    assert not is_jsonata("{%")
    assert not is_jsonata("x {% y %}")
    assert not is_jsonata(json.dumps({"a": 1}))
