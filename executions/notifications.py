"""Mail to reviewers when a step starts waiting for a person.

Sent with Django's mail settings (``EMAIL_*``; the console backend unless configured) to every
active user who may decide approvals and has an address, one message each. A mail server that
is down is logged and skipped: a notification never fails the task that asked for it.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse

from executions.models import TaskToken

logger = logging.getLogger(__name__)


def reviewers():
    """Active users who may decide approvals and have an address."""
    decide = Permission.objects.filter(
        content_type__app_label="executions", codename="decide_approval"
    ).first()
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if decide is None:
        return users.none()
    return users.filter(Q(groups__permissions=decide) | Q(user_permissions=decide))


def reviewer_addresses() -> list[str]:
    return sorted(set(reviewers().values_list("email", flat=True)))


def approval_requested(task: TaskToken) -> int:
    """Tell the reviewers that ``task`` waits for a decision; returns how many mails were sent."""
    recipients = reviewer_addresses()
    if not recipients:
        return 0
    execution = task.execution
    link = settings.SYMPHONY_BASE_URL.rstrip("/") + reverse("executions:task-approval", args=[task.pk])
    subject = f"Approval needed: {execution.state_machine_name} / {task.state_name}"
    body = (
        f"The step {task.state_name} of {execution.state_machine_name} (execution {execution.name}) "
        f"waits for a reviewer's decision.\n\nReview it: {link}\n"
    )
    try:
        return send_mass_mail([(subject, body, None, [to]) for to in recipients])
    except (OSError, smtplib.SMTPException):
        logger.warning("could not mail the reviewers about task %s", task.pk, exc_info=True)
        return 0
