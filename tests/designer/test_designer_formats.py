import json

import pytest
import yaml as pyyaml

from designer import asl, formats


def test_detect_format_by_first_significant_character():
    assert formats.detect_format('  \n{"StartAt": "A"}') == "json"
    assert formats.detect_format("\ufeff[1]") == "json"
    assert formats.detect_format("StartAt: A\n") == "yaml"
    assert formats.detect_format("# comment\n{}") == "yaml"


def test_convert_keeps_text_when_format_matches_and_round_trips_otherwise():
    text = '{"StartAt":"A",  "States":{"A":{"Type":"Pass","End":true}}}'
    assert formats.convert(text, "json") is text
    yaml_text = formats.convert(text, "yaml")
    assert yaml_text.startswith("StartAt: A\n")
    assert json.loads(formats.convert(yaml_text, "json")) == json.loads(text)


def test_yaml_timestamps_convert_to_the_strings_written():
    converted = formats.convert("Timestamp: 2024-01-01T00:00:00Z\nStartAt: A\n", "json")
    assert json.loads(converted) == {"Timestamp": "2024-01-01T00:00:00Z", "StartAt": "A"}


def test_yaml_output_quotes_what_a_yaml_1_1_reader_would_misread():
    data = {"a": "yes", "b": "2024-01-01", "c": "on", "d": "1.0", "e": "null"}
    yaml_text = formats.dump(data, "yaml")
    assert pyyaml.safe_load(yaml_text) == data
    assert asl.parse(yaml_text, format="yaml").value == data


def test_json_output_keeps_key_order_and_unicode():
    assert formats.dump({"b": "é", "a": 1}, "json") == '{\n  "b": "é",\n  "a": 1\n}\n'


def test_converting_malformed_text_raises_a_located_parse_error():
    with pytest.raises(asl.ParseError) as caught:
        formats.convert('{\n  "StartAt": \n}', "yaml")
    assert caught.value.diagnostic.line == 3
