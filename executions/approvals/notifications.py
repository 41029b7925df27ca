"""Mail to the approvers a request from a target names (every reviewer when it names none), with
a link to the request's page: the link carries its id, never the task token."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse

from executions.approvals.models import ApprovalRequest
from executions.notifications import reviewers

logger = logging.getLogger(__name__)


def approver_addresses(approval: ApprovalRequest) -> list[str]:
    holders = reviewers()
    if approval.approver_users or approval.approver_groups:
        holders = holders.filter(
            Q(username__in=approval.approver_users) | Q(groups__name__in=approval.approver_groups)
        )
    return sorted(set(holders.values_list("email", flat=True)))


def request_arrived(approval: ApprovalRequest) -> int:
    """Tell the approvers; returns how many mails were sent. A mail server that is down is
    logged and skipped: the request waits in the inbox all the same."""
    recipients = approver_addresses(approval)
    if not recipients:
        return 0
    link = settings.SYMPHONY_BASE_URL.rstrip("/") + reverse("executions:approval-request", args=[approval.pk])
    subject = f"Approval needed: {approval.title}"
    body = (
        f"A workflow running in target {approval.target.name} waits for a reviewer's decision: "
        f"{approval.title}.\n\nReview it: {link}\n"
    )
    try:
        return send_mass_mail([(subject, body, None, [to]) for to in recipients])
    except (OSError, smtplib.SMTPException):
        logger.warning("could not mail the approvers of request %s", approval.pk, exc_info=True)
        return 0
