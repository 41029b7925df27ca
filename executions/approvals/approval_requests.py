"""Approval requests from targets: recorded once per task token, decided once, answered through
the target's boto3 client (designer.deploy.clients) with SendTaskSuccess or SendTaskFailure."""

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from botocore.exceptions import ClientError
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import Action, Denied, allowed, require
from designer.deploy import clients
from designer.deploy.errors import TargetUnreachable
from designer.deploy.models import Target
from executions.approvals import notifications
from executions.approvals.models import ApprovalDecision, ApprovalRequest, ApprovalStatus, DecisionOutcome
from symphony import crypto

logger = logging.getLogger(__name__)

# What SendTaskSuccess and SendTaskFailure answer when the token's task no longer waits (Step
# Functions API Reference, SendTaskSuccess, "Errors"): the request is decided but not taken.
# Longer than a send can take (designer.deploy.clients: 2 attempts, 5 s to connect, 60 s to read).
SEND_LEASE = timedelta(minutes=5)
HISTORY_EVENTS = 100  # shown beside a request: where the execution came from, not all of it
REFUSALS = {"TaskTimedOut", "InvalidToken", "TaskDoesNotExist", "InvalidOutput"}


class ApprovalFieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ApprovalConflict(Exception):
    """The task token was asked for before, with other fields."""


class AlreadyDecided(Exception):
    def __init__(self, approval: ApprovalRequest) -> None:
        super().__init__(f"{approval.title} was decided already.")
        self.approval = approval


@dataclass
class Ask:
    task_token: str
    title: str
    context: object
    users: list[str]
    groups: list[str]
    deadline: datetime | None
    execution_arn: str = ""


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _check_approvers(ask: Ask) -> None:
    known = set(get_user_model().objects.filter(username__in=ask.users).values_list("username", flat=True))
    if missing := sorted(set(ask.users) - known):
        raise ApprovalFieldError("approvers", f"No user is named {', '.join(missing)}.")
    known = set(Group.objects.filter(name__in=ask.groups).values_list("name", flat=True))
    if missing := sorted(set(ask.groups) - known):
        raise ApprovalFieldError("approvers", f"No group is named {', '.join(missing)}.")


def create_request(target: Target, ask: Ask) -> tuple[ApprovalRequest, bool]:
    """The request for ``ask.task_token`` and whether it is new: asking again with the same fields
    (a Lambda retry) finds the first one; with other fields it is a conflict."""
    _check_approvers(ask)
    token_sha256 = _sha256(ask.task_token)
    fields = [
        ask.execution_arn,
        ask.title,
        ask.context,
        sorted(ask.users),
        sorted(ask.groups),
        ask.deadline and ask.deadline.isoformat(),
    ]
    request_sha256 = _sha256(json.dumps(fields, sort_keys=True))
    existing = ApprovalRequest.objects.filter(target=target, token_sha256=token_sha256).first()
    if existing is None:
        try:
            with transaction.atomic():
                approval = ApprovalRequest.objects.create(
                    target=target,
                    account_id=target.account_id,
                    token_sha256=token_sha256,
                    encrypted_task_token=crypto.encrypt(ask.task_token),
                    request_sha256=request_sha256,
                    execution_arn=ask.execution_arn,
                    title=ask.title,
                    context=ask.context,
                    approver_users=sorted(ask.users),
                    approver_groups=sorted(ask.groups),
                    deadline=ask.deadline,
                )
            logger.info("approval request %s from target %s", approval.pk, target.pk)
            transaction.on_commit(lambda: notifications.request_arrived(approval))
            return approval, True
        except IntegrityError:
            existing = ApprovalRequest.objects.filter(target=target, token_sha256=token_sha256).first()
            if existing is None:  # not the same token asked at the same moment
                raise
    if existing.request_sha256 != request_sha256:
        raise ApprovalConflict(
            f"This task token was asked for already (request {existing.pk}) with other fields."
        )
    return existing, False


def _open(rows: QuerySet[ApprovalRequest]) -> QuerySet[ApprovalRequest]:
    """Requests a reviewer may decide: waiting, or claimed by a decision whose sending died with
    its process (older than any send lasts). Sending again is safe: a task answered already makes
    AWS refuse the second answer, which is then shown and kept."""
    stale = timezone.now() - SEND_LEASE
    return rows.filter(
        Q(status=ApprovalStatus.PENDING) | Q(status=ApprovalStatus.SENDING, decided_at__lt=stale)
    )


def is_open(approval: ApprovalRequest) -> bool:
    return _open(ApprovalRequest.objects.filter(pk=approval.pk)).exists()


def may_decide(user, approval: ApprovalRequest, groups: set[str] | None = None) -> bool:
    """A reviewer, and one of the approvers the request names (any reviewer when it names none).
    ``groups``: the user's group names, when the caller has them already."""
    if not allowed(user, Action.DECIDE_APPROVALS):
        return False
    if not approval.approver_users and not approval.approver_groups:
        return True
    if user.get_username() in approval.approver_users:
        return True
    if groups is None:
        groups = set(user.groups.values_list("name", flat=True))
    return not groups.isdisjoint(approval.approver_groups)


