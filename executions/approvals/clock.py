"""The approvals loop: what happens to requests with time rather than with a reviewer. Each pass
escalates the requests whose step's deadline passed (to its escalation groups, who are told) or,
with nobody to escalate to, expires them (``decisions.expire``: SendTaskFailure with
``Approval.Expired``), closes local requests whose run no longer waits for them
(``local_requests.close_stale``), then sends the webhook deliveries that are due.

It runs where the rollouts loop runs (``symphony/asgi.py`` starts it with the embedded runner)
or on its own (``manage.py approvals``); ``tick(now)`` takes the moment, so tests force the clock.
Several loops at once are safe: every change is a conditional row update that only one wins."""

import logging
import os
import threading
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from executions.approvals import decisions, local_requests, webhooks
from executions.approvals.approval_requests import open_requests
from executions.approvals.models import ApprovalRequest, ApprovalStatus

logger = logging.getLogger(__name__)


def due_requests(now: datetime):
    return open_requests(ApprovalRequest.objects.all()).filter(
        status=ApprovalStatus.PENDING, deadline__lte=now, escalated_at__isnull=True
    )


def tick(now: datetime | None = None) -> dict[str, int]:
    """One pass; returns how many requests escalated, expired and closed, and deliveries were tried."""
    now = now or timezone.now()
    done = {"escalated": 0, "expired": 0, "closed": 0, "webhooks": 0}
    # Before the deadlines: a run that ended has nobody to send Approval.Expired to.
    done["closed"] = local_requests.close_stale(now)
    for approval in due_requests(now).select_related("target").order_by("deadline", "id"):
        try:
            if approval.current_step.escalation_groups:
                done["escalated"] += decisions.escalate(approval, now)
            else:
                done["expired"] += decisions.expire(approval, now)
        except Exception:  # one request's trouble does not hold up the others
            logger.exception("approvals deadline of request %s", approval.pk)
    done["webhooks"] = webhooks.deliver_due(now)
    return done


def _interval() -> float:
    return float(
        os.environ.get("SYMPHONY_APPROVALS_SECONDS") or getattr(settings, "SYMPHONY_APPROVALS_SECONDS", 5.0)
    )


def _loop(stop: threading.Event) -> None:
    while not stop.is_set():
        webhooks.due_now.wait(_interval())
        webhooks.due_now.clear()
        try:
            tick()
        except Exception:  # the loop outlives one bad pass; the rows say what happened
            logger.exception("approvals tick failed")
        finally:
            close_old_connections()


def start_embedded() -> threading.Event:
    """The approvals loop inside the app's process (a daemon thread), beside the embedded runner
    (``SYMPHONY_RUNNER=off`` leaves it out; ``manage.py approvals`` runs it on its own)."""
    stop = threading.Event()
    if os.environ.get("SYMPHONY_RUNNER", "embedded") == "embedded" and _interval() > 0:
        threading.Thread(target=_loop, args=(stop,), name="symphony-approvals", daemon=True).start()
    return stop
