"""Definition text formats: tell JSON from YAML, load either with a line and column on error, convert.

The stored definition text is never re-serialised; conversion happens only when an export asks for
the other format. What the text *means* as ASL is `designer.asl`'s business, not this module's.

YAML is read as YAML 1.2 (ruamel.yaml, safe) so that `on`/`yes` stay strings, and timestamps stay the
strings they were written as. YAML is written with PyYAML's safe dumper, which quotes every scalar a
YAML 1.1 reader might otherwise turn into a boolean or a date, so both kinds of reader agree on it.
"""

import json
from dataclasses import dataclass
from io import StringIO
from typing import Any, Literal

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

Format = Literal["json", "yaml"]
FORMATS: tuple[Format, ...] = ("json", "yaml")


@dataclass(frozen=True)
class DefinitionSyntaxError(ValueError):
    """The text is not well-formed JSON/YAML (or holds YAML with no JSON equivalent)."""

    message: str
    format: Format
    line: int | None = None
    column: int | None = None
    pointer: str | None = None

    def __str__(self) -> str:
        where = f" (line {self.line}, column {self.column})" if self.line else ""
        return f"{self.message}{where}"


class _TimestampsAsText(SafeConstructor):
    """Keeps `2024-01-01T00:00:00Z` the string ASL means, not a datetime."""


_TimestampsAsText.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


def _yaml_reader() -> YAML:
    reader = YAML(typ="safe", pure=True)
    reader.Constructor = _TimestampsAsText
    return reader


def detect_format(text: str) -> Format:
    """JSON when the first significant character opens an object or array; YAML otherwise."""
    stripped = text.lstrip("\ufeff \t\r\n")
    return "json" if stripped[:1] in ("{", "[") else "yaml"


def load(text: str, fmt: Format | None = None) -> Any:
    """The document as plain Python values; raises DefinitionSyntaxError with line and column."""
    fmt = fmt or detect_format(text)
    if fmt == "json":
        return _load_json(text)
    return _load_yaml(text)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        return _raise(error.msg, "json", error.lineno, error.colno)
    except ValueError as error:
        raise DefinitionSyntaxError(str(error), "json") from error


def _load_yaml(text: str) -> Any:
    try:
        data = _yaml_reader().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.problem, error.context) if part) or str(error)
        if mark is None:
            return _raise(message, "yaml")
        return _raise(message, "yaml", mark.line + 1, mark.column + 1)
    except YAMLError as error:
        return _raise(str(error), "yaml")
    _check_json_compatible(data, "")
    return data


def _raise(message: str, fmt: Format, line: int | None = None, column: int | None = None) -> Any:
    raise DefinitionSyntaxError(message, fmt, line, column)


def _check_json_compatible(value: Any, pointer: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise DefinitionSyntaxError(
                    f"key {key!r} is not a string; JSON objects only have string keys",
                    "yaml",
                    pointer=pointer or "/",
                )
            _check_json_compatible(item, f"{pointer}/{escape_pointer_token(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json_compatible(item, f"{pointer}/{index}")
    elif value is not None and not isinstance(value, str | int | float | bool):
        raise DefinitionSyntaxError(
            f"a {type(value).__name__} value has no JSON equivalent", "yaml", pointer=pointer or "/"
        )


def escape_pointer_token(token: str) -> str:
    """RFC 6901: `~` becomes `~0`, `/` becomes `~1`."""
    return token.replace("~", "~0").replace("/", "~1")


def dump(data: Any, fmt: Format) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    out = StringIO()
    pyyaml.safe_dump(
        data, out, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000_000
    )
    return out.getvalue()


def convert(text: str, target: Format) -> str:
    """The text in `target` format: the exact text when it already is, a conversion otherwise."""
    source = detect_format(text)
    if source == target:
        return text
    return dump(load(text, source), target)
