"""Rules between fields of one state that the schema cannot say well: mutually exclusive pairs
(TimeoutSeconds/TimeoutSecondsPath, Error/ErrorPath, ...), Wait's one duration, HeartbeatSeconds below
TimeoutSeconds, and RFC 3339 timestamps."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, TypeGuard

from designer.asl.diagnostics import SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import Context, pointer_join
from designer.asl.validate.expressions import is_jsonata_expression

EXCLUSIVE = {
    "Task": [("TimeoutSeconds", "TimeoutSecondsPath"), ("HeartbeatSeconds", "HeartbeatSecondsPath")],
    "Fail": [("Error", "ErrorPath"), ("Cause", "CausePath")],
    "Map": [
        ("MaxConcurrency", "MaxConcurrencyPath"),
        ("ToleratedFailureCount", "ToleratedFailureCountPath"),
        ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
        ("ItemProcessor", "Iterator"),
        ("ItemSelector", "Parameters"),
        ("Items", "ItemsPath"),
    ],
}
WAIT_FIELDS = ("Seconds", "SecondsPath", "Timestamp", "TimestampPath")
# AWS accepts RFC 3339 date-times with a 'T' and a zone ('Z' or an offset), and checks the calendar.
RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def is_timestamp(text: str) -> bool:
    match = RFC3339.match(text)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    try:
        datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    return True


def exclusive(ctx: Context, pointer: str, body: dict[str, Any], first: str, second: str) -> None:
    if first in body and second in body:
        ctx.report(
            SCHEMA_VALIDATION_FAILED,
            pointer_join(pointer, second),
            f"You cannot set both '{first}' and '{second}' at the same time",
        )


def check(ctx: Context) -> None:
    for state in ctx.states:
        body = state.body
        if not isinstance(body, dict):
            continue
        state_type = state.type
        if state_type is None:
            continue
        for first, second in EXCLUSIVE.get(state_type, ()):
            exclusive(ctx, state.pointer, body, first, second)
        if state_type == "Wait":
            present = [f for f in WAIT_FIELDS if f in body]
            if len(present) != 1:
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    state.pointer,
                    "A Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath"
                    + (f" (found {', '.join(present)})" if present else ""),
                )
            stamp = body.get("Timestamp")
            expression = state.jsonata and is_jsonata_expression(stamp)
            if isinstance(stamp, str) and not expression and not is_timestamp(stamp):
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    pointer_join(state.pointer, "Timestamp"),
                    "String does not match RFC3339 timestamp",
                )
        if state_type == "Task":
            timeout, heartbeat = body.get("TimeoutSeconds"), body.get("HeartbeatSeconds")
            if _int(timeout) and _int(heartbeat) and heartbeat >= timeout:
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    pointer_join(state.pointer, "HeartbeatSeconds"),
                    f"HeartbeatSeconds ({heartbeat}) must be smaller than TimeoutSeconds ({timeout})",
                )


def _int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
