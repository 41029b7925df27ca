"""Group commits: the transitions of several executions commit in one transaction. One whose
lease another runner took writes nothing while the others commit; one whose writes fail has
the group commit again, each alone, so only it fails."""

from datetime import UTC, datetime

import pytest

from executions.effects import LeaseLost, commit_group
from executions.models import Execution, HistoryEvent
from tests.executions.conftest import start_execution_of

pytestmark = pytest.mark.django_db(transaction=True)

DEFINITION = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'


def started(make_user, owner: str, count: int) -> list[Execution]:
    user = make_user("grouped")
    runs = [start_execution_of(user, f"grouped-{n}", DEFINITION) for n in range(count)]
    Execution.objects.filter(pk__in=[run.pk for run in runs]).update(lease_owner=owner)
    return runs


def transition(run: Execution, owner: str, event_id: int = 1) -> tuple:
    event = {"id": event_id, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": datetime.now(UTC)}
    return (run.pk, owner, [event], {"version": 1})


def test_a_lost_lease_writes_nothing_and_the_others_commit(make_user):
    first, taken, third = started(make_user, "runner-a", 3)
    Execution.objects.filter(pk=taken.pk).update(lease_owner="runner-b")
    results = commit_group([transition(run, "runner-a") for run in (first, taken, third)])
    assert results[0] == 1 and results[2] == 1
    assert isinstance(results[1], LeaseLost)
    written = set(HistoryEvent.objects.values_list("execution_id", flat=True))
    assert written == {first.pk, third.pk}
    taken.refresh_from_db()
    assert taken.checkpoint is None and taken.last_event_id == 0


def test_a_failing_write_fails_only_its_execution(make_user):
    good, bad = started(make_user, "runner-a", 2)
    commit_group([transition(bad, "runner-a")])
    # Event 1 again: the unique (execution, event id) refuses it, which spoils the group's
    # transaction; the group commits again, each alone.
    results = commit_group([transition(good, "runner-a"), transition(bad, "runner-a")])
    assert results[0] == 1
    assert isinstance(results[1], Exception) and not isinstance(results[1], LeaseLost)
    assert HistoryEvent.objects.filter(execution_id=good.pk).count() == 1
    assert HistoryEvent.objects.filter(execution_id=bad.pk).count() == 1
