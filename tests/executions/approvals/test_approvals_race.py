"""Reviewers deciding one request at the same moment: exactly one decision is sent to AWS, the
others are told who decided."""

import json
import threading

import pytest
from django.db import connection

from designer.roles import REVIEWERS
from executions.approvals import decisions
from executions.approvals.approval_requests import Ask, create_request
from executions.approvals.decisions import AlreadyDecided
from executions.approvals.models import ApprovalRequest, ApprovalStatus
from tests.executions.approvals.conftest import finished, waiting_execution

RACERS = 4


@pytest.mark.django_db(transaction=True)
def test_racing_reviewers_have_exactly_one_winner(moto, target, make_user):
    execution_arn, task_token = waiting_execution(moto)
    ask = Ask(task_token=task_token, title="Race", context={}, users=[], groups=[], deadline=None)
    approval = create_request(target, ask)[0]
    reviewers = [make_user(f"reviewer{i}", REVIEWERS) for i in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    outcomes: dict[int, str] = {}

    def decide(index: int) -> None:
        seen = ApprovalRequest.objects.get(pk=approval.pk)  # each one's page, loaded while waiting
        barrier.wait()
        try:
            # Even reviewers approve, odd ones reject: the execution's end tells whose answer went.
            decisions.decide(seen, reviewers[index], approve=index % 2 == 0, comment=f"by {index}")
            outcomes[index] = "won"
        except AlreadyDecided as lost:
            outcomes[index] = f"lost to {lost.approval.decided_by.username}"
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [index for index, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    winner = winners[0]
    assert sorted(o for o in outcomes.values() if o != "won") == [f"lost to reviewer{winner}"] * (RACERS - 1)
    approval.refresh_from_db()
    assert approval.decided_by == reviewers[winner] and approval.comment == f"by {winner}"
    outcomes_kept = sorted(approval.decisions.values_list("outcome", flat=True))
    assert outcomes_kept == ["LATE"] * (RACERS - 1) + ["TAKEN"]
    expected = ApprovalStatus.APPROVED if winner % 2 == 0 else ApprovalStatus.REJECTED
    assert approval.status == expected
    assert finished(moto, execution_arn)["status"] == ("SUCCEEDED" if winner % 2 == 0 else "FAILED")


@pytest.mark.django_db(transaction=True)
def test_racing_approvers_of_a_quorum_count_once_each_and_answer_once(moto, target, make_user):
    execution_arn, task_token = waiting_execution(moto, name="quorum")
    reviewers = [make_user(f"approver{i}", REVIEWERS) for i in range(RACERS)]
    ask = Ask(
        task_token=task_token,
        title="Race",
        context={},
        users=[r.username for r in reviewers],
        groups=[],
        deadline=None,
        quorum=2,
    )
    approval = create_request(target, ask)[0]
    barrier = threading.Barrier(RACERS)
    outcomes: dict[int, str] = {}

    def approve(index: int) -> None:
        seen = ApprovalRequest.objects.get(pk=approval.pk)
        barrier.wait()
        try:
            decided = decisions.decide(seen, reviewers[index], approve=True, comment=f"by {index}")
            outcomes[index] = decided.status
        except AlreadyDecided as lost:
            outcomes[index] = f"lost to {lost.approval.decided_by.username}"
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    approval.refresh_from_db()
    winner = approval.decided_by.username
    assert sorted(outcomes.values()) == ["APPROVED", "PENDING"] + [f"lost to {winner}"] * (RACERS - 2)
    kept = sorted(approval.decisions.values_list("outcome", flat=True))
    assert kept == ["COUNTED", "LATE", "LATE", "TAKEN"]
    output = json.loads(finished(moto, execution_arn)["output"])
    assert len({entry["reviewer"] for entry in output["approvals"]}) == 2 and output["reviewer"] == winner
