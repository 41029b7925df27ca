"""A history event is encoded once (executions/events.py): the live frame built around the text
the database stores is the same JSON as GetExecutionHistory's shape of that event. A commit
writes its events' times as Django's backend would (executions.effects.time_adapter)."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from executions import effects
from executions.events import EventRow, details_json, event_dict, event_json

STAMP = datetime(2026, 12, 6, 20, 1, 2, 345678, tzinfo=UTC)


@pytest.mark.parametrize(
    "type_, details",
    [
        ("PassStateEntered", {"stateEnteredEventDetails": {"name": "P", "input": '{"a":1}'}}),
        ("ExecutionStarted", {}),
        (
            "ExecutionSucceeded",
            {"executionSucceededEventDetails": {"output": '{"q":"\\"x\\" é 日本 \\ud800"}'}},
        ),
        ("TaskFailed", {"taskFailedEventDetails": {"error": "E", "cause": "a\nb\t\u2028 \ud800"}}),
        # A redrive's client token rides among the details and stays out of every shape.
        ("ExecutionRedriven", {"executionRedrivenEventDetails": {"redriveCount": 1}, "_clientToken": "t"}),
    ],
)
def test_an_events_json_is_its_history_shape(type_, details):
    row = EventRow(9, 123456, 123455, type_, STAMP, details)
    text = details_json(details)
    assert json.loads(text) == details
    assert json.loads(event_json(row, text)) == event_dict(row)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        STAMP,
        datetime(2026, 12, 6, 20, 1, 2, tzinfo=UTC),  # no microseconds
        datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Paris")),
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("Pacific/Kiritimati")),
        datetime(2026, 12, 6, 20, 1, 2),  # naive: left to Django
    ],
)
def test_a_commit_writes_times_as_django_does(moment):
    assert effects.time_adapter()(moment) == connection.ops.adapt_datetimefield_value(moment)
