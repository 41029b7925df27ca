"""A target's approval tokens page: its publishers make a token (shown in that answer only) and
revoke one; nobody else sees the page."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from designer.roles import PUBLISHERS
from executions.approvals.api_tokens import TOKEN_RE
from executions.approvals.models import ApprovalToken
from tests.executions.approvals.conftest import make_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(publisher):
    return make_target(publisher)


def ask(token: str, task_token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {"task_token": task_token, "title": "t"}
    return client.post(reverse("approvals-api"), body, format="json")


def test_a_publisher_makes_a_token_shown_once_and_revokes_it(client, publisher, target):
    client.force_login(publisher)
    url = reverse("executions:approval-tokens", args=[target.pk])
    page = client.get(url).content.decode()
    assert "No tokens yet" in page and "lambda_handler.handler" in page
    answer = client.post(url)
    assert "no-store" in answer["Cache-Control"]
    made = answer.content.decode()
    token = next(word for word in made.replace("<", " ").replace(">", " ").split() if TOKEN_RE.match(word))
    assert ask(token, "tok-1").status_code == 201
    stored = ApprovalToken.objects.get()
    assert token not in client.get(url).content.decode()  # shown once
    assert stored.key_id in client.get(url).content.decode()
    client.post(url, {"revoke": stored.key_id})
    assert ask(token, "tok-2").status_code == 401
    assert "revoked" in client.get(url).content.decode()


def test_only_the_target_account_publishers_see_the_page(client, target, reviewer, make_user):
    url = reverse("executions:approval-tokens", args=[target.pk])
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    stranger = make_user("sam", PUBLISHERS)  # a publisher of another account
    client.force_login(stranger)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not ApprovalToken.objects.exists()
