"""The time scale skips idle time only: timeouts of work in flight measure the real work,
and on the FakeClock an unanswered task still times out, deterministically."""

import asyncio
import threading
import time
from datetime import datetime

import pytest

from designer.asl.model import build_state_machine
from executions.engine.effects import Clock, FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects
from tests.executions.engine.support import execute, info, types

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
# Bounds a broken engine's hang, so the test fails instead of blocking the run.
LIMIT = 20


def _token_task(**fields) -> dict:
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
        "End": True,
        **fields,
    }


def _when(event: dict) -> datetime:
    return datetime.fromisoformat(str(event["timestamp"]))


async def _run(definition: dict, clock: Clock, answer=None):
    effects = LocalEffects(clock=clock)
    execution = Execution(build_state_machine(definition), "{}", effects, info())
    answering = asyncio.ensure_future(answer(effects.tokens)) if answer is not None else None
    outcome = await asyncio.wait_for(execution.run(), LIMIT)
    if answering is not None:
        answering.cancel()
    return outcome, execution.history.events


async def _first_token(tokens) -> str:
    while not tokens.pending():
        await asyncio.sleep(0.001)
    return tokens.pending()[0]


@pytest.mark.parametrize("scale", [0.0, 0.01])
def test_real_work_within_its_timeouts_succeeds_at_a_fast_scale(scale):
    def work(event, context):
        time.sleep(0.2)
        return {"done": True}

    definition = {
        "TimeoutSeconds": 5,
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": ARN + "work", "TimeoutSeconds": 5, "End": True}},
    }
    outcome, _, _ = execute(definition, {}, functions={"work": work}, clock=Clock(scale))
    assert outcome.status == "SUCCEEDED"
    assert outcome.output == {"done": True}


def test_a_token_task_at_zero_scale_waits_for_an_answer_from_another_thread():
    async def answer(tokens):
        token = await _first_token(tokens)
        loop = asyncio.get_running_loop()

        def reply() -> None:
            time.sleep(0.05)
            loop.call_soon_threadsafe(tokens.send_success, token, {"approved": True})

        threading.Thread(target=reply).start()

    definition = {"StartAt": "Ask", "States": {"Ask": _token_task(TimeoutSeconds=3600)}}
    outcome, events = asyncio.run(_run(definition, Clock(0), answer))
    assert outcome.status == "SUCCEEDED"
    assert outcome.output == {"approved": True}
    assert "TaskSucceeded" in types(events)


def test_a_token_task_at_zero_scale_waits_for_a_slow_coroutine():
    async def answer(tokens):
        token = await _first_token(tokens)
        await asyncio.sleep(0.05)
        tokens.send_success(token, {"n": 1})

    definition = {"StartAt": "Ask", "States": {"Ask": _token_task(TimeoutSeconds=3600, HeartbeatSeconds=600)}}
    outcome, _ = asyncio.run(_run(definition, Clock(0), answer))
    assert outcome.output == {"n": 1}


def test_fake_clock_hears_an_answering_coroutine_before_the_timeout():
    async def answer(tokens):
        token = await _first_token(tokens)
        tokens.send_success(token, "yes")

    definition = {"StartAt": "Ask", "States": {"Ask": _token_task(TimeoutSeconds=5)}}
    outcome, _ = asyncio.run(_run(definition, FakeClock(), answer))
    assert outcome.output == "yes"


def test_fake_clock_times_out_an_unanswered_task_at_its_virtual_deadline():
    definition = {"StartAt": "Ask", "States": {"Ask": _token_task(TimeoutSeconds=3600)}}
    outcome, events = asyncio.run(_run(definition, FakeClock()))
    assert outcome.error == "States.Timeout"
    started, timed_out = (e for e in events if e["type"] in ("TaskStarted", "TaskTimedOut"))
    assert (_when(timed_out) - _when(started)).total_seconds() == 3600


def test_machine_timeout_interrupts_an_unanswered_task_on_the_fake_clock():
    definition = {
        "TimeoutSeconds": 150,
        "StartAt": "Pause",
        "States": {
            "Pause": {"Type": "Wait", "Seconds": 100, "Next": "Ask"},
            "Ask": _token_task(),
        },
    }
    outcome, events = asyncio.run(_run(definition, FakeClock()))
    assert outcome.status == "TIMED_OUT"
    assert types(events)[-1] == "ExecutionTimedOut"
    assert (_when(events[-1]) - _when(events[0])).total_seconds() == 150
    assert events[-1]["previousEventId"] == 0
    assert events[-1]["executionTimedOutEventDetails"] == {"error": "States.Timeout"}


def test_machine_timeout_interrupts_a_running_function_at_zero_scale():
    def slow(event, context):
        time.sleep(2)
        return event

    definition = {
        "TimeoutSeconds": 1,
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": ARN + "slow", "End": True}},
    }
    outcome, events, _ = execute(definition, {}, functions={"slow": slow}, clock=Clock(0))
    assert outcome.status == "TIMED_OUT"
    assert types(events)[-1] == "ExecutionTimedOut"


def test_a_long_wait_at_zero_scale_counts_toward_the_machine_timeout():
    definition = {
        "TimeoutSeconds": 86_400,
        "StartAt": "Pause",
        "States": {
            "Pause": {"Type": "Wait", "Seconds": 86_399, "Next": "Ask"},
            "Ask": _token_task(),
        },
    }
    outcome, events = asyncio.run(_run(definition, Clock(0)))
    assert outcome.status == "TIMED_OUT"
    assert (_when(events[-1]) - _when(events[0])).total_seconds() >= 86_400
