"""A webhook URL that resolves to a loopback, private or link-local address (the metadata service,
the database, an admin port) is refused when it is saved and again when a delivery leaves, unless
the operator allows private addresses (SYMPHONY_WEBHOOKS_ALLOW_PRIVATE=true)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from executions.approvals import webhook_addresses, webhooks
from executions.approvals.models import ApprovalRequest, ApprovalWebhook
from symphony import crypto

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_not_allowed(monkeypatch):
    monkeypatch.delenv(webhook_addresses.SETTING, raising=False)


def save(client, target, url: str):
    page = reverse("executions:approval-tokens", args=[target.pk])
    return client.post(page, {"webhook": "1", "webhook_url": url}, follow=True).content.decode()


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:8000/hook", "127.0.0.1"),
        ("http://localhost/hook", "127.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://10.1.2.3/hook", "10.1.2.3"),
        ("http://192.168.0.7/hook", "192.168.0.7"),
        ("http://[::1]:9000/hook", "::1"),
        ("http://[::ffff:127.0.0.1]/hook", "::ffff:127.0.0.1"),
    ],
)
def test_a_private_address_is_refused_when_saved(client, target, publisher, url, address):
    client.force_login(publisher)
    shown = save(client, target, url)
    assert "Not saved" in shown and address in shown and webhook_addresses.SETTING in shown
    assert not ApprovalWebhook.objects.exists()


def test_a_public_address_is_saved(client, target, publisher):
    client.force_login(publisher)
    shown = save(client, target, "https://93.184.215.14/hooks/approvals")
    assert "are announced to https://93.184.215.14/hooks/approvals" in shown
    assert ApprovalWebhook.objects.get(target=target).url == "https://93.184.215.14/hooks/approvals"


def test_the_operator_may_allow_private_addresses(client, target, publisher, monkeypatch):
    monkeypatch.setenv(webhook_addresses.SETTING, "true")
    client.force_login(publisher)
    save(client, target, "http://127.0.0.1:8000/hook")
    assert ApprovalWebhook.objects.get(target=target).url == "http://127.0.0.1:8000/hook"


def test_an_unresolvable_host_is_refused(client, target, publisher):
    client.force_login(publisher)
    shown = save(client, target, "https://no-such-host.invalid/hook")
    assert "no-such-host.invalid does not resolve" in shown
    assert not ApprovalWebhook.objects.exists()


def test_a_delivery_to_an_address_no_longer_allowed_is_refused_and_not_sent(target, settings):
    """Saved while private addresses were allowed (or while the name pointed elsewhere): the
    delivery checks again, sends nothing and gives up, saying why."""
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            got.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        ApprovalWebhook.objects.create(
            target=target, url=url, encrypted_secret=crypto.encrypt(webhooks.new_secret())
        )
        approval = ApprovalRequest.objects.create(target=target, account_id=target.account_id, title="t")
        delivery = webhooks.enqueue(approval, "PENDING", "https://symphony.example.com/x")
        settings.SYMPHONY_WEBHOOKS_ALLOW_PRIVATE = False
        webhooks.deliver_due(delivery.next_attempt_at)
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.next_attempt_at, delivery.delivered_at) == (1, None, None)
        assert "Refused: 127.0.0.1 resolves to 127.0.0.1" in delivery.last_error
        assert got == []
        settings.SYMPHONY_WEBHOOKS_ALLOW_PRIVATE = True  # the same receiver, allowed: it is reached
        again = webhooks.enqueue(approval, "APPROVED", "https://symphony.example.com/x")
        webhooks.deliver_due(again.next_attempt_at)
        again.refresh_from_db()
        assert again.delivered_at is not None and got == ["/hook"]
    finally:
        server.shutdown()
        server.server_close()
