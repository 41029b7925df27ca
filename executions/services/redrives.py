"""Redrives (RedriveExecution): whether a stopped execution can be redriven, and the commit that
appends ExecutionRedriven and turns it back to RUNNING for the runner to continue.

The rules and the event are the engine's (``executions.engine.redrive``). Idempotency as on
AWS: the last 10 client tokens that redrove an execution answer again with that redrive, for
15 minutes; the token is kept on its ExecutionRedriven row (``events.event_dict`` never shows it).
"""

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from executions import live
from executions.engine import redrive
from executions.exceptions import ExecutionNotRedrivable, ValidationException
from executions.models import Execution, ExecutionStatus, HistoryEvent
from executions.services.executions import get_execution

TOKEN_MEMORY = 10
TOKEN_WINDOW = timedelta(minutes=15)
CLIENT_TOKEN_KEY = "_clientToken"


def not_redrivable(execution: Execution) -> str | None:
    """Why RedriveExecution would refuse ``execution`` now (DescribeExecution's
    redriveStatusReason), or None."""
    return redrive.not_redrivable(
        status=execution.status,
        type=execution.type,
        started_at=execution.started_at,
        stopped_at=execution.stopped_at,
        event_count=execution.last_event_id,
        now=timezone.now(),
    )


def _answered_token(execution: Execution, token: str) -> bool:
    recent = HistoryEvent.objects.filter(
        execution_id=execution.pk, type="ExecutionRedriven", timestamp__gte=timezone.now() - TOKEN_WINDOW
    ).order_by("-event_id")[:TOKEN_MEMORY]
    return any(row.details.get(CLIENT_TOKEN_KEY) == token for row in recent)


def redrive_execution(arn: str, account: str, *, client_token: str | None = None) -> tuple[Execution, bool]:
    """Redrive a stopped execution: ``(execution, redriven)``; ``redriven`` is False when
    ``client_token`` already redrove it (the same answer again, nothing new to run)."""
    if client_token is not None and not 1 <= len(client_token) <= 64:
        raise ValidationException(
            "1 validation error detected: Value at 'clientToken' failed to satisfy constraint: "
            "Member must have length between 1 and 64"
        )
    execution = get_execution(arn, account)
    if client_token and _answered_token(execution, client_token):
        return execution, False
    reason = not_redrivable(execution)
    if reason is not None:
        raise ExecutionNotRedrivable(reason)
    now = timezone.now()
    event = redrive.redriven_event([{"id": execution.last_event_id}], now, execution.redrive_count + 1)
    details = {"executionRedrivenEventDetails": event["executionRedrivenEventDetails"]}
    if client_token:
        details[CLIENT_TOKEN_KEY] = client_token
    with transaction.atomic():
        # Conditional on the status and the last event: of two redrives at once, one wins.
        updated = Execution.objects.filter(
            pk=execution.pk, status=execution.status, last_event_id=execution.last_event_id
        ).update(
            status=ExecutionStatus.RUNNING,
            redrive_count=F("redrive_count") + 1,
            redrive_date=now,
            stopped_at=None,
            output=None,
            error=None,
            cause=None,
            last_event_id=event["id"],
            lease_owner="",
        )
        if not updated:
            raise ExecutionNotRedrivable("Execution is RUNNING and cannot be redriven")
        HistoryEvent.objects.create(
            execution_id=execution.pk,
            event_id=event["id"],
            previous_event_id=event["previousEventId"],
            type=event["type"],
            timestamp=now,
            details=details,
        )
        transaction.on_commit(partial(live.publish, execution.pk, event["id"], ExecutionStatus.RUNNING))
    return Execution.objects.get(pk=execution.pk), True
