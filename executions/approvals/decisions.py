"""Deciding an approval request, and answering the target with SendTaskSuccess / SendTaskFailure
through its boto3 client (designer.deploy.clients).

The rules, in order of the steps (a request without a chain has one step):
- a step needs its quorum of approvals (1 unless asked), each from a different person; a
  reviewer cannot approve a step twice, nor approve two steps of one chain (separation of
  duties: the refused attempt is kept, outcome DENIED);
- once a step has escalated (its deadline passed), one approval from its escalation group
  completes it: the group stands above the step's approvers;
- a completed step hands the request to the next one; the last one's completion sends
  SendTaskSuccess;
- one rejection, at any step, rejects the request: SendTaskFailure with error ``Rejected``;
- a local run's request (``task``) is answered in the local runner, as its waiting-step page
  answers (``executions.services.tokens``), not through a target's client;
- a deadline that passes with no escalation group expires the request: SendTaskFailure with
  error ``Approval.Expired`` (``expire``, called by the periodic loop in ``clock``).

Reviewers deciding at once are serialised by a row update on the request (``revision``), in the
transaction that records the decision, so exactly one completes a quorum and the others count
before it or come late. Every attempt, the late and the refused included, is an ApprovalDecision
row: the audit trail.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from botocore.exceptions import ClientError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.permissions import Action, Denied, require
from designer.deploy import clients
from designer.deploy.errors import TargetUnreachable
from executions import live, runner
from executions.approvals import notifications
from executions.approvals.approval_requests import (
    approvals_so_far,
    approved_other_step,
    escalates_to,
    in_current_step,
    may_view,
    open_requests,
    target_client,
)
from executions.approvals.models import ApprovalDecision, ApprovalRequest, ApprovalStatus, DecisionOutcome
from executions.exceptions import StepFunctionsError
from executions.services import tokens
from symphony import crypto

logger = logging.getLogger(__name__)

# What SendTaskSuccess and SendTaskFailure answer when the token's task no longer waits (Step
# Functions API Reference, SendTaskSuccess, "Errors"): the request is decided but not taken.
REFUSALS = {"TaskTimedOut", "InvalidToken", "TaskDoesNotExist", "InvalidOutput"}
EXPIRED_ERROR = "Approval.Expired"


class AlreadyDecided(Exception):
    def __init__(self, approval: ApprovalRequest) -> None:
        super().__init__(f"{approval.title} was decided already.")
        self.approval = approval

    @property
    def who(self) -> str:
        """Who decided first: a reviewer, the deadline, or the run that stopped waiting."""
        if self.approval.decided_by is not None:
            return self.approval.decided_by.get_username()
        return "the run's end" if self.approval.status == ApprovalStatus.CLOSED else "the deadline"


class NotYourTurn(Exception):
    """The request waits for another step's approvers (the chain moved on, or is not there yet)."""


class ApprovedAlready(Exception):
    """This reviewer's approval is counted already: one person is one approval."""


class SeparationOfDuties(Exception):
    """This reviewer approved another step of the chain: one person approves one step."""


@dataclass
class _Recorded:
    send: bool  # the decision completes the request: answer the target
    attempt: ApprovalDecision | None = None
    refusal: Exception | None = None


def decide(
    approval: ApprovalRequest, user, *, approve: bool, comment: str, address: str | None = None
) -> ApprovalRequest:
    """Record ``user``'s decision and, when it completes the request, answer the target. The
    outcome is on the row: PENDING while approvals are missing (the step may have moved on),
    APPROVED or REJECTED when the target took the answer, REFUSED with AWS's error when the task
    no longer waits, PENDING again with the error when the target could not be reached."""
    require(user, Action.DECIDE_APPROVALS)
    if not may_view(user, approval):
        raise Denied(Action.DECIDE_APPROVALS, "This request names other approvers.")
    with transaction.atomic():
        recorded = _record(approval, user, approve, comment, address)
    if recorded.refusal is not None:
        raise recorded.refusal
    if not recorded.send:
        return approval
    attempt = recorded.attempt
    assert attempt is not None
    _answer(approval, user)
    approval.save()
    attempt.outcome = {
        ApprovalStatus.REFUSED: DecisionOutcome.REFUSED,
        ApprovalStatus.PENDING: DecisionOutcome.UNSENT,
    }.get(approval.status, DecisionOutcome.TAKEN)
    attempt.error = approval.answer_error
    attempt.save()
    if approval.status != ApprovalStatus.PENDING:
        notifications.announce(approval, approval.status)
    live.ring_approvals()
    return approval


