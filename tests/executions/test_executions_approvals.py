"""Who may decide a step waiting for a person: the reviewers role (the `decide_approval`
permission, granted by `bootstrap`), whoever owns the execution; nobody else, not even the
author who started it; anonymous visitors are sent to log in."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from designer.roles import AUTHORS, REVIEWERS, VIEWERS
from executions.effects import register_token
from executions.models import TaskToken, TaskTokenStatus
from tests.executions.conftest import start_execution_of

pytestmark = pytest.mark.django_db

DEFINITION = json.dumps({"StartAt": "Ask", "States": {"Ask": {"Type": "Pass", "End": True}}})


@pytest.fixture
def roles():
    call_command("bootstrap", "--no-samples", stdout=io.StringIO())


def member(django_user_model, username: str, role: str):
    user = django_user_model.objects.create_user(username, password="pw-12345!")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def task(roles, django_user_model):
    author = member(django_user_model, "ada", AUTHORS)
    execution = start_execution_of(author, "approvals", DEFINITION, name="e1", input="{}")
    register_token(execution.pk, "tok-approve", "Ask", None, "")
    return TaskToken.objects.get(token="tok-approve")


def test_executions_approval_reviewer_decides(client, task, django_user_model):
    client.force_login(member(django_user_model, "rita", REVIEWERS))
    url = reverse("executions:task-approval", args=[task.pk])
    assert "Your decision" in client.get(url).content.decode()
    client.post(url, {"decision": "approve", "comment": "ok"})
    task.refresh_from_db()
    assert task.status == TaskTokenStatus.SUCCEEDED
    assert json.loads(task.output) == {"approved": True, "reviewer": "rita", "comment": "ok"}


def test_executions_approval_author_without_the_permission_is_refused(client, task):
    client.force_login(task.execution.owner)  # the author who started it
    url = reverse("executions:task-approval", args=[task.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "approve"}).status_code == 403
    task.refresh_from_db()
    assert task.status == TaskTokenStatus.PENDING


def test_executions_approval_anonymous_is_sent_to_log_in(client, task):
    url = reverse("executions:task-approval", args=[task.pk])
    for answer in (client.get(url), client.post(url, {"decision": "approve"})):
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("login"))
    task.refresh_from_db()
    assert task.status == TaskTokenStatus.PENDING


def test_executions_run_view_offers_the_approval_page_only_to_reviewers(client, task):
    execution = task.execution
    approval = reverse("executions:task-approval", args=[task.pk])
    client.force_login(execution.owner)
    assert client.get(reverse("executions:execution-tasks", args=[execution.pk])).json() == {"tasks": []}
    assert (
        approval
        not in client.get(reverse("executions:execution-detail", args=[execution.pk])).content.decode()
    )
    execution.owner.groups.add(Group.objects.get(name=REVIEWERS))
    assert client.get(reverse("executions:execution-tasks", args=[execution.pk])).json() == {
        "tasks": [{"state": "Ask", "url": approval}]
    }
    assert (
        approval in client.get(reverse("executions:execution-detail", args=[execution.pk])).content.decode()
    )


def test_executions_reviewer_follows_the_run_that_waits_on_them(client, task, django_user_model):
    """A reviewer sees the run view of an execution someone else owns once it asked a person
    (the approval page links back to it); a viewer without the permission still does not."""
    detail = reverse("executions:execution-detail", args=[task.execution.pk])
    client.force_login(member(django_user_model, "rita", REVIEWERS))
    assert client.get(detail).status_code == 200
    client.force_login(member(django_user_model, "vic", VIEWERS))  # reads in another account
    assert client.get(detail).status_code == 404  # not found, as a missing one
