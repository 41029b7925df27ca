"""The ASL document as the author wrote it: parsed JSON or YAML plus where every key and value sits.

`parse(text)` returns a `Document`: the plain Python value and, for every JSON pointer, the text
offset of its value and (for object members) of its key, so any finding can be turned into a line
and column. It does not judge the definition; `designer.asl.validate` does.

Valid JSON is read by the standard library's C parser; positions are found on first use (only a
finding needs them) by a small iterative scanner, which also reads any text the C parser refuses, so that
a syntax error gets a line, a column and Jackson-like wording (AWS parses with Jackson), and which finds
duplicate keys, which AWS rejects and `json` silently merges. Its strings are decoded by
`json.decoder.scanstring` (C), so escapes and control characters are judged exactly as the standard
library does. YAML is read from PyYAML's event stream (libyaml when present): its
composer recurses, and libyaml's recursion crashes the process on deep input, while the event parser
does not recurse. Both readers are bounded: `MAX_BYTES` of text, `MAX_DEPTH` of nesting, and YAML
aliases may not expand past `MAX_YAML_NODES` values.
"""

from __future__ import annotations

import json
import re
from _json import scanstring
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from json.decoder import JSONDecodeError
from typing import Any, Literal, cast

import yaml

from designer.asl.diagnostics import (
    DEFINITION_TOO_LARGE,
    INVALID_JSON_DESCRIPTION,
    Diagnostic,
)

MAX_BYTES = 1024 * 1024  # AWS's limit on a definition (CreateStateMachine `definition`: 1 MiB)
MAX_DEPTH = 512  # nesting deeper than any real definition; keeps every later walk shallow
# Digits in one number: the default of Jackson's StreamReadConstraints (AWS's messages above are
# Jackson's); Python's int() itself refuses past 4,300 digits.
MAX_NUMBER_LENGTH = 1000
MAX_YAML_NODES = 1_000_000  # "billion laughs" guard for YAML aliases

Format = Literal["json", "yaml"]


class ParseError(ValueError):
    """The text is not a document at all. Carries the diagnostic that says where and why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    pointer: str  # pointer of the member whose key appears again
    offset: int  # offset of the repeated key


@dataclass(slots=True)
class Document:
    """A parsed definition. `value` is plain JSON data (dict/list/str/int/float/bool/None)."""

    text: str
    value: Any
    format: Format
    duplicates: list[DuplicateKey] = field(default_factory=list)
    # Offsets are found on first use: most JSON is valid and read by the C parser, which keeps none.
    _value_offsets: dict[str, int] | None = None
    _key_offsets: dict[str, int] | None = None
    _line_starts: list[int] | None = None

    @property
    def value_offsets(self) -> dict[str, int]:
        """Text offset of the value at each JSON pointer."""
        if self._value_offsets is None:
            self._index()
        return self._value_offsets  # type: ignore[return-value]

    @property
    def key_offsets(self) -> dict[str, int]:
        """Text offset of the key of each object member, by the member's JSON pointer."""
        if self._key_offsets is None:
            self._index()
        return self._key_offsets  # type: ignore[return-value]

    def _index(self) -> None:
        scanned = _JSONScanner(self.text).parse()
        self._value_offsets, self._key_offsets = scanned._value_offsets, scanned._key_offsets

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a text offset."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self.text)]
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Where a finding about `pointer` should point: the member's key when it has one, else its
        value; for a pointer that does not exist (a missing field), the nearest existing parent."""
        while True:
            offset = self.key_offsets.get(pointer)
            if offset is None:
                offset = self.value_offsets.get(pointer)
            if offset is not None:
                return self.line_column(offset)
            if not pointer:
                return None
            pointer = pointer.rpartition("/")[0]

    @property
    def positions(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Every pointer with the (line, column) of its `value` and, for members, its `key`."""
        out: dict[str, dict[str, tuple[int, int]]] = {}
        for pointer, offset in self.value_offsets.items():
            out[pointer] = {"value": self.line_column(offset)}
        for pointer, offset in self.key_offsets.items():
            out.setdefault(pointer, {})["key"] = self.line_column(offset)
        return out


def escape_token(token: str) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def parse(text: str | bytes | bytearray, *, format: Format = "json") -> Document:
    """Parse definition text; raise `ParseError` (with a located diagnostic) when it is not JSON/YAML."""
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_BYTES:
            raise _too_large(len(text))
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _syntax_error(None, f"Invalid UTF-8 (byte {exc.start})", None) from None
    if len(text) > MAX_BYTES or (len(text) * 4 > MAX_BYTES and len(text.encode("utf-8")) > MAX_BYTES):
        raise _too_large(len(text.encode("utf-8")))
    if format == "yaml":
        return _parse_yaml(text)
    return _parse_json(text)


