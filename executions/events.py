"""Stored history events as AWS's GetExecutionHistory shapes them (one place, for the endpoint
and the live stream)."""

import json
from datetime import datetime
from typing import NamedTuple

from executions.models import HistoryEvent


class EventRow(NamedTuple):
    """A history event's columns, as written: model instances cost more to make than the
    write itself (``event_dict`` reads either)."""

    execution_id: int
    event_id: int
    previous_event_id: int
    type: str
    timestamp: datetime
    details: dict


# Compact, ASCII-escaped as Django's JSONField writes (a lone surrogate stays an escape).
_encode = json.JSONEncoder(separators=(",", ":")).encode


def details_json(details: dict) -> str:
    """An event's details as the text the database stores: encoded once per event, and the
    live stream's frame is built around the same text (``event_json``)."""
    return _encode(details)


def event_json(event: EventRow, details_text: str) -> str:
    """``event_dict(event)`` as JSON text, around its details' text (``details_json``)."""
    if any(key[0] == "_" for key in event.details):
        return _encode(event_dict(event))
    head = (
        f'{{"timestamp":{epoch(event.timestamp)!r},"type":"{event.type}",'
        f'"id":{event.event_id},"previousEventId":{event.previous_event_id}'
    )
    return head + ("}" if details_text == "{}" else "," + details_text[1:])


def epoch(moment: datetime | None) -> float | None:
    """AWS JSON 1.0 timestamps: seconds since the epoch, as a number."""
    return moment.timestamp() if moment is not None else None


def _without_data(details: dict) -> dict:
    """includeExecutionData=false: AWS leaves out inputs and outputs, keeps their details."""
    out = {}
    for key, value in details.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in {"input", "output"}}
        out[key] = value
    return out


def event_dict(event: HistoryEvent | EventRow, include_data: bool = True) -> dict:
    details = event.details if include_data else _without_data(event.details)
    # Keys of ours beside AWS's details (a redrive's client token) stay out of the history.
    details = {k: v for k, v in details.items() if not k.startswith("_")}
    return {
        "timestamp": epoch(event.timestamp),
        "type": event.type,
        "id": event.event_id,
        "previousEventId": event.previous_event_id,
        **details,
    }
