"""The recorded-on-AWS conformance corpus driven through the Step Functions endpoint with
boto3, compared with the in-process engine in the same run: the endpoint must pass every case
the engine passes (and the ValidateStateMachineDefinition cases only the endpoint can run)."""

import re
import subprocess
import sys

from tests.executions.conftest import REPO_ROOT, SHARED_DIR

HARNESS = SHARED_DIR / "conformance" / "run_conformance.py"
CASES = SHARED_DIR / "conformance" / "cases"


def run_harness(*mode: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, str(HARNESS), *mode, "--cases", str(CASES), "--skip-needs", "--allow-failures"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = re.search(r"outcome: (\d+) passed, (\d+) failed", done.stdout)
    history = re.search(r"history: (\d+) passed \((\d+) strict, (\d+) relaxed\), (\d+) failed", done.stdout)
    assert outcome and history, done.stdout[-3000:]
    return {
        "passed": int(outcome[1]),
        "failed": int(outcome[2]),
        "history_passed": int(history[1]),
        "history_failed": int(history[4]),
        "failures": [line for line in done.stdout.splitlines() if line.startswith("FAIL")],
    }


def test_sfn_api_conformance_matches_the_engine(live_sfn):
    endpoint = run_harness("--endpoint", live_sfn.endpoint, "--jobs", "4")
    engine = run_harness("--engine", "executions.engine.conformance:run")
    assert endpoint["failed"] <= engine["failed"], endpoint["failures"]
    assert endpoint["passed"] >= engine["passed"]
    assert endpoint["history_passed"] >= engine["history_passed"], endpoint["failures"]
    assert endpoint["history_failed"] <= engine["history_failed"], endpoint["failures"]