def _record(approval: ApprovalRequest, user, approve: bool, comment: str, address: str | None) -> _Recorded:
    """Inside the transaction: lock the request (a row update, which waits for a concurrent
    decision's commit), then count, advance or claim it."""
    now = timezone.now()
    # A claim whose sending died (open again after the lease) starts over from waiting.
    locked = open_requests(ApprovalRequest.objects.filter(pk=approval.pk)).update(
        revision=F("revision") + 1,
        status=ApprovalStatus.PENDING,
        approve=None,
        decided_by=None,
        decided_at=None,
    )
    approval.refresh_from_db()
    attempt = ApprovalDecision(
        request=approval,
        step=approval.step,
        user=user,
        username=user.get_username(),
        approve=approve,
        comment=comment,
        address=address,
    )
    if not locked:
        attempt.outcome = DecisionOutcome.LATE
        attempt.save()
        return _Recorded(False, refusal=AlreadyDecided(approval))
    steps = list(approval.steps.all())
    step = steps[approval.step]
    groups = set(user.groups.values_list("name", flat=True))
    if not in_current_step(user, approval, groups):
        return _Recorded(False, refusal=NotYourTurn(f"This request waits for {step.label} first."))
    counted = list(approvals_so_far(approval).values_list("username", flat=True))
    if approve and attempt.username in counted:
        return _Recorded(False, refusal=ApprovedAlready("You approved this step already."))
    if approve and (earlier := approved_other_step(user, approval)) is not None:
        # Kept, unlike the refusals above (a second click, a stale page): an attempt to hold
        # two duties is the audit log's business.
        attempt.outcome = DecisionOutcome.DENIED
        attempt.save()
        message = (
            f"You approved {earlier.label} of this request; {step.label} needs another person's "
            "approval (separation of duties)."
        )
        return _Recorded(False, refusal=SeparationOfDuties(message))
    if approve and len(counted) + 1 < step.quorum and not escalates_to(user, approval, step, groups):
        attempt.outcome = DecisionOutcome.COUNTED
        attempt.save()
        transaction.on_commit(live.ring_approvals)
        return _Recorded(False)
    if approve and approval.step + 1 < len(steps):
        attempt.outcome = DecisionOutcome.COUNTED
        attempt.save()
        following = steps[approval.step + 1]
        approval.step, approval.deadline, approval.escalated_at = following.position, following.deadline, None
        approval.save(update_fields=["step", "deadline", "escalated_at"])
        transaction.on_commit(lambda: notifications.announce(approval, notifications.WAITING))
        return _Recorded(False)
    approval.status = ApprovalStatus.SENDING
    approval.approve, approval.comment = approve, comment
    approval.decided_by, approval.decided_at = user, now
    approval.answer_error = approval.answer_message = ""
    approval.save()
    return _Recorded(True, attempt)


def _output(approval: ApprovalRequest, reviewer: str) -> dict:
    """The answer the approval page sends for local runs: one shape for both worlds. A request
    that took several approvals lists them all, oldest first."""
    output: dict = {"approved": True, "reviewer": reviewer, "comment": approval.comment}
    earlier = approval.decisions.filter(outcome=DecisionOutcome.COUNTED).order_by("at", "id")
    if earlier.exists():
        labels = {step.position: step.label for step in approval.steps.all()}
        approvals = [
            {"reviewer": d.username, "comment": d.comment, "step": labels.get(d.step, "")} for d in earlier
        ]
        approvals.append({"reviewer": reviewer, "comment": approval.comment, "step": labels[approval.step]})
        output["approvals"] = approvals
    return output


def _answer(approval: ApprovalRequest, user) -> None:
    """Send the decision; set the row's status from what the target said."""
    reviewer = user.get_username()
    if approval.approve:
        output = json.dumps(_output(approval, reviewer))
        _send(
            approval,
            ApprovalStatus.APPROVED,
            lambda sfn, token: sfn.send_task_success(taskToken=token, output=output),
        )
    else:
        cause = f"{approval.comment} (rejected by {reviewer})"
        _send(
            approval,
            ApprovalStatus.REJECTED,
            lambda sfn, token: sfn.send_task_failure(taskToken=token, error="Rejected", cause=cause),
        )


