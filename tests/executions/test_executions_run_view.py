"""The run view's server side: what the page hands its script, the pending-tasks feed, the
approval page's context and its rule that a rejection carries a reason, the list's durations."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from designer.roles import AUTHORS
from executions.effects import register_token
from executions.models import HistoryEvent, TaskToken, TaskTokenStatus
from executions.views import human_duration
from tests.executions.conftest import ASK_DEFINITION

pytestmark = pytest.mark.django_db


def add_event(execution, event_id: int, type_: str, details: dict) -> None:
    HistoryEvent.objects.create(
        execution=execution,
        event_id=event_id,
        previous_event_id=event_id - 1,
        type=type_,
        timestamp=execution.started_at,
        details=details,
    )


def test_run_view_page_carries_the_definition_and_links(client, user, execution):
    client.force_login(user)
    page = client.get(reverse("executions:execution-detail", args=[execution.pk])).content.decode()
    start = page.index('<script id="execution-data" type="application/json">') + len(
        '<script id="execution-data" type="application/json">'
    )
    data = json.loads(page[start : page.index("</script>", start)])
    assert data["definition"] == ASK_DEFINITION
    assert data["status"] == execution.status
    assert data["tasksUrl"] == reverse("executions:execution-tasks", args=[execution.pk])
    assert data["stopUrl"] == reverse("executions:execution-stop", args=[execution.pk])
    assert data["startedAt"] == execution.started_at.timestamp()
    assert 'id="execution-root"' in page


def test_run_view_pending_tasks_feed(client, user, execution, make_user):
    register_token(execution.pk, "tok-1", "Ask", None, "")
    task = TaskToken.objects.get(token="tok-1")
    client.force_login(user)
    url = reverse("executions:execution-tasks", args=[execution.pk])
    assert client.get(url).json() == {
        "tasks": [{"state": "Ask", "url": reverse("executions:task-approval", args=[task.pk])}]
    }
    client.force_login(make_user("other", AUTHORS))  # an author of another account
    assert client.get(url).status_code == 404  # not found: not theirs to see


def test_run_view_approval_shows_the_step_context(client, user, execution):
    add_event(
        execution,
        2,
        "TaskStateEntered",
        {"stateEnteredEventDetails": {"name": "Ask", "input": '{"amount":19.5}'}},
    )
    add_event(
        execution,
        3,
        "TaskScheduled",
        {
            "taskScheduledEventDetails": {
                "resource": "sendMessage.waitForTaskToken",
                "resourceType": "sqs",
                "parameters": '{"MessageBody":{"order":42}}',
            }
        },
    )
    register_token(execution.pk, "tok-2", "Ask", None, "")
    task = TaskToken.objects.get(token="tok-2")
    client.force_login(user)
    page = client.get(reverse("executions:task-approval", args=[task.pk])).content.decode()
    assert "sqs:sendMessage.waitForTaskToken" in page
    assert "&quot;amount&quot;: 19.5" in page  # the state's input, indented
    assert "&quot;order&quot;: 42" in page  # what the task sent
    assert "&quot;order&quot;: 7" in page  # the execution's input


def test_run_view_rejection_needs_a_reason(client, user, execution):
    register_token(execution.pk, "tok-3", "Ask", None, "")
    task = TaskToken.objects.get(token="tok-3")
    client.force_login(user)
    url = reverse("executions:task-approval", args=[task.pk])
    page = client.post(url, {"decision": "reject", "comment": "  "}, follow=True).content.decode()
    assert "Give a reason for the rejection" in page
    task.refresh_from_db()
    assert task.status == TaskTokenStatus.PENDING
    client.post(url, {"decision": "reject", "comment": "Wrong amount"})
    task.refresh_from_db()
    assert (task.status, task.error, task.cause) == (
        TaskTokenStatus.FAILED,
        "Rejected",
        "Wrong amount (rejected by rev)",
    )


def test_run_view_list_shows_durations(client, user, execution):
    execution.status = "SUCCEEDED"
    execution.stopped_at = execution.started_at + timedelta(seconds=75)
    execution.save()
    client.force_login(user)
    page = client.get(reverse("executions:execution-list")).content.decode()
    assert "1 min 15 s" in page
    assert 'data-status="SUCCEEDED"' in page


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.042, "42 ms"),
        (3.21, "3.2 s"),
        (75, "1 min 15 s"),
        (3 * 3600 + 120, "3 h 2 min"),
        (3 * 86400 + 3600, "3 d 1 h"),
    ],
)
def test_run_view_human_duration(seconds, text):
    assert human_duration(seconds) == text
