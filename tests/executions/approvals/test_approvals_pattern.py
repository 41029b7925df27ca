"""The editor's "Human approval" pattern (issue 16) run by the engine and answered as Symphony's
approval pages answer (README, "approval pages"): SendTaskSuccess with {"approved": true,
"reviewer", "comment"} goes on, SendTaskFailure with the error Rejected, any other answer and no
answer in time each end in a Fail with a clear error.

The definitions are the palette's template as it inserts it (static/src/states/task/approval.test.ts
keeps these files equal to it), in JSONPath and in JSONata.
"""

import asyncio
import json
from pathlib import Path

import pytest

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects
from executions.integrations.resources import Resources
from tests.executions.engine.support import info, types

DATA = Path(__file__).parent / "data"
LANGUAGES = ["jsonpath", "jsonata"]
INPUT = {"refund": {"order": "o-17", "amount": 120}}
APPROVED = {"approved": True, "reviewer": "rita", "comment": "fine"}


def run(language: str, answer=None):
    """Run the pattern on INPUT; `answer(tokens, token)` answers the request (None: nobody does)."""
    asked = []

    def request_approval(event, context):
        asked.append(event)
        return {"id": 1, "status": "PENDING", "url": "https://symphony.example/executions/approvals/1/"}

    resources = Resources()
    resources.register("symphony-request-approval", request_approval)
    effects = LocalEffects(resources=resources, clock=FakeClock())
    definition = json.loads((DATA / f"approval-pattern.{language}.asl.json").read_text())
    execution = Execution(build_state_machine(definition), json.dumps(INPUT), effects, info())

    async def main():
        running = asyncio.ensure_future(execution.run())
        if answer is not None:
            for _ in range(10_000):
                if asked and effects.tokens.pending():
                    break
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
    assert event["approvers"] == {"users": [], "groups": ["reviewers"], "quorum": 1}
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
