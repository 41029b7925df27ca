"""Group commits: the transitions of several executions commit in one transaction. One whose
lease another runner took writes nothing while the others commit; one whose writes fail has
the group commit again, each alone, so only it fails."""

from datetime import UTC, datetime

import pytest

from executions.effects import DurableEffects, LeaseLost, commit_group
from executions.engine.effects import FakeClock
from executions.integrations import Resources
from executions.models import Execution, HistoryEvent, TaskToken, TaskTokenStatus
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


def test_callbacks_pending_at_the_end_expire_unless_the_run_knows_it_had_none(make_user):
    """A run that handed out no token skips the expiry; one resumed after others ran (its
    rows hold events) cannot know, and expires what is pending."""

    def effects(run: Execution) -> DurableEffects:
        return DurableEffects(execution=run, owner="o", db=None, resources=Resources(), clock=FakeClock())

    fresh, resumed = started(make_user, "o", 2)
    assert not effects(fresh).may_hold_tokens
    Execution.objects.filter(pk=resumed.pk).update(last_event_id=4)
    resumed.refresh_from_db()
    assert effects(resumed).may_hold_tokens
    TaskToken.objects.create(execution=resumed, token="t-1", state_name="Ask", task_input="{}")
    outcome = {"status": "FAILED", "error": "Boom", "cause": ""}
    ended = (*transition(resumed, "o", 5), outcome, (), effects(resumed).may_hold_tokens)
    assert commit_group([ended]) == [5]
    assert TaskToken.objects.get(token="t-1").status == TaskTokenStatus.TIMED_OUT
