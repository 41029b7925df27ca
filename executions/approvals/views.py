"""The reviewer's page for an approval request from a target: the context, Approve or Reject with
a comment, and what the target answered (shown and kept, never dropped)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.permissions import Action, require
from executions.approvals import approval_requests
from executions.approvals.models import ApprovalRequest, ApprovalStatus


def _facts(context) -> list[tuple[str, str]]:
    """The context's top-level entries as label and text, for a readable list above the JSON."""
    if not isinstance(context, dict):
        return []
    return [
        (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in context.items()
    ]


@login_required
def approval_request(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.DECIDE_APPROVALS)
    approval = get_object_or_404(ApprovalRequest.objects.select_related("target", "decided_by"), pk=pk)
    if not approval_requests.may_decide(request.user, approval):
        raise PermissionDenied("This request names other approvers.")
    if request.method == "POST":
        comment = request.POST.get("comment", "").strip()[:1000]
        approve = request.POST.get("decision") == "approve"
        if approval.status == ApprovalStatus.PENDING and not approve and not comment:
            messages.error(request, "Give a reason for the rejection; the workflow receives it as the cause.")
            return redirect("executions:approval-request", pk=pk)
        try:
            approval = approval_requests.decide(approval, request.user, approve=approve, comment=comment)
        except approval_requests.AlreadyDecided as decided:
            who = decided.approval.decided_by.get_username() if decided.approval.decided_by else "someone"
            messages.error(request, f"{who} decided this request first; your decision was not sent.")
            return redirect("executions:approval-request", pk=pk)
        if approval.status == ApprovalStatus.REFUSED:
            messages.error(request, f"AWS refused the answer: {approval.answer_message}")
        elif approval.status == ApprovalStatus.PENDING:
            messages.error(request, f"The answer could not be sent ({approval.answer_message}); try again.")
        elif approve:
            messages.success(request, "Approved. The execution goes on.")
        else:
            messages.info(request, "Rejected. The execution received the reason.")
        return redirect("executions:approval-request", pk=pk)
    return render(
        request,
        "executions/approval_request.html",
        {
            "approval": approval,
            "facts": _facts(approval.context),
            "context_json": json.dumps(approval.context, indent=2, ensure_ascii=False),
        },
    )
