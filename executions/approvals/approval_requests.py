"""Approval requests from targets: recorded once per task token with the steps that decide them,
who may see and decide them, and what waits for whom. Deciding is in ``decisions``."""

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import Action, allowed
from designer.deploy import clients
from designer.deploy.errors import TargetUnreachable
from designer.deploy.models import Target
from executions.approvals import notifications
from executions.approvals.models import (
    ApprovalDecision,
    ApprovalRequest,
    ApprovalStatus,
    ApprovalStep,
    DecisionOutcome,
)
from executions.models import ExecutionStatus, TaskToken, TaskTokenStatus
from symphony import crypto

logger = logging.getLogger(__name__)

# How long a claimed answer may be in flight before the request counts as open again: longer
# than a send can take (designer.deploy.clients: 2 attempts, 5 s to connect, 60 s to read).
SEND_LEASE = timedelta(minutes=5)
HISTORY_EVENTS = 100  # shown beside a request: where the execution came from, not all of it
MAX_STEPS = 10
MAX_QUORUM = 50


class ApprovalFieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ApprovalConflict(Exception):
    """The task token was asked for before, with other fields."""


@dataclass
class StepAsk:
    """Who decides one step: named users and groups (neither: any reviewer), how many of them
    must approve, and until when before the escalation groups may decide (or, with none, the
    request expires)."""

    users: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    quorum: int = 1
    deadline: datetime | None = None
    escalation_groups: list[str] = field(default_factory=list)
    name: str = ""

    def normal(self) -> list:
        return [
            self.name,
            sorted(self.users),
            sorted(self.groups),
            self.quorum,
            self.deadline and self.deadline.isoformat(),
            sorted(self.escalation_groups),
        ]


@dataclass
class Ask:
    """A request as a target asks it: one step from the top-level fields, or an ordered chain."""

    task_token: str
    title: str
    context: object
    users: list[str]
    groups: list[str]
    deadline: datetime | None
    execution_arn: str = ""
    quorum: int = 1
    escalation_groups: list[str] = field(default_factory=list)
    steps: list[StepAsk] | None = None

    def chain(self) -> list[StepAsk]:
        if self.steps:
            return self.steps
        return [StepAsk(self.users, self.groups, self.quorum, self.deadline, self.escalation_groups)]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _people(users: list[str], groups: list[str]) -> int:
    """How many active users the names stand for: a quorum larger than that can never be met."""
    who = get_user_model().objects.filter(is_active=True)
    return who.filter(Q(username__in=users) | Q(groups__name__in=groups)).distinct().count()


def _check_step(step: StepAsk, where: str) -> None:
    """``where``: the prefix of the step's field paths ("" at the top level, "steps[1]." in a chain)."""

    def at(name: str) -> str:
        return f"{where}{name}" if where else {"users": "approvers", "groups": "approvers"}.get(name, name)

    users = set(get_user_model().objects.filter(username__in=step.users).values_list("username", flat=True))
    if missing := sorted(set(step.users) - users):
        raise ApprovalFieldError(at("users"), f"No user is named {', '.join(missing)}.")
    for name, groups in (("groups", step.groups), ("escalation_groups", step.escalation_groups)):
        known = set(Group.objects.filter(name__in=groups).values_list("name", flat=True))
        if missing := sorted(set(groups) - known):
            raise ApprovalFieldError(at(name), f"No group is named {', '.join(missing)}.")
    if not 1 <= step.quorum <= MAX_QUORUM:
        raise ApprovalFieldError(at("quorum"), f"A quorum is 1 to {MAX_QUORUM} approvals.")
    if step.quorum > 1 and (step.users or step.groups):
        people = _people(step.users, step.groups)
        if step.quorum > people:
            message = f"The quorum is {step.quorum} but the approvers named are {people} people."
            raise ApprovalFieldError(at("quorum"), message)
    if step.escalation_groups and step.deadline is None:
        raise ApprovalFieldError(at("escalation_groups"), "Escalation needs a deadline to escalate at.")


