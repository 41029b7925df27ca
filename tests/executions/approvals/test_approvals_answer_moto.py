"""The reviewer's answer reaches the workflow in AWS: a real SendTaskSuccess / SendTaskFailure
through the target's boto3 client to moto's server over HTTP, for a task token moto issued in an
execution it runs. What AWS refuses is shown and kept (Step Functions API Reference,
SendTaskSuccess, "Errors": TaskTimedOut, InvalidToken, TaskDoesNotExist)."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from executions.approvals import decisions
from executions.approvals.approval_requests import Ask, create_request
from executions.approvals.decisions import AlreadyDecided
from executions.approvals.models import ApprovalRequest, ApprovalStatus
from tests.executions.approvals.conftest import finished, make_target, waiting_execution

pytestmark = pytest.mark.django_db


def request_for(
    target, task_token: str, users: list[str] | None = None, execution_arn: str = "", groups=()
) -> ApprovalRequest:
    ask = Ask(
        task_token=task_token,
        title="Ship release 4.2",
        context={"release": "4.2", "changes": ["billing", "search"]},
        users=users or [],
        groups=list(groups),
        deadline=None,
        execution_arn=execution_arn,
    )
    return create_request(target, ask)[0]


def page(approval: ApprovalRequest) -> str:
    return reverse("executions:approval-request", args=[approval.pk])


def test_approving_sends_task_success_to_the_execution_in_aws(client, moto, target, reviewer):
    execution_arn, task_token = waiting_execution(moto)
    approval = request_for(target, task_token, execution_arn=execution_arn)
    client.force_login(reviewer)
    shown = client.get(page(approval)).content.decode()
    assert "Ship release 4.2" in shown and "billing" in shown and "Your decision" in shown
    assert task_token not in shown
    # The execution's history from the target (GetExecutionHistory), beside the request.
    assert "ExecutionStarted" in shown and "TaskSubmitted" in shown
    client.post(page(approval), {"decision": "approve", "comment": "looks good"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED
    described = finished(moto, execution_arn)
    assert described["status"] == "SUCCEEDED"
    # The shape the approval page sends for local runs.
    assert json.loads(described["output"]) == {"approved": True, "reviewer": "rita", "comment": "looks good"}
    assert "looks good" in client.get(page(approval)).content.decode()


def test_rejecting_sends_task_failure_with_the_reason(client, moto, target, reviewer):
    execution_arn, task_token = waiting_execution(moto)
    approval = request_for(target, task_token)
    client.force_login(reviewer)
    client.post(page(approval), {"decision": "reject", "comment": ""})  # a rejection needs a reason
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    client.post(page(approval), {"decision": "reject", "comment": "breaks billing"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.REJECTED
    described = finished(moto, execution_arn)
    assert described["status"] == "FAILED"
    assert described["error"] == "Rejected"
    history = moto.client("stepfunctions").get_execution_history(executionArn=execution_arn)["events"]
    failed = [e["taskFailedEventDetails"] for e in history if e["type"] == "TaskFailed"]
    # moto 5.2 keeps SendTaskFailure's error but drops its cause; AWS keeps both.
    assert [details["error"] for details in failed] == ["Rejected"]


def test_an_answer_to_an_execution_that_ended_is_shown_and_kept(client, moto, target, reviewer):
    execution_arn, task_token = waiting_execution(moto, timeout_seconds=1)
    approval = request_for(target, task_token)
    assert finished(moto, execution_arn)["status"] == "FAILED"  # States.Timeout: nobody answered in time
    client.force_login(reviewer)
    answer = client.post(page(approval), {"decision": "approve"}, follow=True)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.REFUSED
    assert approval.answer_error in decisions.REFUSALS
    assert approval.decided_by == reviewer and approval.approve is True
    shown = answer.content.decode()
    assert "AWS refused the answer" in shown and approval.answer_error in shown
    decision = approval.decisions.get()
    assert (decision.username, decision.outcome, decision.error, decision.address) == (
        "rita",
        "REFUSED",
        approval.answer_error,
        "127.0.0.1",
    )
    assert "Refused by AWS" in shown
    assert task_token not in shown and task_token not in approval.answer_message


def test_two_reviewers_at_once_one_wins_the_other_sees_who(client, moto, target, reviewer, second_reviewer):
    execution_arn, task_token = waiting_execution(moto)
    approval = request_for(target, task_token)
    # Both loaded the page while it was waiting.
    seen_by_rita = ApprovalRequest.objects.get(pk=approval.pk)
    seen_by_rob = ApprovalRequest.objects.get(pk=approval.pk)
    decisions.decide(seen_by_rita, reviewer, approve=True, comment="")
    with pytest.raises(AlreadyDecided) as lost:
        decisions.decide(seen_by_rob, second_reviewer, approve=False, comment="no")
    assert lost.value.approval.decided_by == reviewer
    assert finished(moto, execution_arn)["status"] == "SUCCEEDED"  # rob's failure never went out
    client.force_login(second_reviewer)
    answer = client.post(page(approval), {"decision": "reject", "comment": "no"}, follow=True)
    assert "rita decided this request first" in answer.content.decode()
    # Every attempt is in the audit trail, the late ones too.
    trail = [(d.username, d.approve, d.outcome) for d in approval.decisions.all()]
    assert trail == [("rita", True, "TAKEN"), ("rob", False, "LATE"), ("rob", False, "LATE")]


def test_an_unreachable_target_leaves_the_request_waiting_with_the_error(client, publisher, reviewer, moto):
    approval = request_for(make_target(publisher, name="down", endpoint_url="http://127.0.0.1:9"), "tok-1")
    client.force_login(reviewer)
    answer = client.post(page(approval), {"decision": "approve"}, follow=True)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING and approval.decided_by is None
    assert approval.answer_error == "Unreachable" and "127.0.0.1:9" in approval.answer_message
    assert [(d.username, d.outcome) for d in approval.decisions.all()] == [("rita", "UNSENT")]
    assert "could not be sent" in answer.content.decode()


def test_only_the_named_approvers_decide(client, moto, target, reviewer, second_reviewer, make_user):
    approval = request_for(target, "tok-named", users=["rob"])
    client.force_login(reviewer)
    assert client.get(page(approval)).status_code == 403
    assert client.post(page(approval), {"decision": "approve"}).status_code == 403
    inbox = client.get(reverse("executions:approval-inbox")).content.decode()
    assert f'data-approval="{approval.pk}"' not in inbox
    client.force_login(second_reviewer)
    inbox = client.get(reverse("executions:approval-inbox")).content.decode()
    assert f'data-approval="{approval.pk}"' in inbox
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING


def test_without_an_execution_arn_or_a_reachable_target_the_page_says_why(client, publisher, moto, reviewer):
    approval = request_for(target=make_target(publisher, name="down"), task_token="tok-3")
    client.force_login(reviewer)
    assert "did not say which execution" in client.get(page(approval)).content.decode()
    arn = "arn:aws:states:us-east-1:123456789012:execution:m:e"
    approval = request_for(make_target(publisher, name="down2"), "tok-4", execution_arn=arn)
    shown = client.get(page(approval)).content.decode()
    assert "No history to show" in shown and "127.0.0.1:9" in shown and "Your decision" in shown


def test_people_who_are_not_reviewers_are_refused(client, moto, target, publisher):
    approval = request_for(target, "tok-2")
    client.force_login(publisher)
    assert client.get(page(approval)).status_code == 403
    assert client.post(page(approval), {"decision": "approve"}).status_code == 403


def test_a_decision_whose_sending_died_is_open_again(client, moto, target, reviewer, second_reviewer):
    execution_arn, task_token = waiting_execution(moto)
    approval = request_for(target, task_token)
    # rita's claim, its process killed before the answer left.
    claimed_at = timezone.now()
    ApprovalRequest.objects.filter(pk=approval.pk).update(
        status=ApprovalStatus.SENDING, decided_by=reviewer, decided_at=claimed_at, approve=True
    )
    client.force_login(second_reviewer)
    inbox = reverse("executions:approval-inbox")
    assert f'data-approval="{approval.pk}"' not in client.get(inbox).content.decode()
    with pytest.raises(AlreadyDecided):  # still sending, as far as anyone knows
        decisions.decide(approval, second_reviewer, approve=True, comment="")
    ApprovalRequest.objects.filter(pk=approval.pk).update(decided_at=claimed_at - timedelta(minutes=6))
    assert f'data-approval="{approval.pk}"' in client.get(inbox).content.decode()
    client.post(page(approval), {"decision": "approve", "comment": "again"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED and approval.decided_by == second_reviewer
    assert finished(moto, execution_arn)["status"] == "SUCCEEDED"


def test_a_named_group_decides(client, moto, target, reviewer, second_reviewer):
    Group.objects.create(name="security").user_set.add(second_reviewer)
    execution_arn, task_token = waiting_execution(moto)
    approval = request_for(target, task_token, groups=["security"])
    inbox = reverse("executions:approval-inbox")
    client.force_login(reviewer)
    assert f'data-approval="{approval.pk}"' not in client.get(inbox).content.decode()
    assert client.post(page(approval), {"decision": "approve"}).status_code == 403
    client.force_login(second_reviewer)
    assert f'data-approval="{approval.pk}"' in client.get(inbox).content.decode()
    client.post(page(approval), {"decision": "approve"})
    assert finished(moto, execution_arn)["status"] == "SUCCEEDED"
