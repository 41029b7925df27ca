"""Parsing definition text: positions for every key and value, duplicate keys, located syntax errors,
YAML, and bounds (deep nesting, 1 MiB, control characters) that end in a diagnostic, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from designer.asl import ParseError, parse
from designer.asl.document import MAX_BYTES, MAX_DEPTH


def test_positions_of_keys_and_values() -> None:
    text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "End": true}\n  }\n}'
    doc = parse(text)
    assert doc.value == json.loads(text)
    assert doc.positions["/StartAt"] == {"key": (2, 3), "value": (2, 14)}
    assert doc.positions["/States/A/Type"] == {"key": (4, 11), "value": (4, 19)}
    assert doc.positions[""] == {"value": (1, 1)}
    assert doc.locate("/States/A/End") == (4, 27)
    assert doc.locate("/States/A/Missing") == (4, 5)  # a missing field points at its object's key


def test_pointer_escaping_and_arrays() -> None:
    doc = parse('{"a/b": {"c~d": [10, {"e": null}]}}')
    assert doc.positions["/a~1b/c~0d/1/e"]["value"] == (1, 28)
    assert doc.value["a/b"]["c~d"][1] == {"e": None}


def test_duplicate_keys_are_recorded() -> None:
    doc = parse('{"StartAt": "A",\n "StartAt": "B"}')
    assert [(d.pointer, doc.line_column(d.offset)) for d in doc.duplicates] == [("/StartAt", (2, 2))]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("not a definition", 1, 4, "Unrecognized token 'not'"),
        ('{"a": 1,\n}', 2, 1, "double-quote to start field name"),
        ('{"a": 1 // comment\n}', 1, 9, "Unexpected character ('/'"),
        ('{"a": [1, 2,]}', 1, 13, "Unexpected character (']'"),
        ('{"a": 01}', 1, 8, "leading zeroes"),
        ('{"a": "x\ty"}', 1, 9, "Invalid control character"),
        ('{"a": 1} {"b": 2}', 1, 10, "end of input"),
        ('{"a": "unterminated', 1, 7, "Unterminated string"),
        ('{"a" 1}', 1, 6, "colon"),
        ("", 1, 1, "end-of-input"),
    ],
)
def test_syntax_errors_are_located(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)
    diagnostic = caught.value.diagnostic
    assert diagnostic.code == "INVALID_JSON_DESCRIPTION"
    assert (diagnostic.line, diagnostic.column) == (line, column)
    assert words in diagnostic.message


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_ten_thousand_deep_nesting_is_a_diagnostic(fmt: str) -> None:
    for text in ("[" * 10_000 + "]" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000):
        with pytest.raises(ParseError) as caught:
            parse(text, format=fmt)
        assert f"deeper than {MAX_DEPTH}" in caught.value.diagnostic.message


def test_nesting_up_to_the_limit_parses() -> None:
    depth = MAX_DEPTH - 1
    assert parse("[" * depth + "]" * depth).value is not None


def test_one_mebibyte_definition_parses_and_more_is_refused() -> None:
    big = '{"Comment": "' + "x" * (MAX_BYTES - 20) + '"}'
    assert len(big.encode()) <= MAX_BYTES
    assert parse(big).value["Comment"].startswith("x")
    with pytest.raises(ParseError) as caught:
        parse(big + " " * 30)
    assert caught.value.diagnostic.code == "DEFINITION_TOO_LARGE"


def test_control_characters_and_unicode_in_names() -> None:
    doc = parse('{"States": {"na\\u0000me \u00e9\U0001f600": {}}}')
    assert list(doc.value["States"]) == ["na\x00me \u00e9\U0001f600"]
    with pytest.raises(ParseError):
        parse('{"a\x01": 1}')


def test_invalid_utf8_bytes() -> None:
    with pytest.raises(ParseError) as caught:
        parse(b'{"a": "\xff"}')
    assert "UTF-8" in caught.value.diagnostic.message


def test_yaml_values_positions_and_tags() -> None:
    text = "StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: !Sub 'arn:${AWS::Partition}:x'\n"
    text += "    TimeoutSeconds: 30\n    End: true\n    Comment: 2020-01-01\n"
    doc = parse(text, format="yaml")
    state = doc.value["States"]["A"]
    assert state == {
        "Type": "Task",
        "Resource": "arn:${AWS::Partition}:x",
        "TimeoutSeconds": 30,
        "End": True,
        "Comment": "2020-01-01",
    }
    assert doc.positions["/States/A/Resource"] == {"key": (5, 5), "value": (5, 15)}


def test_yaml_duplicates_errors_and_alias_bombs() -> None:
    assert [d.pointer for d in parse("a: 1\na: 2\n", format="yaml").duplicates] == ["/a"]
    with pytest.raises(ParseError) as caught:
        parse("a: [1, 2\nb: 3\n", format="yaml")
    assert caught.value.diagnostic.line is not None
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]\n"
    with pytest.raises(ParseError) as caught:
        parse(bomb, format="yaml")
    assert "alias" in caught.value.diagnostic.message


def _members(value: object, pointer: str = "") -> tuple[set[str], set[str]]:
    """(every pointer, the pointers of object members) of a JSON value."""
    every, members = {pointer}, set()
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        child = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
        if isinstance(value, dict):
            members.add(child)
        inner_every, inner_members = _members(item, child)
        every |= inner_every
        members |= inner_members
    return every, members


def test_every_key_and_value_of_corpus_files_has_a_position() -> None:
    corpus = Path(__file__).resolve().parents[3] / ".." / "shared" / "asl-corpus" / "valid"
    for path in sorted(corpus.glob("*.asl.json"))[::25]:
        text = path.read_text()
        doc = parse(text)
        assert doc.value == json.loads(text)
        every, members = _members(doc.value)
        assert set(doc.value_offsets) == every
        assert set(doc.key_offsets) == members
        assert all(text[offset] == '"' for offset in doc.key_offsets.values())


def test_yaml_scalars_follow_the_core_schema() -> None:
    text = "a: Yes\nb: No\nc: on\nd: 010\ne: 0x1F\nf: 1.5e3\ng: ~\nh: true\n"
    text += "i: 'true'\nj: !!str 12\nk: .inf\nl:\n"
    assert parse(text, format="yaml").value == {
        "a": "Yes", "b": "No", "c": "on", "d": 10, "e": 31, "f": 1500.0, "g": None, "h": True, "i": "true",
        "j": "12", "k": ".inf", "l": None,
    }  # fmt: skip


def test_yaml_originals_read_as_their_json_twins() -> None:
    corpus = Path(__file__).resolve().parents[3] / ".." / "shared" / "asl-corpus" / "valid"
    originals = sorted(corpus.glob("*.asl.yaml"))
    assert originals
    for path in originals:
        twin = path.with_suffix(".json")
        assert parse(path.read_text(), format="yaml").value == json.loads(twin.read_text()), path.name
