"""The run view's Redrive button: offered for a failed, timed out or aborted execution, posted by
whoever may stop it, refused with a message when RedriveExecution would refuse."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from designer.roles import AUTHORS
from executions.models import Execution, ExecutionStatus, HistoryEvent
from tests.executions.conftest import start_execution_of

pytestmark = pytest.mark.django_db

DEFINITION = json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Nope"}}})


@pytest.fixture
def owner(make_user):
    """An author, who runs (and so stops and redrives) executions in their account."""
    return make_user("owner", AUTHORS)


def _failed(owner) -> Execution:
    """An execution as the runner leaves a failed one: its history and FAILED status."""
    execution = start_execution_of(owner, "redrive-page", DEFINITION, name="e1")
    now = timezone.now()
    for event_id, kind, details in [
        (1, "ExecutionStarted", {"executionStartedEventDetails": {"input": "{}"}}),
        (2, "FailStateEntered", {"stateEnteredEventDetails": {"name": "F", "input": "{}"}}),
        (3, "ExecutionFailed", {"executionFailedEventDetails": {"error": "Nope"}}),
    ]:
        HistoryEvent.objects.create(
            execution=execution,
            event_id=event_id,
            previous_event_id=event_id - 1,
            type=kind,
            timestamp=now,
            details=details,
        )
    Execution.objects.filter(pk=execution.pk).update(
        status=ExecutionStatus.FAILED, error="Nope", stopped_at=now, last_event_id=3
    )
    return Execution.objects.get(pk=execution.pk)


def test_a_failed_execution_offers_redrive_and_the_owner_redrives_it(
    client, owner, django_capture_on_commit_callbacks
):
    execution = _failed(owner)
    client.force_login(owner)
    page = client.get(reverse("executions:execution-detail", args=[execution.pk])).content.decode()
    url = reverse("executions:execution-redrive", args=[execution.pk])
    assert f'action="{url}"' in page and ">Redrive</button>" in page
    assert (
        json.loads(page.split('id="execution-data" type="application/json">')[1].split("</script>")[0])[
            "redriveUrl"
        ]
        == url
    )

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("executions:execution-detail", args=[execution.pk])
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.RUNNING
    assert execution.redrive_count == 1 and execution.redrive_date is not None
    assert execution.error is None and execution.stopped_at is None
    redriven = execution.events.get(event_id=4)
    assert redriven.type == "ExecutionRedriven" and redriven.previous_event_id == 3
    assert redriven.details == {"executionRedrivenEventDetails": {"redriveCount": 1}}
    assert len(callbacks) == 2  # the live doorbell and the runner's submit

    # Running again: no button, and a second post is refused with RedriveExecution's reason.
    page = client.get(reverse("executions:execution-detail", args=[execution.pk])).content.decode()
    assert ">Redrive</button>" not in page
    refused = client.post(url, follow=True).content.decode()
    assert "Cannot redrive this execution: Execution is RUNNING and cannot be redriven" in refused
    assert Execution.objects.get(pk=execution.pk).redrive_count == 1


def test_only_who_may_stop_an_execution_may_redrive_it(client, owner, make_user):
    execution = _failed(owner)
    url = reverse("executions:execution-redrive", args=[execution.pk])
    assert client.post(url).status_code == 302  # to the login page
    stranger = make_user("stranger", AUTHORS)  # an author of another account
    client.force_login(stranger)
    assert client.post(url).status_code == 404  # not found: not theirs to see
    client.force_login(owner)
    assert client.get(url).status_code == 405
    assert Execution.objects.get(pk=execution.pk).status == ExecutionStatus.FAILED