def _check(ask: Ask) -> None:
    chain = ask.chain()
    if len(chain) > MAX_STEPS:
        raise ApprovalFieldError("steps", f"A chain has at most {MAX_STEPS} steps.")
    for position, step in enumerate(chain):
        _check_step(step, f"steps[{position}]." if ask.steps else "")


def create_request(
    target: Target | None, ask: Ask, *, task: TaskToken | None = None
) -> tuple[ApprovalRequest, bool]:
    """The request for ``ask.task_token`` and whether it is new: asking again with the same fields
    (a Lambda retry) finds the first one; with other fields it is a conflict. A target's request
    (``POST /api/approvals/``), or with ``task`` (and no target) a local run's, in its account."""
    _check(ask)
    token_sha256 = _sha256(ask.task_token)
    chain = ask.chain()
    fields = [ask.execution_arn, ask.title, ask.context, [step.normal() for step in chain]]
    request_sha256 = _sha256(json.dumps(fields, sort_keys=True))
    if task is not None:
        same = ApprovalRequest.objects.filter(task=task)
        account_id, source = task.execution.account_id, f"execution {task.execution_id}"
    else:
        assert target is not None
        same = ApprovalRequest.objects.filter(target=target, token_sha256=token_sha256)
        account_id, source = target.account_id, f"target {target.pk}"
    existing = same.first()
    if existing is None:
        try:
            with transaction.atomic():
                approval = ApprovalRequest.objects.create(
                    target=target,
                    task=task,
                    account_id=account_id,
                    token_sha256=token_sha256,
                    encrypted_task_token=crypto.encrypt(ask.task_token),
                    request_sha256=request_sha256,
                    execution_arn=ask.execution_arn,
                    title=ask.title,
                    context=ask.context,
                    deadline=chain[0].deadline,
                )
                ApprovalStep.objects.bulk_create(
                    ApprovalStep(
                        request=approval,
                        position=position,
                        name=step.name,
                        users=sorted(step.users),
                        groups=sorted(step.groups),
                        quorum=step.quorum,
                        deadline=step.deadline,
                        escalation_groups=sorted(step.escalation_groups),
                    )
                    for position, step in enumerate(chain)
                )
            logger.info("approval request %s from %s", approval.pk, source)
            transaction.on_commit(lambda: notifications.announce(approval, notifications.WAITING))
            return approval, True
        except IntegrityError:
            existing = same.first()
            if existing is None:  # not the same token asked at the same moment
                raise
    if existing.request_sha256 != request_sha256:
        raise ApprovalConflict(
            f"This task token was asked for already (request {existing.pk}) with other fields."
        )
    return existing, False


def open_requests(rows: QuerySet[ApprovalRequest]) -> QuerySet[ApprovalRequest]:
    """Requests a reviewer may decide: waiting, or claimed by a decision whose sending died with
    its process (older than any send lasts). Sending again is safe: a task answered already makes
    AWS refuse the second answer, which is then shown and kept."""
    stale = timezone.now() - SEND_LEASE
    return rows.filter(
        Q(status=ApprovalStatus.PENDING) | Q(status=ApprovalStatus.SENDING, decided_at__lt=stale)
    )


def waiting(rows: QuerySet[ApprovalRequest]) -> QuerySet[ApprovalRequest]:
    """Open requests whose workflow may still take an answer, for the inbox: a local run's
    callback that timed out, or whose execution ended, leaves nothing to decide."""
    return open_requests(rows).filter(
        Q(task__isnull=True)
        | Q(task__status=TaskTokenStatus.PENDING, task__execution__status=ExecutionStatus.RUNNING)
    )


def is_open(approval: ApprovalRequest) -> bool:
    return waiting(ApprovalRequest.objects.filter(pk=approval.pk)).exists()


