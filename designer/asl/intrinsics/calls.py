"""The compiled form of an intrinsic function call: its arguments and the call itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from designer.asl.errors import INTRINSIC_FAILURE, ASLError
from designer.asl.jsonpath import Path
from designer.asl.scope import Scope

# Private-use characters standing for `\{` and `\}` inside a parsed string literal, so that
# States.Format can tell an escaped brace from a placeholder.
ESCAPED_BRACES = {"{": "\ue000", "}": "\ue001"}
UNMARK_BRACES = str.maketrans({"\ue000": "{", "\ue001": "}"})


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any
    # For string literals: the text with escaped braces marked (ESCAPED_BRACES), so that
    # States.Format can tell `\{}` from a placeholder.
    raw: str | None = None

    def evaluate(self, scope: Scope) -> Any:
        return self.value


@dataclass(frozen=True, slots=True)
class PathArg:
    path: Path

    def evaluate(self, scope: Scope) -> Any:
        return self.path.evaluate(scope)


class Intrinsic:
    """A compiled intrinsic function call."""

    __slots__ = ("args", "function", "name", "text")

    def __init__(
        self, name: str, args: tuple[Any, ...], text: str, function: Callable[[Intrinsic, list[Any]], Any]
    ) -> None:
        self.name = name
        self.args = args
        self.text = text
        self.function = function

    def __repr__(self) -> str:
        return f"Intrinsic({self.text!r})"

    def evaluate(self, scope: Scope) -> Any:
        values = [arg.evaluate(scope) for arg in self.args]
        try:
            return self.function(self, values)
        except ASLError:
            raise
        except (ValueError, TypeError, OverflowError, RecursionError, UnicodeError) as exc:
            raise ASLError(INTRINSIC_FAILURE, f"{self.name}: {exc}") from None
