"""Server-rendered pages of the runner: executions, a task approval page, access keys.

Views parse the request and call one service; the Step Functions endpoint itself is
``executions.sfn_api.protocol.endpoint``.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import Action, allowed, require
from accounts.services import account_id_for
from designer.api.serializers import runnable_workflow
from designer.models import Version, Workflow
from designer.services import can_run
from executions import live, runner
from executions.events import epoch, event_dict
from executions.exceptions import StepFunctionsError
from executions.models import (
    Execution,
    ExecutionStatus,
    MapRun,
    TaskToken,
    TaskTokenStatus,
    WorkflowRun,
)
from executions.services import access_keys as key_service
from executions.services import executions, redrives, tokens


def _visible(request: HttpRequest):
    """The runs of the user's account (every account's for a superuser), and for reviewers the
    runs that asked a person, whichever account they are in (as ``live.can_view`` lets them)."""
    rows = Execution.objects.all()
    if request.user.is_superuser:
        return rows
    account = account_id_for(request.user)
    seen = Q(account_id=account) if allowed(request.user, Action.READ, account) else Q(pk__in=[])
    if allowed(request.user, Action.DECIDE_APPROVALS):
        seen |= Q(Exists(TaskToken.objects.filter(execution=OuterRef("pk"), activity__isnull=True)))
    return rows.filter(seen)


def _viewable(request: HttpRequest, pk: int) -> Execution:
    """The execution, if the user may see it. One they may not is not found, as one that does not
    exist (a workflow of another account is too, and AWS answers ExecutionDoesNotExist for another
    account's ARN): a refusal would tell which ids exist."""
    execution = get_object_or_404(Execution, pk=pk)
    if not live.can_view(request.user, execution):
        raise Http404("No execution here.")
    return execution


@login_required
def execution_list(request: HttpRequest) -> HttpResponse:
    rows = _visible(request).order_by("-started_at", "-id")
    # A distributed Map's child executions are listed under their map run, not among the runs.
    map_run = None
    map_run_id = request.GET.get("map_run", "")
    if map_run_id.isascii() and map_run_id.isdigit() and len(map_run_id) <= 18:
        map_run = MapRun.objects.filter(pk=int(map_run_id)).first()
    rows = rows.filter(map_run=map_run) if map_run is not None else rows.filter(map_run__isnull=True)
    status = request.GET.get("status", "")
    if status in ExecutionStatus.values:
        rows = rows.filter(status=status)
    if machine := request.GET.get("state_machine", ""):
        # No name holds a NUL, and PostgreSQL refuses one in a query.
        rows = rows.filter(state_machine_name=machine) if "\x00" not in machine else rows.none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page:
        if row.stopped_at is not None:
            row.duration = human_duration((row.stopped_at - row.started_at).total_seconds())
    return render(
        request,
        "executions/execution_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ExecutionStatus.values,
            "state_machine": machine,
            "map_run": map_run,
        },
    )


def human_duration(seconds: float) -> str:
    """A run's length at the scale a person reads: 42 ms, 3.2 s, 4 min 5 s, 2 h 10 min, 3 d 1 h."""
    if seconds < 1:
        return f"{round(max(seconds, 0) * 1000)} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min {int(seconds % 60)} s"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h {minutes % 60} min"
    return f"{hours // 24} d {hours % 24} h"


def _pretty(text: str | None) -> str:
    if text is None:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _version_number(execution: Execution) -> str:
    prefix = execution.state_machine_arn + ":"
    return execution.version_arn.removeprefix(prefix) if execution.version_arn.startswith(prefix) else ""


