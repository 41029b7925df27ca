"""Intrinsic functions, driven by AWS's recorded executions (category intrinsic_functions)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from designer.asl.errors import INTRINSIC_FAILURE, ASLError, ASLSyntaxError
from designer.asl.intrinsics import compile_intrinsic
from designer.asl.jsonpath import apply_result_path, compile_path
from designer.asl.payload import compile_payload
from designer.asl.scope import Scope
from tests.designer.asl.asl_conformance_cases import case_input, load_cases, only_state

CONTEXT = {
    "Execution": {"Name": "<ExecArnPart_0idx>"},
    "StateMachine": {
        "Id": "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>",
        "Name": "<ArnPart_0idx>",
    },
}
JSONPATH_CASES = [c for c in load_cases("intrinsic_functions") if "Parameters" in only_state(c)]


def run_pass_state(state: dict[str, Any], state_input: Any) -> Any:
    """A JSONPath Pass state's data flow, from the evaluators alone."""
    context = {**CONTEXT, "Execution": {**CONTEXT["Execution"], "Input": state_input}}
    effective = compile_path(state.get("InputPath", "$")).evaluate(Scope(state_input, context))
    result = compile_payload(state["Parameters"]).evaluate(Scope(effective, context))
    result_path = state.get("ResultPath", "$")
    output = apply_result_path(
        None if result_path is None else compile_path(result_path), state_input, result
    )
    return compile_path(state.get("OutputPath", "$")).evaluate(Scope(output, context))


def test_the_recorded_cases_are_there():
    assert len(JSONPATH_CASES) >= 60


@pytest.mark.parametrize("case", JSONPATH_CASES, ids=lambda c: c["id"])
def test_recorded_intrinsic_case(case):
    expected = case["expected"]
    assert expected["status"] == "SUCCEEDED", "every public intrinsic case succeeds; add an error branch"
    output = run_pass_state(only_state(case), case_input(case))
    wanted = expected["output"]
    if wanted == {"FunctionResult": "RandomNumberGenerated"}:
        args = case_input(case)["FunctionInput"]
        assert isinstance(output["FunctionResult"], int)
        assert int(args["fst"]) <= output["FunctionResult"] < int(args["snd"])
    elif wanted == {"FunctionResult": "generated-uuid"}:
        assert str(uuid.UUID(output["FunctionResult"])) == output["FunctionResult"]
    else:
        assert output == wanted


def evaluate(expr: str, state_input: Any = None) -> Any:
    return compile_intrinsic(expr).evaluate(Scope(state_input, CONTEXT))


def failure(expr: str, state_input: Any = None) -> ASLError:
    with pytest.raises(ASLError) as info:
        evaluate(expr, state_input)
    return info.value


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("States.Format('a \\{} b {}', 1)", "a {} b 1"),
        ("States.Format('it\\'s {}', 'x')", "it's x"),
        ("States.Format('{}{}', true, null)", "truenull"),
        ("States.Format('\\\\{} \\{\\}', 1)", "\\1 {}"),
        ("States.Format('{}', $)", "{a=[1, 2], b=x}"),
        ("States.Array()", []),
        ("States.Array(1, 'two', true, null, 1.5)", [1, "two", True, None, 1.5]),
        ("States.ArrayLength(States.Array(1, 2, 3))", 3),
        # Java's JSON nodes: an integer never equals a double, nor a boolean a number.
        ("States.ArrayUnique(States.Array(1, 1.0, '1', true, 1))", [1, 1.0, "1", True]),
        ("States.ArrayContains(States.Array(1, 2), 1.0)", False),
        ("States.ArrayRange(5, 1, -2)", [5, 3, 1]),
        ("States.ArrayRange(1, 0, 1)", []),
        ("States.ArrayGetItem($.a, 1)", 2),
        ("States.Base64Decode(States.Base64Encode('héllo'))", "héllo"),
        ("States.JsonToString($)", '{"a":[1,2],"b":"x"}'),
        ("States.StringToJson('  ')", None),
        ("States.StringSplit('a,b;;c', ',;')", ["a", "b", "c"]),
        ("States.MathAdd(2147483647, -1)", 2147483646),
        ("States.MathAdd(-3, 0.5)", -2),
        ("States.Hash('', 'SHA-1')", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        # Doubles print as Java's Double.toString (Jackson writes them the same way).
        ("States.Format('{} {} {}', 0.00001, 10000000.0, 2.5)", "1.0E-5 1.0E7 2.5"),
        ("States.JsonToString(States.Array(1, 1.5e-7, 100.0))", "[1,1.5E-7,100.0]"),
        ("  States.ArrayContains( $.a , 2 )  ", True),
    ],
)
def test_intrinsic_values(expr, expected):
    assert evaluate(expr, {"a": [1, 2], "b": "x"}) == expected


