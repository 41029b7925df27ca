"""The reviewers' inbox: ``.waitForTaskToken`` steps of running executions that wait for a person
and approval requests (from targets, workflows running in AWS, and from local runs' "Human
approval" steps, ``executions.approvals``), the page
that lists them and the count in the navigation bar. Deciding happens on each one's approval page
(``views.task_approval``, ``approvals.views.approval_request``); holding
``executions.decide_approval`` (the reviewers role) is what makes someone a reviewer.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.permissions import Action, allowed, require
from accounts.services import account_id_for
from executions import live
from executions.approvals.approval_requests import pending_for
from executions.models import ExecutionStatus, TaskToken, TaskTokenStatus


def pending() -> QuerySet[TaskToken]:
    """Callbacks a person answers: no activity worker takes them, and their execution still runs
    (a token outlives a stopped execution until it is answered or expires). A callback that
    asked for an approval request (symphony-request-approval) is listed as that request, once."""
    return TaskToken.objects.filter(
        status=TaskTokenStatus.PENDING,
        activity__isnull=True,
        execution__status=ExecutionStatus.RUNNING,
        approval_request__isnull=True,
    )


@login_required
def approval_inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.DECIDE_APPROVALS)
    tasks = list(pending().select_related("execution").order_by("created_at", "id"))
    for task in tasks:
        # Deciding does not need the run view; the execution links there only for who may see it.
        task.execution_viewable = live.can_view(request.user, task.execution)
    context = {
        "tasks": tasks,
        "requests": pending_for(request.user),
        "may_audit": allowed(request.user, Action.READ, account_id_for(request.user)),
    }
    return render(request, "executions/approval_inbox.html", context)


@login_required
def approval_count(request: HttpRequest) -> JsonResponse:
    """The navigation bar's count, for an open page to follow (static/src/pages/nav.ts)."""
    require(request.user, Action.DECIDE_APPROVALS)
    return JsonResponse({"count": pending().count() + len(pending_for(request.user))})


def nav_counts(request: HttpRequest) -> dict:
    """Context processor: the inbox's count for the navigation bar, only for reviewers, and only
    counted when a template reads it."""
    user = getattr(request, "user", None)
    if not allowed(user, Action.DECIDE_APPROVALS):
        return {}
    return {"pending_approvals": lambda: pending().count() + len(pending_for(user))}