def _send(approval: ApprovalRequest, done: str, call) -> None:
    token = crypto.decrypt(approval.encrypted_task_token)
    if approval.local:
        _send_local(approval, done, call, token)
        return
    target = approval.target
    try:
        call(target_client(target), token)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        message = clients.describe_error(error).replace(token, "[task token]")
        if code in REFUSALS or 400 <= status < 500:
            approval.status = ApprovalStatus.REFUSED
            approval.answer_error, approval.answer_message = code or str(status), message
        else:
            _unsent(approval, code or "Unreachable", message)
        logger.warning("approval request %s: target %s answered %s", approval.pk, target.pk, code)
        return
    except (TargetUnreachable, *clients.CALL_ERRORS) as error:
        _unsent(approval, "Unreachable", clients.describe_error(error).replace(token, "[task token]"))
        logger.warning("approval request %s: target %s unreachable", approval.pk, target.pk)
        return
    approval.status = done


class _LocalRunner:
    """SendTaskSuccess / SendTaskFailure for a local run's token: the local runner's own answer
    (as the waiting-step page gives it), in the request's account, then a wake for the run."""

    def __init__(self, approval: ApprovalRequest) -> None:
        self.approval = approval

    def send_task_success(self, taskToken: str, output: str) -> None:
        tokens.send_task_success(taskToken, self.approval.account_id, output)

    def send_task_failure(self, taskToken: str, error: str, cause: str) -> None:
        tokens.send_task_failure(taskToken, self.approval.account_id, error=error, cause=cause)


def _send_local(approval: ApprovalRequest, done: str, call, token: str) -> None:
    try:
        call(_LocalRunner(approval), token)
    except StepFunctionsError as error:
        # The callback no longer waits (timed out, stopped, ended): as AWS refuses it.
        approval.status = ApprovalStatus.REFUSED
        approval.answer_error, approval.answer_message = error.code, error.message
        logger.warning("approval request %s: the local run answered %s", approval.pk, error.code)
        return
    runner.notify(approval.task.execution_id)
    approval.status = done


def _unsent(approval: ApprovalRequest, code: str, message: str) -> None:
    """Not delivered: waiting again (the error kept, to show), so a reviewer may try again."""
    approval.status = ApprovalStatus.PENDING
    approval.approve = approval.decided_by = approval.decided_at = None
    approval.answer_error, approval.answer_message = code, message


def expire(approval: ApprovalRequest, now: datetime) -> bool:
    """The step's deadline passed and nobody may escalate: answer SendTaskFailure with
    ``Approval.Expired``. Returns whether this call claimed it. A target that cannot be reached
    leaves the request waiting (past its deadline), for the next pass to try again."""
    claimed = (
        open_requests(ApprovalRequest.objects.filter(pk=approval.pk))
        .filter(deadline__lte=now, escalated_at__isnull=True, step=approval.step)
        .update(
            status=ApprovalStatus.SENDING,
            approve=False,
            decided_by=None,
            decided_at=now,
            comment="",
            revision=F("revision") + 1,
        )
    )
    if not claimed:
        return False
    approval.refresh_from_db()
    step = approval.current_step
    deadline = approval.deadline.isoformat() if approval.deadline else "its deadline"
    cause = f"Nobody decided {step.label} of “{approval.title}” by {deadline}."
    approval.comment = cause
    _send(
        approval,
        ApprovalStatus.EXPIRED,
        lambda sfn, token: sfn.send_task_failure(taskToken=token, error=EXPIRED_ERROR, cause=cause),
    )
    approval.save()
    if approval.status != ApprovalStatus.PENDING:
        outcome = (
            DecisionOutcome.EXPIRED if approval.status == ApprovalStatus.EXPIRED else DecisionOutcome.REFUSED
        )
        ApprovalDecision.objects.create(
            request=approval,
            step=approval.step,
            username="",
            approve=False,
            comment=cause,
            outcome=outcome,
            error=approval.answer_error,
        )
        notifications.announce(approval, approval.status)
    live.ring_approvals()
    return True


def escalate(approval: ApprovalRequest, now: datetime) -> bool:
    """The step's deadline passed: its escalation groups may decide it from now on (and are told)."""
    escalated = ApprovalRequest.objects.filter(
        pk=approval.pk,
        status=ApprovalStatus.PENDING,
        step=approval.step,
        deadline__lte=now,
        escalated_at__isnull=True,
    ).update(escalated_at=now, revision=F("revision") + 1)
    if not escalated:
        return False
    approval.refresh_from_db()
    notifications.announce(approval, notifications.ESCALATED)
    return True
