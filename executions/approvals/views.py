"""The reviewer's page for an approval request from a target (the context, Approve or Reject with
a comment, and what the target answered: shown and kept, never dropped), and a target's approvals
API tokens page for its publishers."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.permissions import Action, require
from accounts.services import account_id_for
from designer.deploy.models import Target
from executions.approvals import (
    api_tokens,
    approval_requests,
    audit,
    decisions,
    lambda_deploy,
    webhook_addresses,
    webhooks,
)
from executions.approvals.models import (
    ApprovalRequest,
    ApprovalStatus,
    ApprovalToken,
    ApprovalWebhook,
    DecisionOutcome,
)


def _facts(context) -> list[tuple[str, str]]:
    """The context's top-level entries as label and text, for a readable list above the JSON."""
    if not isinstance(context, dict):
        return []
    return [
        (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in context.items()
    ]


def _steps(approval: ApprovalRequest) -> list[dict]:
    """Each step with who approved it so far and where it stands, for the page."""
    approved: dict[int, list[str]] = {}
    for decision in approval.decisions.filter(outcome__in=[DecisionOutcome.COUNTED, DecisionOutcome.TAKEN]):
        if decision.approve:
            approved.setdefault(decision.step, []).append(decision.username)
    rows = []
    for step in approval.steps.all():
        if step.position < approval.step or approval.status == ApprovalStatus.APPROVED:
            state = "done"
        elif step.position == approval.step:
            state = "escalated" if approval.escalated_at else "now"
        else:
            state = "later"
        rows.append({"step": step, "approved_by": approved.get(step.position, []), "state": state})
    return rows


@login_required
def approval_request(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.DECIDE_APPROVALS)
    approval = get_object_or_404(
        ApprovalRequest.objects.select_related("target", "task__execution", "decided_by").prefetch_related(
            "steps"
        ),
        pk=pk,
    )
    if not approval_requests.may_view(request.user, approval):
        raise PermissionDenied("This request names other approvers.")
    if request.method == "POST":
        comment = request.POST.get("comment", "").strip()[:1000]
        approve = request.POST.get("decision") == "approve"
        if approval_requests.is_open(approval) and not approve and not comment:
            messages.error(request, "Give a reason for the rejection; the workflow receives it as the cause.")
            return redirect("executions:approval-request", pk=pk)
        try:
            approval = decisions.decide(
                approval,
                request.user,
                approve=approve,
                comment=comment,
                address=request.META.get("REMOTE_ADDR"),
            )
        except decisions.AlreadyDecided as decided:
            messages.error(request, f"{decided.who} decided this request first; your decision was not sent.")
            return redirect("executions:approval-request", pk=pk)
        except decisions.SeparationOfDuties as refused:
            messages.error(request, f"{refused} Your approval was refused; the audit log keeps the attempt.")
            return redirect("executions:approval-request", pk=pk)
        except (decisions.NotYourTurn, decisions.ApprovedAlready) as refused:
            messages.error(request, f"{refused} Your decision was not recorded.")
            return redirect("executions:approval-request", pk=pk)
        mine = approval.decisions.filter(user=request.user).order_by("at", "id").last()
        outcome = mine.outcome if mine else ""
        if outcome == DecisionOutcome.REFUSED:
            messages.error(request, f"AWS refused the answer: {approval.answer_message}")
        elif outcome == DecisionOutcome.UNSENT:
            messages.error(request, f"The answer could not be sent ({approval.answer_message}); try again.")
        elif outcome == DecisionOutcome.COUNTED:
            messages.success(request, "Approval recorded. The request waits for the other approvals.")
        elif approve:
            messages.success(request, "Approved. The execution goes on.")
        else:
            messages.info(request, "Rejected. The execution received the reason.")
        return redirect("executions:approval-request", pk=pk)
    history, history_error = approval_requests.execution_history(approval)
    is_open = approval_requests.is_open(approval)
    current = approval.current_step
    return render(
        request,
        "executions/approval_request.html",
        {
            "approval": approval,
            "history": history,
            "history_error": history_error,
            "may_decide_now": is_open,
            "your_turn": is_open and approval_requests.in_current_step(request.user, approval),
            "approved_already": is_open and approval_requests.has_approved(request.user, approval),
            "approved_other_step": is_open and approval_requests.approved_other_step(request.user, approval),
            "current": current,
            "approvals_so_far": list(approval_requests.approvals_so_far(approval)),
            "steps": _steps(approval),
            "decisions": approval.decisions.all(),
            "facts": _facts(approval.context),
            "context_json": json.dumps(approval.context, indent=2, ensure_ascii=False),
        },
    )


@login_required
def approval_audit(request: HttpRequest) -> StreamingHttpResponse:
    """The decisions on the account's approval requests as CSV, for whoever may read the account
    (every account's for a superuser, who administers them all)."""
    require(request.user, Action.READ, account_id_for(request.user))
    account_id = None if request.user.is_superuser else account_id_for(request.user)
    response = StreamingHttpResponse(audit.rows(account_id), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="approvals-audit.csv"'
    return response


# The Task a workflow uses to ask (Step Functions Developer Guide, "Wait for a Callback with Task
# Token"; Lambda "Invoke" integration): the function name is the one the handler was deployed as.
TASK_EXAMPLE = {
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters": {
        "FunctionName": "symphony-request-approval",
        "Payload": {
            "taskToken.$": "$$.Task.Token",
            "execution.$": "$$.Execution.Id",
            "title": "Approve the refund",
            "context.$": "$",
            "approvers": {"groups": ["reviewers"]},
        },
    },
    "TimeoutSeconds": 86400,
    "Retry": [{"ErrorEquals": ["SymphonyUnavailable"], "IntervalSeconds": 5, "MaxAttempts": 5}],
    "Next": "Approved?",
}


def _target_of_account(request: HttpRequest, pk: int) -> Target:
    """A target of the user's account, for its publishers only."""
    target = get_object_or_404(Target, pk=pk)
    require(request.user, Action.PUBLISH, target.account_id)
    return target


def _set_webhook(request: HttpRequest, target: Target) -> str | None:
    """Save (or remove) the target's webhook; its signing secret when one was made now, to show once."""
    url = request.POST.get("webhook_url", "").strip()
    if not url:
        ApprovalWebhook.objects.filter(target=target).delete()
        messages.info(request, "No webhook: requests are announced by mail only.")
        return None
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        messages.error(request, f"The webhook must be an http:// or https:// URL, not {url[:200]!r}.")
        return None
    if len(url) > 2048:
        messages.error(request, "The webhook URL is longer than 2,048 characters.")
        return None
    try:
        secret = webhooks.save(target, url, request.user)[1]
    except webhook_addresses.AddressRefused as refused:
        messages.error(request, f"Not saved: {refused}")
        return None
    messages.success(request, f"Requests of {target.name} are announced to {url}.")
    return secret


@login_required
@never_cache  # the answer that makes a token carries it
@require_http_methods(["GET", "POST"])
def approval_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """A target's approvals API tokens: make one (its text shown in this answer only), revoke one,
    and what to deploy to AWS Lambda with it."""
    target = _target_of_account(request, pk)
    new_token = new_secret = None
    if request.method == "POST":
        if revoke := request.POST.get("revoke", ""):
            token = get_object_or_404(ApprovalToken, target=target, key_id=revoke[:16])
            api_tokens.revoke(token, request.user)
            messages.info(request, f"Revoked token {token.key_id}: requests made with it are refused.")
            return redirect("executions:approval-tokens", pk=pk)
        if "webhook" in request.POST:
            new_secret = _set_webhook(request, target)
            if new_secret is None:
                return redirect("executions:approval-tokens", pk=pk)
        elif "webhook_secret" in request.POST:
            webhook = get_object_or_404(ApprovalWebhook, target=target)
            new_secret = webhooks.rotate(webhook, request.user)
            messages.info(request, "A new signing secret signs the webhook's deliveries from now on.")
        elif "deploy" in request.POST:
            try:
                deployed = lambda_deploy.deploy(
                    target,
                    request.user,
                    role_arn=request.POST.get("role_arn", ""),
                    function_name=request.POST.get("function_name", "") or lambda_deploy.FUNCTION_NAME,
                )
            except lambda_deploy.DeployRefused as error:
                messages.error(request, f"Not deployed: {error}")
            else:
                done = "Created" if deployed.created else "Updated"
                messages.success(
                    request, f"{done} {deployed.function_arn} with token {deployed.token_key_id}."
                )
            return redirect("executions:approval-tokens", pk=pk)
        else:
            new_token = api_tokens.issue(target, request.user)[1]
    return render(
        request,
        "executions/approval_tokens.html",
        {
            "target": target,
            "tokens": target.approval_tokens.all(),
            "webhook": ApprovalWebhook.objects.filter(target=target).first(),
            "new_token": new_token,
            "new_webhook_secret": new_secret,
            "symphony_url": settings.SYMPHONY_BASE_URL.rstrip("/"),
            "handler_path": "executions/approvals/lambda_handler.py",
            "task_example": json.dumps(TASK_EXAMPLE, indent=2),
            "function_name": lambda_deploy.FUNCTION_NAME,
            "runtime": lambda_deploy.RUNTIME,
        },
    )
