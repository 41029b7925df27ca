"""Executions: start (idempotent by name, as on AWS), look up, stop, fail, and the runs the
designer starts from a workflow version."""

import secrets
import time
import uuid
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from executions import arns, live
from executions.exceptions import (
    ExecutionAlreadyExists,
    ExecutionDoesNotExist,
    InvalidArn,
    InvalidExecutionInput,
    StateMachineDoesNotExist,
    StateMachineTypeNotSupported,
    ThrottlingException,
    ValidationException,
)
from executions.models import (
    Execution,
    ExecutionStatus,
    HistoryEvent,
    StateMachine,
    StateMachineAlias,
    StateMachineType,
    StateMachineVersion,
    TaskToken,
    TaskTokenStatus,
)
from executions.services import leases, map_runs
from executions.services.machines import (
    get_state_machine,
    get_version,
)
from executions.services.payloads import parse_json_payload
from symphony.db.prepared import PreparedQuery, insert


def _resolve_target(
    arn: str, account: str
) -> tuple[StateMachine, StateMachineVersion | None, StateMachineAlias | None]:
    """The state machine, version and alias a StartExecution ARN names in the caller's account
    (an alias picks a version by its routing weights)."""
    qualifier = arns.qualifier(arn)
    if qualifier is None:
        return get_state_machine(arn, account), None, None
    arns.owned(arn, account, StateMachineDoesNotExist, f"State Machine Does Not Exist: '{arn}'")
    if qualifier.isdigit():
        version = StateMachineVersion.objects.select_related("state_machine").filter(arn=arn).first()
        if version is None:
            raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
        return version.state_machine, version, None
    alias = StateMachineAlias.objects.select_related("state_machine").filter(arn=arn).first()
    if alias is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    pick = secrets.randbelow(100)
    for entry in alias.routing_configuration:
        if pick < entry["weight"]:
            return alias.state_machine, get_version(entry["stateMachineVersionArn"], account), alias
        pick -= entry["weight"]
    last = alias.routing_configuration[-1]["stateMachineVersionArn"]
    return alias.state_machine, get_version(last, account), alias


def start_execution(
    state_machine_arn: str,
    account: str,
    *,
    name: str | None = None,
    input: str | None = None,
    trace_header: str = "",
    owner_id: int | None = None,
    express: bool = False,
    lease: str | None = None,
) -> tuple[Execution, bool]:
    """Create a RUNNING execution; ``(execution, created)``. AWS's idempotency by name: the same
    name and input while it runs returns the running one; anything else is ExecutionAlreadyExists.

    ``lease`` (a runner's owner): the runner of this process claims the execution as it is
    inserted, so it starts at once, without a claim after the insert. (An express one is run at
    most once, as on AWS: a crash of this process before or while it runs ends it there.)"""
    machine, version, alias = _resolve_target(state_machine_arn, account)
    if express != (machine.type == StateMachineType.EXPRESS) and express:
        raise StateMachineTypeNotSupported("This operation is not supported by this type of state machine")
    name = arns.validate_name(name) if name is not None else str(uuid.uuid4())
    input_text = parse_json_payload(input, InvalidExecutionInput, "Execution input")
    if machine.type == StateMachineType.EXPRESS:
        arn = arns.express_execution(machine.arn, name, str(uuid.uuid4()))
    else:
        arn = arns.execution(machine.arn, name)
    _admit()
    source = version or machine
    try:
        # Insert first: a name taken is rare, and the unique ARN finds it without a lookup
        # before every start.
        with transaction.atomic():
            # Read inside: on SQLite the transaction began by waiting for the write lock, and
            # startDate is when the start was accepted, not when it asked.
            now = timezone.now()
            execution = Execution(
                arn=arn,
                name=name,
                state_machine=machine,
                state_machine_arn=machine.arn,
                state_machine_name=machine.name,
                version_arn=version.arn if version else "",
                alias_arn=alias.arn if alias else "",
                type=machine.type,
                definition=source.definition,
                role_arn=source.role_arn,
                input=input_text,
                trace_header=trace_header,
                started_at=now,
                owner_id=owner_id,
                account_id=machine.account_id,
                lease_owner=lease or "",
            )
            insert(execution)
    except IntegrityError:
        existing = Execution.objects.filter(arn=arn).first()
        if existing is not None and existing.is_running and existing.input == input_text:
            return existing, False
        raise ExecutionAlreadyExists(f"Execution Already Exists: '{arn}'") from None
    return execution, True


_pending = {"count": 0, "at": 0.0}


def _admit() -> None:
    """Admission control: a flood of starts beyond what the runners pick up is refused with
    AWS's throttling answer (boto3 retries it), so due timers and running executions are never
    starved by new starts and no start is lost. Far from the limit, the count is trusted for a
    moment instead of read at every start."""
    limit = int(getattr(settings, "SYMPHONY_MAX_PENDING_STARTS", 1000))
    now = time.monotonic()
    if _pending["count"] >= limit // 2 or now - _pending["at"] >= 0.5:
        _pending.update(count=leases.pending_starts(limit), at=now)
    if _pending["count"] >= limit:
        raise ThrottlingException("Rate exceeded")
    _pending["count"] += 1  # this start, until the next read


