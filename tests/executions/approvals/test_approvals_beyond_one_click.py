"""Beyond one click: a quorum (N of M), an ordered chain, escalation and expiry at a deadline
(driven by the approvals loop with a forced clock), the audit log as CSV. Answers go to moto's
Step Functions over HTTP, for task tokens moto issued."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from designer.roles import REVIEWERS
from executions.approvals import clock, decisions
from executions.approvals.approval_requests import ApprovalFieldError, Ask, StepAsk, create_request
from executions.approvals.decisions import ApprovedAlready, NotYourTurn
from executions.approvals.models import ApprovalRequest, ApprovalStatus
from tests.executions.approvals.conftest import finished, waiting_execution

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(make_user):
    """Three release managers, two security reviewers, one head of engineering."""
    people = {name: make_user(name, REVIEWERS) for name in ("ann", "ben", "cat", "sam", "sue", "hal")}
    for group, names in (("release", "ann ben cat"), ("security", "sam sue"), ("heads", "hal")):
        Group.objects.create(name=group).user_set.add(*(people[n] for n in names.split()))
    return people


def ask(task_token: str, execution_arn: str = "", **fields) -> Ask:
    fields = {"users": [], "groups": ["release"], "deadline": None, **fields}
    return Ask(
        task_token=task_token,
        title="Ship 4.2",
        context={"release": "4.2"},
        execution_arn=execution_arn,
        **fields,
    )


def page(approval: ApprovalRequest) -> str:
    return reverse("executions:approval-request", args=[approval.pk])


def test_a_quorum_answers_only_when_enough_approve(client, moto, target, team):
    execution_arn, task_token = waiting_execution(moto)
    approval = create_request(target, ask(task_token, quorum=2))[0]
    client.force_login(team["ann"])
    client.post(page(approval), {"decision": "approve", "comment": "fine by me"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    assert moto.client("stepfunctions").describe_execution(executionArn=execution_arn)["status"] == "RUNNING"
    # ann cannot approve twice, and no longer finds it in her inbox; ben does, and the page says who approved.
    with pytest.raises(ApprovedAlready):
        decisions.decide(approval, team["ann"], approve=True, comment="again")
    inbox = reverse("executions:approval-inbox")
    assert f'data-approval="{approval.pk}"' not in client.get(inbox).content.decode()
    assert "1 of 2 approvals" in client.get(page(approval)).content.decode()
    client.force_login(team["ben"])
    assert f'data-approval="{approval.pk}"' in client.get(inbox).content.decode()
    shown = client.get(page(approval)).content.decode()
    assert "1 of 2 approvals, by ann" in shown
    client.post(page(approval), {"decision": "approve", "comment": "ship it"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED and approval.decided_by == team["ben"]
    described = finished(moto, execution_arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {
        "approved": True,
        "reviewer": "ben",
        "comment": "ship it",
        "approvals": [
            {"reviewer": "ann", "comment": "fine by me", "step": "step 1"},
            {"reviewer": "ben", "comment": "ship it", "step": "step 1"},
        ],
    }
    assert [(d.username, d.outcome) for d in approval.decisions.all()] == [
        ("ann", "COUNTED"),
        ("ben", "TAKEN"),
    ]


def test_one_rejection_rejects_a_quorum(client, moto, target, team):
    execution_arn, task_token = waiting_execution(moto)
    approval = create_request(target, ask(task_token, quorum=2))[0]
    decisions.decide(approval, team["ann"], approve=True, comment="")
    decisions.decide(approval, team["cat"], approve=False, comment="the changelog is wrong")
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.REJECTED
    assert finished(moto, execution_arn)["error"] == "Rejected"


def test_a_quorum_larger_than_the_approvers_is_refused(target, team):
    with pytest.raises(ApprovalFieldError) as refused:
        create_request(target, ask("tok-q", quorum=4))  # release has three people
    assert refused.value.field == "quorum" and "3 people" in refused.value.message


def test_a_chain_decides_in_order_and_shows_only_to_whoever_decides_now(client, moto, target, team):
    execution_arn, task_token = waiting_execution(moto)
    chain = [
        StepAsk(groups=["release"], name="team lead"),
        StepAsk(groups=["security"], quorum=2, name="security"),
    ]
    approval = create_request(target, ask(task_token, steps=chain))[0]
    inbox = reverse("executions:approval-inbox")
    client.force_login(team["sam"])
    assert f'data-approval="{approval.pk}"' not in client.get(inbox).content.decode()
    assert "Not your turn yet" in client.get(page(approval)).content.decode()
    answer = client.post(page(approval), {"decision": "reject", "comment": "too early"}, follow=True)
    assert "waits for team lead first" in answer.content.decode()
    with pytest.raises(NotYourTurn):
        decisions.decide(approval, team["sam"], approve=True, comment="")
    decisions.decide(approval, team["ann"], approve=True, comment="lead ok")
    approval.refresh_from_db()
    assert approval.step == 1 and approval.status == ApprovalStatus.PENDING
    assert f'data-approval="{approval.pk}"' in client.get(inbox).content.decode()
    client.force_login(team["ben"])  # the team lead step is over for the release group
    assert f'data-approval="{approval.pk}"' not in client.get(inbox).content.decode()
    with pytest.raises(NotYourTurn):
        decisions.decide(approval, team["ben"], approve=True, comment="")
    decisions.decide(approval, team["sam"], approve=True, comment="")
    assert moto.client("stepfunctions").describe_execution(executionArn=execution_arn)["status"] == "RUNNING"
    decisions.decide(approval, team["sue"], approve=True, comment="secure")
    described = finished(moto, execution_arn)
    assert described["status"] == "SUCCEEDED"
    steps = [entry["step"] for entry in json.loads(described["output"])["approvals"]]
    assert steps == ["team lead", "security", "security"]


def test_a_passed_deadline_escalates_to_the_escalation_group(client, moto, target, team, mailoutbox):
    execution_arn, task_token = waiting_execution(moto)
    deadline = timezone.now() + timedelta(hours=4)
    approval = create_request(
        target, ask(task_token, quorum=2, deadline=deadline, escalation_groups=["heads"])
    )[0]
    decisions.decide(approval, team["ann"], approve=True, comment="")
    client.force_login(team["hal"])
    assert "Not your turn yet" in client.get(page(approval)).content.decode()
    assert clock.tick(deadline - timedelta(seconds=1))["escalated"] == 0
    assert clock.tick(deadline + timedelta(seconds=1))["escalated"] == 1
    assert clock.tick(deadline + timedelta(seconds=2))["escalated"] == 0  # once
    approval.refresh_from_db()
    assert approval.escalated_at == deadline + timedelta(seconds=1)
    escalation_mail = [m for m in mailoutbox if m.subject.startswith("Escalated")]
    assert [m.to for m in escalation_mail] == [["hal@example.com"]]
    assert page(approval) in escalation_mail[0].body and task_token not in escalation_mail[0].body
    assert (
        f'data-approval="{approval.pk}"' in client.get(reverse("executions:approval-inbox")).content.decode()
    )
    # One approval from the escalation group completes the step.
    client.post(page(approval), {"decision": "approve", "comment": "going ahead"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED and approval.decided_by == team["hal"]
    assert finished(moto, execution_arn)["status"] == "SUCCEEDED"


def test_a_passed_deadline_without_escalation_expires_the_request(client, moto, target, team):
    execution_arn, task_token = waiting_execution(moto)
    deadline = timezone.now() + timedelta(minutes=30)
    approval = create_request(target, ask(task_token, deadline=deadline))[0]
    assert clock.tick(deadline)["expired"] == 1
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.EXPIRED
    described = finished(moto, execution_arn)
    assert (described["status"], described["error"]) == ("FAILED", "Approval.Expired")
    expiry = approval.decisions.get()
    assert (expiry.username, expiry.outcome, expiry.approve) == ("", "EXPIRED", False)
    client.force_login(team["ann"])
    shown = client.get(page(approval)).content.decode()
    assert "Expired" in shown and "Approval.Expired" in shown and "the deadline" in shown
    with pytest.raises(decisions.AlreadyDecided):
        decisions.decide(approval, team["ann"], approve=True, comment="too late")


def test_the_management_command_runs_one_pass(moto, target, team):
    execution_arn, task_token = waiting_execution(moto)
    create_request(target, ask(task_token, deadline=timezone.now() - timedelta(seconds=1)))
    out = io.StringIO()
    call_command("approvals", "--once", stdout=out)
    assert "expired 1" in out.getvalue()
    assert finished(moto, execution_arn)["error"] == "Approval.Expired"


def test_a_quorum_whose_execution_ended_records_the_refusal(moto, target, team):
    execution_arn, task_token = waiting_execution(moto, timeout_seconds=1)
    approval = create_request(target, ask(task_token, quorum=2))[0]
    decisions.decide(approval, team["ann"], approve=True, comment="")
    assert finished(moto, execution_arn)["status"] == "FAILED"  # States.Timeout
    decisions.decide(approval, team["ben"], approve=True, comment="")
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.REFUSED and approval.answer_error in decisions.REFUSALS
    assert [d.outcome for d in approval.decisions.all()] == ["COUNTED", "REFUSED"]


def test_the_audit_log_is_a_csv_of_every_decision_in_the_account(
    client, moto, target, team, publisher, make_user
):
    _, task_token = waiting_execution(moto)
    approval = create_request(target, ask(task_token, quorum=2))[0]
    decisions.decide(approval, team["ann"], approve=True, comment="=HYPERLINK(1)", address="10.1.2.3")
    decisions.decide(approval, team["ben"], approve=False, comment="no", address="10.1.2.4")
    audit = reverse("executions:approval-audit")
    client.force_login(publisher)  # reads target's account
    answer = client.get(audit)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert [(r["reviewer"], r["decision"], r["address"], r["outcome"]) for r in rows] == [
        ("ann", "approve", "10.1.2.3", "COUNTED"),
        ("ben", "reject", "10.1.2.4", "TAKEN"),
    ]
    assert rows[0]["comment"] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert rows[0]["title"] == "Ship 4.2" and rows[0]["step"] == "step 1"
    # Another account's reader sees none of it; someone without READ is refused.
    client.force_login(make_user("olga", "authors"))
    other = b"".join(client.get(audit).streaming_content).decode()
    assert "ann" not in other and other.startswith("at,request")
    client.force_login(make_user("nobody"))
    assert client.get(audit).status_code == 403
    client.force_login(make_user("root", superuser=True))  # every account's, linked from the inbox
    assert audit in client.get(reverse("executions:approval-inbox")).content.decode()
    assert "ann" in b"".join(client.get(audit).streaming_content).decode()