def _parse_json(text: str) -> Document:
    """The C parser reads valid JSON; anything it refuses, any duplicate key and any nesting past
    MAX_DEPTH is read again by the scanner, which says where and why as AWS would."""
    duplicated = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicated
        obj = dict(items)
        if len(obj) != len(items):
            duplicated = True
        return obj

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=_not_json, parse_int=_bounded_int)
    except (ValueError, RecursionError):
        return _JSONScanner(text).parse()
    if duplicated or _deeper_than(value, MAX_DEPTH):
        return _JSONScanner(text).parse()
    return Document(text, value, "json")


def _bounded_int(token: str) -> int:
    if len(token) > MAX_NUMBER_LENGTH:
        raise ValueError("number too long")  # the scanner reads it again and says where
    return int(token)


def _not_json(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def _deeper_than(value: Any, limit: int) -> bool:
    todo = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            todo.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _too_large(size: int) -> ParseError:
    return ParseError(
        Diagnostic(
            DEFINITION_TOO_LARGE,
            "error",
            "",
            None,
            None,
            None,
            f"The definition is {size} bytes; the most AWS accepts is {MAX_BYTES} bytes",
        )
    )


def _syntax_error(doc_text: str | None, message: str, offset: int | None) -> ParseError:
    line = column = None
    if doc_text is not None and offset is not None:
        line, column = Document(doc_text, None, "json").line_column(offset)
        message = f"{message}\n at line: {line}, column: {column}"
    return ParseError(Diagnostic(INVALID_JSON_DESCRIPTION, "error", "", None, line, column, message))


_WS = re.compile(r"[ \t\n\r]*")
# `[ \t\n\r]*` matches at every offset: its match is never None.
_ws_match = cast("Callable[[str, int], re.Match[str]]", _WS.match)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WORD = re.compile(r"[A-Za-z0-9_$+\-.]+")
_EXPECTING_VALUE = "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_LITERALS = {"true": True, "false": False, "null": None}


class _Frame:
    __slots__ = ("container", "is_object", "key", "pointer")

    def __init__(self, container: dict[str, Any] | list[Any], pointer: str):
        self.container = container
        self.pointer = pointer
        self.is_object = isinstance(container, dict)
        self.key: str = ""


class _JSONScanner:
    """Strict RFC 8259 JSON with an explicit stack: no recursion, so no depth can overflow Python."""

    def __init__(self, text: str):
        self.text = text
        self.value_offsets: dict[str, int] = {}
        self.key_offsets: dict[str, int] = {}
        self.doc = Document(
            text, None, "json", _value_offsets=self.value_offsets, _key_offsets=self.key_offsets
        )

    def error(self, message: str, offset: int) -> ParseError:
        return _syntax_error(self.text, message, offset)

    def unexpected(self, i: int, expected: str) -> ParseError:
        text = self.text
        if i >= len(text):
            return self.error(f"Unexpected end-of-input: {expected}", i)
        word = _WORD.match(text, i)
        if word and text[i].isalpha():
            return self.error(f"Unrecognized token '{word.group()}': {expected}", word.end())
        return self.error(f"Unexpected character ({text[i]!r} (code {ord(text[i])})): {expected}", i)

    def parse(self) -> Document:
        text, n = self.text, len(self.text)
        ws = _ws_match
        value_offsets = self.value_offsets
        stack: list[_Frame] = []
        value: Any
        i = ws(text, 0).end()
        pointer = ""
        while True:
            # Read one value at i (containers open a frame and go back to reading their first value).
            value_offsets[pointer] = i
            c = text[i] if i < n else ""
            if c == "{" or c == "[":
                if len(stack) >= MAX_DEPTH:
                    raise self.error(f"Nesting deeper than {MAX_DEPTH} levels", i)
                frame = _Frame({} if c == "{" else [], pointer)
                i = ws(text, i + 1).end()
                if text.startswith("}" if c == "{" else "]", i):
                    value, i = frame.container, i + 1
                else:
                    stack.append(frame)
                    if frame.is_object:
                        i, pointer = self.member_key(frame, i)
                    else:
                        pointer = f"{pointer}/0"
                    continue
            elif c == '"':
                try:
                    value, i = scanstring(text, i + 1, True)
                except JSONDecodeError as exc:
                    raise self.error(exc.msg.removesuffix(" at"), exc.pos) from None
            elif c in _LITERAL_START:
                word = _WORD.match(text, i)
                token = word.group() if word else c
                if token not in _LITERALS:
                    raise self.unexpected(i, _EXPECTING_VALUE)
                value, i = _LITERALS[token], i + len(token)
            elif c == "-" or "0" <= c <= "9":
                number = _NUMBER.match(text, i)
                if number is None:
                    raise self.error("Invalid numeric value: expected digit", i + 1)
                end = number.end()
                if end < n and (text[end].isdigit() or text[end] in ".eE"):
                    raise self.error("Invalid numeric value: leading zeroes or bad number format", end)
                token = number.group()
                if len(token) > MAX_NUMBER_LENGTH:
                    limit = f"exceeds the maximum allowed ({MAX_NUMBER_LENGTH})"
                    raise self.error(f"Number value length ({len(token)}) {limit}", i)
                value = float(token) if number.group(1) or number.group(2) else int(token)
                i = end
            else:
                raise self.unexpected(i, _EXPECTING_VALUE)
            # Attach the finished value to its parent; close every container that ends here.
            while True:
                if not stack:
                    i = ws(text, i).end()
                    if i != n:
                        raise self.unexpected(i, "expected end of input after the JSON value")
                    self.doc.value = value
                    return self.doc
                frame = stack[-1]
                container = frame.container
                if isinstance(container, dict):
                    container[frame.key] = value
                else:
                    container.append(value)
                i = ws(text, i).end()
                c = text[i] if i < n else ""
                if c == ",":
                    i = ws(text, i + 1).end()
                    if frame.is_object:
                        i, pointer = self.member_key(frame, i)
                    else:
                        pointer = f"{frame.pointer}/{len(container)}"
                    break
                if c == ("}" if frame.is_object else "]"):
                    value, i = container, i + 1
                    stack.pop()
                    continue
                closer = "'}'" if frame.is_object else "']'"
                raise self.unexpected(i, f"was expecting comma to separate entries or {closer}")

    def member_key(self, frame: _Frame, i: int) -> tuple[int, str]:
        """Read `"key" :` at i; return the offset of the member's value and its pointer."""
        text = self.text
        if not text.startswith('"', i):
            raise self.unexpected(i, "was expecting double-quote to start field name")
        try:
            key, end = scanstring(text, i + 1, True)
        except JSONDecodeError as exc:
            raise self.error(exc.msg.removesuffix(" at"), exc.pos) from None
        pointer = f"{frame.pointer}/{escape_token(key)}"
        if key in frame.container:
            self.doc.duplicates.append(DuplicateKey(pointer, i))
        self.key_offsets[pointer] = i
        end = _ws_match(text, end).end()
        if not text.startswith(":", end):
            raise self.unexpected(end, "was expecting a colon to separate field name and value")
        frame.key = key
        return _ws_match(text, end + 1).end(), pointer


_LITERAL_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")

_YAMLLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Plain scalars are typed by the YAML 1.2 core schema, as the editor's YAML library and js-yaml read them:
# `Yes`, `No`, `on` stay strings (YAML 1.1 would make state names such as `No` booleans).
_YAML_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_YAML_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_YAML_INT = re.compile(r"^[-+]?[0-9]+$")
_YAML_OCT = re.compile(r"^0o[0-7]+$")
_YAML_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_YAML_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_CORE = "tag:yaml.org,2002:"


def _yaml_core(text: str, tag: str | None) -> Any:
    """The value of a scalar under the core schema; `tag` forces a type (`!!int 3`), None infers one."""
    if tag in (None, _CORE + "null") and _YAML_NULL.match(text):
        return None
    if tag in (None, _CORE + "bool") and text in _YAML_BOOL:
        return _YAML_BOOL[text]
    if tag in (None, _CORE + "int"):
        is_int = _YAML_INT.match(text)
        if (is_int or _YAML_OCT.match(text) or _YAML_HEX.match(text)) and len(text) > MAX_NUMBER_LENGTH:
            raise ValueError(
                f"Number value length ({len(text)}) exceeds the maximum allowed ({MAX_NUMBER_LENGTH})"
            )
        if is_int:
            return int(text)
        if _YAML_OCT.match(text) or _YAML_HEX.match(text):
            return int(text[2:], 8 if text[1] == "o" else 16)
    if tag in (None, _CORE + "float", _CORE + "int") and _YAML_FLOAT.match(text):
        return float(text)
    return text


def _yaml_scalar(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if tag in (None, "!"):
        # Only plain (unquoted) scalars are typed; quoted ones are strings.
        return _yaml_core(event.value, None) if event.implicit[0] and not event.style else event.value
    if tag.startswith(_CORE):
        return _yaml_core(event.value, tag)
    return event.value  # CloudFormation's !Sub/!Ref/!GetAtt and other local tags: ASL sees the text


def _parse_yaml(text: str) -> Document:
    """Build the value from the event stream, keeping marks; one document only."""
    value_offsets: dict[str, int] = {}
    key_offsets: dict[str, int] = {}
    doc = Document(text, None, "yaml", _value_offsets=value_offsets, _key_offsets=key_offsets)
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    doc._line_starts = line_starts

    def offset(mark: Any) -> int:
        return line_starts[mark.line] + mark.column if mark.line < len(line_starts) else len(text)

    stack: list[_Frame] = []
    anchors: dict[str, Any] = {}
    roots: list[Any] = []
    nodes = 0
    pending_key: dict[int, tuple[bool, int]] = {}  # id(frame) -> (expecting key?, key offset)
    try:
        for event in yaml.parse(text, Loader=_YAMLLoader):
            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = stack.pop()
                value, start = frame.container, None
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent | yaml.ScalarEvent):
                start = offset(event.start_mark)
                value = None
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise _yaml_error(
                        text, f"found undefined alias {event.anchor!r}", offset(event.start_mark)
                    )
                value, start = anchors[event.anchor], offset(event.start_mark)
                nodes += _count(value)
            else:
                continue
            nodes += 1
            if nodes > MAX_YAML_NODES:
                raise _yaml_error(text, f"more than {MAX_YAML_NODES} values (alias expansion)", start or 0)
            parent = stack[-1] if stack else None
            if parent is not None and parent.is_object and pending_key[id(parent)][0] and start is not None:
                # This event is a mapping key.
                if not isinstance(event, yaml.ScalarEvent):
                    raise _yaml_error(text, "ASL object keys must be plain strings", start)
                key = event.value  # JSON keys are strings: `1:` and `null:` keep their text
                pointer = f"{parent.pointer}/{escape_token(key)}"
                if key in parent.container:
                    doc.duplicates.append(DuplicateKey(pointer, start))
                key_offsets[pointer] = start
                parent.key = key
                pending_key[id(parent)] = (False, start)
                continue
            if start is not None:
                pointer = _child_pointer(parent)
                value_offsets[pointer] = start
                if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                    if len(stack) >= MAX_DEPTH:
                        raise _yaml_error(text, f"Nesting deeper than {MAX_DEPTH} levels", start)
                    frame = _Frame({} if isinstance(event, yaml.MappingStartEvent) else [], pointer)
                    if event.anchor:
                        anchors[event.anchor] = frame.container
                    stack.append(frame)
                    if frame.is_object:
                        pending_key[id(frame)] = (True, start)
                    continue
                if isinstance(event, yaml.ScalarEvent):
                    try:
                        value = _yaml_scalar(event)
                    except ValueError as exc:
                        raise _yaml_error(text, str(exc), start) from None
                    if event.anchor:
                        anchors[event.anchor] = value
            if parent is None:
                roots.append(value)
            elif isinstance(parent.container, dict):
                parent.container[parent.key] = value
                pending_key[id(parent)] = (True, 0)
            else:
                parent.container.append(value)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = offset(mark) if mark is not None else None
        raise _yaml_error(text, f"{exc.context or ''} {exc.problem or ''}".strip(), where) from None
    except yaml.YAMLError as exc:
        raise _yaml_error(text, str(exc), None) from None
    if len(roots) > 1:
        raise _yaml_error(text, "expected a single YAML document", None)
    doc.value = roots[0] if roots else None
    return doc


def _child_pointer(parent: _Frame | None) -> str:
    if parent is None:
        return ""
    if parent.is_object:
        return f"{parent.pointer}/{escape_token(parent.key)}"
    return f"{parent.pointer}/{len(parent.container)}"


def _count(value: Any) -> int:
    """Values an alias repeats, counted without recursion."""
    total, todo = 0, [value]
    while todo and total <= MAX_YAML_NODES:
        item = todo.pop()
        total += 1
        if isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return total


def _yaml_error(text: str, message: str, offset: int | None) -> ParseError:
    line = column = None
    if offset is not None:
        line, column = Document(text, None, "yaml").line_column(offset)
    return ParseError(
        Diagnostic(INVALID_JSON_DESCRIPTION, "error", "", None, line, column, f"YAML: {message}")
    )
