"""POST /api/approvals/: a target's token, and nothing else, creates a request; once per task
token; rate-limited per token; the task token stored encrypted and never shown."""

import json
import logging

import pytest
import yaml
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.permissions import Denied
from executions.approvals import api_tokens
from executions.approvals.api import PerTokenThrottle
from executions.approvals.models import ApprovalRequest, ApprovalToken
from symphony import crypto
from tests.executions.approvals.conftest import make_target

pytestmark = pytest.mark.django_db

TASK_TOKEN = (
    "AQCEAAAAKgAAAAMAAAAAAAAAAT2tiLPwkE4v3Dk7rTeTCS0tNMcaEsBAcXbcC3gDl9kA0ECtkqYoACNTDXq8BMZ3VfSJ" * 3
)
URL = "/api/approvals/"


@pytest.fixture
def target(publisher):
    return make_target(publisher)  # never called here: nothing is answered


def ask(**fields) -> dict:
    return {
        "task_token": TASK_TOKEN,
        "title": "Refund order 1042",
        "context": {"order": 1042, "amount": "310.00 EUR", "customer": "Ada"},
        "approvers": {"users": ["rita"], "groups": []},
        "deadline": "2030-01-01T12:00:00Z",
        **fields,
    }


def caller(token: str | None) -> APIClient:
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_target_token_creates_a_request_with_the_task_token_encrypted(api_token, target, reviewer, caplog):
    caplog.set_level(logging.DEBUG)
    answer = caller(api_token).post(URL, ask(), format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    approval = ApprovalRequest.objects.get()
    assert body["id"] == approval.pk and body["status"] == "PENDING"
    assert body["url"].endswith(reverse("executions:approval-request", args=[approval.pk]))
    assert approval.target == target and approval.account_id == target.account_id
    assert approval.context == {"order": 1042, "amount": "310.00 EUR", "customer": "Ada"}
    assert [(step.users, step.groups, step.quorum) for step in approval.steps.all()] == [(["rita"], [], 1)]
    # Stored encrypted, and in no other column, answer or log line.
    assert crypto.decrypt(approval.encrypted_task_token) == TASK_TOKEN
    row = json.dumps(list(ApprovalRequest.objects.values().get().values()), default=str)
    assert TASK_TOKEN not in row and TASK_TOKEN[:40] not in row
    assert TASK_TOKEN not in answer.content.decode()
    assert TASK_TOKEN[:40] not in caplog.text


def test_asking_again_for_the_same_task_token_finds_the_first_request(api_token, reviewer):
    first = caller(api_token).post(URL, ask(), format="json")
    again = caller(api_token).post(URL, ask(), format="json")  # a retried Lambda
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert ApprovalRequest.objects.count() == 1


def test_the_same_task_token_with_other_fields_is_a_conflict(api_token, reviewer):
    assert caller(api_token).post(URL, ask(), format="json").status_code == 201
    clash = caller(api_token).post(URL, ask(title="Refund order 9999"), format="json")
    assert clash.status_code == 409
    assert clash.json()["code"] == "TASK_TOKEN_REUSED"
    assert ApprovalRequest.objects.get().title == "Refund order 1042"


def test_a_forged_token_is_refused(api_token, reviewer):
    key_id = api_token.split("_")[1]
    forged = f"sya_{key_id}_{'A' * 43}"  # a real key id, a guessed secret
    for token in (
        forged,
        api_token[:-1] + ("B" if api_token[-1] != "B" else "C"),
        "sya_nope",
        api_token + "x",
    ):
        answer = caller(token).post(URL, ask(), format="json")
        assert answer.status_code == 401, token
        assert answer.json()["code"] == "AUTHENTICATION_FAILED"
        assert answer["WWW-Authenticate"] == "Bearer"
    assert not ApprovalRequest.objects.exists()


def test_a_revoked_token_replayed_is_refused(api_token, publisher, reviewer):
    assert caller(api_token).post(URL, ask(), format="json").status_code == 201
    api_tokens.revoke(ApprovalToken.objects.get(), publisher)
    replay = caller(api_token).post(URL, ask(task_token="another-token"), format="json")
    assert replay.status_code == 401
    assert ApprovalRequest.objects.count() == 1


def test_no_token_or_a_person_login_is_not_a_target(api_token, publisher, reviewer):
    assert caller(None).post(URL, ask(), format="json").status_code == 401
    session = APIClient()
    session.force_login(publisher)  # a person, even the target's publisher, is not its Lambda
    assert session.post(URL, ask(), format="json").status_code == 401
    assert not ApprovalRequest.objects.exists()


def test_a_token_speaks_only_for_its_own_target(api_token, publisher, reviewer):
    make_target(publisher, name="staging")
    answer = caller(api_token).post(URL, ask(target="staging"), format="json")
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["field"] == "target"
    assert caller(api_token).post(URL, ask(target="prod"), format="json").status_code == 201


def test_only_publishers_of_the_target_account_make_tokens(target, reviewer):
    with pytest.raises(Denied):
        api_tokens.issue(target, reviewer)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"task_token": ""}, "task_token"),
        ({"approvers": {"users": ["nobody"]}}, "approvers"),
        ({"approvers": {"groups": ["no-such-group"]}}, "approvers"),
        ({"deadline": "tomorrow"}, "deadline"),
        ({"context": {"blob": "x" * (256 * 1024)}}, "context"),
        ({"approvers": "rita"}, "approvers"),
        ({"execution_arn": "arn:aws:states:us-east-1:123456789012:stateMachine:m"}, "execution_arn"),
    ],
)
def test_bad_fields_get_a_400_naming_the_field(api_token, reviewer, fields, field):
    body = chain(fields["steps"]) if fields.pop("chain", False) else ask(**fields)
    answer = caller(api_token).post(URL, body, format="json")
    assert answer.status_code == 400, answer.content
    assert field in {entry.get("field", "").split(".")[0] for entry in answer.json()["errors"]}
    assert not ApprovalRequest.objects.exists()


