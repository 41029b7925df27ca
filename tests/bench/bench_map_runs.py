"""Map run benchmark, printed as JSON: a distributed Map of N Pass items (each item a child
execution whose history, row and map-run counts commit with the parent's events) against its
peer, the same Map inline (iterations recorded in the parent's history only), on one live
server in the same run. Reported per mode: wall seconds from StartExecution to a terminal
DescribeExecution, items per second, and the server's CPU seconds.

Run: .venv/bin/python tests/bench/bench_map_runs.py [items]
"""

import json
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.bench.bench_runner import cpu_seconds  # noqa: E402
from tests.executions.conftest import ROLE, client_for, make_server  # noqa: E402

ITEMS = int(sys.argv[1]) if len(sys.argv) > 1 else 500


def definition(mode: str) -> dict:
    processor = {
        "ProcessorConfig": {"Mode": mode},
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True}},
    }
    return {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": processor, "End": True}}}


def run(sfn, mode: str, server_pid: int) -> dict:
    arn = sfn.create_state_machine(
        name=f"bench-{mode.lower()}", definition=json.dumps(definition(mode)), roleArn=ROLE
    )["stateMachineArn"]
    cpu = cpu_seconds(server_pid)
    started = time.perf_counter()
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(list(range(ITEMS))))["executionArn"]
    while (status := sfn.describe_execution(executionArn=execution)["status"]) == "RUNNING":
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    assert status == "SUCCEEDED", status
    result = {
        "mode": mode,
        "items": ITEMS,
        "seconds": round(seconds, 3),
        "items_per_second": round(ITEMS / seconds, 1),
        "server_cpu_seconds": round(cpu_seconds(server_pid) - cpu, 3),
    }
    if mode == "DISTRIBUTED":
        run_arn = sfn.list_map_runs(executionArn=execution)["mapRuns"][0]["mapRunArn"]
        result["children_succeeded"] = sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["succeeded"]
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as var:
        server = make_server(Path(var))
        server.start()
        try:
            sfn = client_for(server.endpoint)
            for mode in ("INLINE", "DISTRIBUTED"):
                print(json.dumps({"bench": "map_runs", **run(sfn, mode, server.proc.pid)}))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
