"""The editor's "Human approval" pattern (issue 16) run by the engine and answered as Symphony's
approval pages answer (README, "approval pages"; executions/approvals/decisions.py):
SendTaskSuccess with {"approved": true, "reviewer", "comment"} goes on; SendTaskFailure with the
error Rejected, any other answer, no answer in time and a request expired (Approval.Expired) each
end in a Fail with a clear error.

The definitions are the palette's template as it inserts it (static/src/states/task/approval.test.ts
keeps these files equal to it), in JSONPath and in JSONata. Last, the whole loop: the Task calls the
real request-approval handler, which asks a live Symphony over HTTP, and the answer comes back.
"""

import asyncio
import json
import time
from pathlib import Path

import pytest

from designer.asl.model import build_state_machine
from executions.approvals.decisions import EXPIRED_ERROR
from executions.approvals.lambda_handler import handler
from executions.engine.effects import Clock, FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects
from executions.integrations.resources import Resources
from tests.executions.engine.support import info, types

DATA = Path(__file__).parent / "data"
LANGUAGES = ["jsonpath", "jsonata"]
INPUT = {"refund": {"order": "o-17", "amount": 120}}
APPROVED = {"approved": True, "reviewer": "rita", "comment": "fine"}


def run(language: str, answer=None, function=None, clock=None):
    """Run the pattern on INPUT; `answer(tokens, token)` answers the request (None: nobody does)
    once `function` (the request-approval function; by default one that only records its event)
    has returned."""
    asked = []

    def request_approval(event, context):
        result = (function or (lambda *_: {"id": 1, "status": "PENDING", "url": "https://x.example/1/"}))(
            event, context
        )
        asked.append(event)
        return result

    resources = Resources()
    resources.register("symphony-request-approval", request_approval)
    effects = LocalEffects(resources=resources, clock=clock or FakeClock())
    definition = json.loads((DATA / f"approval-pattern.{language}.asl.json").read_text())
    execution = Execution(build_state_machine(definition), json.dumps(INPUT), effects, info())

    async def main():
        running = asyncio.ensure_future(execution.run())
        if answer is not None:
            deadline = time.monotonic() + 60
            while not (asked and effects.tokens.pending()) and time.monotonic() < deadline:
                await asyncio.sleep(0)
            answer(effects.tokens, effects.tokens.pending()[0])
        return await running

    outcome = asyncio.run(main())
    entered = [
        e["stateEnteredEventDetails"]["name"]
        for e in execution.history.events
        if e["type"].endswith("StateEntered")
    ]
    return outcome, asked, entered, execution.history.events


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_approval_goes_on_with_the_workflow_data(language):
    outcome, asked, entered, _ = run(language, lambda tokens, token: tokens.send_success(token, APPROVED))
    assert outcome.error is None
    assert entered == ["Request approval", "Approved?", "Approved"]
    # The function got what the approvals API takes: the token, a title, the context, who decides.
    (event,) = asked
    assert event["taskToken"] and event["title"] == "Approve this step"
    assert event["context"] == INPUT
    assert event["approvers"] == {"users": [], "groups": ["reviewers"]} and event["quorum"] == 1
    assert event["execution"].startswith("arn:aws:states:")
    # JSONPath keeps the answer beside the data ($.approval); JSONata in the variable $approval.
    assert outcome.output == ({**INPUT, "approval": APPROVED} if language == "jsonpath" else INPUT)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_rejection_fails_with_approval_rejected(language):
    outcome, _, entered, _ = run(
        language, lambda tokens, token: tokens.send_failure(token, "Rejected", "too dear (rejected by rita)")
    )
    assert entered == ["Request approval", "Approval rejected"]
    assert outcome.error == "ApprovalRejected"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_answer_that_is_not_an_approval_is_not_one(language):
    outcome, _, entered, _ = run(
        language, lambda tokens, token: tokens.send_success(token, {"approved": "yes"})
    )
    assert entered == ["Request approval", "Approved?", "Approval rejected"]
    assert outcome.error == "ApprovalRejected"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_decision_in_time_fails_with_approval_timed_out(language):
    outcome, _, entered, events = run(language)
    assert "TaskTimedOut" in types(events)
    assert entered == ["Request approval", "Approval timed out"]
    assert outcome.error == "ApprovalTimedOut"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_expired_by_symphony_fails_with_approval_timed_out(language):
    # A deadline passed with nobody to escalate to: decisions.expire answers Approval.Expired.
    outcome, _, entered, _ = run(
        language,
        lambda tokens, token: tokens.send_failure(token, EXPIRED_ERROR, "nobody decided by the deadline"),
    )
    assert entered == ["Request approval", "Approval timed out"]
    assert outcome.error == "ApprovalTimedOut"


SETUP = (
    "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
    "from designer.roles import apply_roles; from designer.deploy import targets; "
    "from executions.approvals import api_tokens; apply_roles(); "
    "u, _ = get_user_model().objects.get_or_create(username='pattern-publisher'); "
    "u.groups.add(Group.objects.get(name='publishers')); "
    "t = targets.create_target(u, name='aws-pattern', region='eu-west-1', "
    "role_arn='arn:aws:iam::123456789012:role/r', endpoint_url='http://127.0.0.1:9'); "
    "print(api_tokens.issue(t, u)[1])"
)
ASKED = (
    "import json; from executions.models import ApprovalRequest; "
    "a = ApprovalRequest.objects.get(target__name='aws-pattern'); s = a.steps.get(); "
    "print(json.dumps({'title': a.title, 'context': a.context, 'execution': a.execution_arn, "
    "'users': s.users, 'groups': s.groups, 'quorum': s.quorum}))"
)


def test_the_pattern_asks_a_live_symphony_through_the_request_approval_function(live_sfn, monkeypatch):
    monkeypatch.setenv("SYMPHONY_URL", live_sfn.url)
    monkeypatch.setenv(
        "SYMPHONY_APPROVALS_TOKEN", live_sfn.manage("shell", "-c", SETUP).strip().splitlines()[-1]
    )
    monkeypatch.delenv("SYMPHONY_TARGET", raising=False)
    # Work in flight runs on real time: the HTTP call to Symphony takes what it takes.
    outcome, asked, entered, _ = run(
        "jsonpath",
        lambda tokens, token: tokens.send_success(token, APPROVED),
        function=handler,
        clock=Clock(),
    )
    assert entered == ["Request approval", "Approved?", "Approved"]
    assert outcome.output == {**INPUT, "approval": APPROVED}
    request = json.loads(live_sfn.manage("shell", "-c", ASKED).strip().splitlines()[-1])
    assert request == {
        "title": "Approve this step",
        "context": INPUT,
        "execution": asked[0]["execution"],
        "users": [],
        "groups": ["reviewers"],
        "quorum": 1,
    }
