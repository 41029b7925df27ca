"""A target's approvals webhook: a JSON POST ``{"id", "title", "link", "state", "target"}`` each
time one of its requests arrives, moves to a next step, escalates or ends.

Each POST is signed as Stripe and GitHub sign theirs: ``X-Symphony-Timestamp`` (Unix seconds) and
``X-Symphony-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`` under the webhook's own
secret, so a receiver can tell Symphony's POSTs from forgeries and refuse an old one replayed
(README, "Approvals for workflows running in AWS"). The secret is made here, shown to the publisher
once, kept encrypted (symphony/crypto.py) and never logged. ``X-Symphony-Delivery`` is the same
for every try of one delivery, so a receiver can drop a retry it took already.

Deliveries are rows, sent by the periodic approvals loop (``clock``), never by the request that
made them: a slow or dead receiver cannot hold up a reviewer or the approvals API. A delivery the
receiver does not take (no answer, 408, 429, 5xx) is tried again after a doubling pause, up to
``MAX_ATTEMPTS``; another 4xx means it never will be, and it stops there."""

import hashlib
import hmac
import http.client
import json
import logging
import secrets
import socket
import threading
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from designer.deploy.models import Target
from executions.approvals import webhook_addresses
from executions.approvals.models import ApprovalRequest, ApprovalWebhook, WebhookDelivery
from symphony import crypto

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_PAUSE = timedelta(seconds=10)  # then 20, 40, 80 s
TIMEOUT_SECONDS = 5
# A claimed delivery is someone's for this long: longer than one POST can take.
CLAIM = timedelta(seconds=TIMEOUT_SECONDS * 6)
RETRYABLE = {408, 429}
SECRET_PREFIX = "whsec_"
SIGNATURE_SCHEME = "v1"

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


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def save(target: Target, url: str, actor) -> tuple[ApprovalWebhook, str | None]:
    """Point ``target``'s webhook at ``url`` (checked: ``webhook_addresses.AddressRefused``) and
    return it with its signing secret when one was made now (a new webhook): shown once. A new URL
    keeps the secret; ``rotate`` makes another."""
    webhook_addresses.resolve(url)
    webhook = ApprovalWebhook.objects.filter(target=target).first()
    if webhook is not None:
        webhook.url, webhook.updated_by = url, actor
        webhook.save(update_fields=["url", "updated_by", "updated_at"])
        return webhook, None
    secret = new_secret()
    webhook = ApprovalWebhook.objects.create(
        target=target, url=url, updated_by=actor, encrypted_secret=crypto.encrypt(secret)
    )
    return webhook, secret


def rotate(webhook: ApprovalWebhook, actor) -> str:
    """A new signing secret for ``webhook``, in force from its next try on: shown once."""
    secret = new_secret()
    webhook.encrypted_secret, webhook.updated_by = crypto.encrypt(secret), actor
    webhook.save(update_fields=["encrypted_secret", "updated_by", "updated_at"])
    return secret


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``X-Symphony-Signature``'s value for ``body`` sent at ``timestamp``."""
    signed = str(timestamp).encode() + b"." + body
    return f"{SIGNATURE_SCHEME}=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


class Refused(Exception):
    """The receiver answered, but not 2xx."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


def _post(delivery: WebhookDelivery) -> None:
    """POST the delivery, signed, to the address its URL's host resolved to and was checked at,
    never following a redirect. Raises ``Refused`` for a non-2xx answer, ``AddressRefused`` for an
    address the webhook may not reach, ``OSError`` when nobody answered."""
    url = delivery.webhook.url
    address, port = webhook_addresses.resolve(url)
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, port, timeout=TIMEOUT_SECONDS)

    # Connect to the checked address; TLS still verifies the certificate against the host name.
    def connect_checked(_where, timeout, source_address=None):
        return socket.create_connection((address, port), timeout, source_address)

    connection._create_connection = connect_checked  # type: ignore[attr-defined]
    body = json.dumps(delivery.payload).encode()
    timestamp = int(time.time())  # when it leaves, whatever moment the loop was handed
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Symphony-Approvals/1",
        "X-Symphony-Delivery": str(delivery.pk),
        "X-Symphony-Timestamp": str(timestamp),
        "X-Symphony-Signature": signature(crypto.decrypt(delivery.webhook.encrypted_secret), timestamp, body),
    }
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
        response.read(1024)
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        raise Refused(response.status)


def attempt(delivery: WebhookDelivery, now: datetime) -> None:
    delivery.attempts += 1
    try:
        _post(delivery)
    except Refused as error:
        retry = error.status in RETRYABLE or error.status >= 500
        _failed(delivery, now, str(error), retry)
    except webhook_addresses.AddressRefused as error:  # the name now points somewhere it may not
        _failed(delivery, now, f"Refused: {error}", False)
    except crypto.InvalidToken:
        _failed(
            delivery, now, "Its signing secret cannot be decrypted (a changed key): make a new one", False
        )
    except (OSError, http.client.HTTPException, ValueError) as error:  # refused, timed out; a bad URL
        _failed(delivery, now, str(error)[:200] or type(error).__name__, True)
    else:
        delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = now, None, ""
    delivery.save(update_fields=["attempts", "delivered_at", "next_attempt_at", "last_error"])


def _failed(delivery: WebhookDelivery, now: datetime, error: str, retry: bool) -> None:
    if retry and delivery.attempts < MAX_ATTEMPTS:
        delivery.next_attempt_at = now + pause(delivery.attempts)
        delivery.last_error = error[:300]
    else:
        delivery.next_attempt_at = None
        delivery.last_error = f"Given up after {delivery.attempts} attempt(s): {error}"[:300]
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
