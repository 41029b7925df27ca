"""Leases: which runner process advances which running execution (DESIGN.md decision 5).

A runner holds the executions whose ``lease_owner`` it is for as long as its heartbeat (its
``Runner`` row) is alive; it renews that one row every scan, however many executions wait in
it. Once a heartbeat has lapsed, any runner may take that runner's executions over.
"""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

import symphony.db.lookups  # noqa: F401  (registers __among)
from executions.models import Execution, ExecutionStatus, Runner, StateMachineType


def beat(owner: str, seconds: float) -> bool:
    """Renew ``owner``'s heartbeat to ``seconds`` from now (made at the first beat). Returns
    whether it had lapsed meanwhile (or was never made): other runners may have taken some of
    its executions, which it must then look up (``still_held``). Alive, it is one UPDATE."""
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    if Runner.objects.filter(owner=owner, expires_at__gte=now).update(expires_at=until):
        return False
    # Lapsed or never made; only its owner renews it, so nobody else writes it meanwhile.
    Runner.objects.update_or_create(owner=owner, defaults={"expires_at": until})
    return True


def _dead_runners(now) -> list[str]:
    """The runners whose heartbeat has lapsed (a handful: one row per process ever started
    that did not stop cleanly, until ``forget_dead_runners``)."""
    return list(Runner.objects.filter(expires_at__lt=now).values_list("owner", flat=True))


def still_held(owner: str, execution_ids: list[int]) -> list[int]:
    """Of ``execution_ids``, those ``owner`` no longer holds (taken over, stopped, ended)."""
    # One parameter however many are held (symphony.db.lookups): a runner holds thousands.
    kept = set(
        Execution.objects.filter(pk__among=execution_ids, lease_owner=owner, status=ExecutionStatus.RUNNING)
        .order_by()
        .values_list("pk", flat=True)
    )
    return [pk for pk in execution_ids if pk not in kept]


def claim_executions(execution_ids: list[int], owner: str) -> list[Execution]:
    """Take the running executions nobody holds (or a dead runner held), and read them, in one
    statement (UPDATE ... RETURNING, on SQLite and PostgreSQL alike): a flood of starts is
    claimed in a few statements, not one each. Returns the executions claimed."""
    if not execution_ids:
        return []
    ops = connection.ops
    table = ops.quote_name(Execution._meta.db_table)
    runners = ops.quote_name(Runner._meta.db_table)
    ids = ", ".join(["%s"] * len(execution_ids))
    claimed = Execution.objects.raw(
        f"UPDATE {table} SET lease_owner = %s"
        f" WHERE id IN ({ids}) AND status = %s AND (lease_owner = '' OR lease_owner = %s"
        f" OR lease_owner IN (SELECT owner FROM {runners} WHERE expires_at < %s))"
        " RETURNING *",
        [
            owner,
            *execution_ids,
            ExecutionStatus.RUNNING,
            owner,
            ops.adapt_datetimefield_value(timezone.now()),
        ],
    )
    # Read to the end: SQLite finishes (and unlocks) an UPDATE ... RETURNING at its last row.
    return list(claimed)


def _unowned(dead: list[str]):
    """Running executions nobody advances: never claimed (a start submitted by a process that
    runs none), or a STANDARD one whose runner is dead (an express run is not resumed after a
    crash: AWS runs those at most once). Both are read from the running executions' owner
    index."""
    return Execution.objects.filter(
        Q(lease_owner="") | Q(type=StateMachineType.STANDARD),
        status=ExecutionStatus.RUNNING,
        map_run__isnull=True,
        lease_owner__in=["", *dead],
    )


def claim_orphans(owner: str, limit: int = 100) -> list[int]:
    """Claim up to ``limit`` unowned executions for ``owner`` in one transaction. On PostgreSQL
    the rows are locked with SKIP LOCKED, so runners scanning at once split the work instead of
    racing for the same rows; the conditional update keeps it exactly-once everywhere."""
    dead = _dead_runners(timezone.now())
    with transaction.atomic():
        candidates = list(
            _unowned(dead)
            .select_for_update(skip_locked=True)
            .order_by("started_at")
            .values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return []
        _unowned(dead).filter(pk__in=candidates).update(lease_owner=owner)
        return list(
            Execution.objects.filter(pk__in=candidates, lease_owner=owner).values_list("pk", flat=True)
        )


def stranded_express(owner: str, limit: int) -> list[int]:
    """Running express executions whose runner is dead (another than ``owner``)."""
    dead = [runner for runner in _dead_runners(timezone.now()) if runner != owner]
    if not dead:
        return []
    return list(
        Execution.objects.filter(
            status=ExecutionStatus.RUNNING,
            type=StateMachineType.EXPRESS,
            map_run__isnull=True,
            lease_owner__in=dead,
        )
        .order_by()
        .values_list("pk", flat=True)[:limit]
    )


def forget_dead_runners(before: timedelta) -> int:
    """Delete the heartbeats lapsed longer than ``before`` ago that hold nothing any more (their
    executions were all taken over or ended). Returns how many."""
    lapsed = list(
        Runner.objects.filter(expires_at__lt=timezone.now() - before).values_list("owner", flat=True)
    )
    if not lapsed:
        return 0
    holding = Execution.objects.filter(
        status=ExecutionStatus.RUNNING, map_run__isnull=True, lease_owner__in=lapsed
    ).values_list("lease_owner", flat=True)
    deleted, _ = Runner.objects.filter(owner__in=set(lapsed) - set(holding)).delete()
    return deleted


def pending_starts(limit: int) -> int:
    """How many started executions wait for a runner to pick them up (counted up to ``limit``)."""
    return Execution.objects.filter(status=ExecutionStatus.RUNNING, lease_owner="", map_run__isnull=True)[
        :limit
    ].count()


def release_leases(owner: str) -> None:
    """A runner stopping: its executions are free at once, and its heartbeat is gone."""
    with transaction.atomic():
        Execution.objects.filter(lease_owner=owner).update(lease_owner="")
        Runner.objects.filter(owner=owner).delete()
