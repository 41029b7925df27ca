"""A target's approvals webhook: a JSON POST ``{"id", "title", "link", "state", "target"}`` each
time one of its requests arrives, moves to a next step, escalates or ends.

Deliveries are rows, sent by the periodic approvals loop (``clock``), never by the request that
made them: a slow or dead receiver cannot hold up a reviewer or the approvals API. A delivery the
receiver does not take (no answer, 408, 429, 5xx) is tried again after a doubling pause, up to
``MAX_ATTEMPTS``; another 4xx means it never will be, and it stops there."""

import json
import logging
import threading
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.utils import timezone

from executions.approvals.models import ApprovalRequest, ApprovalWebhook, WebhookDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_PAUSE = timedelta(seconds=10)  # then 20, 40, 80 s
TIMEOUT_SECONDS = 5
# A claimed delivery is someone's for this long: longer than one POST can take.
CLAIM = timedelta(seconds=TIMEOUT_SECONDS * 6)
RETRYABLE = {408, 429}

# Set when a delivery is due now, so the embedded loop sends it without waiting for its interval.
due_now = threading.Event()


def enqueue(approval: ApprovalRequest, state: str, link: str) -> WebhookDelivery | None:
    # A local run's request has no target, so no webhook: mail and the inbox tell its reviewers.
    webhook = (
        ApprovalWebhook.objects.filter(target_id=approval.target_id).first() if approval.target_id else None
    )
    if webhook is None:
        return None
    payload = {
        "id": approval.pk,
        "title": approval.title,
        "link": link,
        "state": state,
        "target": approval.target.name,
    }
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, request=approval, payload=payload, next_attempt_at=timezone.now()
    )
    due_now.set()
    return delivery


def pause(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try."""
    return FIRST_PAUSE * 2 ** (attempts - 1)


def _post(url: str, payload: dict) -> None:
    """Raises ``urllib.error.HTTPError`` for a non-2xx answer, ``OSError`` when nobody answered."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Symphony-Approvals/1"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        response.read(1024)


def attempt(delivery: WebhookDelivery, now: datetime) -> None:
    delivery.attempts += 1
    try:
        _post(delivery.webhook.url, delivery.payload)
    except urllib.error.HTTPError as error:
        retry = error.code in RETRYABLE or error.code >= 500
        _failed(delivery, now, f"HTTP {error.code}", retry)
    except (OSError, ValueError) as error:  # refused, timed out, unresolvable; a bad URL
        _failed(delivery, now, str(error)[:200] or type(error).__name__, True)
    else:
        delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = now, None, ""
    delivery.save(update_fields=["attempts", "delivered_at", "next_attempt_at", "last_error"])


def _failed(delivery: WebhookDelivery, now: datetime, error: str, retry: bool) -> None:
    if retry and delivery.attempts < MAX_ATTEMPTS:
        delivery.next_attempt_at = now + pause(delivery.attempts)
        delivery.last_error = error
    else:
        delivery.next_attempt_at = None
        delivery.last_error = f"Given up after {delivery.attempts} attempt(s): {error}"
    logger.warning("approvals webhook of request %s: %s", delivery.request_id, delivery.last_error)


def deliver_due(now: datetime | None = None) -> int:
    """Try every delivery that is due; returns how many were tried. Each is claimed first (its
    next attempt pushed past the claim), so two loops never send one twice at once."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", "next_attempt_at")[:100]
    )
    tried = 0
    for pk, at in due:
        claimed = WebhookDelivery.objects.filter(pk=pk, next_attempt_at=at).update(
            next_attempt_at=now + CLAIM
        )
        if not claimed:
            continue
        attempt(WebhookDelivery.objects.select_related("webhook").get(pk=pk), now)
        tried += 1
    return tried
