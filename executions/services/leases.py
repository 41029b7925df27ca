"""Leases: which runner process advances which running execution (DESIGN.md decision 5)."""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

import symphony.db.lookups  # noqa: F401  (registers __among)
from executions.models import Execution, ExecutionStatus, StateMachineType


def claim_executions(execution_ids: list[int], owner: str, seconds: float) -> list[Execution]:
    """Take the leases of running executions nobody holds a live one of, and read them, in one
    statement (UPDATE ... RETURNING, on SQLite and PostgreSQL alike): a flood of starts is
    claimed in a few statements, not one each. Returns the executions claimed."""
    if not execution_ids:
        return []
    now = timezone.now()
    ops = connection.ops
    table = ops.quote_name(Execution._meta.db_table)
    ids = ", ".join(["%s"] * len(execution_ids))
    claimed = Execution.objects.raw(
        f"UPDATE {table} SET lease_owner = %s, lease_expires_at = %s"
        f" WHERE id IN ({ids}) AND status = %s"
        " AND (lease_owner = '' OR lease_owner = %s OR lease_expires_at < %s)"
        " RETURNING *",
        [
            owner,
            ops.adapt_datetimefield_value(now + timedelta(seconds=seconds)),
            *execution_ids,
            ExecutionStatus.RUNNING,
            owner,
            ops.adapt_datetimefield_value(now),
        ],
    )
    # Read to the end: SQLite finishes (and unlocks) an UPDATE ... RETURNING at its last row.
    return list(claimed)


def renew_leases(owner: str, execution_ids: list[int], seconds: float, due: float = 0.0) -> list[int]:
    """Extend to ``seconds`` from now the leases ``owner`` still holds that end within ``due``
    seconds (0: all); returns the ids it no longer holds. Renewing only what is due writes each
    lease a few times per term, not at every scan: a runner holding 10,000 waiting executions
    rewrote 10,000 rows a second, and on PostgreSQL the dead row versions slowed every scan of
    the table. A row being committed right now (locked by the owner's own commit, which extends
    its lease) is renewed at the next scan: waiting for it, renewals and grouped commits
    deadlocked on PostgreSQL."""
    # One parameter however many are held (symphony.db.lookups): a runner holds thousands.
    held = Execution.objects.filter(
        pk__among=execution_ids, lease_owner=owner, status=ExecutionStatus.RUNNING
    )
    now = timezone.now()
    with transaction.atomic():
        ending = held.filter(lease_expires_at__lt=now + timedelta(seconds=due)) if due > 0 else held
        free = list(ending.select_for_update(skip_locked=True).values_list("pk", flat=True))
        if free:
            Execution.objects.filter(pk__among=free).update(lease_expires_at=now + timedelta(seconds=seconds))
    kept = set(held.values_list("pk", flat=True))
    return [pk for pk in execution_ids if pk not in kept]


def _unowned(now):
    """Running executions nobody advances: never claimed (a start submitted by a process that
    runs none), or a STANDARD one whose owner's lease expired (an express run is not resumed
    after a crash: AWS runs those at most once). Both read the running executions' lease index
    (a lease is never held without an expiry)."""
    never_claimed = Q(lease_owner="", lease_expires_at__isnull=True)
    expired = Q(lease_expires_at__lt=now, type=StateMachineType.STANDARD)
    return Execution.objects.filter(status=ExecutionStatus.RUNNING, map_run__isnull=True).filter(
        never_claimed | expired
    )


def claim_orphans(owner: str, seconds: float, limit: int = 100) -> list[int]:
    """Claim up to ``limit`` unowned executions for ``owner`` in one transaction. On PostgreSQL
    the rows are locked with SKIP LOCKED, so runners scanning at once split the work instead of
    racing for the same rows; the conditional update keeps it exactly-once everywhere."""
    now = timezone.now()
    with transaction.atomic():
        candidates = list(
            _unowned(now)
            .select_for_update(skip_locked=True)
            .order_by("started_at")
            .values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return []
        _unowned(now).filter(pk__in=candidates).update(
            lease_owner=owner, lease_expires_at=now + timedelta(seconds=seconds)
        )
        return list(
            Execution.objects.filter(pk__in=candidates, lease_owner=owner).values_list("pk", flat=True)
        )


def pending_starts(limit: int) -> int:
    """How many started executions wait for a runner to pick them up (counted up to ``limit``)."""
    return Execution.objects.filter(
        status=ExecutionStatus.RUNNING, lease_owner="", lease_expires_at__isnull=True, map_run__isnull=True
    )[:limit].count()


def release_leases(owner: str) -> None:
    Execution.objects.filter(lease_owner=owner).update(lease_owner="", lease_expires_at=None)
