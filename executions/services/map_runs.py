"""Map runs of distributed Maps and their child executions: what the runner writes as the
engine reports progress (inside the transaction of the parent's events), and what the API
reads and changes (DescribeMapRun, ListMapRuns, UpdateMapRun, ListExecutions by map run).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from django.utils import timezone

from executions.exceptions import InvalidArn, ResourceNotFound, ValidationException
from executions.models import (
    Execution,
    ExecutionStatus,
    HistoryEvent,
    MapRun,
    MapRunStatus,
)

MAP_RUN_ARN_RE = re.compile(r"^arn:aws[\w-]*:states:[\w-]+:\d{12}:mapRun:[^:/]+/[^:/]+:[^:/]+$")
MAX_ARN_LENGTH = 2000
SETTINGS = ("max_concurrency", "tolerated_failure_count", "tolerated_failure_percentage")
CHILD_FIELDS = [
    "status",
    "input",
    "item_count",
    "started_at",
    "stopped_at",
    "output",
    "error",
    "cause",
    "last_event_id",
]


# ---- written by the runner ------------------------------------------------------------------------


def _processor_definition(parent_definition: str, pointer: str) -> str:
    """The child executions' state machine: the ItemProcessor in the parent's definition."""
    node: Any = json.loads(parent_definition)
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return json.dumps(node)


def save_progress(parent: Execution, arn: str, summary: dict | None, children: list[dict]) -> list:
    """Write one map run's reported changes; returns (child row, new events) pairs for the
    caller to insert with the parent's events. A child waiting for a slot under MaxConcurrency
    gets no row yet: on AWS a child execution exists once it starts."""
    fields: dict[str, Any] = {}
    if summary is not None:
        fields = {
            "state_machine_arn": summary["state_machine_arn"],
            "label": summary["label"],
            "execution_type": summary["execution_type"],
            "status": summary["status"],
            "started_at": summary["start"],
            "stopped_at": summary["stop"],
            "max_concurrency": summary["max_concurrency"],
            "tolerated_failure_count": summary["tolerated_failure_count"],
            "tolerated_failure_percentage": summary["tolerated_failure_percentage"],
            "item_counts": summary["item_counts"],
            "execution_counts": summary["execution_counts"],
        }
    run = MapRun.objects.filter(arn=arn).first()
    if run is None:
        fields["definition"] = _processor_definition(parent.definition, summary["processor_pointer"])
        run = MapRun.objects.create(arn=arn, execution=parent, **fields)
    elif fields:
        # The stored settings win: UpdateMapRun writes them, and the engine takes them from here
        # (a resumed run starts again from the definition's).
        for name in SETTINGS:
            fields.pop(name)
        MapRun.objects.filter(pk=run.pk).update(**fields)
    children = [c for c in children if c["status"] != "PENDING"]
    if not children:
        return []
    existing = {e.arn: e for e in Execution.objects.filter(map_run=run, arn__in=[c["arn"] for c in children])}
    new_rows, changed_rows, events = [], [], []
    for child in children:
        row = existing.get(child["arn"])
        if row is None:
            row = Execution(
                arn=child["arn"],
                name=child["name"],
                state_machine_arn=run.state_machine_arn,
                state_machine_name=run.state_machine_arn.split(":stateMachine:", 1)[1][:80],
                type=run.execution_type,
                definition=run.definition,
                role_arn=parent.role_arn,
                owner_id=parent.owner_id,
                account_id=parent.account_id,
                map_run=run,
            )
            new_rows.append(row)
        else:
            changed_rows.append(row)
            if child["reset"]:
                HistoryEvent.objects.filter(execution=row).delete()
        row.status = child["status"]
        row.input = child["input"]
        row.item_count = child["items"]
        row.started_at = child["start"]
        row.stopped_at = child["stop"]
        row.output, row.error, row.cause = child["output"], child["error"], child["cause"]
        if child["events"]:
            row.last_event_id = child["events"][-1]["id"]
        events.append((row, child["events"]))
    Execution.objects.bulk_create(new_rows)
    Execution.objects.bulk_update(changed_rows, CHILD_FIELDS)
    return events


def abort_running(execution_id: int, moment: datetime | None = None) -> None:
    """The parent stopped: its running map runs and their running children are aborted."""
    moment = moment or timezone.now()
    runs = MapRun.objects.filter(execution_id=execution_id, status=MapRunStatus.RUNNING)
    Execution.objects.filter(map_run__in=runs, status=ExecutionStatus.RUNNING).update(
        status=ExecutionStatus.ABORTED, stopped_at=moment
    )
    for run in runs:
        run.item_counts = _aborted(run.item_counts)
        run.execution_counts = _aborted(run.execution_counts)
        run.status, run.stopped_at = MapRunStatus.ABORTED, moment
        run.save(update_fields=["item_counts", "execution_counts", "status", "stopped_at"])


def _aborted(counts: dict) -> dict:
    counts = dict(counts)
    counts["aborted"] = counts.get("aborted", 0) + counts.get("running", 0) + counts.get("pending", 0)
    counts["running"] = counts["pending"] = 0
    return counts


def settings_of(arns: list[str]) -> dict[str, tuple[int, int, float]]:
    """The current settings of map runs (what UpdateMapRun may have changed)."""
    return {
        arn: (mc, count, pct)
        for arn, mc, count, pct in MapRun.objects.filter(arn__in=arns).values_list(
            "arn", "max_concurrency", "tolerated_failure_count", "tolerated_failure_percentage"
        )
    }


# ---- read and changed by the API ------------------------------------------------------------------


def get_map_run(arn: Any, account: str) -> MapRun:
    if not isinstance(arn, str) or len(arn) > MAX_ARN_LENGTH or not MAP_RUN_ARN_RE.match(arn):
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    run = MapRun.objects.select_related("execution").filter(arn=arn, execution__account_id=account).first()
    if run is None:
        raise ResourceNotFound(f"Resource not found: '{arn}'")
    return run


def update_map_run(
    arn: Any,
    account: str,
    *,
    max_concurrency: int | None,
    tolerated_failure_count: int | None,
    tolerated_failure_percentage: float | None,
) -> MapRun:
    if max_concurrency is None and tolerated_failure_count is None and tolerated_failure_percentage is None:
        raise ValidationException(
            "Must provide at least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount"
        )
    errors = []
    # The API model's types: maxConcurrency an integer, toleratedFailureCount a long (both min 0).
    for name, value, most in (
        ("maxConcurrency", max_concurrency, 2**31 - 1),
        ("toleratedFailureCount", tolerated_failure_count, 2**63 - 1),
    ):
        if value is not None and value < 0:
            errors.append(
                f"Value '{value}' at '{name}' failed to satisfy constraint: "
                "Member must have value greater than or equal to 0"
            )
        elif value is not None and value > most:
            errors.append(
                f"Value '{value}' at '{name}' failed to satisfy constraint: "
                f"Member must have value less than or equal to {most}"
            )
    if tolerated_failure_percentage is not None and not 0 <= tolerated_failure_percentage <= 100:
        errors.append(
            f"Value '{tolerated_failure_percentage}' at 'toleratedFailurePercentage' failed to satisfy "
            "constraint: Member must have value between 0 and 100"
        )
    if errors:
        noun = "error" if len(errors) == 1 else "errors"
        raise ValidationException(f"{len(errors)} validation {noun} detected: " + "; ".join(errors))
    run = get_map_run(arn, account)
    if run.status != MapRunStatus.RUNNING:
        raise ValidationException(f"Map Run is not running: '{arn}'")
    changes = {
        "max_concurrency": max_concurrency,
        "tolerated_failure_count": tolerated_failure_count,
        "tolerated_failure_percentage": tolerated_failure_percentage,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    MapRun.objects.filter(pk=run.pk).update(**changes)
    for key, value in changes.items():
        setattr(run, key, value)
    return run
