"""``symphony-request-approval`` in Symphony's own runner: the "Human approval" pattern's Task
(``lambda:invoke.waitForTaskToken``) runs unchanged here and in AWS.

In AWS the function is ``lambda_handler`` posting to ``POST /api/approvals/``; here Symphony
answers the invocation itself, for every account (unless the account has a function of that
name, which wins: ``executions.functions.resources``). The payload is read as the Lambda handler
sends it and checked by the API's own serializer and ``create_request``; the request is the
local run's (its TaskToken, its account), so a reviewer's decision goes back to the local runner
(``decisions``). It returns at once, as the Lambda does: the Task then waits for its token.

A bad payload fails the Task with ``Approval.InvalidRequest`` and the field at fault.

A local request whose run ended, or whose step stopped waiting (timed out, or answered another
way), is closed by the approvals loop (``close_stale``): status CLOSED with the reason, recorded
in the audit log, so it does not sit PENDING with nothing left to decide.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import close_old_connections
from django.db.models import F, Q

from executions.approvals import notifications
from executions.approvals.api import ApprovalRequestSerializer, ask_of
from executions.approvals.approval_requests import (
    ApprovalConflict,
    ApprovalFieldError,
    create_request,
    open_requests,
)
from executions.approvals.models import ApprovalDecision, ApprovalRequest, ApprovalStatus, DecisionOutcome
from executions.integrations.lambda_ import HandlerError
from executions.models import ExecutionStatus, TaskToken, TaskTokenStatus

FUNCTION_NAME = "symphony-request-approval"
INVALID = "Approval.InvalidRequest"
# The Lambda handler's payload names (lambda_handler._body) and the API's.
RENAMED = {"taskToken": "task_token", "execution": "execution_arn"}
FIELDS = ("title", "context", "approvers", "deadline", "quorum", "escalation_groups", "steps")


def _first_error(errors: Any, path: str = "") -> tuple[str, str]:
    """The first field error of a DRF error tree as (``steps[1].quorum``, its message)."""
    if isinstance(errors, dict):
        name, inner = next(iter(errors.items()))
        if name == "non_field_errors":
            return _first_error(inner, path)
        return _first_error(inner, f"{path}.{name}" if path else name)
    if isinstance(errors, list):
        for index, inner in enumerate(errors):
            if inner:
                if isinstance(inner, dict | list):
                    return _first_error(inner, f"{path}[{index}]")
                return path or "payload", str(inner)
    return path or "payload", str(errors)


def _invalid(field: str, message: str) -> HandlerError:
    return HandlerError(INVALID, f"{field}: {message}")


class RequestApproval:
    """The built-in function of one account's runs (``execution_id``: the run whose Tasks call
    it, when known): ``handler(event, context)`` as a local function is called."""

    def __init__(self, account: str, execution_id: int | None) -> None:
        self.account = account
        self.execution_id = execution_id

    def __call__(self, event: Any, context: Any) -> dict:
        try:
            return self._request(event)
        finally:
            close_old_connections()  # called in the engine's worker thread

    def _request(self, event: Any) -> dict:
        if not isinstance(event, dict):
            raise _invalid("payload", "The payload is a JSON object (taskToken, title, context, approvers).")
        token = event.get("taskToken")
        if not isinstance(token, str) or not token:
            raise _invalid("taskToken", 'The payload has no taskToken (pass "taskToken.$": "$$.Task.Token").')
        waiting = TaskToken.objects.select_related("execution").filter(
            token=token,
            execution__account_id=self.account,
            status=TaskTokenStatus.PENDING,
            activity__isnull=True,
        )
        if self.execution_id is not None:
            waiting = waiting.filter(execution_id=self.execution_id)
        task = waiting.first()
        if task is None:
            raise _invalid("taskToken", "Not the token of a task waiting in this run (pass $$.Task.Token).")
        body = {"task_token": token, "title": event.get("title") or "Approval requested"}
        body.update({name: event[name] for name in FIELDS if event.get(name) is not None})
        # The request is this run's, whatever the payload says it is.
        body["execution_arn"] = task.execution.arn
        serializer = ApprovalRequestSerializer(data=body)
        if not serializer.is_valid():
            field, message = _first_error(serializer.errors)
            raise _invalid({v: k for k, v in RENAMED.items()}.get(field, field), message)
        try:
            approval, _ = create_request(None, ask_of(serializer.validated_data), task=task)
        except ApprovalFieldError as error:
            raise _invalid(error.field, error.message) from None
        except ApprovalConflict as error:
            raise _invalid("taskToken", str(error)) from None
        # What the Lambda returns: the request's id and page, never the token.
        return {"id": approval.pk, "status": approval.status, "url": notifications.link(approval)}


def _why_closed(task: TaskToken) -> str:
    execution = task.execution
    if execution.status != ExecutionStatus.RUNNING:
        return f"The run ended ({execution.status}) before anyone decided."
    if task.status == TaskTokenStatus.TIMED_OUT:
        return f"Step {task.state_name} timed out (States.Timeout) before anyone decided."
    answer = "SendTaskSuccess" if task.status == TaskTokenStatus.SUCCEEDED else "SendTaskFailure"
    return f"Step {task.state_name} was answered another way ({answer}) before anyone decided."


def stale(rows):
    """Open local requests whose run no longer waits for them."""
    return (
        open_requests(rows)
        .filter(task__isnull=False)
        .filter(
            ~Q(task__status=TaskTokenStatus.PENDING) | ~Q(task__execution__status=ExecutionStatus.RUNNING)
        )
    )


def close_stale(now: datetime) -> int:
    """Close each open local request whose run ended or whose step stopped waiting; returns how
    many this call closed (a conditional update: of two loops, one closes each)."""
    closed = 0
    for approval in stale(ApprovalRequest.objects.all()).select_related("task__execution"):
        why = _why_closed(approval.task)
        if not stale(ApprovalRequest.objects.filter(pk=approval.pk)).update(
            status=ApprovalStatus.CLOSED,
            approve=None,
            decided_by=None,
            decided_at=now,
            comment=why,
            revision=F("revision") + 1,
        ):
            continue
        approval.refresh_from_db()
        ApprovalDecision.objects.create(
            request=approval,
            step=approval.step,
            username="",
            approve=False,
            comment=why,
            outcome=DecisionOutcome.CLOSED,
        )
        notifications.announce(approval, ApprovalStatus.CLOSED)
        closed += 1
    return closed
