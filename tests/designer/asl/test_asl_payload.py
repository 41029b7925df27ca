"""JSONPath payload templates (Parameters, ResultSelector, ItemSelector, JSONPath Assign)."""

from __future__ import annotations

import pytest

from designer.asl.errors import ASLError, ASLSyntaxError
from designer.asl.payload import compile_payload
from designer.asl.scope import Scope
from tests.designer.asl.asl_conformance_cases import case_input, load_cases, strip_state_prefix

SCOPE = Scope({"x": 1, "list": [1, 2, 3]}, {"Execution": {"Id": "arn:e"}}, {"v": "var"})


def test_dynamic_keys_paths_and_intrinsics():
    template = {
        "plain": "$.x",
        "x.$": "$.x",
        "ctx.$": "$$.Execution.Id",
        "var.$": "$v",
        "len.$": "States.ArrayLength($.list)",
        "nested": {"deep.$": "$.list[1]", "const": [1, {"k": "v"}]},
        "array": [{"item.$": "$.x"}, "$.x"],
        "all.$": "$.list[*]",
    }
    assert compile_payload(template).evaluate(SCOPE) == {
        "plain": "$.x",
        "x": 1,
        "ctx": "arn:e",
        "var": "var",
        "len": 3,
        "nested": {"deep": 2, "const": [1, {"k": "v"}]},
        "array": [{"item": 1}, "$.x"],
        "all": [1, 2, 3],
    }


def test_constant_payloads_are_built_once():
    template = {"a": [1, {"b": None}]}
    payload = compile_payload(template)
    assert payload.is_constant
    assert payload.evaluate(SCOPE) == template
    assert not compile_payload({"a.$": "$"}).is_constant


def test_recorded_missing_path_cause():
    # scenarios_jsonata/test_invalid_jsonpath-INVALID_JSONPATH_IN_STRING_EXPR_CONTEXTPATH
    (case,) = [c for c in load_cases("scenarios_jsonata") if "STRING_EXPR_CONTEXTPATH" in c["id"]]
    state = next(iter(case["definition"]["States"].values()))
    state_input = case_input(case)
    with pytest.raises(ASLError) as info:
        compile_payload(state["Parameters"]).evaluate(
            Scope(state_input, {"Execution": {"Input": state_input}})
        )
    expected = strip_state_prefix(case["expected"]["cause"]).replace("<json-input:1>", '{"int-literal":0}')
    assert (info.value.error, info.value.cause) == (case["expected"]["error"], expected)


def test_intrinsic_errors_pass_through():
    with pytest.raises(ASLError) as info:
        compile_payload({"a.$": "States.ArrayGetItem($.list, 9)"}).evaluate(SCOPE)
    assert info.value.error == "States.IntrinsicFailure"


@pytest.mark.parametrize(
    ("template", "pointer"),
    [
        ({"a.$": 1}, "/Parameters/a.$"),
        ({"n": {"a.$": "nope"}}, "/Parameters/n/a.$"),
        ({"l": [{"b/c.$": "States.Nope()"}]}, "/Parameters/l/0/b~1c.$"),
    ],
)
def test_bad_templates_are_syntax_errors_with_pointers(template, pointer):
    with pytest.raises(ASLSyntaxError) as info:
        compile_payload(template, "/Parameters")
    assert info.value.pointer == pointer
