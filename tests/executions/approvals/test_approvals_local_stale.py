"""A local run's approval request whose run ended, or whose step timed out, is closed by the
approvals loop (status CLOSED, the reason kept, a row in the audit log), not left PENDING with
nothing to decide. The runs are real rows moved by the runner's own services (StopExecution, a
callback's timeout), the request made by the built-in ``symphony-request-approval``."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import account_id_for
from designer.roles import AUTHORS, REVIEWERS
from executions.approvals import audit, clock
from executions.approvals.local_requests import RequestApproval
from executions.approvals.models import ApprovalRequest, ApprovalStatus, DecisionOutcome
from executions.effects import expire_token, register_token
from executions.models import TaskToken
from executions.services import executions, machines, tokens

# RequestApproval runs in the engine's worker thread and closes its connection when done, as
# no test transaction would survive.
pytestmark = pytest.mark.django_db(transaction=True)

DEFINITION = json.dumps({"StartAt": "Ask", "States": {"Ask": {"Type": "Pass", "End": True}}})


@pytest.fixture
def asked(make_user):
    """A running execution whose step ``Ask`` waits on a token, and the request it made."""
    author = make_user("ada", AUTHORS)
    account = account_id_for(author)
    machine, _ = machines.create_state_machine(
        region="us-east-1",
        account=account,
        name="refunds",
        definition=DEFINITION,
        role_arn="arn:aws:iam::000000000000:role/r",
    )
    execution, _ = executions.start_execution(machine.arn, account, name="e1", input="{}", owner_id=author.pk)
    register_token(execution.pk, "tok-local", "Ask", None, "{}")
    answer = RequestApproval(account, execution.pk)({"taskToken": "tok-local", "title": "Refund o-17"}, None)
    return ApprovalRequest.objects.get(pk=answer["id"])


def closed(approval: ApprovalRequest) -> ApprovalRequest:
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.CLOSED
    [decision] = approval.decisions.all()
    assert (decision.username, decision.outcome, decision.comment) == (
        "",
        DecisionOutcome.CLOSED,
        approval.comment,
    )
    return approval


def test_a_request_of_a_run_that_was_stopped_is_closed_by_the_loop(asked, make_user, client):
    assert clock.tick()["closed"] == 0  # still waiting: left alone
    execution = asked.task.execution
    executions.stop_execution(execution.arn, execution.account_id, error="Ops", cause="wrong refund")
    done = clock.tick()
    assert done["closed"] == 1 and done["expired"] == 0
    approval = closed(asked)
    assert approval.comment == "The run ended (ABORTED) before anyone decided."
    assert clock.tick()["closed"] == 0  # closed once
    # The page says so; nobody may decide it; the audit log has it.
    client.force_login(make_user("rita", REVIEWERS))
    page = reverse("executions:approval-request", args=[approval.pk])
    shown = client.get(page).content.decode()
    assert "The run ended (ABORTED) before anyone decided." in shown and "Your decision" not in shown
    assert (
        f'data-approval="{approval.pk}"'
        not in client.get(reverse("executions:approval-inbox")).content.decode()
    )
    late = client.post(page, {"decision": "approve"}, follow=True).content.decode()
    assert "the run&#x27;s end decided this request first" in late
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.CLOSED
    [line] = [line for line in audit.rows(None) if "CLOSED" in line]
    assert ",close," in line and "(run)" in line and "ABORTED" in line


def test_a_request_whose_step_timed_out_is_closed(asked):
    expire_token("tok-local")  # what the runner does when the Task's TimeoutSeconds pass
    clock.tick(timezone.now())
    assert closed(asked).comment == "Step Ask timed out (States.Timeout) before anyone decided."


def test_a_request_answered_another_way_is_closed(asked):
    task = TaskToken.objects.get(token="tok-local")
    tokens.send_task_success("tok-local", task.execution.account_id, json.dumps({"approved": True}))
    clock.tick()
    assert "answered another way (SendTaskSuccess)" in closed(asked).comment


def test_a_deadline_does_not_expire_a_request_whose_run_ended(asked):
    """Closed first: Approval.Expired would have no run to go to."""
    ApprovalRequest.objects.filter(pk=asked.pk).update(deadline=timezone.now())
    asked.current_step.__class__.objects.filter(request=asked).update(deadline=timezone.now())
    execution = asked.task.execution
    executions.stop_execution(execution.arn, execution.account_id)
    done = clock.tick(timezone.now())
    assert (done["closed"], done["expired"]) == (1, 0)
    closed(asked)
