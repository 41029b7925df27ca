"""Lookups compiled once (symphony/db/prepared.py) give what the ORM gives: every field with
its converter applied (JSON, times, foreign keys), deferred fields loaded when read, None when
nothing matches; a queryset it cannot run as compiled is refused when compiled."""

from datetime import timedelta

import pytest
from django.db.models import Model
from django.utils import timezone

from executions.models import Execution, StateMachine
from executions.services import executions
from symphony.db.prepared import PreparedQuery

pytestmark = pytest.mark.django_db


def values(instance: Model) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_an_execution_reads_as_the_orm_reads_it(execution):
    now = timezone.now()
    Execution.objects.filter(pk=execution.pk).update(
        checkpoint={"state": "Ask", "nested": [1, "é", None]},
        stopped_at=now,
        lease_expires_at=now + timedelta(seconds=30),
        output='{"a": 1}',
        item_count=3,
    )
    prepared = PreparedQuery(lambda arn: Execution.objects.filter(arn=arn))
    for _ in range(2):  # compiled on the first call, reused on the second
        found = prepared.first(execution.arn)
        assert values(found) == values(Execution.objects.get(arn=execution.arn))
        assert found._state.adding is False and found._state.db == "default"
    assert found.checkpoint == {"state": "Ask", "nested": [1, "é", None]}
    assert found.stopped_at == now


def test_deferred_fields_are_read_when_used(execution):
    found = executions._DESCRIBED_BY_ARN.first(execution.arn)
    assert found.get_deferred_fields() == {"checkpoint", "definition"}
    assert found.definition == Execution.objects.get(pk=execution.pk).definition


def test_nothing_found_is_none(execution):
    assert executions._BY_ARN.first(execution.arn + "-other") is None
    assert PreparedQuery(lambda arn: StateMachine.objects.filter(arn=arn)).all("nope") == []


def test_querysets_it_cannot_run_as_compiled_are_refused(execution):
    with pytest.raises(TypeError, match="one model"):
        PreparedQuery(lambda arn: Execution.objects.select_related("map_run").filter(arn=arn)).first("x")
    with pytest.raises(TypeError, match="as given"):  # the value is wrapped in % for LIKE
        PreparedQuery(lambda arn: Execution.objects.filter(arn__contains=arn)).first("x")