def decide(
    approval: ApprovalRequest, user, *, approve: bool, comment: str, address: str | None = None
) -> ApprovalRequest:
    """Claim the request for ``user`` (one reviewer wins), then answer the target. The outcome is
    on the row: APPROVED or REJECTED when the target took it, REFUSED with AWS's error when the
    task no longer waits, PENDING again with the error when the target could not be reached.
    Every attempt, the late ones too, is an ApprovalDecision row."""
    require(user, Action.DECIDE_APPROVALS)
    if not may_decide(user, approval):
        raise Denied(Action.DECIDE_APPROVALS, "This request names other approvers.")
    now = timezone.now()
    claimed = _open(ApprovalRequest.objects.filter(pk=approval.pk)).update(
        status=ApprovalStatus.SENDING,
        approve=approve,
        comment=comment,
        decided_by=user,
        decided_at=now,
        answer_error="",
        answer_message="",
    )
    approval.refresh_from_db()
    attempt = ApprovalDecision(
        request=approval,
        user=user,
        username=user.get_username(),
        approve=approve,
        comment=comment,
        address=address,
    )
    if not claimed:
        attempt.outcome = DecisionOutcome.LATE
        attempt.save()
        raise AlreadyDecided(approval)
    _answer(approval, user)
    approval.save()
    attempt.outcome = {
        ApprovalStatus.REFUSED: DecisionOutcome.REFUSED,
        ApprovalStatus.PENDING: DecisionOutcome.UNSENT,
    }.get(approval.status, DecisionOutcome.TAKEN)
    attempt.error = approval.answer_error
    attempt.save()
    return approval


def target_client(target: Target):
    """The target's Step Functions client. A target that is this Symphony signs with its creator's
    key, inside the target's account."""
    if target.this_symphony and target.created_by is None:
        raise TargetUnreachable(
            f"Target {target.name}: the user who made it is gone; its publishers may remake it."
        )
    return clients.client(target, target.created_by)


def _answer(approval: ApprovalRequest, user) -> None:
    """Send the decision; set the row's status from what the target said."""
    token = crypto.decrypt(approval.encrypted_task_token)
    reviewer = user.get_username()
    target = approval.target
    try:
        sfn = target_client(target)
        if approval.approve:
            # The answer the approval page sends for local runs: one shape for both worlds.
            output = {"approved": True, "reviewer": reviewer, "comment": approval.comment}
            sfn.send_task_success(taskToken=token, output=json.dumps(output))
        else:
            sfn.send_task_failure(
                taskToken=token, error="Rejected", cause=f"{approval.comment} (rejected by {reviewer})"
            )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        message = clients.describe_error(error).replace(token, "[task token]")
        if code in REFUSALS or 400 <= status < 500:
            approval.status = ApprovalStatus.REFUSED
            approval.answer_error, approval.answer_message = code or str(status), message
        else:
            _unsent(approval, code or "Unreachable", message)
        logger.warning(
            "approval request %s: target %s answered %s to %s's decision",
            approval.pk,
            target.pk,
            code,
            reviewer,
        )
        return
    except (TargetUnreachable, *clients.CALL_ERRORS) as error:
        _unsent(approval, "Unreachable", clients.describe_error(error).replace(token, "[task token]"))
        logger.warning(
            "approval request %s: target %s unreachable with %s's decision", approval.pk, target.pk, reviewer
        )
        return
    approval.status = ApprovalStatus.APPROVED if approval.approve else ApprovalStatus.REJECTED


def _unsent(approval: ApprovalRequest, code: str, message: str) -> None:
    """Not delivered: waiting again (the error kept, to show), so a reviewer may try again."""
    approval.status = ApprovalStatus.PENDING
    approval.approve = approval.decided_by = approval.decided_at = None
    approval.answer_error, approval.answer_message = code, message


def execution_history(approval: ApprovalRequest) -> tuple[list[dict], str]:
    """The waiting execution's first events (GetExecutionHistory) and, when the target does not
    give them (no ARN, no permission, unreachable), why not."""
    if not approval.execution_arn:
        return [], "The workflow did not say which execution asks ($$.Execution.Id)."
    try:
        answer = target_client(approval.target).get_execution_history(
            executionArn=approval.execution_arn, maxResults=HISTORY_EVENTS, includeExecutionData=False
        )
    except (TargetUnreachable, *clients.CALL_ERRORS) as error:
        return [], clients.describe_error(error)
    return answer["events"], ""


def pending_for(user) -> list[ApprovalRequest]:
    """Requests waiting for a decision ``user`` may make, longest waiting first."""
    if not allowed(user, Action.DECIDE_APPROVALS):
        return []
    groups = set(user.groups.values_list("name", flat=True))
    rows = _open(ApprovalRequest.objects.all()).select_related("target").order_by("created_at", "id")
    return [approval for approval in rows if may_decide(user, approval, groups)]