@login_required
def execution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The run view: the page carries what the script needs; the history arrives over the
    execution's live stream. Without the script, the stored history is shown as a table."""
    execution = _viewable(request, pk)
    events = [
        {"id": e["id"], "type": e["type"], "details": json.dumps(_details(e), indent=2, ensure_ascii=False)}
        for e in map(event_dict, execution.events.order_by("event_id"))
    ]
    pending = execution.task_tokens.filter(status=TaskTokenStatus.PENDING, activity__isnull=True)
    data = {
        "id": str(execution.pk),
        "name": execution.name,
        "arn": execution.arn,
        "status": execution.status,
        "stateMachineName": execution.state_machine_name,
        "version": _version_number(execution),
        "definition": execution.definition,
        "startedAt": epoch(execution.started_at),
        "stoppedAt": epoch(execution.stopped_at),
        "stopUrl": reverse("executions:execution-stop", args=[execution.pk]),
        "redriveUrl": reverse("executions:execution-redrive", args=[execution.pk]),
        "redriveCount": execution.redrive_count,
        "mayRun": allowed(request.user, Action.RUN, execution.account_id),
        "listUrl": reverse("executions:execution-list"),
        "tasksUrl": reverse("executions:execution-tasks", args=[execution.pk]),
        "logsUrl": reverse("executions:execution-logs", args=[execution.pk]),
        "csrfToken": get_token(request),
        "workflow": _workflow_of(request, execution),
    }
    return render(
        request,
        "executions/execution_detail.html",
        {
            "execution": execution,
            "events": events,
            "input": _pretty(execution.input),
            "output": _pretty(execution.output),
            "pending_tasks": pending,
            "may_decide": allowed(request.user, Action.DECIDE_APPROVALS),
            "may_run": allowed(request.user, Action.RUN, execution.account_id),
            "redrivable": redrives.not_redrivable(execution) is None,
            "function_logs": execution.function_logs.all(),
            "service_calls": execution.service_calls.all(),
            "map_runs": execution.map_runs.all(),
            "data": data,
        },
    )


def _workflow_of(request: HttpRequest, execution: Execution) -> dict | None:
    """The designer workflow this execution ran, for the way back to its editor and "Run again"
    (offered to who may run it); None for executions started otherwise."""
    run = WorkflowRun.objects.filter(execution=execution).select_related("workflow", "version").first()
    if run is None or not Workflow.objects.visible_to(request.user).filter(pk=run.workflow_id).exists():
        return None
    return {
        **runnable_workflow(run.workflow, request.user),
        "version": run.version.number if run.version else None,
        # The state machine's version numbers are not the workflow's: name what ran.
        "source": (f"version {run.version.number}" if run.version else f"draft revision {run.draft_revision}")
        + (f", run from {run.start_at}" if run.start_at else ""),
        "input": execution.input,
        "canRun": can_run(request.user, run.workflow),
    }


def _details(event: dict) -> dict:
    """An event without its envelope, JSON text inside it unfolded for reading."""
    out = {}
    for key, value in event.items():
        if key in {"id", "previousEventId", "type", "timestamp"}:
            continue
        if isinstance(value, dict):
            value = {k: _parsed(v) if k in {"input", "output", "parameters"} else v for k, v in value.items()}
        out[key] = value
    return out


def _parsed(text):
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return text


@login_required
def execution_logs(request: HttpRequest, pk: int) -> JsonResponse:
    """What each local function call of the execution printed (for the run view's steps)."""
    execution = _viewable(request, pk)
    return JsonResponse(
        {
            "logs": [
                {
                    "function": log.function_name,
                    "requestId": log.request_id,
                    "startedAt": epoch(log.started_at),
                    "durationMs": log.duration_ms,
                    "errorType": log.error_type,
                    "log": log.log,
                }
                for log in execution.function_logs.all()
            ]
        }
    )


@login_required
def execution_tasks(request: HttpRequest, pk: int) -> JsonResponse:
    """The execution's steps waiting for a person, with their approval pages (for the run view)."""
    execution = _viewable(request, pk)
    pending = execution.task_tokens.filter(status=TaskTokenStatus.PENDING, activity__isnull=True)
    if not allowed(request.user, Action.DECIDE_APPROVALS):
        pending = pending.none()  # its page would refuse them
    return JsonResponse(
        {
            "tasks": [
                {"state": t.state_name, "url": reverse("executions:task-approval", args=[t.pk])}
                for t in pending.order_by("pk")
            ]
        }
    )


@login_required
@require_POST
def execution_stop(request: HttpRequest, pk: int) -> HttpResponse:
    execution = _viewable(request, pk)
    require(request.user, Action.RUN, execution.account_id)
    runner.stop_execution(
        execution.arn,
        execution.account_id,
        error="Stopped",
        cause=f"Stopped by {request.user.get_username()}",
    )
    return redirect("executions:execution-detail", pk=pk)


@login_required
@require_POST
def execution_redrive(request: HttpRequest, pk: int) -> HttpResponse:
    """Redrive a failed, timed out or aborted execution (RedriveExecution): whoever may stop it
    may redrive it."""
    execution = _viewable(request, pk)
    require(request.user, Action.RUN, execution.account_id)
    try:
        execution, redriven = redrives.redrive_execution(execution.arn, execution.account_id)
    except StepFunctionsError as exc:
        messages.error(request, f"Cannot redrive this execution: {exc.message}")
        return redirect("executions:execution-detail", pk=pk)
    if redriven:
        runner.submit_on_commit(execution)
    return redirect("executions:execution-detail", pk=pk)


