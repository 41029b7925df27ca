"""History mechanics: id chains, details keys, payload truncation flags."""

from executions.engine.history import PAYLOAD_LIMIT, Chain, History, details_key, payload


def test_unlinked_events_do_not_advance_the_chain():
    history = History(lambda: 0)
    chain = Chain()
    history.add(chain, "ExecutionStarted", {}, link=False)
    entered = history.add(chain, "PassStateEntered", {})
    assert history.events[1]["previousEventId"] == 0
    child = chain.child()
    history.add(child, "MapIterationStarted", {})
    history.add(child, "MapIterationSucceeded", {}, link=False)
    chain.absorb(child)
    assert chain.last == 3 and chain.published == 4
    assert history.events[2]["previousEventId"] == entered


def test_details_keys_follow_aws_names():
    assert details_key("TaskStateEntered") == "stateEnteredEventDetails"
    assert details_key("MapIterationFailed") == "mapIterationFailedEventDetails"
    assert details_key("ParallelStateStarted") is None


def test_payloads_over_256_kib_are_truncated_and_flagged():
    text, flags = payload("x" * (PAYLOAD_LIMIT + 10))
    assert flags == {"truncated": True}
    assert len(text.encode()) == PAYLOAD_LIMIT
    assert payload("{}") == ("{}", {"truncated": False})
