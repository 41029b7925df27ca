"""Wait: Seconds, Timestamp, SecondsPath, TimestampPath (JSONPath) or Seconds/Timestamp
(JSONata), on the execution's clock."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from designer.asl.errors import ASLError
from designer.asl.jsonpath import Path
from designer.asl.model import Wait
from designer.asl.scope import Scope
from executions.engine.errors import QUERY_EVALUATION, RUNTIME
from executions.engine.frames import StateRun, Work
from executions.engine.states.values import evaluate, is_int, show

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution

# ISO-8601 extended offset date-time (Java's ISO_OFFSET_DATE_TIME): a 'T', an offset or Z.
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}(?::\d{2})?)$"
)
MAX_WAIT_SECONDS = 99_999_999


def parse_timestamp(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    m = _TIMESTAMP.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    iso = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}"
    if fraction:
        iso += "." + (fraction + "000000")[:6]
    iso += "+00:00" if zone == "Z" else zone[:6]
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


async def run(execution: Execution, run: StateRun[Wait], effective: Any) -> Work:
    state = run.state
    scope = run.scope(effective)
    now = run.frame.history.events[run.entered_id - 1]["timestamp"]
    seconds: float
    if state.seconds_path is not None:
        path = state.seconds_path
        value = _read(run, path, scope)
        if not is_int(value) and not (isinstance(value, float) and value.is_integer()):
            raise run.failure_after_entered(
                RUNTIME,
                f"The SecondsPath parameter cannot be parsed as a long value: {path.text} == {show(value)}",
            )
        if value < 0:
            raise run.failure_after_entered(
                RUNTIME,
                f"The SecondsPath parameter references a negative value: {path.text} == {show(value)}",
            )
        seconds = float(value)
    elif state.timestamp_path is not None:
        path = state.timestamp_path
        value = _read(run, path, scope)
        moment = parse_timestamp(value)
        if moment is None:
            raise run.failure_after_entered(
                RUNTIME,
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                f"format string: {path.text} == {show(value)}",
            )
        seconds = _seconds_until(moment, now)
    elif state.timestamp is not None:
        value = evaluate(state.timestamp, scope, run)
        moment = parse_timestamp(value)
        if moment is None:
            raise run.failure_after_entered(
                QUERY_EVALUATION if state.is_jsonata else RUNTIME,
                "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format "
                f"string: {show(value)}",
                location="Timestamp",
            )
        seconds = _seconds_until(moment, now)
    else:
        value = evaluate(state.seconds, scope, run)
        if not is_int(value) or value < 0 or value > MAX_WAIT_SECONDS:
            raise run.failure_after_entered(
                QUERY_EVALUATION,
                f"The Seconds field must be a positive integer between 0 and {MAX_WAIT_SECONDS}: "
                f"{show(value)}",
                location="Seconds",
            )
        seconds = float(value)
    await execution.sleep_until(now + timedelta(seconds=max(0.0, seconds)), run.frame.history)
    return Work()


def _seconds_until(moment: datetime, now: datetime) -> float:
    # AWS "considers the time value up to seconds and truncates milliseconds" (Wait workflow state).
    return (moment.replace(microsecond=0) - now).total_seconds()


def _read(run: StateRun[Wait], path: Path, scope: Scope) -> Any:
    try:
        return path.evaluate(scope)
    except ASLError as exc:
        raise run.failure_after_entered(exc.error, exc.cause) from None