@login_required
@require_POST
def run_version(request: HttpRequest, version_id: int) -> HttpResponse:
    """Run a designer workflow version with the posted input, in the runner's account; then
    watch it live. The same permission as StartExecution."""
    require(request.user, Action.RUN)
    version = get_object_or_404(
        Version.objects.select_related("workflow").filter(
            workflow__in=Workflow.objects.visible_to(request.user)
        ),
        pk=version_id,
    )
    try:
        execution = executions.run_workflow_version(
            version,
            input=request.POST.get("input") or "{}",
            user=request.user,
        )
    except StepFunctionsError as exc:
        messages.error(request, exc.message)
        return redirect(request.META.get("HTTP_REFERER") or "executions:execution-list")
    runner.submit_on_commit(execution)
    return redirect("executions:execution-detail", pk=execution.pk)


def _task_context(task: TaskToken) -> dict:
    """What a reviewer decides on: the input of the waiting state's visit and the parameters its
    task was sent (the message carrying the token), read from the execution's history."""
    entered = (
        task.execution.events.filter(
            type="TaskStateEntered", details__stateEnteredEventDetails__name=task.state_name
        )
        .order_by("-event_id")
        .first()
    )
    if entered is None:
        return {}
    scheduled = (
        task.execution.events.filter(type="TaskScheduled", event_id__gt=entered.event_id)
        .order_by("event_id")
        .first()
    )
    details = scheduled.details.get("taskScheduledEventDetails", {}) if scheduled else {}
    return {
        "state_input": _pretty(entered.details.get("stateEnteredEventDetails", {}).get("input")),
        "parameters": _pretty(details.get("parameters")),
        "resource": f"{details.get('resourceType', '')}:{details.get('resource', '')}".strip(":"),
        "entered_at": entered.timestamp,
    }


@login_required
def task_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer's page for a ``.waitForTaskToken`` step: the context, approve or reject.
    Deciding is the reviewers' permission, whoever owns the execution."""
    require(request.user, Action.DECIDE_APPROVALS)
    task = get_object_or_404(TaskToken.objects.select_related("execution", "approval_request"), pk=pk)
    if hasattr(task, "approval_request"):
        # The step asked for a request (symphony-request-approval): its approvers, quorum and
        # chain decide there, never a shortcut here.
        return redirect("executions:approval-request", pk=task.approval_request.pk)
    if request.method == "POST":
        comment = request.POST.get("comment", "").strip()[:1000]
        reviewer = request.user.get_username()
        approve = request.POST.get("decision") == "approve"
        if task.status == TaskTokenStatus.PENDING and not approve and not comment:
            messages.error(request, "Give a reason for the rejection; the workflow receives it as the cause.")
            return redirect("executions:task-approval", pk=pk)
        try:
            if approve:
                tokens.send_task_success(
                    task.token,
                    task.execution.account_id,
                    json.dumps({"approved": True, "reviewer": reviewer, "comment": comment}),
                )
                # What the workflow then does with it is the page's to show, live (never assumed).
                messages.success(request, "Approved. The workflow has your answer.")
            else:
                tokens.send_task_failure(
                    task.token,
                    task.execution.account_id,
                    error="Rejected",
                    cause=f"{comment} (rejected by {reviewer})",
                )
                messages.info(request, "Rejected. The workflow has your reason.")
            runner.notify(task.execution_id)
        except StepFunctionsError as exc:
            messages.error(request, exc.message)
        return redirect("executions:task-approval", pk=pk)
    return render(
        request,
        "executions/task_approval.html",
        {
            "task": task,
            "execution": task.execution,
            "input": _pretty(task.execution.input),
            "decided": json.loads(task.output) if task.output else None,
            **_task_context(task),
        },
    )


@login_required
def access_keys(request: HttpRequest) -> HttpResponse:
    created = None
    if request.method == "POST":
        created = key_service.create_access_key(request.user, request.POST.get("description", ""))
    keys = request.user.access_keys.all()
    return render(
        request,
        "executions/access_keys.html",
        {
            "keys": keys,
            "created": created,
            "endpoint": request.build_absolute_uri("/aws/states/"),
            "account_id": account_id_for(request.user),
            "may_run": allowed(request.user, Action.RUN),
        },
    )


@login_required
@require_POST
def access_key_revoke(request: HttpRequest, access_key_id: str) -> HttpResponse:
    if key_service.revoke_access_key(request.user, access_key_id):
        messages.success(request, f"Access key {access_key_id} revoked.")
    return redirect("executions:access-keys")
