"""Property tests: whatever the input, parsing and validation only ever produce diagnostics.

Inputs are random text, random JSON values, and corpus definitions mutated at random places (fields
removed, renamed, replaced by random JSON, text cut or spliced), which reach the deep rules that purely
random input never gets past the schema for."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.asl import Diagnostic, parse, validate
from designer.asl.document import ParseError

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / ".." / "shared" / "asl-corpus"
ASL_WORDS = [
    "StartAt", "States", "Type", "Next", "End", "Task", "Pass", "Choice", "Map", "Parallel", "Wait", "Fail",
    "Succeed", "Resource", "Parameters", "ItemProcessor", "Iterator", "Branches", "Choices", "Retry", "Catch",
    "ErrorEquals", "Variable", "StringEquals", "And", "Not", "QueryLanguage", "JSONata", "Arguments",
    "Output", "Assign", "Label", "Seconds", "Timestamp", "ResultPath", "x.$", "$.a", "$$.Execution",
    "States.ALL", "{% $states.input %}", "States.Format('{}', $.a)", "${Placeholder}",
]  # fmt: skip

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20), st.sampled_from(ASL_WORDS),
)  # fmt: skip
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(ASL_WORDS)), children, max_size=5),
    ),
    max_leaves=30,
)


@cache
def corpus_definitions() -> list[Any]:
    files = sorted((CORPUS / "valid").glob("*.asl.json"))[::7]
    return [json.loads(f.read_text()) for f in files]


def check(diagnostics: list) -> None:
    assert isinstance(diagnostics, list)
    assert all(isinstance(d, Diagnostic) and d.severity in ("error", "warning") for d in diagnostics)


def containers(value: Any) -> list[Any]:
    out, todo = [], [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict | list):
            out.append(item)
            todo.extend(item.values() if isinstance(item, dict) else item)
    return out


@st.composite
def mutated_definitions(draw: st.DrawFn) -> Any:
    definition = json.loads(json.dumps(draw(st.sampled_from(corpus_definitions()))))
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from(containers(definition)))
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(sorted(target)))
            action = draw(st.sampled_from(["delete", "replace", "rename", "add"]))
            if action == "delete":
                del target[key]
            elif action == "replace":
                target[key] = draw(json_values)
            elif action == "rename":
                target[draw(st.sampled_from(ASL_WORDS))] = target.pop(key)
            else:
                target[draw(st.sampled_from(ASL_WORDS))] = draw(json_values)
        elif isinstance(target, list) and target:
            target[draw(st.integers(0, len(target) - 1))] = draw(json_values)
    return definition


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text(max_size=200))
def test_random_text(text: str) -> None:
    check(validate(text))
    check(validate(text, format="yaml"))


@SETTINGS
@given(json_values)
def test_random_json_values(value: Any) -> None:
    check(validate(value))
    check(validate(json.dumps(value)))


@SETTINGS
@given(mutated_definitions(), st.sampled_from(["STANDARD", "EXPRESS"]))
def test_mutated_definitions(definition: Any, machine_type: str) -> None:
    check(validate(definition, type=machine_type))
    check(validate(json.dumps(definition, indent=1), type=machine_type))


@SETTINGS
@given(
    st.sampled_from(range(len(corpus_definitions()))),
    st.integers(0, 10**6),
    st.integers(0, 20),
    st.text(max_size=5),
)
def test_spliced_text(index: int, position: int, cut: int, insert: str) -> None:
    text = json.dumps(corpus_definitions()[index], indent=2)
    position %= len(text) + 1
    spliced = text[:position] + insert + text[position + cut :]
    check(validate(spliced))
    try:
        document = parse(spliced)
    except ParseError as exc:
        assert exc.diagnostic.code in ("INVALID_JSON_DESCRIPTION", "DEFINITION_TOO_LARGE")
    else:
        assert document.value == json.loads(spliced)
