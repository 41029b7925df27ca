"""Telling people a request from a target waits for them: mail to whoever may decide it now
(every reviewer when its step names nobody), with a link to the request's page that carries its
id, never the task token; a JSON POST to the target's webhook (``webhooks``); a ring for open
inboxes (``executions.live``). A mail server that is down is logged and skipped: the request
waits in the inbox all the same."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse

from executions import live
from executions.approvals import webhooks
from executions.approvals.models import ApprovalRequest
from executions.notifications import reviewers

logger = logging.getLogger(__name__)

WAITING = "PENDING"  # arrived, or moved on to its next step
ESCALATED = "ESCALATED"


def link(approval: ApprovalRequest) -> str:
    return settings.SYMPHONY_BASE_URL.rstrip("/") + reverse("executions:approval-request", args=[approval.pk])


def decider_addresses(approval: ApprovalRequest, *, escalated_only: bool = False) -> list[str]:
    """Who may decide now: the current step's approvers (and its escalation groups once it
    escalated). ``escalated_only``: just the escalation groups, who were not asked before."""
    step = approval.current_step
    holders = reviewers()
    if escalated_only:
        holders = holders.filter(groups__name__in=step.escalation_groups)
    elif step.users or step.groups or approval.escalated_at:
        groups = list(step.groups) + (list(step.escalation_groups) if approval.escalated_at else [])
        holders = holders.filter(Q(username__in=step.users) | Q(groups__name__in=groups))
    return sorted(set(holders.values_list("email", flat=True)))


def _mail(approval: ApprovalRequest, state: str) -> int:
    escalated = state == ESCALATED
    recipients = decider_addresses(approval, escalated_only=escalated)
    if not recipients:
        return 0
    step = approval.current_step
    chained = approval.steps.count() > 1
    subject = f"{'Escalated' if escalated else 'Approval needed'}: {approval.title}"
    why = (
        f"Nobody decided {step.label} by its deadline; it is yours to decide now"
        if escalated
        else "It waits for a reviewer's decision"
    )
    if chained or step.quorum > 1:
        why += f" ({step.label}, {step.quorum} approval(s) needed)"
    body = f"A workflow ({approval.source}) asks: {approval.title}.\n{why}.\n\nReview it: {link(approval)}\n"
    try:
        return send_mass_mail([(subject, body, None, [to]) for to in recipients])
    except (OSError, smtplib.SMTPException):
        logger.warning("could not mail the deciders of request %s", approval.pk, exc_info=True)
        return 0


def announce(approval: ApprovalRequest, state: str) -> int:
    """Tell whoever may decide now (``WAITING``, ``ESCALATED``) or that it ended (its status), by
    mail, webhook and inbox ring; returns how many mails were sent."""
    sent = _mail(approval, state) if state in (WAITING, ESCALATED) else 0
    webhooks.enqueue(approval, state, link(approval))
    live.ring_approvals()
    return sent
