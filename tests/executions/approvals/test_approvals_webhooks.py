"""A target's approvals webhook against a real HTTP server on this machine (http.server in a
thread) that fails twice, then takes the POST: tried again after doubling pauses, never during
the request that made it, and given up after a bounded number of tries. Every POST is signed with
the webhook's secret, which the receiver checks as the README tells receivers to. The receivers
listen on 127.0.0.1, so these tests allow private addresses (test_approvals_webhook_guard.py
tests the guard itself)."""

import hashlib
import hmac
import json
import logging
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from executions.approvals import clock, webhooks
from executions.approvals.models import ApprovalRequest, ApprovalWebhook, WebhookDelivery
from symphony import crypto

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def allow_private(settings):
    settings.SYMPHONY_WEBHOOKS_ALLOW_PRIVATE = True


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """The receiver's check, as the README gives it: the HMAC of "<timestamp>.<body>" under the
    secret, compared in constant time, and a timestamp no older than ``tolerance`` seconds."""
    timestamp = headers.get("X-Symphony-Timestamp", "")
    signature = headers.get("X-Symphony-Signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, f"v1={expected}")


class Receiver(ThreadingHTTPServer):
    """Answers 503 to the first ``failures`` POSTs, 204 after; keeps every body it got, and the
    raw body and headers of each."""

    def __init__(self, failures: int, status_after: int = 204) -> None:
        self.failures, self.status_after, self.bodies, self.raw = failures, status_after, [], []

        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                server.raw.append((self.path, dict(self.headers), raw))
                server.bodies.append(json.loads(raw))
                failing = len(server.bodies) <= server.failures
                self.send_response(503 if failing else server.status_after)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hook"


@pytest.fixture
def receiver():
    servers = []

    def start(failures: int, status_after: int = 204) -> Receiver:
        server = Receiver(failures, status_after)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def secret_shown(page: str) -> str:
    return page.split('aria-label="Signing secret">', 1)[1].split("</pre>", 1)[0]


def make_webhook(target, url: str) -> tuple[ApprovalWebhook, str]:
    secret = webhooks.new_secret()
    return ApprovalWebhook.objects.create(
        target=target, url=url, encrypted_secret=crypto.encrypt(secret)
    ), secret


def test_a_webhook_failing_twice_is_delivered_on_the_third_try(
    settings,
    client,
    receiver,
    target,
    api_token,
    publisher,
    reviewer,
    django_capture_on_commit_callbacks,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    settings.SYMPHONY_BASE_URL = "https://symphony.example.com"
    hook = receiver(failures=2)
    client.force_login(publisher)
    tokens_page = reverse("executions:approval-tokens", args=[target.pk])
    saved = client.post(tokens_page, {"webhook": "1", "webhook_url": hook.url + "?room=ops"})
    secret = secret_shown(saved.content.decode())
    assert secret.startswith("whsec_") and len(secret) > 40
    webhook = ApprovalWebhook.objects.get(target=target)
    assert webhook.url == hook.url + "?room=ops"
    assert secret not in webhook.encrypted_secret and crypto.decrypt(webhook.encrypted_secret) == secret
    assert secret not in client.get(tokens_page).content.decode()  # shown once
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token}")
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            "/api/approvals/", {"task_token": "tok-hook", "title": "Refund 1042"}, format="json"
        )
    assert answer.status_code == 201
    assert hook.bodies == []  # the request did not wait for the receiver
    approval = ApprovalRequest.objects.get()
    delivery = WebhookDelivery.objects.get()
    start = delivery.next_attempt_at
    assert clock.tick(start)["webhooks"] == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at, delivery.last_error) == (
        1,
        start + webhooks.FIRST_PAUSE,
        "HTTP 503",
    )
    assert clock.tick(start + webhooks.FIRST_PAUSE - timedelta(seconds=1))["webhooks"] == 0  # not due yet
    assert clock.tick(start + webhooks.FIRST_PAUSE)["webhooks"] == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + webhooks.FIRST_PAUSE * 3  # then twice the pause
    clock.tick(delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None and delivery.attempts == 3
    link = f"https://symphony.example.com{reverse('executions:approval-request', args=[approval.pk])}"
    expected = {"id": approval.pk, "title": "Refund 1042", "link": link, "state": "PENDING", "target": "prod"}
    assert hook.bodies == [expected] * 3
    assert "tok-hook" not in json.dumps(hook.bodies)
    assert clock.tick(timezone.now() + timedelta(days=1))["webhooks"] == 0  # delivered once
    # Signed, each try; one delivery id for all three; the query string kept.
    for path, headers, raw in hook.raw:
        assert path == "/hook?room=ops"
        assert verify(secret, headers, raw)
        assert not verify(secret, headers, raw.replace(b"Refund", b"Refunc"))
        assert not verify("whsec_" + "x" * 43, headers, raw)
        assert headers["X-Symphony-Delivery"] == str(delivery.pk)
    assert secret not in caplog.text


def test_a_new_signing_secret_replaces_the_old_one(client, receiver, target, publisher):
    hook = receiver(failures=0)
    webhook, old = make_webhook(target, hook.url)
    client.force_login(publisher)
    page = client.post(reverse("executions:approval-tokens", args=[target.pk]), {"webhook_secret": "1"})
    new = secret_shown(page.content.decode())
    assert new != old
    approval = ApprovalRequest.objects.create(target=target, account_id=target.account_id, title="t")
    delivery = webhooks.enqueue(approval, "PENDING", "https://symphony.example.com/x")
    webhooks.deliver_due(delivery.next_attempt_at)
    [(_, headers, raw)] = hook.raw
    assert verify(new, headers, raw) and not verify(old, headers, raw)
    # Saving another URL keeps the secret (no new one shown).
    again = client.post(
        reverse("executions:approval-tokens", args=[target.pk]),
        {"webhook": "1", "webhook_url": hook.url + "2"},
    )
    assert again.status_code == 302
    webhook.refresh_from_db()
    assert crypto.decrypt(webhook.encrypted_secret) == new


def test_a_receiver_that_never_takes_it_is_given_up_after_the_last_try(receiver, target):
    hook = receiver(failures=100)
    make_webhook(target, hook.url)
    approval = ApprovalRequest.objects.create(target=target, account_id=target.account_id, title="t")
    delivery = webhooks.enqueue(approval, "PENDING", "https://symphony.example.com/x")
    now = delivery.next_attempt_at
    while delivery.next_attempt_at is not None:
        now = delivery.next_attempt_at
        webhooks.deliver_due(now)
        delivery.refresh_from_db()
    assert delivery.attempts == webhooks.MAX_ATTEMPTS == len(hook.bodies)
    assert delivery.delivered_at is None and delivery.last_error.startswith("Given up after 5 attempt(s)")


def test_a_receiver_that_refuses_is_not_asked_again(receiver, target):
    hook = receiver(failures=0, status_after=404)
    make_webhook(target, hook.url)
    approval = ApprovalRequest.objects.create(target=target, account_id=target.account_id, title="t")
    delivery = webhooks.enqueue(approval, "APPROVED", "https://symphony.example.com/x")
    webhooks.deliver_due(delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at) == (1, None)
    assert "HTTP 404" in delivery.last_error


def test_a_webhook_must_be_an_http_url(client, target, publisher):
    client.force_login(publisher)
    page = reverse("executions:approval-tokens", args=[target.pk])
    answer = client.post(page, {"webhook": "1", "webhook_url": "file:///etc/passwd"}, follow=True)
    assert "must be an http:// or https:// URL" in answer.content.decode()
    assert not ApprovalWebhook.objects.exists()
