"""The reviewer's REST API: the requests the caller may decide now, one request (never its task
token), and approve/reject through ``decisions.decide``, the page's own path: the answer reaches
moto's Step Functions over HTTP; quorum, chain order, separation of duties and a lost race answer
as the page does, in the API's error shape; bad ids and bodies are 4xx, never a 500."""

import json

import pytest
import yaml
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from executions.approvals.approval_requests import Ask, StepAsk, create_request
from executions.approvals.models import ApprovalRequest, ApprovalStatus
from tests.executions.approvals.conftest import finished, make_target, waiting_execution

pytestmark = pytest.mark.django_db

LIST = "/api/approvals/requests/"


def one(approval: ApprovalRequest) -> str:
    return f"{LIST}{approval.pk}/"


def decision(approval: ApprovalRequest) -> str:
    return f"{LIST}{approval.pk}/decision/"


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def ask(target, token: str, execution_arn: str = "", **step) -> ApprovalRequest:
    steps = step.pop("steps", None)
    request = Ask(
        task_token=token,
        title="Ship release 4.2",
        context={"release": "4.2"},
        users=step.get("users", []),
        groups=step.get("groups", []),
        deadline=None,
        execution_arn=execution_arn,
        quorum=step.get("quorum", 1),
        steps=steps,
    )
    return create_request(target, request)[0]


