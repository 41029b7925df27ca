"""The collector's settings for a serving process (symphony/collector.py), applied in a process
of its own: what is loaded is frozen, and young collections run every 20,000 allocations."""

import json
import subprocess
import sys

from tests.executions.conftest import REPO_ROOT

PROBE = (
    "import gc, json; from symphony.collector import settle, YOUNG_THRESHOLD; settle(); "
    "print(json.dumps([gc.get_threshold(), gc.get_freeze_count(), YOUNG_THRESHOLD]))"
)


def test_a_settled_process_freezes_what_it_loaded_and_collects_young_objects_less_often():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    (young, middle, old), frozen, expected = json.loads(done.stdout)
    assert (young, middle, old) == (expected, 10, 10)  # CPython's defaults beside it: 700, 10, 10
    assert frozen > 0
