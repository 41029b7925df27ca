"""An ended run is freed as it ends, not left to Python's cyclic garbage collector.

The engine and its durable effects referred to each other, so every ended run was garbage only
a full collection found; with 2,000 executions in flight those passes held the GIL for 70-110 ms
and every timer due meanwhile fired that late (tests/bench/bench_timers.py: p99 56-76 ms after
startDate + 2 s, 34-48 ms once runs were freed as they ended).
"""

import gc
import json
import time

import pytest

from executions import runner
from executions.models import Execution
from tests.executions.conftest import start_execution_of

pytestmark = pytest.mark.django_db(transaction=True)

# Every kind of step a run of Pass-like states takes: a Wait's timer, a Choice, branches, items.
DEFINITION = {
    "StartAt": "Branches",
    "States": {
        "Branches": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Items",
                    "States": {
                        "Items": {
                            "Type": "Map",
                            "ItemsPath": "$.items",
                            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                            "End": True,
                        }
                    },
                },
                {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 0, "End": True}}},
            ],
            "Next": "Choose",
        },
        "Choose": {
            "Type": "Choice",
            "Choices": [{"Variable": "$[0][0]", "NumericEquals": 1, "Next": "Done"}],
            "Default": "Failed",
        },
        "Done": {"Type": "Succeed"},
        "Failed": {"Type": "Fail", "Error": "Unexpected"},
    },
}


def test_executions_an_ended_run_leaves_no_cyclic_garbage(make_user):
    owner = make_user("collected")
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept in gc.garbage, to look at
    try:
        for n in range(20):
            started = start_execution_of(
                owner, f"freed-{n}", json.dumps(DEFINITION), input='{"items": [1, 2]}'
            )
            runner.dispatcher().submit(started.pk)
        deadline = time.monotonic() + 60
        while Execution.objects.filter(status="RUNNING").exists():
            assert time.monotonic() < deadline, "the executions did not end"
            time.sleep(0.05)
        assert set(Execution.objects.values_list("status", flat=True)) == {"SUCCEEDED"}
        gc.collect()
        ours = sorted({type(found).__module__ + "." + type(found).__qualname__ for found in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert [name for name in ours if name.startswith("executions.")] == []
