"""Answers logged append-only with the event rows (executions.answers): each answer is written
once, the checkpoint keeps only what no event carried yet, and gathering them back gives the
engine the answers it had."""

from executions.answers import KEY, AnswerLog, gather


def event(event_id: int) -> dict:
    return {"id": event_id, "type": "PassStateEntered"}


def test_answers_ride_once_with_the_last_event_of_their_commit():
    log = AnswerLog()
    first = {"ok": 1, "at": 2}
    events, checkpoint, answers = log.split([event(1), event(2)], {"seed": 0, "results": {"a": first}})
    assert events == [event(1), {**event(2), KEY: {"a": first}}]
    assert checkpoint == {"seed": 0, "results": {}}
    log.mark(answers)
    second = {"ok": 2, "at": 3}
    events, checkpoint, answers = log.split([event(3)], {"seed": 0, "results": {"a": first, "b": second}})
    assert events == [{**event(3), KEY: {"b": second}}]  # "a" is not written again
    log.mark(answers)
    # A replaced answer is new again.
    third = {"ok": 3, "at": 4}
    events, _, _ = log.split([event(4)], {"seed": 0, "results": {"a": third, "b": second}})
    assert events[-1][KEY] == {"a": third}


def test_answers_without_an_event_stay_in_the_checkpoint_until_one_carries_them():
    log = AnswerLog()
    pending = {"id": "token-1"}
    events, checkpoint, answers = log.split([], {"results": {"k": pending}})
    assert (events, checkpoint, answers) == ([], {"results": {"k": pending}}, {})
    log.mark(answers)
    events, checkpoint, _ = log.split([event(5)], {"results": {"k": pending}})
    assert events[-1][KEY] == {"k": pending}
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
