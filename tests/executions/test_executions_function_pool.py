"""Warm sandboxes (executions.function_pool): one invocation at a time per sandbox, a bounded
number per function, reaped when idle, replaced after a timeout; big logs never block."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from executions import function_pool, functions

SANDBOX_ID = """
import time, uuid
ID = uuid.uuid4().hex
count = 0

def handler(event, context):
    global count
    count += 1
    time.sleep(event.get("sleep", 0))
    return [ID, count]
"""


@pytest.fixture(autouse=True)
def fresh_sandboxes():
    function_pool.pool.close()
    yield
    function_pool.pool.close()


def test_function_pool_concurrent_calls_share_a_bounded_number_of_sandboxes():
    function = functions.IsolatedFunction("busy", SANDBOX_ID)
    calls = function_pool.MAX_PER_FUNCTION * 2
    with ThreadPoolExecutor(calls) as threads:
        answers = list(threads.map(lambda _: function({"sleep": 0.5}, None), range(calls)))
    sandboxes = {sandbox for sandbox, _ in answers}
    assert 1 < len(sandboxes) <= function_pool.MAX_PER_FUNCTION
    # Each sandbox served its calls one after another: its counter went 1, 2, ... without a gap.
    for sandbox in sandboxes:
        assert sorted(count for s, count in answers if s == sandbox) == list(
            range(1, sum(s == sandbox for s, _ in answers) + 1)
        )


def test_function_pool_idle_sandboxes_are_reaped():
    function = functions.IsolatedFunction("idle", SANDBOX_ID)
    first, _ = function({}, None)
    assert function({}, None) == [first, 2]
    function_pool.pool.reap(idle_seconds=0)
    assert not function_pool.pool.idle("idle")
    assert function({}, None)[1] == 1


def test_function_pool_keeps_a_bounded_number_idle(monkeypatch):
    monkeypatch.setattr(function_pool, "MAX_IDLE", 2)
    for name in ("a", "b", "c"):
        functions.IsolatedFunction(name, SANDBOX_ID)({}, None)
    assert [bool(function_pool.pool.idle(name)) for name in ("a", "b", "c")] == [False, True, True]


def test_function_pool_timeout_replaces_the_sandbox():
    function = functions.IsolatedFunction("slow", SANDBOX_ID, timeout_seconds=1)
    first, _ = function({}, None)
    with pytest.raises(functions.FunctionError) as caught:
        function({"sleep": 5}, None)
    assert caught.value.error_type == "TimeoutError"
    second, count = function({}, None)
    assert second != first and count == 1


def test_function_pool_a_big_log_does_not_block_and_keeps_its_end():
    code = (
        "import os\ndef handler(event, context):\n"
        "    print('x' * 1_000_000)\n    os.write(1, b'raw end')\n    return 'done'\n"
    )
    kept = []
    assert functions.IsolatedFunction("loud", code, on_log=kept.append)({}, None) == "done"
    assert len(kept[0]["log"]) == 64 * 1024 and kept[0]["log"].endswith("x\nraw end")


def test_function_pool_a_forked_child_returning_from_the_handler_does_not_answer():
    code = (
        "import os, time\ncount = 0\ndef handler(event, context):\n    global count\n    count += 1\n"
        "    if os.fork() == 0:\n        return 'child'\n    time.sleep(0.2)\n    return ['parent', count]\n"
    )
    function = functions.IsolatedFunction("forks", code)
    assert [function({}, None) for _ in range(3)] == [["parent", 1], ["parent", 2], ["parent", 3]]