def test_json_merge_orders_keys_as_java_hashmap_does():
    # Recorded: merging {"constant_in_literal"} with {"constant_input_field"} lists the latter first.
    merged = evaluate("States.JsonMerge($.x, $.y, false)", {"x": {"b": 1, "a": 1}, "y": {"a": 2, "c": 3}})
    assert merged == {"a": 2, "b": 1, "c": 3}
    assert list(merged) == ["a", "b", "c"]


def test_math_random_with_seed_is_repeatable():
    first = evaluate("States.MathRandom(1, 1000, 7)")
    assert first == evaluate("States.MathRandom(1, 1000, 7)")
    assert 1 <= first < 1000


@pytest.mark.parametrize(
    "expr",
    [
        "States.ArrayGetItem($.a, 5)",
        "States.ArrayGetItem($.a, -1)",
        "States.ArrayGetItem($.b, 0)",
        "States.ArrayPartition($.a, 0)",
        "States.ArrayRange(0, 2000, 1)",
        "States.ArrayRange(0, 5, 0)",
        "States.Base64Decode('not base64!')",
        "States.Hash('x', 'SHA-3')",
        "States.JsonMerge($, $, true)",
        "States.JsonMerge($.a, $, false)",
        "States.StringToJson('{')",
        "States.StringSplit($.a, ',')",
        "States.Format('{} {}', 1)",
        "States.Format('{}', 1, 2)",
        "States.Format($.b, 'unused')",
        "States.MathAdd($.b, 2)",
        "States.MathRandom(5, 5)",
    ],
)
def test_intrinsic_failures_are_states_intrinsic_failure(expr):
    error = failure(expr, {"a": [1, 2], "b": "x"})
    assert error.error == INTRINSIC_FAILURE
    assert error.cause


def test_a_missing_path_argument_is_a_runtime_error():
    error = failure("States.Array($.missing)", {})
    assert error.error == "States.Runtime"
    assert "$.missing" in error.cause


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("States.Nope(1)", "unknown function States.Nope"),
        ("States.ArrayLength()", "takes 1 arguments, got 0"),
        ("States.UUID(1)", "takes 0 arguments, got 1"),
        ("States.Format('x'", "expected ',' or ')'"),
        ("States.Format('x)", "unterminated string"),
        ("States.Format('x') extra", "unexpected text"),
        ("States.Array(foo)", "unexpected argument"),
        ("Format('x')", "expected a function name"),
        # Recorded on AWS (validation/test_illegal_escapes): `\"` in an intrinsic string is invalid.
        ('States.StringToJson(\'{"text":"An \\"escaped\\" quote"}\')', "invalid escape sequence"),
        ("States.Format('x\\n')", "invalid escape sequence"),
    ],
)
def test_bad_calls_are_syntax_errors(expr, message):
    with pytest.raises(ASLSyntaxError, match=re.escape(message)):
        compile_intrinsic(expr)


def test_compilation_is_cached_by_text():
    assert compile_intrinsic("States.UUID()") is compile_intrinsic("States.UUID()")


def test_nesting_is_limited_to_ten_calls_as_aws_documents():
    assert compile_intrinsic("States.Array(" * 10 + ")" * 10)
    for depth in (11, 2000):
        with pytest.raises(ASLSyntaxError, match="nested at most 10 deep"):
            compile_intrinsic("States.Array(" * depth + ")" * depth)


@pytest.mark.parametrize(
    "expr",
    [
        "States.MathAdd(1, '-1')",
        "States.ArrayLength('abc')",
        "States.ArrayGetItem($.a, 'x')",
        "States.JsonMerge(null, $.b, false)",
        "States.JsonMerge($.a, $.b, 'false')",
        "States.StringSplit(1, ',')",
        "States.Format(1, 2)",
    ],
)
def test_literal_arguments_of_an_impossible_type_are_syntax_errors(expr):
    with pytest.raises(ASLSyntaxError, match="must be a"):
        compile_intrinsic(expr)
