"""Timer benchmark, printed as JSON: many concurrent executions of a machine with one 2 s Wait.

For each execution: lateness = stopDate - (startDate + 2 s), and the same between its history's
first and last events; p50/p99/max over all of them. Symphony embedded (one process, SQLite)
and moto's server (its Step Functions mock with execution enabled) side by side in one run,
started by 8 client threads.

Run: .venv/bin/python tests/bench/bench_timers.py [EXECUTIONS]   (default 2000)
"""

import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.bench.bench_runner import moto_server  # noqa: E402
from tests.executions.conftest import ROLE, client_for, make_server  # noqa: E402

WAIT_SECONDS = 2
MACHINE = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": WAIT_SECONDS, "End": True}}}


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
    }


def lateness(client, name: str, count: int, with_history: bool = True) -> dict:
    arn = client.create_state_machine(name=name, definition=json.dumps(MACHINE), roleArn=ROLE)[
        "stateMachineArn"
    ]
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        arns = list(
            pool.map(
                lambda i: client.start_execution(stateMachineArn=arn, name=f"t-{i}")["executionArn"],
                range(count),
            )
        )
    start_seconds = time.perf_counter() - started

    def measure(execution: str) -> tuple[float, float | None, str]:
        while (described := client.describe_execution(executionArn=execution))["status"] == "RUNNING":
            time.sleep(0.25)
        late = (described["stopDate"] - described["startDate"]).total_seconds() - WAIT_SECONDS
        in_history = None
        if with_history:
            events = client.get_execution_history(executionArn=execution, maxResults=1000)["events"]
            in_history = (events[-1]["timestamp"] - events[0]["timestamp"]).total_seconds() - WAIT_SECONDS
        return late * 1000, None if in_history is None else in_history * 1000, described["status"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(measure, arns))
    return {
        "executions": count,
        "start_seconds": round(start_seconds, 2),
        "succeeded": sum(1 for *_, status in results if status == "SUCCEEDED"),
        "stop_minus_start_minus_wait": percentiles([r[0] for r in results]),
        "history_last_minus_first_minus_wait": percentiles([r[1] for r in results if r[1] is not None])
        if with_history
        else None,
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as var:
        server = make_server(Path(var), LOG_LEVEL="ERROR")
        server.start()
        try:
            symphony = lateness(client_for(server.endpoint), "bench-timers", count)
        finally:
            server.stop()
    with moto_server() as moto_process:
        moto = lateness(client_for(moto_process.endpoint), "bench-timers-moto", count)
    print(
        json.dumps(
            {"benchmark": "timers", "wait_seconds": WAIT_SECONDS, "symphony": symphony, "moto_server": moto},
            indent=2,
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symphony.settings")
    main()
