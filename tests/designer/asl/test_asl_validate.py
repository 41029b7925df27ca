"""Rules of `designer.asl.validate`, one finding at a time, with the codes and locations reported.
The corpus and the recorded AWS cases (test_asl_corpus.py, test_asl_validate_conformance.py) cover breadth;
these pin down behaviour the peers get wrong and the diagnostic's shape."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from designer.asl import Diagnostic, validate

PASS_END = {"Type": "Pass", "End": True}


def machine(states: dict[str, Any], **top: Any) -> dict:
    return {"StartAt": next(iter(states)), "States": states, **top}


def errors(definition: Any, **kwargs: Any) -> list[Diagnostic]:
    return [d for d in validate(definition, **kwargs) if d.is_error]


def codes_at(definition: Any, **kwargs: Any) -> set[tuple[str, str]]:
    return {(d.code, d.pointer) for d in errors(definition, **kwargs)}


def test_valid_definition_has_no_diagnostics() -> None:
    assert validate(json.dumps(machine({"A": PASS_END}))) == []


def test_diagnostic_carries_pointer_state_line_and_column() -> None:
    text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "Next": "Nope"}\n  }\n}'
    found = [d for d in errors(text) if d.code == "MISSING_TRANSITION_TARGET"]
    assert found == [
        Diagnostic(
            "MISSING_TRANSITION_TARGET", "error", "/States/A/Next", "A", 4, 27, "Missing 'Next' target: Nope"
        )
    ]


def test_a_parsed_value_validates_without_positions() -> None:
    [diagnostic] = errors(machine({"A": {"Type": "Pass", "End": True, "Foo": 1}}))
    assert (diagnostic.line, diagnostic.column, diagnostic.state) == (None, None, "A")


def test_duplicate_keys_are_invalid_json() -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "End": true}}}'
    [diagnostic] = errors(text)
    assert (diagnostic.code, diagnostic.pointer, diagnostic.message) == (
        "INVALID_JSON_DESCRIPTION",
        "/States/A/End",
        "Duplicate field 'End'",
    )


def test_not_an_object() -> None:
    for text in (" ", "[]", '"x"', "null"):
        [diagnostic] = errors(text)
        assert (diagnostic.code, diagnostic.message) == (
            "SCHEMA_VALIDATION_FAILED",
            "Definition must be a valid JSON object",
        )


def test_scopes_reachability_and_terminal_states() -> None:
    branch = machine({"B1": {"Type": "Pass", "Next": "Outer"}})
    definition = machine(
        {
            "P": {"Type": "Parallel", "Branches": [branch], "Next": "Outer"},
            "Outer": PASS_END,
            "Lost": PASS_END,
        }
    )
    assert codes_at(definition) == {
        ("MISSING_TRANSITION_TARGET", "/States/P/Branches/0/States/B1/Next"),
        ("MISSING_END_STATE", "/States/P/Branches/0"),
        ("MISSING_TRANSITION_TARGET", "/States/Lost"),
    }
    loop = machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}})
    assert codes_at(loop) == {("MISSING_END_STATE", "")}


def test_duplicate_names_across_nested_machines_and_long_names() -> None:
    inner = machine({"Done": PASS_END})
    definition = machine(
        {"M": {"Type": "Map", "ItemProcessor": inner, "Next": "Done"}, "Done": PASS_END, "x" * 81: PASS_END}
    )
    found = codes_at(definition)
    assert ("DUPLICATE_STATE_NAME", "/States/M/ItemProcessor/States/Done") in found
    assert ("INVALID_STATE_NAME", "/States/" + "x" * 81) in found


def test_state_named_iterator_is_an_ordinary_state() -> None:
    definition = machine(
        {
            "Iterator": {"Type": "Pass", "Next": "Map"},
            "Map": {
                "Type": "Map",
                "Iterator": machine({"Iterator": {"Type": "Pass", "End": True}}),
                "End": True,
            },
        }
    )
    assert [d.code for d in errors(definition)] == ["DUPLICATE_STATE_NAME"]


@pytest.mark.parametrize(
    ("retrier", "words"),
    [
        ({"ErrorEquals": []}, "non-empty array"),
        ({"ErrorEquals": ["X"], "IntervalSeconds": 0}, "IntervalSeconds"),
        ({"ErrorEquals": ["X"], "BackoffRate": 0.5}, "BackoffRate"),
        ({"ErrorEquals": ["X"], "MaxAttempts": -1}, "MaxAttempts"),
        ({"ErrorEquals": ["X"], "JitterStrategy": "SOME"}, "JitterStrategy"),
        ({"ErrorEquals": ["X"], "MaxDelaySeconds": 0}, "MaxDelaySeconds"),
        ({"ErrorEquals": ["States.ALL", "X"]}, "alone"),
    ],
)
def test_retry_rules(retrier: dict, words: str) -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:1:function:f",
        "End": True,
        "Retry": [retrier],
    }
    found = errors(machine({"T": task}))
    assert found and any(words in d.message for d in found), found


def test_states_all_retrier_must_be_last_and_retry_comment_is_fine() -> None:
    task = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": True}
    ok = dict(task, Retry=[{"ErrorEquals": ["X"], "Comment": "c"}, {"ErrorEquals": ["States.ALL"]}])
    assert errors(machine({"T": ok})) == []
    bad = dict(task, Retry=list(reversed(ok["Retry"])))
    assert [d.pointer for d in errors(machine({"T": bad}))] == ["/States/T/Retry/0/ErrorEquals"]


def test_jsonata_fields_expressions_and_language_exclusivity() -> None:
    good = machine(
        {
            "A": {
                "Type": "Pass",
                "Output": "{% $states.input.a%}",
                "Assign": {"x": "{% 1 + 1 %}"},
                "End": True,
            }
        },
        QueryLanguage="JSONata",
    )
    assert errors(good) == []
    bad = copy.deepcopy(good)
    bad["States"]["A"]["Output"] = "{% $states.input. %}"
    bad["States"]["A"]["InputPath"] = "$.a"
    assert {d.pointer for d in errors(bad)} == {"/States/A/Output", "/States/A/InputPath"}
    downgrade = machine({"A": dict(PASS_END, QueryLanguage="JSONPath")}, QueryLanguage="JSONata")
    [diagnostic] = errors(downgrade)
    assert (
        diagnostic.message
        == "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"
    )


def test_assign_in_jsonpath_and_its_limits() -> None:
    ok = machine(
        {"A": {"Type": "Pass", "Assign": {"v.$": "$.x", "w": 1, "z.$": "States.UUID()"}, "End": True}}
    )
    assert errors(ok) == []
    bad = machine({"A": {"Type": "Succeed", "Assign": {"v": 1}}})
    assert codes_at(bad) == {("SCHEMA_VALIDATION_FAILED", "/States/A/Assign")}


@pytest.mark.parametrize(
    ("label", "ok"),
    [
        ("Run-1_ok", True),
        ("", False),
        ("x" * 41, False),
        ("has space", False),
        ("a{b}", False),
        ("q?", False),
    ],
)
def test_map_label(label: str, ok: bool) -> None:
    definition = machine(
        {"M": {"Type": "Map", "Label": label, "ItemProcessor": machine({"I": PASS_END}), "End": True}}
    )
    assert (errors(definition) == []) is ok


def test_choice_rules() -> None:
    rule = {"Variable": "$.a", "StringEquals": "x", "Next": "B"}
    base = machine({"C": {"Type": "Choice", "Choices": [rule], "Default": "B"}, "B": PASS_END})
    assert errors(base) == []
    for change, pointer in [
        ({"StringEquals": 1}, "/States/C/Choices/0/StringEquals"),
        ({"Variable": "States.Format('x')"}, "/States/C/Choices/0/Variable"),
        ({"NumericEquals": 1}, "/States/C/Choices/0"),
        (
            {"TimestampEquals": "2020-01-01 00:00:00Z", "StringEquals": None},
            "/States/C/Choices/0/TimestampEquals",
        ),
    ]:
        broken = copy.deepcopy(base)
        broken["States"]["C"]["Choices"][0].update(change)
        broken["States"]["C"]["Choices"][0] = {
            k: v for k, v in broken["States"]["C"]["Choices"][0].items() if v is not None
        }
        assert pointer in {d.pointer for d in errors(broken)}, change
    nested = copy.deepcopy(base)
    nested["States"]["C"]["Choices"][0] = {
        "Not": {"Variable": "$.a", "IsNull": True, "Next": "B"},
        "Next": "B",
    }
    assert {d.pointer for d in errors(nested)} == {"/States/C/Choices/0/Not/Next"}


def test_wait_timestamp_is_rfc3339() -> None:
    for stamp, ok in [
        ("2016-03-14T01:59:00Z", True),
        ("2016-03-14T01:59:00+02:00", True),
        ("2016-02-30T01:59:00Z", False),
        ("2016-03-14T01:59:00", False),
    ]:
        definition = machine({"W": {"Type": "Wait", "Timestamp": stamp, "End": True}})
        assert (errors(definition) == []) is ok, stamp


def test_placeholders_are_warnings_and_checked_as_substituted() -> None:
    task = {"Type": "Task", "Resource": "${FunctionArn}", "TimeoutSeconds": "${Timeout}", "End": True}
    diagnostics = validate(json.dumps(machine({"T": task})))
    assert [(d.code, d.severity, d.pointer) for d in diagnostics] == [
        ("PLACEHOLDER", "warning", "/States/T/Resource"),
        ("PLACEHOLDER", "warning", "/States/T/TimeoutSeconds"),
    ]
    unterminated = machine({"T": dict(task, Resource="${FunctionArn", TimeoutSeconds=5)})
    assert [d.code for d in errors(unterminated)] == ["INVALID_RESOURCE"]


def test_resources_and_express_integrations() -> None:
    def task(resource: str) -> dict:
        return machine({"T": {"Type": "Task", "Resource": resource, "End": True}})

    assert errors(task("arn:aws:states:::dynamodb:getItem")) == []
    assert errors(task("arn:aws:states:::aws-sdk:dynamodb:query")) == []
    [query] = errors(task("arn:aws:states:::dynamodb:query"))
    assert query.message.startswith(
        "The resource provided arn:<partition>:states:::dynamodb:query is not recognized"
    )
    assert errors(task("arn:aws:states:::lambda:invoke.waitForTaskToken"), type="EXPRESS")
    assert errors(task("arn:aws:lambda:us-east-1:1:function:f:"))
    assert errors(task("NotAUri"))


def test_payload_templates() -> None:
    def pass_with(parameters: dict) -> dict:
        return machine({"P": {"Type": "Pass", "Parameters": parameters, "End": True}})

    assert (
        errors(pass_with({"a.$": "$.x", "b": {"c.$": "States.Format('{}', $.y)"}, "d.$": "$$.Execution.Id"}))
        == []
    )
    assert errors(pass_with({"a.$": "nope"}))
    assert errors(pass_with({"a.$": "States.Reverse($.x)"}))
    assert errors(pass_with({"a": 1, "a.$": "$.x"}))
    warnings = [d for d in validate(pass_with({"a": "$.x"})) if not d.is_error]
    assert [d.code for d in warnings] == ["NO_DOLLAR"]


def test_reference_paths() -> None:
    def with_result_path(path: str) -> dict:
        return machine({"P": {"Type": "Pass", "ResultPath": path, "End": True}})

    assert errors(with_result_path("$.a.b[0]")) == []
    for path in ("$..a", "$.a[*]", "$.a[?(@.x)]", "$$.Execution", "$var", "a"):
        assert errors(with_result_path(path)), path


def test_yaml_definition_diagnostics_point_into_the_yaml() -> None:
    text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nowhere\n"
    found = [d for d in errors(text, format="yaml") if d.code == "MISSING_TRANSITION_TARGET"]
    assert [(d.line, d.column) for d in found] == [(5, 5)]


def test_catch_all_to_succeed_is_a_warning() -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:1:function:f",
        "End": True,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Ok"}],
    }
    diagnostics = validate(machine({"T": task, "Ok": {"Type": "Succeed"}}))
    assert [(d.code, d.severity) for d in diagnostics] == [("CATCH_ALL_HIDES_ERRORS", "warning")]


def test_map_processor_inside_a_parallel_branch_keeps_its_processor_config() -> None:
    processor = dict(
        machine({"I": PASS_END}), ProcessorConfig={"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}
    )
    branch = machine({"M": {"Type": "Map", "ItemProcessor": processor, "End": True}})
    assert errors(machine({"P": {"Type": "Parallel", "Branches": [branch], "End": True}})) == []
    bad = copy.deepcopy(branch)
    bad["States"]["M"]["ItemProcessor"]["ProcessorConfig"]["Mode"] = "SOMETIMES"
    [diagnostic] = errors(machine({"P": {"Type": "Parallel", "Branches": [bad], "End": True}}))
    assert diagnostic.pointer == "/States/P/Branches/0/States/M/ItemProcessor/ProcessorConfig/Mode"


def test_names_with_control_characters_and_unicode() -> None:
    assert errors(machine({"Étape ✓ 1": PASS_END})) == []
    [diagnostic] = errors(machine({"bad\x07name": PASS_END}))
    assert (diagnostic.code, diagnostic.state) == ("INVALID_STATE_NAME", "bad\x07name")


def test_bad_input_ends_in_diagnostics() -> None:
    cycle = {f"S{i}": {"Type": "Pass", "Next": f"S{(i + 1) % 500}"} for i in range(500)}
    assert [d.code for d in errors(json.dumps(machine(cycle)))] == ["MISSING_END_STATE"]
    deep = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Result": ' + "[" * 10_000
    deep += "]" * 10_000 + "}}}"
    assert [d.code for d in errors(deep)] == ["INVALID_JSON_DESCRIPTION"]
    nested = machine({"A": PASS_END})
    for _ in range(
        200
    ):  # Parallel in Parallel, 200 deep: within the depth limit, validated without recursion
        nested = machine({"P": {"Type": "Parallel", "Branches": [nested], "End": True}})
    found = errors(json.dumps(nested))
    assert [d.code for d in found] in (["DUPLICATE_STATE_NAME"] * 199, ["INVALID_JSON_DESCRIPTION"])


def test_placeholders_can_be_judged_as_written() -> None:
    text = json.dumps(machine({"T": {"Type": "Task", "Resource": "${FunctionArn}", "End": True}}))
    assert [d.code for d in validate(text, placeholders=False)] == ["INVALID_RESOURCE"]


def test_map_concurrency_above_the_mode_limit_is_a_warning() -> None:
    inline = machine(
        {"M": {"Type": "Map", "MaxConcurrency": 41, "ItemProcessor": machine({"I": PASS_END}), "End": True}}
    )
    assert [(d.code, d.severity) for d in validate(inline)] == [("MAP_CONCURRENCY_LIMIT", "warning")]
    inline["States"]["M"]["MaxConcurrency"] = 40
    assert validate(inline) == []


@pytest.mark.parametrize(
    ("resource", "ok"),
    [
        ("arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken", True),
        ("arn:aws:states:::aws-sdk:s3:listBuckets.sync", False),
        ("arn:aws:states:::lambda:invoke.sync", False),
        ("arn:aws:states:::dynamodb:putItem.waitForTaskToken", False),
        ("arn:aws:states:::states:startExecution.sync:2", True),
        ("arn:aws:states:::batch:submitJob.sync:2", False),
        ("arn:aws:states:::ecs:runTask.waitForTaskToken", True),
    ],
)
def test_integration_patterns_per_service(resource: str, ok: bool) -> None:
    definition = machine({"T": {"Type": "Task", "Resource": resource, "End": True}})
    assert (errors(definition) == []) is ok
