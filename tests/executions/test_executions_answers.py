"""Answers logged append-only with the event rows (executions.answers): each answer is written
once, the checkpoint keeps only what no event carried yet, and gathering them back gives the
engine the answers it had."""

import json

import psycopg
import pytest

from executions.answers import KEY, AnswerLog, gather, unlogged


def event(event_id: int) -> dict:
    return {"id": event_id, "type": "PassStateEntered"}


def test_answers_ride_once_with_the_last_event_of_their_commit():
    log = AnswerLog()
    first = {"ok": 1, "at": 2}
    events, checkpoint, answers = log.split([event(1), event(2)], {"seed": 0, "results": {"a": first}})
    assert events == [event(1), {**event(2), KEY: json.dumps({"a": first}, separators=(",", ":"))}]
    assert checkpoint == {"seed": 0, "results": {}}
    log.mark(answers)
    second = {"ok": 2, "at": 3}
    events, checkpoint, answers = log.split([event(3)], {"seed": 0, "results": {"a": first, "b": second}})
    assert json.loads(events[-1][KEY]) == {"b": second}  # "a" is not written again
    log.mark(answers)
    # A replaced answer is new again.
    third = {"ok": 3, "at": 4}
    events, _, _ = log.split([event(4)], {"seed": 0, "results": {"a": third, "b": second}})
    assert json.loads(events[-1][KEY]) == {"a": third}


def test_answers_without_an_event_stay_in_the_checkpoint_until_one_carries_them():
    log = AnswerLog()
    pending = {"id": "token-1"}
    events, checkpoint, answers = log.split([], {"results": {"k": pending}})
    assert (events, answers) == ([], {})
    assert unlogged(checkpoint) == {"k": pending}
    log.mark(answers)
    events, checkpoint, _ = log.split([event(5)], {"results": {"k": pending}})
    assert json.loads(events[-1][KEY]) == {"k": pending}
    assert checkpoint == {"results": {}}


def test_answers_gathered_in_commit_order_without_their_key():
    stored = [
        {**event(1), KEY: {"a": {"ok": 1}}},
        event(2),
        {**event(3), KEY: {"a": {"ok": 2}, "b": {"ok": 3}}},
    ]
    events, answers = gather(stored)
    assert events == [event(1), event(2), event(3)]
    assert answers == {"a": {"ok": 2}, "b": {"ok": 3}}
    assert KEY in stored[0]  # the rows read are left as they were


def test_answers_logged_before_they_were_text_are_still_gathered():
    _, answers = gather([{**event(1), KEY: {"a": {"ok": 1}}}])
    assert answers == {"a": {"ok": 1}}
    assert unlogged({"results": {"a": {"ok": 1}}}) == {"a": {"ok": 1}}


@pytest.mark.services
def test_answers_keep_their_key_order_through_postgresql_jsonb():
    """jsonb reorders object keys; a replayed answer with reordered keys serializes to another
    output than its event recorded, and the resumed execution diverges (found by the soak)."""
    answer = {"valid": True, "name": "spring-logo"}  # jsonb would put "name" first
    events, _, _ = AnswerLog().split([event(1)], {"results": {"task": answer}})
    _, kept_checkpoint, _ = AnswerLog().split([], {"results": {"task": answer}})
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres") as db:
        row, saved = db.execute(
            "SELECT %s::jsonb, %s::jsonb", (json.dumps(events[-1]), json.dumps(kept_checkpoint))
        ).fetchone()
    _, gathered = gather([row])
    for found in (gathered["task"], unlogged(saved)["task"]):
        assert json.dumps(found) == json.dumps(answer)
