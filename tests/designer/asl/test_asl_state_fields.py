"""The table of which fields each state type allows in each query language (designer/asl/
state_fields.py) and the three places that use it: the validator's schemas, the model builder and
the editor's field lists. None of them may disagree with the table."""

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from designer.asl.model import build_state_machine
from designer.asl.state_fields import COMMON, JSONATA, JSONPATH, STATE_FIELDS, allowed
from designer.asl.validate import schema

REPO = Path(__file__).resolve().parents[3]
LANGUAGES = (JSONPATH, JSONATA)
CASES = [(state_type, language) for state_type in STATE_FIELDS for language in LANGUAGES]

# A minimal state of each type: what the builder requires (Resource, Choices, Branches,
# ItemProcessor) and nothing else.
_PASS_MACHINE = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
BASE: dict[str, dict[str, Any]] = {
    "Pass": {"Type": "Pass"},
    "Task": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"},
    "Choice": {"Type": "Choice", "Choices": []},
    "Wait": {"Type": "Wait"},
    "Succeed": {"Type": "Succeed"},
    "Fail": {"Type": "Fail"},
    "Parallel": {"Type": "Parallel", "Branches": [_PASS_MACHINE]},
    "Map": {"Type": "Map", "ItemProcessor": _PASS_MACHINE},
}
# The fields BASE already has, and the one the builder reads under another name.
IN_BASE = {"Type", "QueryLanguage", "Resource", "Choices", "Branches", "ItemProcessor"}
ALIASES = {("Map", "Iterator"): "ItemProcessor, which the minimal Map already has"}

EXPRESSION = "{% $states.input.n %}"
SAMPLES: dict[str, dict[str, Any]] = {
    # A valid value of each field, by query language.
    JSONPATH: {
        "Comment": "why",
        "Next": "Done",
        "End": True,
        "InputPath": "$.a",
        "OutputPath": "$.a",
        "Assign": {"v.$": "$.a"},
        "Result": {"x": 1},
        "Parameters": {"a.$": "$.x"},
        "ResultSelector": {"a.$": "$.x"},
        "ResultPath": "$.r",
        "Retry": [{"ErrorEquals": ["States.ALL"]}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
        "TimeoutSeconds": 5,
        "TimeoutSecondsPath": "$.t",
        "HeartbeatSeconds": 3,
        "HeartbeatSecondsPath": "$.h",
        "Credentials": {"RoleArn": "arn:aws:iam::111122223333:role/r"},
        "Default": "Done",
        "Seconds": 1,
        "Timestamp": "2026-01-01T00:00:00Z",
        "SecondsPath": "$.s",
        "TimestampPath": "$.t",
        "Error": "E",
        "Cause": "C",
        "ErrorPath": "$.e",
        "CausePath": "$.c",
        "ItemsPath": "$.items",
        "ItemSelector": {"a.$": "$$.Map.Item.Value"},
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}},
        "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}},
        "MaxConcurrency": 2,
        "MaxConcurrencyPath": "$.m",
        "ToleratedFailureCount": 1,
        "ToleratedFailureCountPath": "$.c",
        "ToleratedFailurePercentage": 5,
        "ToleratedFailurePercentagePath": "$.p",
        "Label": "L",
        "Iterator": _PASS_MACHINE,
    },
}
SAMPLES[JSONATA] = {
    **SAMPLES[JSONPATH],
    "Assign": {"v": EXPRESSION},
    "Output": EXPRESSION,
    "Arguments": {"a": EXPRESSION},
    "Items": EXPRESSION,
    "ItemSelector": {"a": "{% $states.context.Map.Item.Value %}"},
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done", "Output": EXPRESSION}],
    "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "b"}},
}
# A field of one language given in a state of the other (the validator rejects it; the builder
# must not read it as if it belonged there).
SAMPLES[JSONPATH] |= {"Output": EXPRESSION, "Arguments": {"a": EXPRESSION}, "Items": EXPRESSION}


