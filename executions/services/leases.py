"""Leases: which runner process advances which running execution (DESIGN.md decision 5)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from executions.models import Execution, ExecutionStatus, StateMachineType


def claim_execution(execution_id: int, owner: str, seconds: float) -> Execution | None:
    """Take the lease of a running execution if nobody holds a live one."""
    now = timezone.now()
    updated = (
        Execution.objects.filter(pk=execution_id, status=ExecutionStatus.RUNNING)
        .filter(Q(lease_owner="") | Q(lease_owner=owner) | Q(lease_expires_at__lt=now))
        .update(lease_owner=owner, lease_expires_at=now + timedelta(seconds=seconds))
    )
    return Execution.objects.get(pk=execution_id) if updated else None


def renew_leases(owner: str, execution_ids: list[int], seconds: float) -> list[int]:
    """Extend the leases ``owner`` still holds; returns the ids it no longer holds."""
    held = Execution.objects.filter(pk__in=execution_ids, lease_owner=owner, status=ExecutionStatus.RUNNING)
    held.update(lease_expires_at=timezone.now() + timedelta(seconds=seconds))
    kept = set(held.values_list("pk", flat=True))
    return [pk for pk in execution_ids if pk not in kept]


def orphaned_executions(owner: str, limit: int = 100) -> list[int]:
    """Running executions nobody advances: never claimed, or their owner's lease expired."""
    now = timezone.now()
    return list(
        Execution.objects.filter(
            status=ExecutionStatus.RUNNING, type=StateMachineType.STANDARD, map_run__isnull=True
        )
        .filter(Q(lease_owner="") | Q(lease_expires_at__lt=now))
        .order_by("started_at")
        .values_list("pk", flat=True)[:limit]
    )


def release_leases(owner: str) -> None:
    Execution.objects.filter(lease_owner=owner).update(lease_owner="", lease_expires_at=None)
