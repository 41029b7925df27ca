"""The compiled model: every state type and field, pointers, query languages, legacy Map fields."""

from __future__ import annotations

import json

import pytest

from designer.asl.errors import ASLError, ASLSyntaxError
from designer.asl.jsonata import JsonataTemplate
from designer.asl.jsonpath import Path
from designer.asl.model import (
    DEFAULT,
    JSONATA,
    JSONPATH,
    Choice,
    Fail,
    Map,
    Parallel,
    Pass,
    Succeed,
    Task,
    Wait,
    build_state_machine,
    build_state_machine_from_text,
)
from designer.asl.payload import Payload
from designer.asl.scope import MISSING, Scope
from tests.designer.asl.asl_conformance_cases import CASES_DIR, CORPUS_DIR


def recorded_definitions():
    for path in sorted(CASES_DIR.glob("*/*.json")):
        case = json.loads(path.read_text())
        if case["category"] != "validation" and isinstance(case["definition"], dict):
            yield case


@pytest.mark.parametrize("case", list(recorded_definitions()), ids=lambda c: c["id"])
def test_every_recorded_definition_builds(case):
    machine = build_state_machine(case["definition"])
    assert machine.start_at in machine.states


def test_valid_corpus_definitions_build():
    failures = []
    built = 0
    for path in sorted((CORPUS_DIR / "valid").glob("*.json")):
        text = path.read_text()
        if "%" in text or "${" in text or "Fn::" in text:
            continue  # template placeholders; they are substituted before anything runs
        try:
            build_state_machine(json.loads(text))
            built += 1
        except ASLSyntaxError as exc:
            failures.append(f"{path.name}: {exc}")
    assert built > 500
    assert failures == []


JSONPATH_DEFINITION = {
    "Comment": "all the fields",
    "StartAt": "P",
    "TimeoutSeconds": 60,
    "Version": "1.0",
    "States": {
        "P": {
            "Type": "Pass",
            "Result": {"TestResult.$": "literal"},
            "ResultPath": "$.r",
            "InputPath": None,
            "Assign": {"v.$": "$.x", "c": 1},
            "Next": "T",
        },
        "T": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "ResultSelector": {"p.$": "$.Payload"},
            "ResultPath": None,
            "OutputPath": "$.p",
            "TimeoutSecondsPath": "$.timeout",
            "HeartbeatSeconds": 5,
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0, "JitterStrategy": "FULL"}],
            "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "F"}],
            "Next": "C",
        },
        "C": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "W", "Assign": {"chosen": "W"}},
                {"Not": {"Variable": "$.n", "IsPresent": True}, "Next": "S"},
            ],
            "Default": "F",
        },
        "W": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Par"},
        "Par": {
            "Type": "Parallel",
            "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}],
            "ResultSelector": {"first.$": "$[0]"},
            "Next": "M",
        },
        "M": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "Parameters": {"item.$": "$$.Map.Item.Value"},
            "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
            "MaxConcurrencyPath": "$.mc",
            "ToleratedFailurePercentage": 10,
            "Label": "items",
            "Next": "S",
        },
        "S": {"Type": "Succeed"},
        "F": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "States.Format('{}', $.c)"},
    },
}


