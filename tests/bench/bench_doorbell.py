"""Cross-process task-token answers, printed as JSON: two app processes on one database,
each callback answered (SendTaskSuccess) through the process that does not run the
execution; latency from the answer to the execution's SUCCEEDED status. Peers in the same
run: the channel layer on Redis as a doorbell, the database poll alone (in-memory layer), and
for reference the answer given to the process that runs the execution (woken in-process).

Run: .venv/bin/python tests/bench/bench_doorbell.py
"""

import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.executions.conftest import ROLE, LiveServer, client_for, make_server  # noqa: E402
from tests.executions.sfn_api.test_sfn_api_executions import CALLBACK, token_of  # noqa: E402
from tests.executions.test_executions_doorbell import REDIS_URL, owner_pid  # noqa: E402

ANSWERS = 20


def answer_latencies(var_dir: Path, through_owner: bool = False, **env: str) -> list[float]:
    first = make_server(var_dir, **env)
    second = LiveServer(var_dir, first.env)
    try:
        first.start()
        second.start()
        key = first.create_access_key("bench")
        clients = {
            first.proc.pid: client_for(first.endpoint, *key),
            second.proc.pid: client_for(second.endpoint, *key),
        }
        sfn = clients[first.proc.pid]
        sm = sfn.create_state_machine(
            name=f"bell-{uuid.uuid4().hex[:8]}", definition=json.dumps(CALLBACK), roleArn=ROLE
        )["stateMachineArn"]
        latencies = []
        for _ in range(ANSWERS):
            arn = sfn.start_execution(stateMachineArn=sm, input="{}")["executionArn"]
            token = token_of(sfn, arn)
            runs_it = owner_pid(first, arn)
            answers = runs_it if through_owner else next(pid for pid in clients if pid != runs_it)
            clients[answers].send_task_success(taskToken=token, output="{}")
            answered = time.perf_counter()
            while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING":
                time.sleep(0.005)
            latencies.append(time.perf_counter() - answered)
        return latencies
    finally:
        first.stop()
        second.stop()


def summary(name: str, latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {
        "bench": "cross_process_token_answer",
        "peer": name,
        "answers": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def main() -> None:
    peers = {
        "redis_doorbell": {"REDIS_URL": REDIS_URL},
        "database_poll_1s": {},
        "same_process": {"through_owner": True},
    }
    for name, options in peers.items():
        with tempfile.TemporaryDirectory() as var_dir:
            print(json.dumps(summary(name, answer_latencies(Path(var_dir), **options))), flush=True)


if __name__ == "__main__":
    main()
