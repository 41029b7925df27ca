"""The "Human approval" pattern unchanged in Symphony's own runner (issue 16): its Task calls
``symphony-request-approval``, which Symphony answers itself with an approval request for the
local run. A live server runs the two pattern files (JSONPath, JSONata) started over the Step
Functions endpoint; reviewers log in, find the request in their inbox (once: not also as a bare
waiting step) and decide it on its page; the execution ends as the pattern says."""

import copy
import json
import re
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.executions.conftest import ROLE, client_for

DATA = Path(__file__).parent / "data"
INPUT = {"refund": {"order": "o-17", "amount": 120}}
PASSWORD = "pattern-pass-9137"
REVIEWERS = ("rita", "ravi", "rosa")
SETUP = (
    "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
    "from designer.roles import apply_roles; apply_roles(); "
    "[get_user_model().objects.get_or_create(username=n)[0] for n in {names!r}]; "
    "[(u.set_password({password!r}), u.save(), u.groups.add(Group.objects.get(name='reviewers'))) "
    "for u in get_user_model().objects.filter(username__in={names!r})]"
)


class Reviewer:
    """A reviewer logged in through the login page, deciding as the page's form does."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.http = requests.Session()
        login = f"{base}/accounts/login/"
        self.http.get(login, timeout=30)
        self.http.post(
            login,
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf},
            headers={"Referer": login},
            timeout=30,
            allow_redirects=False,
        )
        assert "sessionid" in self.http.cookies, f"{username} could not log in"

    @property
    def csrf(self) -> str:
        return self.http.cookies["csrftoken"]

    def get(self, path: str) -> str:
        answer = self.http.get(self.base + path, timeout=30)
        # DEBUG's error page: the exception's message, not the page's first lines of CSS.
        error = re.search(r'class="exception_value">([^<]*)', answer.text)
        assert answer.status_code == 200, error.group(1) if error else answer.text[:500]
        return answer.text

    def decide(self, request: int, decision: str, comment: str = "") -> str:
        """Post the page's form; returns the page it leads to (with its message)."""
        page = f"{self.base}/executions/approvals/{request}/"
        answer = self.http.post(
            page,
            data={"decision": decision, "comment": comment, "csrfmiddlewaretoken": self.csrf},
            headers={"Referer": page},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text[:500]
        return answer.text


@pytest.fixture(scope="module")
def people(live_sfn) -> dict[str, Reviewer]:
    live_sfn.manage("shell", "-c", SETUP.format(names=list(REVIEWERS), password=PASSWORD))
    return {name: Reviewer(live_sfn.url, name) for name in REVIEWERS}


@pytest.fixture(scope="module")
def author(live_sfn):
    return client_for(live_sfn.endpoint, *live_sfn.create_access_key("pattern-author"))


def definition(language: str, **payload) -> str:
    """The palette's pattern, with ``payload`` fields of its Task's Payload changed."""
    document = json.loads((DATA / f"approval-pattern.{language}.asl.json").read_text())
    task = document["States"]["Request approval"]
    arguments = task["Parameters" if language == "jsonpath" else "Arguments"]
    arguments["Payload"].update(copy.deepcopy(payload))
    return json.dumps(document)


def start(author, language: str, **payload) -> str:
    machine = author.create_state_machine(
        name=f"approval-{language}-{uuid.uuid4().hex[:8]}",
        definition=definition(language, **payload),
        roleArn=ROLE,
    )["stateMachineArn"]
    return author.start_execution(stateMachineArn=machine, input=json.dumps(INPUT))["executionArn"]


def listed(reviewer: Reviewer, title: str, deadline: float = 60) -> tuple[int, str]:
    """The request titled ``title`` in the reviewer's inbox once it arrives: its id and the inbox."""
    until = time.monotonic() + deadline
    while True:
        inbox = reviewer.get("/executions/approvals/")
        rows = re.findall(r'<tr data-approval="(\d+)">\s*<td>([^<]*)</td>', inbox)
        found = [int(pk) for pk, text in rows if text == title]
        if found:
            # Read again: the page that first showed it may have listed the waiting callbacks
            # just before the request was made.
            return max(found), reviewer.get("/executions/approvals/")
        assert time.monotonic() < until, "the request never reached the inbox"
        time.sleep(0.2)


def ended(author, execution: str, deadline: float = 60) -> dict:
    until = time.monotonic() + deadline
    while (described := author.describe_execution(executionArn=execution))["status"] == "RUNNING":
        assert time.monotonic() < until, "the execution never ended"
        time.sleep(0.2)
    return described


@pytest.mark.parametrize("language", ["jsonpath", "jsonata"])
def test_the_pattern_asks_the_inbox_and_an_approval_goes_on(live_sfn, author, people, language):
    title = f"Refund o-17 ({language}, approved)"
    execution = start(author, language, title=title)
    request, inbox = listed(people["rita"], title)
    # One request per token: listed as the local run's request, not also as a bare callback.
    name = execution.split(":")[-1]
    assert re.search(rf'<tr data-approval="{request}">.*?local run · {name}</td>', inbox, re.S)
    assert not [row for row in re.findall(r'<tr data-task="\d+">(.*?)</tr>', inbox, re.S) if name in row]
    page = people["rita"].get(f"/executions/approvals/{request}/")
    assert "o-17" in page and "0 of 1" in page and "group reviewers" in page
    assert "Approved." in people["rita"].decide(request, "approve", "fine")
    described = ended(author, execution)
    assert described["status"] == "SUCCEEDED"
    output = json.loads(described["output"])
    if language == "jsonpath":  # JSONPath keeps the answer beside the data; JSONata in $approval
        assert output == {**INPUT, "approval": {"approved": True, "reviewer": "rita", "comment": "fine"}}
    else:
        assert output == INPUT


@pytest.mark.parametrize("language", ["jsonpath", "jsonata"])
def test_a_rejection_on_the_page_fails_the_run_with_approval_rejected(live_sfn, author, people, language):
    title = f"Refund o-17 ({language}, rejected)"
    execution = start(author, language, title=title)
    request, _ = listed(people["ravi"], title)
    assert "Rejected." in people["ravi"].decide(request, "reject", "too dear")
    described = ended(author, execution)
    assert described["status"] == "FAILED"
    assert described["error"] == "ApprovalRejected"
    # Decided: gone from every reviewer's inbox.
    assert f'data-approval="{request}"' not in people["rosa"].get("/executions/approvals/")


def test_two_of_three_named_reviewers_approve_a_local_run(live_sfn, author, people):
    title = "Refund o-17 (2 of 3)"
    execution = start(
        author, "jsonpath", title=title, quorum=2, approvers={"users": list(REVIEWERS), "groups": []}
    )
    request, _ = listed(people["rita"], title)
    assert "0 of 2" in people["rita"].get(f"/executions/approvals/{request}/")
    assert "waits for the other approvals" in people["rita"].decide(request, "approve", "ok")
    # Counted, not answered: the run still waits, and rita's inbox no longer lists it.
    assert author.describe_execution(executionArn=execution)["status"] == "RUNNING"
    assert f'data-approval="{request}"' not in people["rita"].get("/executions/approvals/")
    # Nor can the generic page for waiting steps answer the token around the quorum.
    task = (
        live_sfn.manage(
            "shell",
            "-c",
            "from executions.models import ApprovalRequest; "
            f"print(ApprovalRequest.objects.get(pk={request}).task_id)",
        )
        .strip()
        .splitlines()[-1]
    )
    shortcut = f"{live_sfn.url}/executions/tasks/{task}/"
    answer = people["rita"].http.post(
        shortcut,
        data={"decision": "approve", "csrfmiddlewaretoken": people["rita"].csrf},
        headers={"Referer": shortcut},
        timeout=30,
        allow_redirects=False,
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith(
        f"/executions/approvals/{request}/"
    )
    assert author.describe_execution(executionArn=execution)["status"] == "RUNNING"
    listed(people["rosa"], title)
    assert "Approved." in people["rosa"].decide(request, "approve", "ok too")
    described = ended(author, execution)
    assert described["status"] == "SUCCEEDED"
    approval = json.loads(described["output"])["approval"]
    assert [a["reviewer"] for a in approval["approvals"]] == ["rita", "rosa"]


def test_a_bad_payload_fails_the_task_with_the_field_named(live_sfn, author, people):
    execution = start(author, "jsonpath", title="Nobody", approvers={"users": ["nobody-here"], "groups": []})
    described = ended(author, execution)
    assert described["status"] == "FAILED"
    failed = [
        e["taskFailedEventDetails"]
        for e in author.get_execution_history(executionArn=execution)["events"]
        if e["type"] == "TaskFailed"
    ]
    assert failed[0]["error"] == "Approval.InvalidRequest"
    assert "approvers: No user is named nobody-here." in failed[0]["cause"]


def test_a_function_of_the_account_named_so_answers_instead(live_sfn, author, people):
    """The built-in is a default: an account's own symphony-request-approval wins."""
    code = (
        "from executions.models import LocalFunction; from accounts.services import account_id_for; "
        "from django.contrib.auth import get_user_model; "
        "u = get_user_model().objects.get(username='pattern-author'); "
        "LocalFunction.objects.update_or_create(account_id=account_id_for(u), "
        "name='symphony-request-approval', "
        "defaults={'code': 'def handler(event, context):\\n    raise ValueError(\"my own\")\\n'})"
    )
    live_sfn.manage("shell", "-c", code)
    try:
        described = ended(author, start(author, "jsonpath", title="Own function"))
        assert described["status"] == "FAILED"
        assert described["error"] == "ValueError" and "my own" in described["cause"]
    finally:
        live_sfn.manage(
            "shell",
            "-c",
            "from executions.models import LocalFunction; "
            "LocalFunction.objects.filter(name='symphony-request-approval').delete()",
        )


AUDITED = (
    "import json; from executions.models import ApprovalDecision; "
    "print(json.dumps([[d.username, d.step, d.approve, d.outcome] "
    "for d in ApprovalDecision.objects.filter(request_id={pk}).order_by('at', 'id')]))"
)


def test_one_person_cannot_approve_two_steps_of_a_chain(live_sfn, author, people):
    title = "Refund o-17 (lead, then security)"
    steps = [
        {"name": "team lead", "users": ["rita", "ravi"]},
        {"name": "security", "users": ["rita", "rosa"]},
    ]
    execution = start(author, "jsonpath", title=title, steps=steps, approvers=None, quorum=None)
    request, _ = listed(people["rita"], title)
    people["rita"].decide(request, "approve", "lead says yes")
    # rita is named in security too, but approved the team lead's step: the page says why, and
    # her second approval is refused, kept in the audit log, and answers nothing.
    page = people["rita"].get(f"/executions/approvals/{request}/")
    assert "separation of duties" in page
    refused = people["rita"].decide(request, "approve", "security says yes")
    assert "You approved team lead of this request; security needs another person" in refused
    assert "the audit log keeps the attempt" in refused
    assert f'data-approval="{request}"' not in people["rita"].get("/executions/approvals/")
    assert author.describe_execution(executionArn=execution)["status"] == "RUNNING"
    audited = json.loads(live_sfn.manage("shell", "-c", AUDITED.format(pk=request)).strip().splitlines()[-1])
    assert audited == [["rita", 0, True, "COUNTED"], ["rita", 1, True, "DENIED"]]
    assert "Approved." in people["rosa"].decide(request, "approve", "security says yes")
    assert ended(author, execution)["status"] == "SUCCEEDED"
