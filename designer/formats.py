"""Definition text formats: tell JSON from YAML, and convert one into the other for an export.

The stored definition text is never re-serialised; conversion happens only when an export asks for
the other format. Reading the text is `designer.asl.parse`'s job (one language core, DESIGN.md
decision 2); this module only decides which reader applies and writes the other format.

YAML is written with PyYAML's safe dumper, which quotes every scalar a YAML 1.1 reader might
otherwise take for a boolean, a number or a date, so any YAML reader gets back the same strings.
"""

import json
from io import StringIO
from typing import Any, Literal

import yaml as pyyaml

from designer import asl

Format = Literal["json", "yaml"]
FORMATS: tuple[Format, ...] = ("json", "yaml")


def detect_format(text: str) -> Format:
    """JSON when the first significant character opens an object or array; YAML otherwise."""
    stripped = text.lstrip("\ufeff \t\r\n")
    return "json" if stripped[:1] in ("{", "[") else "yaml"


def dump(data: Any, fmt: Format) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    out = StringIO()
    pyyaml.safe_dump(
        data, out, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000_000
    )
    return out.getvalue()


def convert(text: str, target: Format) -> str:
    """The text in `target` format: the exact text when it already is, a conversion otherwise.

    Raises `designer.asl.ParseError` when the text is not well-formed.
    """
    source = detect_format(text)
    if source == target:
        return text
    return dump(asl.parse(text, format=source).value, target)
