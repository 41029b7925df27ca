"""Lookups and inserts compiled once (symphony/db/prepared.py) do what the ORM does: every field
read with its converter applied (JSON, times, foreign keys), deferred fields loaded when read,
None when nothing matches; a queryset it cannot run as compiled is refused when compiled; an
insert writes the ORM's values (defaults, JSON), fails on a taken key as the ORM does, and
leaves a model with save receivers to the ORM."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.utils import timezone

from executions.models import Execution, StateMachine
from executions.services import executions
from symphony.db.prepared import PreparedQuery, insert

pytestmark = pytest.mark.django_db


def values(instance: Model) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_an_execution_reads_as_the_orm_reads_it(execution):
    now = timezone.now()
    Execution.objects.filter(pk=execution.pk).update(
        checkpoint={"state": "Ask", "nested": [1, "é", None]},
        stopped_at=now,
        redrive_date=now + timedelta(seconds=30),
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


def new_like(execution: Execution, arn: str) -> Execution:
    kept = {f.attname: getattr(execution, f.attname) for f in Execution._meta.concrete_fields}
    kept.update(id=None, arn=arn, checkpoint={"k": ["é", 1]})
    for default in ("status", "redrive_count", "last_event_id", "input"):
        kept.pop(default)  # the model's defaults apply
    return Execution(**kept)


def test_an_insert_writes_what_the_orm_writes(execution):
    ours, theirs = new_like(execution, execution.arn + "-1"), new_like(execution, execution.arn + "-2")
    insert(ours)
    theirs.save()
    assert ours.pk is not None and ours._state.adding is False and ours._state.db == "default"
    read_ours, read_theirs = (
        values(Execution.objects.get(pk=ours.pk)),
        values(Execution.objects.get(pk=theirs.pk)),
    )
    assert {k: v for k, v in read_ours.items() if k not in {"id", "arn"}} == {
        k: v for k, v in read_theirs.items() if k not in {"id", "arn"}
    }
    assert read_ours["status"] == "RUNNING" and read_ours["checkpoint"] == {"k": ["é", 1]}


def test_an_insert_of_a_taken_key_is_an_integrity_error(execution):
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(new_like(execution, execution.arn))


def test_a_model_with_save_receivers_is_saved_by_the_orm(execution):
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.arn, created))

    post_save.connect(receiver, sender=Execution)
    try:
        insert(new_like(execution, execution.arn + "-heard"))
    finally:
        post_save.disconnect(receiver, sender=Execution)
    assert heard == [(execution.arn + "-heard", True)]
