"""The reviewers' inbox: pending human-approval steps of running executions, oldest first, with
links to their approval pages; a count in the navigation bar for whoever may decide; a mail to
each reviewer when a step starts waiting."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.services import account_id_for
from designer.roles import REVIEWERS
from executions import notifications
from executions.effects import register_token
from executions.services import activities, executions, tokens
from tests.executions.conftest import free_port, start_execution_of

pytestmark = pytest.mark.django_db

DEFINITION = json.dumps({"StartAt": "Ask", "States": {"Ask": {"Type": "Pass", "End": True}}})


@pytest.fixture
def reviewer(make_user):
    return make_user("rita", REVIEWERS)


def start(name: str, owner):
    """An execution of ``owner``, in their account."""
    return start_execution_of(owner, f"orders-{name}", DEFINITION, name=name, input="{}")


def test_approval_inbox_lists_what_waits_for_a_person(client, reviewer, author):
    first, second, done, stopped = (start(n, owner=author) for n in ("e1", "e2", "e3", "e4"))
    register_token(first.pk, "tok-1", "ManagerApproval", None, "")
    register_token(second.pk, "tok-2", "LegalReview", None, "")
    register_token(done.pk, "tok-3", "Answered", None, "")
    account = account_id_for(author)
    tokens.send_task_success("tok-3", account, "{}")
    register_token(stopped.pk, "tok-4", "Abandoned", None, "")
    executions.stop_execution(stopped.arn, account)
    activity = activities.create_activity(region="us-east-1", account=account, name="workers")
    register_token(first.pk, "tok-5", "WorkerStep", activity.arn, "{}")

    client.force_login(reviewer)
    page = client.get(reverse("executions:approval-inbox")).content.decode()
    assert "ManagerApproval" in page and "LegalReview" in page
    for absent in ("Answered", "Abandoned", "WorkerStep"):
        assert absent not in page
    assert page.index("ManagerApproval") < page.index("LegalReview")
    assert "orders-e1" in page
    # A reviewer follows the run that waits on them: the execution links to its run view.
    assert reverse("executions:execution-detail", args=[first.pk]) in page
    first_task = first.task_tokens.get(token="tok-1")
    assert reverse("executions:task-approval", args=[first_task.pk]) in page
    assert 'id="approvals-count" title="2 waiting for a decision">2</span>' in page


def test_approval_inbox_is_for_reviewers_only(client, author, viewer, reviewer):
    url = reverse("executions:approval-inbox")
    for user in (author, viewer):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert "approvals-count" not in client.get(reverse("executions:function-list")).content.decode()
    client.logout()
    assert "/accounts/login/" in client.get(url)["Location"]


def test_approval_inbox_empty_and_no_badge(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("executions:approval-inbox")).content.decode()
    assert "Nothing is waiting for a decision." in page
    assert 'href="/executions/approvals/"' in page
    assert "approvals-count" not in page


def test_approval_requests_are_mailed_to_reviewers(
    make_user, author, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SYMPHONY_BASE_URL = "https://symphony.example.com/"
    make_user("rita", REVIEWERS)  # make_user gives rita@example.com
    rob = make_user("rob", REVIEWERS)
    rob.email = ""
    rob.save()
    direct = make_user("dora")
    direct.user_permissions.add(Permission.objects.get(codename="decide_approval"))
    execution = start("e1", owner=author)
    with django_capture_on_commit_callbacks(execute=True):
        register_token(execution.pk, "tok-1", "ManagerApproval", None, "")
        register_token(execution.pk, "tok-1", "ManagerApproval", None, "")  # the same token again
        activity = activities.create_activity(
            region="us-east-1", account=execution.account_id, name="workers"
        )
        register_token(execution.pk, "tok-2", "WorkerStep", activity.arn, "{}")
    task = execution.task_tokens.get(token="tok-1")
    assert sorted(m.to[0] for m in mailoutbox) == ["dora@example.com", "rita@example.com"]
    mail = mailoutbox[0]
    assert mail.subject == "Approval needed: orders-e1 / ManagerApproval"
    assert f"https://symphony.example.com/executions/tasks/{task.pk}/" in mail.body
    assert "execution e1" in mail.body


def test_approval_mail_that_cannot_be_sent_is_logged_not_raised(make_user, author, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    make_user("rita", REVIEWERS)
    execution = start("e1", owner=author)
    register_token(execution.pk, "tok-1", "ManagerApproval", None, "")
    task = execution.task_tokens.get(token="tok-1")
    assert notifications.approval_requested(task) == 0
    assert "could not mail the reviewers" in caplog.text


def test_the_nav_count_answers_reviewers_only(client, reviewer, author):
    """An open page asks for the count again after a decision (static/src/pages/nav.ts)."""
    register_token(start("e1", owner=author).pk, "tok-1", "ManagerApproval", None, "")
    register_token(start("e2", owner=author).pk, "tok-2", "ManagerApproval", None, "")
    url = reverse("executions:approval-count")
    client.force_login(reviewer)
    assert client.get(url).json() == {"count": 2}
    tokens.send_task_success("tok-1", account_id_for(author), "{}")
    assert client.get(url).json() == {"count": 1}
    assert 'data-count-url="/executions/approvals/count/"' in client.get("/workflows/").content.decode()
    client.force_login(author)
    assert client.get(url).status_code == 403
