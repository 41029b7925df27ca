import json

import pytest

from designer import formats
from designer.formats import DefinitionSyntaxError


def test_detect_format_by_first_significant_character():
    assert formats.detect_format('  \n{"StartAt": "A"}') == "json"
    assert formats.detect_format("\ufeff[1]") == "json"
    assert formats.detect_format("StartAt: A\n") == "yaml"
    assert formats.detect_format("# comment\n{}") == "yaml"


def test_json_syntax_error_has_line_and_column():
    with pytest.raises(DefinitionSyntaxError) as caught:
        formats.load('{\n  "StartAt": "A",\n  "States": {,}\n}')
    assert (caught.value.line, caught.value.column) == (3, 14)
    assert caught.value.format == "json"


def test_json_rejects_nan_which_is_not_json():
    with pytest.raises(DefinitionSyntaxError, match="NaN"):
        formats.load('{"x": NaN}')


def test_yaml_syntax_error_has_one_based_line_and_column():
    with pytest.raises(DefinitionSyntaxError) as caught:
        formats.load("StartAt: A\nStates:\n  A: [1,\n")
    assert caught.value.format == "yaml"
    assert caught.value.line == 4


def test_yaml_keeps_timestamps_and_yes_as_strings():
    data = formats.load("Timestamp: 2024-01-01T00:00:00Z\nFlag: yes\nOn: on\n")
    assert data == {"Timestamp": "2024-01-01T00:00:00Z", "Flag": "yes", "On": "on"}


def test_yaml_without_json_equivalent_names_the_pointer():
    with pytest.raises(DefinitionSyntaxError) as caught:
        formats.load("States:\n  A:\n    Result: !!binary aGVsbG8=\n")
    assert caught.value.pointer == "/States/A/Result"
    with pytest.raises(DefinitionSyntaxError) as caught:
        formats.load("States:\n  1: x\n")
    assert caught.value.pointer == "/States"


def test_yaml_duplicate_keys_are_an_error():
    with pytest.raises(DefinitionSyntaxError, match="duplicate"):
        formats.load("StartAt: A\nStartAt: B\n")


def test_convert_keeps_text_when_format_matches_and_round_trips_otherwise():
    text = '{"StartAt":"A",  "States":{"A":{"Type":"Pass","End":true}}}'
    assert formats.convert(text, "json") is text
    yaml_text = formats.convert(text, "yaml")
    assert yaml_text.startswith("StartAt: A\n")
    assert json.loads(formats.convert(yaml_text, "json")) == json.loads(text)


def test_yaml_output_quotes_what_a_yaml_1_1_reader_would_misread():
    yaml_text = formats.dump({"a": "yes", "b": "2024-01-01", "c": "on", "d": "1.0"}, "yaml")
    assert formats.load(yaml_text) == {"a": "yes", "b": "2024-01-01", "c": "on", "d": "1.0"}
    import yaml as pyyaml  # a YAML 1.1 reader

    assert pyyaml.safe_load(yaml_text) == {"a": "yes", "b": "2024-01-01", "c": "on", "d": "1.0"}


def test_escape_pointer_token():
    assert formats.escape_pointer_token("a/b~c") == "a~1b~0c"