@pytest.mark.parametrize(
    "context",
    [
        '{"note": "a\\u0000b"}',
        '{"\\u0000": 1}',
        '{"amount": 1e400}',
        '{"s": "\\ud800"}',
        "[" * 5000 + "]" * 5000,
    ],
)
def test_context_no_database_stores_gets_a_400(api_token, reviewer, context):
    body = json.dumps(ask(context=None)).replace('"context": null', f'"context": {context}')
    answer = caller(api_token).post(URL, body, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert not ApprovalRequest.objects.exists()


def test_requests_are_rate_limited_per_token(api_token, publisher, reviewer, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"approvals": "2/minute"})
    cache.clear()
    codes = [
        caller(api_token).post(URL, ask(task_token=f"token-{n}"), format="json").status_code for n in range(3)
    ]
    assert codes == [201, 201, 429]
    other = api_tokens.issue(make_target(publisher, name="staging"), publisher)[1]
    assert caller(other).post(URL, ask(task_token="token-9"), format="json").status_code == 201
    cache.clear()


def test_the_openapi_schema_describes_the_endpoint(api):
    schema = yaml.safe_load(api.get("/api/schema/").content)
    post = schema["paths"]["/api/approvals/"]["post"]
    assert post["security"] == [{"targetToken": []}]
    assert schema["components"]["securitySchemes"]["targetToken"]["scheme"] == "bearer"
    fields = schema["components"]["schemas"]["ApprovalRequest"]["properties"]
    assert {"task_token", "title", "context", "approvers", "deadline", "execution_arn"} <= set(fields)