def test_jsonpath_fields_are_compiled():
    machine = build_state_machine(JSONPATH_DEFINITION)
    assert (machine.start_at, machine.timeout_seconds, machine.version) == ("P", 60, "1.0")
    assert machine.query_language == JSONPATH
    p, t, c, w, par, m, s, f = (machine.states[n] for n in ["P", "T", "C", "W", "Par", "M", "S", "F"])
    assert isinstance(p, Pass) and p.result == {"TestResult.$": "literal"}  # Result is never a template
    assert p.input_path is None and p.output_path is DEFAULT
    assert isinstance(p.result_path, Path) and p.result_path.text == "$.r"
    assert p.assign.evaluate(Scope({"x": 5})) == {"v": 5, "c": 1}
    assert p.pointer == "/States/P" and p.next == "T" and not p.end

    assert isinstance(t, Task) and t.resource.endswith("lambda:invoke")
    assert isinstance(t.parameters, Payload) and t.parameters.evaluate(Scope({"a": 1})) == {
        "FunctionName": "f",
        "Payload": {"a": 1},
    }
    assert t.result_path is None and t.output_path.text == "$.p"
    assert t.timeout_seconds is None and t.timeout_seconds_path.text == "$.timeout"
    assert t.heartbeat_seconds == 5
    (retrier,) = t.retry
    assert (retrier.error_equals, retrier.max_attempts, retrier.interval_seconds, retrier.backoff_rate) == (
        ("States.ALL",),
        0,
        1,
        2.0,
    )
    assert retrier.jitter_strategy == "FULL" and retrier.pointer == "/States/T/Retry/0"
    (catcher,) = t.catch
    assert catcher.next == "F" and catcher.result_path.text == "$.error"

    assert isinstance(c, Choice) and c.default == "F"
    first, second = c.choices
    assert first.next == "W" and first.evaluate(Scope({"n": 2})) and not first.evaluate(Scope({"n": 1}))
    assert first.assign.evaluate(Scope({})) == {"chosen": "W"}
    assert second.evaluate(Scope({})) and second.pointer == "/States/C/Choices/1"

    assert isinstance(w, Wait) and w.seconds is None and w.seconds_path.text == "$.wait"
    assert isinstance(par, Parallel) and par.branches[0].pointer == "/States/Par/Branches/0"
    assert isinstance(par.branches[0].states["B"], Succeed)

    assert isinstance(m, Map) and m.items_path.text == "$.items"
    assert m.item_processor.states["I"].pointer == "/States/M/Iterator/States/I"
    assert m.item_selector.evaluate(Scope({}, {"Map": {"Item": {"Value": 7}}})) == {"item": 7}
    assert m.processor_mode == "INLINE" and m.max_concurrency == 0 and m.max_concurrency_path.text == "$.mc"
    assert (m.tolerated_failure_percentage, m.label) == (10, "items")

    assert isinstance(s, Succeed)
    assert isinstance(f, Fail) and f.error_path.text == "$.error.Error"
    assert f.cause_path.evaluate(Scope({"c": "why"})) == "why"


JSONATA_DEFINITION = {
    "QueryLanguage": "JSONata",
    "StartAt": "T",
    "States": {
        "T": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
            "Output": "{% $states.result.Payload %}",
            "Assign": {"last": "{% $states.result %}"},
            "TimeoutSeconds": "{% $timeout %}",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "F"}],
            "Next": "C",
        },
        "C": {
            "Type": "Choice",
            "Choices": [{"Condition": "{% $states.input.ok %}", "Next": "M", "Output": {"was": "ok"}}],
            "Default": "F",
        },
        "M": {
            "Type": "Map",
            "Items": "{% $states.input.list %}",
            "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}"},
            "MaxConcurrency": "{% 2 %}",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Legacy",
                "States": {
                    "Legacy": {"Type": "Pass", "QueryLanguage": "JSONPath", "InputPath": "$.v", "End": True}
                },
            },
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"MaxItems": 5}},
            "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"b": "{% 1 %}"}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "x"}},
            "Next": "Wt",
        },
        "Wt": {"Type": "Wait", "Timestamp": "{% $states.input.when %}", "Next": "F"},
        "F": {"Type": "Fail", "Error": "{% 'E' %}", "Cause": "plain"},
    },
}


