"""What an expression can see while a state runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class _Missing:
    """The absence of a value (distinct from JSON null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(slots=True)
class Scope:
    """The inputs of one evaluation.

    `input` is the state's effective input for the field being evaluated, `context` the `$$`
    context object, `variables` the ASL variables visible here. `result` (a task's result, for
    ResultSelector / Output / Assign) and `error_output` (in a Catch) are MISSING when absent.
    """

    input: Any
    context: dict[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)
    result: Any = MISSING
    error_output: Any = MISSING
