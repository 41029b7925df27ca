"""Small helpers the state modules share: field values that may be literals or expressions."""

from __future__ import annotations

import json
from typing import Any

from designer.asl.errors import ASLError
from designer.asl.scope import Scope
from executions.engine.errors import from_asl
from executions.engine.frames import StateRun


def evaluate(value: Any, scope: Scope, run: StateRun[Any]) -> Any:
    """A field that is a literal or a compiled expression (anything with `evaluate`)."""
    if hasattr(value, "evaluate"):
        try:
            return value.evaluate(scope)
        except ASLError as exc:
            raise from_asl(exc, run.prefix) from None
    return value


def show(value: Any) -> str:
    """A value as AWS quotes it in messages: strings bare, the rest as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