def test_a_reviewer_lists_reads_and_approves_a_request_and_aws_takes_the_answer(moto, target, reviewer):
    execution_arn, task_token = waiting_execution(moto, name="api1")
    approval = ask(target, task_token, execution_arn)
    api = as_user(reviewer)
    listed = api.get(LIST)
    assert listed.status_code == 200
    assert [(r["id"], r["title"], r["target"], r["step"]) for r in listed.json()["results"]] == [
        (approval.pk, "Ship release 4.2", "prod", "step 1")
    ]
    shown = api.get(one(approval))
    assert shown.status_code == 200
    body = shown.json()
    assert body["context"] == {"release": "4.2"} and body["may_decide"] is True
    assert body["execution_arn"] == execution_arn and body["status"] == "PENDING"
    assert task_token not in json.dumps(body) and approval.token_sha256 not in json.dumps(body)
    assert not {"task_token", "encrypted_task_token", "token_sha256"} & set(body)
    answer = api.post(decision(approval), {"decision": "approve", "comment": "ship it"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["outcome"] == "TAKEN"
    assert answer.json()["request"]["status"] == "APPROVED"
    assert answer.json()["request"]["decided_by"] == "rita"
    described = finished(moto, execution_arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"approved": True, "reviewer": "rita", "comment": "ship it"}
    assert api.get(LIST).json()["results"] == []
    decided = api.get(one(approval)).json()
    assert decided["may_decide"] is False
    assert [(d["reviewer"], d["outcome"]) for d in decided["decisions"]] == [("rita", "TAKEN")]


def test_a_rejection_needs_a_comment_and_reaches_aws(moto, target, reviewer):
    execution_arn, task_token = waiting_execution(moto, name="api2")
    approval = ask(target, task_token)
    api = as_user(reviewer)
    refused = api.post(decision(approval), {"decision": "reject", "comment": "  "}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "comment"
    answer = api.post(decision(approval), {"decision": "reject", "comment": "breaks billing"}, format="json")
    assert answer.status_code == 200 and answer.json()["request"]["status"] == "REJECTED"
    described = finished(moto, execution_arn)
    assert (described["status"], described["error"]) == ("FAILED", "Rejected")


def test_two_of_three_quorum_counts_then_sends(moto, target, reviewer, second_reviewer, make_user):
    make_user("ravi", "reviewers")
    execution_arn, task_token = waiting_execution(moto, name="api3")
    approval = ask(target, task_token, users=["rita", "rob", "ravi"], quorum=2)
    rita, rob = as_user(reviewer), as_user(second_reviewer)
    first = rita.post(decision(approval), {"decision": "approve"}, format="json")
    assert first.status_code == 200 and first.json()["outcome"] == "COUNTED"
    assert first.json()["request"]["approvals_so_far"] == ["rita"]
    again = rita.post(decision(approval), {"decision": "approve"}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "APPROVED_ALREADY")
    assert rita.get(LIST).json()["results"] == []  # counted: nothing for rita to decide now
    assert [r["id"] for r in rob.get(LIST).json()["results"]] == [approval.pk]
    second = rob.post(decision(approval), {"decision": "approve"}, format="json")
    assert second.status_code == 200 and second.json()["outcome"] == "TAKEN"
    assert finished(moto, execution_arn)["status"] == "SUCCEEDED"


def test_a_chain_decides_in_order_and_one_person_approves_one_step(moto, target, reviewer, second_reviewer):
    Group.objects.create(name="security").user_set.add(reviewer, second_reviewer)
    Group.objects.create(name="leads").user_set.add(reviewer)
    chain = [StepAsk(groups=["leads"], name="team lead"), StepAsk(groups=["security"], name="security")]
    approval = ask(target, "tok-chain", steps=chain)
    rita, rob = as_user(reviewer), as_user(second_reviewer)
    early = rob.post(decision(approval), {"decision": "approve"}, format="json")
    assert (early.status_code, early.json()["code"]) == (409, "NOT_YOUR_TURN")
    assert "team lead" in early.json()["message"]
    assert (
        rita.post(decision(approval), {"decision": "approve"}, format="json").json()["outcome"] == "COUNTED"
    )
    twice = rita.post(decision(approval), {"decision": "approve"}, format="json")
    assert (twice.status_code, twice.json()["code"]) == (403, "SEPARATION_OF_DUTIES")
    assert [(d["reviewer"], d["outcome"]) for d in rita.get(one(approval)).json()["decisions"]] == [
        ("rita", "COUNTED"),
        ("rita", "DENIED"),
    ]


def test_deciding_after_someone_else_is_409_with_who_decided(moto, target, reviewer, second_reviewer):
    execution_arn, task_token = waiting_execution(moto, name="api4")
    approval = ask(target, task_token)
    assert (
        as_user(reviewer).post(decision(approval), {"decision": "approve"}, format="json").status_code == 200
    )
    late = as_user(second_reviewer).post(
        decision(approval), {"decision": "reject", "comment": "no"}, format="json"
    )
    assert late.status_code == 409
    assert (late.json()["code"], late.json()["decided_by"], late.json()["status"]) == (
        "ALREADY_DECIDED",
        "rita",
        "APPROVED",
    )
    assert "rita decided this request first" in late.json()["message"]
    assert finished(moto, execution_arn)["status"] == "SUCCEEDED"  # rob's rejection never went out


def test_an_answer_aws_refuses_is_409_and_an_unreachable_target_502(moto, target, publisher, reviewer):
    execution_arn, task_token = waiting_execution(moto, name="api5", timeout_seconds=1)
    approval = ask(target, task_token)
    assert finished(moto, execution_arn)["status"] == "FAILED"
    api = as_user(reviewer)
    refused = api.post(decision(approval), {"decision": "approve"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "ANSWER_REFUSED"
    assert refused.json()["request"]["status"] == "REFUSED" and refused.json()["request"]["answer_error"]
    down = ask(make_target(publisher, name="down"), "tok-down")
    unsent = api.post(decision(down), {"decision": "approve"}, format="json")
    assert unsent.status_code == 502 and unsent.json()["code"] == "TARGET_UNREACHABLE"
    assert unsent.json()["request"]["status"] == "PENDING"


def test_who_may_read_and_decide(moto, target, reviewer, second_reviewer, publisher):
    theirs = ask(target, "tok-rob", users=["rob"])
    rita = as_user(reviewer)
    assert rita.get(LIST).json()["results"] == []
    assert rita.get(one(theirs)).status_code == 403
    assert rita.post(decision(theirs), {"decision": "approve"}, format="json").status_code == 403
    not_a_reviewer = as_user(publisher)
    assert not_a_reviewer.get(LIST).status_code == 403
    assert not_a_reviewer.get(one(theirs)).status_code == 403
    anonymous = APIClient()
    assert anonymous.get(LIST).status_code == 401
    assert anonymous.post(decision(theirs), {"decision": "approve"}, format="json").status_code == 401
    theirs.refresh_from_db()
    assert theirs.status == ApprovalStatus.PENDING and not theirs.decisions.exists()


def test_token_and_session_authentication(moto, target, reviewer):
    approval = ask(target, "tok-auth", users=["rita"])
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    assert [r["id"] for r in by_token.get(LIST).json()["results"]] == [approval.pk]
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(reviewer)
    assert session.get(one(approval)).status_code == 200
    # A session's write needs the CSRF token, as every session write does.
    forged = session.post(decision(approval), {"decision": "approve"}, format="json")
    assert forged.status_code == 403 and "CSRF" in forged.json()["message"]
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "9223372036854775808", "abc", "-1", "1.5"])
def test_bad_ids_are_404(reviewer, pk):
    api = as_user(reviewer)
    assert api.get(f"{LIST}{pk}/").status_code == 404
    assert api.post(f"{LIST}{pk}/decision/", {"decision": "approve"}, format="json").status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type", "field"),
    [
        (b"{not json", "application/json", None),
        (b"[1, 2]", "application/json", None),
        (b'{"decision": "maybe"}', "application/json", "decision"),
        (b"{}", "application/json", "decision"),
        (b'{"decision": "approve", "comment": ["a"]}', "application/json", "comment"),
        (b'{"decision": "approve", "comment": "' + b"x" * 1001 + b'"}', "application/json", "comment"),
        (b'{"decision": null}', "application/json", "decision"),
    ],
)
def test_bad_bodies_are_400_with_the_field(moto, target, reviewer, body, content_type, field):
    approval = ask(target, "tok-bad")
    answer = as_user(reviewer).post(decision(approval), body, content_type=content_type)
    assert answer.status_code == 400, answer.content
    if field:
        assert answer.json()["errors"][0]["field"] == field
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING and not approval.decisions.exists()


def test_the_openapi_schema_describes_the_reviewer_api(api):
    schema = yaml.safe_load(api.get("/api/schema/").content)
    paths = schema["paths"]
    assert "get" in paths["/api/approvals/requests/"]
    assert "get" in paths["/api/approvals/requests/{id}/"]
    post = paths["/api/approvals/requests/{id}/decision/"]["post"]
    assert {"200", "400", "403", "404", "409", "502"} <= set(post["responses"])
    fields = schema["components"]["schemas"]["Review"]["properties"]
    assert {"context", "steps", "decisions", "may_decide"} <= set(fields)
    assert not {"task_token", "encrypted_task_token", "token_sha256"} & set(fields)
    assert set(schema["components"]["schemas"]["Decision"]["properties"]) == {"decision", "comment"}