def _groups_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def _named(user, step: ApprovalStep, groups: set[str]) -> bool:
    """Is ``user`` one of the step's approvers (any reviewer when it names none)?"""
    if not step.users and not step.groups:
        return True
    return user.get_username() in step.users or not groups.isdisjoint(step.groups)


def escalates_to(user, approval: ApprovalRequest, step: ApprovalStep, groups: set[str]) -> bool:
    return approval.escalated_at is not None and not groups.isdisjoint(step.escalation_groups)


def may_view(user, approval: ApprovalRequest) -> bool:
    """A reviewer named anywhere in the request (a step's approver or escalation group) sees its
    page, decided or not, whether or not it is their turn."""
    if not allowed(user, Action.DECIDE_APPROVALS):
        return False
    groups = _groups_of(user)
    return any(
        _named(user, step, groups) or not groups.isdisjoint(step.escalation_groups)
        for step in approval.steps.all()
    )


def in_current_step(user, approval: ApprovalRequest, groups: set[str] | None = None) -> bool:
    """May ``user`` decide the step that decides now (as its approver, or as its escalation
    group once it escalated)? Later steps wait for the earlier ones."""
    if not allowed(user, Action.DECIDE_APPROVALS):
        return False
    groups = _groups_of(user) if groups is None else groups
    step = approval.current_step
    return _named(user, step, groups) or escalates_to(user, approval, step, groups)


def approvals_so_far(approval: ApprovalRequest) -> QuerySet[ApprovalDecision]:
    """The approvals counted toward the current step's quorum."""
    return approval.decisions.filter(step=approval.step, outcome=DecisionOutcome.COUNTED)


def has_approved(user, approval: ApprovalRequest) -> bool:
    return approvals_so_far(approval).filter(username=user.get_username()).exists()


def approved_other_step(user, approval: ApprovalRequest) -> ApprovalStep | None:
    """The earlier step of the chain ``user`` approved, if any: separation of duties, one
    person approves one step of a request (a team lead cannot also be its security review)."""
    earlier = (
        approval.decisions.filter(username=user.get_username(), outcome=DecisionOutcome.COUNTED)
        .exclude(step=approval.step)
        .values_list("step", flat=True)
        .first()
    )
    return None if earlier is None else approval.steps.get(position=earlier)


def may_decide(user, approval: ApprovalRequest) -> bool:
    """Whether ``user`` may approve or reject ``approval`` now: open, their step's turn, and not
    approved by them already (this step or another)."""
    return (
        is_open(approval)
        and in_current_step(user, approval)
        and not has_approved(user, approval)
        and approved_other_step(user, approval) is None
    )


def target_client(target: Target):
    """The target's Step Functions client. A target that is this Symphony signs with its creator's
    key, inside the target's account."""
    if target.this_symphony and target.created_by is None:
        raise TargetUnreachable(
            f"Target {target.name}: the user who made it is gone; its publishers may remake it."
        )
    return clients.client(target, target.created_by)


def execution_history(approval: ApprovalRequest) -> tuple[list[dict], str]:
    """The waiting execution's first events (GetExecutionHistory) and, when the target does not
    give them (no ARN, no permission, unreachable), why not. A local run's is on its own page."""
    if approval.local:
        return [], ""
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
    """Requests waiting for a decision ``user`` may make now, longest waiting first: not those
    whose step is not theirs yet, nor those they approved already."""
    if not allowed(user, Action.DECIDE_APPROVALS):
        return []
    groups = _groups_of(user)
    rows = (
        waiting(ApprovalRequest.objects.all())
        .select_related("target", "task__execution")
        .prefetch_related("steps")
        .order_by("created_at", "id")
    )
    # Any step they approved takes the request off their list: this one's quorum counts them,
    # and another's bars them (separation of duties).
    approved = set(
        ApprovalDecision.objects.filter(
            username=user.get_username(), outcome=DecisionOutcome.COUNTED, request__in=rows
        ).values_list("request_id", flat=True)
    )
    return [
        approval
        for approval in rows
        if in_current_step(user, approval, groups) and approval.pk not in approved
    ]