def test_the_named_approvers_are_mailed_a_link_without_the_token(
    api_token, reviewer, second_reviewer, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SYMPHONY_BASE_URL = "https://symphony.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        answer = caller(api_token).post(URL, ask(), format="json")
    with django_capture_on_commit_callbacks(execute=True):
        caller(api_token).post(URL, ask(), format="json")  # a retry mails nobody again
    assert [mail.to for mail in mailoutbox] == [["rita@example.com"]]  # rob is a reviewer not named
    mail = mailoutbox[0]
    assert mail.subject == "Approval needed: Refund order 1042"
    assert f"https://symphony.example.com/executions/approvals/{answer.json()['id']}/" in mail.body
    assert TASK_TOKEN[:40] not in mail.body + mail.subject


def test_a_request_naming_nobody_mails_every_reviewer(
    api_token, reviewer, second_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        caller(api_token).post(URL, ask(approvers={"groups": ["reviewers"]}), format="json")
        caller(api_token).post(URL, ask(task_token="t2", approvers={}), format="json")
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "rita@example.com",
        "rita@example.com",
        "rob@example.com",
        "rob@example.com",
    ]


def test_the_admin_never_shows_the_task_token(client, api_token, reviewer, make_user):
    caller(api_token).post(URL, ask(), format="json")
    approval = ApprovalRequest.objects.get()
    client.force_login(make_user("root", superuser=True))
    page = client.get(reverse("admin:executions_approvalrequest_change", args=[approval.pk]))
    assert page.status_code == 200 and "Refund order 1042" in page.content.decode()
    for secret in (TASK_TOKEN[:40], approval.encrypted_task_token[:40], approval.token_sha256):
        assert secret not in page.content.decode()


def test_a_request_past_its_deadline_is_marked_overdue(client, api_token, reviewer):
    caller(api_token).post(URL, ask(task_token="late", deadline="2020-01-01T00:00:00Z"), format="json")
    caller(api_token).post(URL, ask(task_token="early"), format="json")  # 2030
    late = ApprovalRequest.objects.get(deadline__year=2020)
    client.force_login(reviewer)
    inbox = client.get(reverse("executions:approval-inbox")).content.decode()
    assert inbox.count("overdue") == 1
    assert inbox.index("overdue") > inbox.index(f'data-approval="{late.pk}"')
    assert "overdue" in client.get(reverse("executions:approval-request", args=[late.pk])).content.decode()


def chain(steps: list[dict]) -> dict:
    """A request whose steps say who decides: no top-level approvers or deadline."""
    body = ask(steps=steps)
    del body["approvers"], body["deadline"]
    return body


def test_a_chain_is_asked_with_steps_each_with_its_quorum_and_escalation(
    api_token, reviewer, second_reviewer
):
    from django.contrib.auth.models import Group

    Group.objects.create(name="security").user_set.add(reviewer, second_reviewer)
    steps = [
        {"name": "team lead", "users": ["rita"]},
        {
            "name": "security",
            "groups": ["security"],
            "quorum": 2,
            "deadline": "2030-01-01T00:00:00Z",
            "escalation_groups": ["reviewers"],
        },
    ]
    answer = caller(api_token).post(URL, chain(steps), format="json")
    assert answer.status_code == 201, answer.content
    rows = ApprovalRequest.objects.get().steps.all()
    assert [(s.name, s.users, s.groups, s.quorum, s.escalation_groups) for s in rows] == [
        ("team lead", ["rita"], [], 1, []),
        ("security", [], ["security"], 2, ["reviewers"]),
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"quorum": 3}, "quorum", "the approvers named are 1 people"),
        ({"quorum": 0}, "quorum", "greater than or equal to 1"),
        ({"escalation_groups": ["reviewers"], "deadline": None}, "escalation_groups", "needs a deadline"),
        ({"escalation_groups": ["nobody-here"]}, "escalation_groups", "No group is named nobody-here"),
        ({"steps": [{"users": ["rita"]}]}, "approvers", "With steps"),
        (
            {"steps": [{"users": ["rita"], "quorum": 2}], "chain": True},
            "steps[0].quorum",
            "1 people",
        ),
    ],
)
def test_a_bad_quorum_chain_or_escalation_is_a_400_with_the_field(
    api_token, reviewer, fields, field, message
):
    body = chain(fields["steps"]) if fields.pop("chain", False) else ask(**fields)
    answer = caller(api_token).post(URL, body, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.content.decode() and message in answer.content.decode()
    assert not ApprovalRequest.objects.exists()