def get_execution(arn: str, account: str, *, described: bool = False) -> Execution:
    """The caller's execution by ARN; ``described``: without what DescribeExecution never
    shows (the checkpoint, the definition), which clients poll for while it runs."""
    parsed = arns.owned(arn, account, ExecutionDoesNotExist, f"Execution Does Not Exist: '{arn}'")
    if parsed.resource_type not in {"execution", "express"}:
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    found = (_DESCRIBED_BY_ARN if described else _BY_ARN).first(arn)
    if found is None:
        raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{arn}'")
    return found


def described(arn: str) -> Execution:
    """An execution known to exist, as DescribeExecution shows it (``get_execution``'s
    ``described``), by ARN alone: StartSyncExecution's answer."""
    return _DESCRIBED_BY_ARN.first(arn)


# What clients poll (DescribeExecution) and the other calls by ARN, compiled once.
_BY_ARN = PreparedQuery(lambda arn: Execution.objects.filter(arn=arn))
_DESCRIBED_BY_ARN = PreparedQuery(
    lambda arn: Execution.objects.defer("checkpoint", "definition").filter(arn=arn)
)


def _close_execution(
    execution_id: int, *, event_type: str, details: dict, status: str, error: str | None, cause: str | None
) -> Execution:
    """Append the terminal event of a running execution and close it, unless it already ended.
    The update is conditional on the last event id, so it never interleaves with a runner's
    commit: whichever commits second sees the other's change (and the runner stops)."""
    while True:
        row = Execution.objects.get(pk=execution_id)
        if row.status != ExecutionStatus.RUNNING:
            return row
        now = timezone.now()
        event_id = row.last_event_id + 1
        with transaction.atomic():
            updated = Execution.objects.filter(
                pk=row.pk, status=ExecutionStatus.RUNNING, last_event_id=row.last_event_id
            ).update(
                status=status,
                last_event_id=event_id,
                stopped_at=now,
                error=error,
                cause=cause,
                lease_owner="",
            )
            if not updated:
                continue
            HistoryEvent.objects.create(
                execution_id=row.pk,
                event_id=event_id,
                previous_event_id=row.last_event_id,
                type=event_type,
                timestamp=now,
                details=details,
            )
            TaskToken.objects.filter(execution_id=row.pk, status=TaskTokenStatus.PENDING).update(
                status=TaskTokenStatus.TIMED_OUT
            )
            transaction.on_commit(partial(live.publish, row.pk, event_id, status))
        return Execution.objects.get(pk=row.pk)


def stop_execution(
    arn: str, account: str, *, error: str | None = None, cause: str | None = None
) -> Execution:
    """Abort a running execution (ExecutionAborted); a finished one is left as it is."""
    execution = get_execution(arn, account)
    if execution.type == StateMachineType.EXPRESS:
        raise ValidationException("Express executions cannot be stopped")
    if execution.map_run_id is not None:
        # Its parent's runner advances it; stopping the parent stops its map runs.
        raise ValidationException(
            f"Execution '{arn}' is a child execution of a Map Run: stop its parent execution"
        )
    fields = {k: v for k, v in (("error", error), ("cause", cause)) if v is not None}
    with transaction.atomic():
        stopped = _close_execution(
            execution.pk,
            event_type="ExecutionAborted",
            details={"executionAbortedEventDetails": fields} if fields else {},
            status=ExecutionStatus.ABORTED,
            error=error,
            cause=cause,
        )
        map_runs.abort_running(stopped.pk, stopped.stopped_at)
    return stopped


def fail_execution(execution_id: int, error: str, cause: str) -> Execution:
    """Fail an execution the runner could not advance (a bug of ours, reported as AWS would)."""
    return _close_execution(
        execution_id,
        event_type="ExecutionFailed",
        details={"executionFailedEventDetails": {"error": error, "cause": cause}},
        status=ExecutionStatus.FAILED,
        error=error,
        cause=cause,
    )


STRANDED_CAUSE = (
    "The runner process running this express execution stopped before it ended. Express "
    "executions run at most once, as on AWS: it was not run again."
)


def fail_stranded_express(runner: str, limit: int = 100) -> list[int]:
    """Fail the express executions whose runner died (its heartbeat lapsed), as seen by another
    ``runner``: unlike a standard one, nobody takes them over, and they would show RUNNING for
    ever. A runner that only stalled finds its execution ended at its next commit, and stops."""
    stranded = leases.stranded_express(runner, limit)
    for pk in stranded:
        fail_execution(pk, "States.Runtime", STRANDED_CAUSE)
    return stranded


def run_workflow_version(version, *, input: str | None, user, region: str = arns.DEFAULT_REGION) -> Execution:
    """Start an execution of a designer workflow version (see ``executions.services.runs``)."""
    from executions.services.runs import start_workflow_run

    return start_workflow_run(version.workflow, user, input=input, version=version, region=region)
