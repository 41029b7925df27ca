"""The grammar of intrinsic function calls: `States.Name(arg, ...)` with nested calls,
string/number/boolean/null literals and JSONPath arguments, checked statically as AWS does
(known name, arity, literal argument types, escapes, at most 10 nested calls).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from designer.asl.errors import ASLSyntaxError, json_type_name
from designer.asl.intrinsics.calls import ESCAPED_BRACES, UNMARK_BRACES, Intrinsic, Literal, PathArg
from designer.asl.intrinsics.functions import INTRINSIC_FUNCTIONS, LITERAL_KINDS
from designer.asl.intrinsics.java import dumps
from designer.asl.jsonpath import compile_path

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_NAME = re.compile(r"States\.[A-Za-z0-9]+")
# AWS: "You can nest up to 10 intrinsic functions within a field".
MAX_NESTING = 10


def is_intrinsic(text: str) -> bool:
    """Whether a `.$` value is an intrinsic call rather than a path."""
    return text.startswith("States.")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def error(self, message: str) -> ASLSyntaxError:
        return ASLSyntaxError(f"Invalid intrinsic function '{self.text}': {message}", self.pos)

    def skip_spaces(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        self.pos = pos

    def call(self) -> Intrinsic:
        start = self.pos
        match = _NAME.match(self.text, self.pos)
        if not match:
            raise self.error(f"expected a function name like States.Format at offset {self.pos}")
        name = match.group()
        if name not in INTRINSIC_FUNCTIONS:
            raise self.error(f"unknown function {name}")
        self.pos = match.end()
        self.skip_spaces()
        if self.pos >= len(self.text) or self.text[self.pos] != "(":
            raise self.error(f"expected '(' after {name}")
        self.pos += 1
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"intrinsic functions can be nested at most {MAX_NESTING} deep")
        args: list[Any] = []
        self.skip_spaces()
        if self.peek() == ")":
            self.pos += 1
        else:
            while True:
                self.skip_spaces()
                args.append(self.argument())
                self.skip_spaces()
                char = self.peek()
                self.pos += 1
                if char == ")":
                    break
                if char != ",":
                    self.pos -= 1
                    raise self.error(f"expected ',' or ')' at offset {self.pos}")
        self.depth -= 1
        _, min_args, max_args = INTRINSIC_FUNCTIONS[name]
        if len(args) < min_args or (max_args is not None and len(args) > max_args):
            expected = str(min_args) if min_args == max_args else f"{min_args}..{max_args or 'n'}"
            raise self.error(f"{name} takes {expected} arguments, got {len(args)}")
        self.check_literals(name, args)
        return Intrinsic(name, tuple(args), self.text[start : self.pos], INTRINSIC_FUNCTIONS[name][0])

    def check_literals(self, name: str, args: list[Any]) -> None:
        """A literal argument of a type the function can never accept is a definition error."""
        kinds = LITERAL_KINDS.get(name, ())
        for position, (arg, kind) in enumerate(zip(args, kinds, strict=False), start=1):
            if isinstance(arg, Literal) and kind != "any" and json_type_name(arg.value) != kind:
                raise self.error(f"argument {position} of {name} must be a {kind}, not {dumps(arg.value)}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def argument(self) -> Any:
        char = self.peek()
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if self.text.startswith("States.", self.pos):
            return self.call()
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return Literal(value)
        match = _NUMBER.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            number = match.group()
            return Literal(float(number) if match.group(1) or match.group(2) else int(number))
        raise self.error(f"unexpected argument at offset {self.pos}")

    def string(self) -> Literal:
        text = self.text
        pos = self.pos + 1
        start = pos
        out: list[str] = []
        while pos < len(text):
            char = text[pos]
            if char == "\\":
                nxt = text[pos + 1 : pos + 2]
                if not nxt or nxt not in "'{}\\":
                    self.pos = pos
                    # Recorded on AWS: `\"` inside an intrinsic string is an invalid definition.
                    raise self.error(
                        f"invalid escape sequence at offset {pos}: only \\' \\{{ \\}} \\\\ are allowed"
                    )
                # An escaped brace is marked so that States.Format does not take it for a placeholder.
                out.append(ESCAPED_BRACES.get(nxt, nxt))
                pos += 2
                continue
            if char == "'":
                self.pos = pos + 1
                raw = "".join(out)
                return Literal(raw.translate(UNMARK_BRACES), raw)
            out.append(char)
            pos += 1
        self.pos = start - 1
        raise self.error(f"unterminated string starting at offset {start - 1}")

    def path(self) -> PathArg:
        text = self.text
        pos = self.pos
        start = pos
        brackets = 0
        quote = ""
        while pos < len(text):
            char = text[pos]
            if quote:
                if char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char in "[(":
                brackets += 1
            elif char in "])":
                if brackets == 0:
                    break
                brackets -= 1
            elif char == "," and brackets == 0:
                break
            pos += 1
        self.pos = pos
        path_text = text[start:pos].rstrip()
        return PathArg(compile_path(path_text))


def compile_intrinsic(text: str) -> Intrinsic:
    """Compile an intrinsic function call; cached by text. Raises ASLSyntaxError."""
    if not isinstance(text, str):
        raise ASLSyntaxError(f"An intrinsic function must be a string, not {type(text).__name__}")
    return _compile_intrinsic(text)


@lru_cache(maxsize=4096)
def _compile_intrinsic(text: str) -> Intrinsic:
    parser = _Parser(text)
    parser.skip_spaces()
    intrinsic = parser.call()
    parser.skip_spaces()
    if parser.pos != len(text):
        raise parser.error(f"unexpected text after the call at offset {parser.pos}")
    return intrinsic
