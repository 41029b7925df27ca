"""Local functions benchmark: a Task state calling a local function through the engine, served
by a warm sandbox (``executions.functions``: bubblewrap, kept between calls as Lambda keeps an
execution environment) against the peer, a new Python process per call (Symphony's way before
the sandbox, kept here only as the peer), same run, same handler. Prints JSON: calls/s and the
p50/p99 latency of one execution (one Task state), and the cold start of a new sandbox.

    .venv/bin/python tests/bench/bench_functions.py [--calls 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symphony.settings")

import django

django.setup()

from designer.asl.model import build_state_machine  # noqa: E402
from executions import function_pool, function_sandbox, functions  # noqa: E402
from executions.engine.effects import FakeClock  # noqa: E402
from executions.engine.interpreter import Execution, ExecutionInfo  # noqa: E402
from executions.integrations import LocalEffects, Resources  # noqa: E402

HANDLER = """
import hashlib

def handler(event, context):
    return {"orderId": event["orderId"], "digest": hashlib.sha256(event["orderId"].encode()).hexdigest()}
"""
FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:bench"
DEFINITION = {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": FUNCTION_ARN, "End": True}}}

# The peer: each call a fresh interpreter that reads the request on stdin and answers on stdout.
CHILD = r"""
import json, resource, sys, types
request = json.load(sys.stdin)
resource.setrlimit(resource.RLIMIT_AS, (request["memory_bytes"], request["memory_bytes"]))
answer, sys.stdout = sys.stdout, sys.stderr
module = types.ModuleType("bench")
exec(compile(request["code"], "/var/task/bench.py", "exec"), module.__dict__)
answer.write("\n" + json.dumps({"ok": True, "result": module.handler(request["event"], None)}))
"""


def new_process_per_call(event, context):
    request = {"code": HANDLER, "event": event, "memory_bytes": (256 + 256) * 1024 * 1024}
    argv = [sys.executable, "-I", "-c", CHILD]
    proc = subprocess.run(argv, input=json.dumps(request), capture_output=True, text=True, timeout=30)
    return json.loads(proc.stdout.rstrip("\n").rpartition("\n")[2])["result"]


def _info() -> ExecutionInfo:
    name = str(uuid.uuid4())
    return ExecutionInfo(
        f"arn:aws:states:us-east-1:000000000000:execution:bench:{name}",
        "arn:aws:states:us-east-1:000000000000:stateMachine:bench",
        name,
        "bench",
        "arn:aws:iam::000000000000:role/bench",
    )


def run(function, calls: int) -> dict:
    machine = build_state_machine(DEFINITION)
    resources = Resources()
    resources.register("bench", function)

    async def loop() -> tuple[list[float], float]:
        latencies = []
        start = time.perf_counter()
        for i in range(calls):
            began = time.perf_counter()
            effects = LocalEffects(resources=resources, clock=FakeClock())
            outcome = await Execution(machine, json.dumps({"orderId": f"o-{i}"}), effects, _info()).run()
            latencies.append(time.perf_counter() - began)
            assert outcome.status == "SUCCEEDED", outcome
        return latencies, time.perf_counter() - start

    latencies, elapsed = asyncio.run(loop())
    ms = sorted(x * 1000 for x in latencies)
    return {
        "calls": calls,
        "calls_per_s": round(calls / elapsed, 1),
        "p50_ms": round(statistics.median(ms), 2),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
    }


def cold_starts(count: int) -> dict:
    """A new version each time: every call starts a sandbox."""
    ms = []
    for i in range(count):
        function = functions.IsolatedFunction("bench-cold", HANDLER + f"# version {i}\n")
        began = time.perf_counter()
        function({"orderId": "o"}, None)
        ms.append((time.perf_counter() - began) * 1000)
    return {"starts": count, "p50_ms": round(statistics.median(ms), 1), "max_ms": round(max(ms), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200, help="executions per side")
    args = parser.parse_args()
    sandboxed = functions.IsolatedFunction("bench", HANDLER)
    sandboxed({"orderId": "warm-up"}, None)  # the first call starts the sandbox; cold_start reports it
    report = {
        "workload": "one execution of a 1-Task state machine calling a local Python function",
        "sandbox": "bubblewrap" if function_sandbox.enabled() else "off (unconfined)",
        "warm_sandbox": run(sandboxed, args.calls),
        "new_process_per_call": run(new_process_per_call, args.calls),
        "cold_start": cold_starts(5),
    }
    report["speedup_calls_per_s"] = round(
        report["warm_sandbox"]["calls_per_s"] / report["new_process_per_call"]["calls_per_s"], 1
    )
    function_pool.pool.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