def built(state_type: str, language: str, extra: dict[str, Any]) -> Any:
    body = {**BASE[state_type], "QueryLanguage": language, **extra}
    definition = {"StartAt": "S", "States": {"S": body, "Done": {"Type": "Succeed"}}}
    return build_state_machine(definition).states["S"]


def differences(state: Any, other: Any) -> list[str]:
    return [f.name for f in dataclasses.fields(state) if getattr(state, f.name) != getattr(other, f.name)]


def carried(state_type: str, language: str, field: str) -> list[str]:
    """The model's attributes that `field` changes, against the minimal state."""
    base = built(state_type, language, {})
    return differences(built(state_type, language, {field: SAMPLES[language][field]}), base)


def test_the_minimal_states_build_alike():
    # What `carried` relies on: building the same state twice gives equal models.
    for state_type, language in CASES:
        assert differences(built(state_type, language, {}), built(state_type, language, {})) == []


@pytest.mark.parametrize(("state_type", "language"), CASES)
def test_the_validator_schema_allows_what_the_table_allows(state_type, language):
    index = LANGUAGES.index(language)
    fields = {**schema.COMMON, **schema.STATE_FIELDS[state_type]}
    in_schema = {name for name, pair in fields.items() if pair[index] is not None}
    assert in_schema == allowed(state_type, language)


@pytest.mark.parametrize(("state_type", "language"), CASES)
def test_the_model_builder_reads_every_field_the_table_allows(state_type, language):
    unread = {
        field
        for field in allowed(state_type, language) - IN_BASE
        if (state_type, field) not in ALIASES and not carried(state_type, language, field)
    }
    assert unread == set()


@pytest.mark.parametrize(("state_type", "language"), CASES)
def test_the_model_builder_ignores_the_other_languages_fields(state_type, language):
    other = JSONATA if language == JSONPATH else JSONPATH
    theirs = allowed(state_type, other) - allowed(state_type, language)
    read = {field: carried(state_type, language, field) for field in sorted(theirs)}
    assert {field: attributes for field, attributes in read.items() if attributes} == {}


# The editor's inspector fields: `{ key: "X", ..., language: "JSONPath" }` entries in each
# state type's spec.ts, with the shared lists of states/kind.ts spread into them.
_ENTRY = re.compile(r'\{\s*key:\s*"(\w+)"[^{}]*?\}')
_LANGUAGE = re.compile(r'language:\s*"(\w+)"')
_SPREAD = re.compile(r"\.\.\.([A-Z_]+)")


def editor_fields(state_type: str) -> dict[str, set[str]]:
    """The editor's fields of `state_type` and the languages it shows each in."""
    states = REPO / "static" / "src" / "states"
    shared = _lists((states / "kind.ts").read_text())
    source = (states / state_type.lower() / "spec.ts").read_text()
    body = source[source.index("fields:") : source.index("template")]
    fields = _entries(body)
    for name in _SPREAD.findall(body):
        fields |= shared[name]
    return fields


def _entries(text: str) -> dict[str, set[str]]:
    out = {}
    for entry in _ENTRY.finditer(text):
        language = _LANGUAGE.search(entry.group(0))
        out[entry.group(1)] = {language.group(1)} if language else set(LANGUAGES)
    return out


def _lists(source: str) -> dict[str, dict[str, set[str]]]:
    lists = re.finditer(r"export const (\w+): FieldSpec\[\] = \[(.*?)\n\];", source, re.S)
    return {m.group(1): _entries(m.group(2)) for m in lists}


@pytest.mark.parametrize("state_type", list(STATE_FIELDS))
def test_the_editor_shows_each_field_in_the_languages_the_table_allows(state_type):
    shown = editor_fields(state_type)
    assert shown, f"no fields found in the {state_type} spec"
    table = {**COMMON, **STATE_FIELDS[state_type]}
    wrong = {name: languages for name, languages in shown.items() if set(table.get(name, ())) != languages}
    assert wrong == {}