def test_jsonata_fields_are_compiled():
    machine = build_state_machine(JSONATA_DEFINITION)
    t, c, m, wt, f = (machine.states[n] for n in ["T", "C", "M", "Wt", "F"])
    assert t.query_language == JSONATA and t.is_jsonata
    assert t.parameters is None and t.input_path is DEFAULT
    assert t.arguments.evaluate(Scope({"a": 1})) == {"FunctionName": "f", "Payload": {"a": 1}}
    assert t.output.evaluate(Scope({}, result={"Payload": 3})) == 3
    assert t.assign.evaluate(Scope({}, result=4)) == {"last": 4}
    assert isinstance(t.timeout_seconds, JsonataTemplate)
    assert t.timeout_seconds.evaluate(Scope({}, variables={"timeout": 9})) == 9
    assert t.catch[0].output.evaluate(Scope({}, error_output={"Error": "x"})) == {"Error": "x"}

    (rule,) = c.choices
    assert rule.evaluate(Scope({"ok": True})) and rule.output.evaluate(Scope({})) == {"was": "ok"}

    assert m.items.evaluate(Scope({"list": [1, 2]})) == [1, 2]
    assert m.item_selector.evaluate(Scope({}, {"Map": {"Item": {"Value": 5}}})) == {"v": 5}
    assert m.max_concurrency.evaluate(Scope({})) == 2
    assert (m.processor_mode, m.execution_type) == ("DISTRIBUTED", "EXPRESS")
    legacy = m.item_processor.states["Legacy"]
    assert legacy.query_language == JSONPATH and legacy.input_path.text == "$.v"
    assert m.item_reader.max_items == 5 and m.item_reader.resource.endswith("getObject")
    assert m.item_batcher.max_items_per_batch == 2 and m.item_batcher.batch_input.evaluate(Scope({})) == {
        "b": 1
    }
    assert m.result_writer.parameters.evaluate(Scope({})) == {"Bucket": "x"}

    assert wt.timestamp.evaluate(Scope({"when": "2024-01-01T00:00:00Z"})) == "2024-01-01T00:00:00Z"
    assert f.error.evaluate(Scope({})) == "E" and f.cause == "plain"


def test_jsonata_errors_name_their_field():
    machine = build_state_machine(JSONATA_DEFINITION)
    with pytest.raises(ASLError, match="for the field 'Output' returned nothing"):
        machine.states["T"].output.evaluate(Scope({}, result={}))


def test_nested_machines_inherit_the_definition_query_language():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "X", "States": {"X": {"Type": "Pass", "Output": "{% 1 %}", "End": True}}}
                ],
                "End": True,
            }
        },
    }
    branch = build_state_machine(definition).states["P"].branches[0]
    assert branch.query_language == JSONATA and branch.states["X"].output.evaluate(Scope({})) == 1


@pytest.mark.parametrize(
    ("definition", "pointer"),
    [
        (
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "nope", "End": True}}},
            "/States/A/InputPath",
        ),
        ({"StartAt": "A", "States": {"A": {"Type": "Nope"}}}, "/States/A/Type"),
        (
            {"StartAt": "A", "States": {"A/b": {"Type": "Pass", "Parameters": {"x.$": 1}}}},
            "/States/A~1b/Parameters/x.$",
        ),
        (
            {"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$", "Bad": 1}]}}},
            "/States/A/Choices/0/Bad",
        ),
        (
            {
                "StartAt": "A",
                "QueryLanguage": "JSONata",
                "States": {"A": {"Type": "Pass", "Output": {"x": "{% 1 + %}"}}},
            },
            "/States/A/Output/x",
        ),
        ({"StartAt": "A", "States": []}, "/States"),
        ({"States": {}}, "/StartAt"),
        (
            {
                "StartAt": "A",
                "States": {
                    "A": {
                        "Type": "Map",
                        "ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": 5}}},
                    }
                },
            },
            "/States/A/ItemProcessor/States/B/Resource",
        ),
    ],
)
def test_build_errors_carry_the_pointer(definition, pointer):
    with pytest.raises(ASLSyntaxError) as info:
        build_state_machine(definition)
    assert info.value.pointer == pointer


def test_deep_nesting_is_an_error_not_a_crash():
    machine: dict = {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}
    for _ in range(150):
        machine = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [machine], "End": True}}}
    with pytest.raises(ASLSyntaxError, match="nested too deeply"):
        build_state_machine(machine)


def test_build_from_text_is_cached():
    text = json.dumps(JSONPATH_DEFINITION)
    assert build_state_machine_from_text(text) is build_state_machine_from_text(text)
    with pytest.raises(ASLSyntaxError, match="not valid JSON"):
        build_state_machine_from_text("{")


def test_model_nodes_are_frozen():
    machine = build_state_machine(JSONPATH_DEFINITION)
    with pytest.raises(AttributeError):
        machine.states["S"].next = "X"
    assert machine.states["P"].result is not MISSING
