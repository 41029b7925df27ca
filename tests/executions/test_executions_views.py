"""Server-rendered pages: access keys, execution list and detail, the approval page."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import account_id_for
from designer.models import Version, Workflow
from designer.roles import AUTHORS, REVIEWERS
from executions.effects import register_token
from executions.models import AccessKey, Execution, FunctionLog, TaskToken, TaskTokenStatus
from executions.services import access_keys
from tests.executions.conftest import ASK_DEFINITION

pytestmark = pytest.mark.django_db


def test_executions_access_keys_create_and_revoke(client, user):
    client.force_login(user)
    page = client.post(reverse("executions:access-keys"), {"description": "ci"})
    key = AccessKey.objects.get(user=user)
    secret = access_keys.secret_for_signature(key)
    assert page.content.decode().count(secret) == 1  # shown once, on creation
    # How to use it with the AWS CLI: the key's id in the environment, the secret left for the reader.
    assert f"AWS_ACCESS_KEY_ID={key.access_key_id} AWS_SECRET_ACCESS_KEY=…" in page.content.decode()
    assert secret not in client.get(reverse("executions:access-keys")).content.decode()
    client.post(reverse("executions:access-key-revoke", args=[key.access_key_id]))
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_executions_pages_need_login_and_permission(client, user, execution, make_user):
    assert client.get(reverse("executions:execution-list")).status_code == 302
    client.force_login(user)
    listing = client.get(reverse("executions:execution-list")).content.decode()
    link = reverse("executions:execution-detail", args=[execution.pk])
    assert "e1" in listing and link in listing
    detail = client.get(reverse("executions:execution-detail", args=[execution.pk]))
    assert detail.status_code == 200
    assert "&quot;order&quot;: 7" in detail.content.decode()
    stranger = make_user("other", AUTHORS)  # an author of another account
    client.force_login(stranger)
    # Not found, as a missing one: a refusal would tell which ids exist.
    assert client.get(reverse("executions:execution-detail", args=[execution.pk])).status_code == 404
    # Its link, not its short name: "e1" can turn up in a random CSRF token.
    assert link not in client.get(reverse("executions:execution-list")).content.decode()


def test_executions_approval_page_answers_the_token_once(client, user, execution):
    register_token(execution.pk, "tok-1", "Approve", None, "")
    task = TaskToken.objects.get(token="tok-1")
    client.force_login(user)
    page = client.get(reverse("executions:task-approval", args=[task.pk]))
    assert "Approve" in page.content.decode()
    client.post(
        reverse("executions:task-approval", args=[task.pk]), {"decision": "approve", "comment": "fine"}
    )
    task.refresh_from_db()
    assert task.status == TaskTokenStatus.SUCCEEDED
    assert json.loads(task.output) == {"approved": True, "reviewer": "rev", "comment": "fine"}
    second = client.post(
        reverse("executions:task-approval", args=[task.pk]), {"decision": "reject"}, follow=True
    ).content.decode()
    assert "Task Does Not Exist" in second or "nothing left to decide" in second
    task.refresh_from_db()
    assert task.status == TaskTokenStatus.SUCCEEDED


def test_executions_run_a_workflow_version(client, user, make_user, django_capture_on_commit_callbacks):
    workflow = Workflow.objects.create(name="flow", owner=user, visibility="shared")
    version = Version.objects.create(workflow=workflow, number=1, definition=ASK_DEFINITION, draft_revision=1)
    # A reviewer may not start executions (designer.services.can_run); an author may.
    client.force_login(make_user("rita", REVIEWERS))
    assert client.post(reverse("executions:run-version", args=[version.pk])).status_code == 403
    assert not Execution.objects.exists()
    client.force_login(user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("executions:run-version", args=[version.pk]), {"input": '{"a": 1}'})
    assert len(callbacks) == 1  # the runner is handed the execution once it is committed
    execution = user.execution_set.get()
    assert execution.account_id == account_id_for(user)  # in the runner's account
    assert response.url == reverse("executions:execution-detail", args=[execution.pk])
    assert (execution.state_machine_name, execution.input) == ("flow", '{"a": 1}')
    assert execution.version_arn == execution.state_machine_arn + ":1"
    client.post(reverse("executions:run-version", args=[version.pk]), {"input": "{}"})
    assert user.execution_set.count() == 2
    assert execution.state_machine.versions.count() == 1  # same definition, same version


def test_executions_function_logs_are_the_executions_own(client, user, execution, django_user_model):
    """The run view's step panel reads what each local function call printed."""
    FunctionLog.objects.create(
        execution=execution,
        function_name="charge-card",
        request_id="req-1",
        started_at=timezone.now(),
        duration_ms=12,
        error_type="Exception",
        log="charging\n",
    )
    url = reverse("executions:execution-logs", args=[execution.pk])
    client.force_login(user)
    [log] = client.get(url).json()["logs"]
    assert (log["function"], log["requestId"], log["durationMs"], log["errorType"], log["log"]) == (
        "charge-card",
        "req-1",
        12,
        "Exception",
        "charging\n",
    )
    assert isinstance(log["startedAt"], float)
    client.force_login(django_user_model.objects.create_user("other", password="pw-12345!"))
    assert client.get(url).status_code == 404
