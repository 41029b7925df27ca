"""The reviewers' inbox: ``.waitForTaskToken`` steps of running executions that wait for a person,
the page that lists them and the count in the navigation bar. Deciding happens on each task's
approval page (``views.task_approval``); holding ``executions.decide_approval`` (the reviewers
role) is what makes someone a reviewer.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.permissions import Action, allowed, require
from executions import live
from executions.models import ExecutionStatus, TaskToken, TaskTokenStatus


def pending() -> QuerySet[TaskToken]:
    """Callbacks a person answers: no activity worker takes them, and their execution still runs
    (a token outlives a stopped execution until it is answered or expires)."""
    return TaskToken.objects.filter(
        status=TaskTokenStatus.PENDING,
        activity__isnull=True,
        execution__status=ExecutionStatus.RUNNING,
    )


@login_required
def approval_inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.DECIDE_APPROVALS)
    tasks = list(pending().select_related("execution").order_by("created_at", "id"))
    for task in tasks:
        # Deciding does not need the run view; the execution links there only for who may see it.
        task.execution_viewable = live.can_view(request.user, task.execution)
    return render(request, "executions/approval_inbox.html", {"tasks": tasks})


@login_required
def approval_count(request: HttpRequest) -> JsonResponse:
    """The navigation bar's count, for an open page to follow (static/src/pages/nav.ts)."""
    require(request.user, Action.DECIDE_APPROVALS)
    return JsonResponse({"count": pending().count()})


def nav_counts(request: HttpRequest) -> dict:
    """Context processor: the inbox's count for the navigation bar, only for reviewers, and only
    counted when a template reads it."""
    user = getattr(request, "user", None)
    if not allowed(user, Action.DECIDE_APPROVALS):
        return {}
    return {"pending_approvals": pending().count}
