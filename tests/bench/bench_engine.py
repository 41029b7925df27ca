"""Benchmark: Symphony's interpreter against moto's ASL interpreter on the same definitions.

Workloads (issue 4): (a) a 50-state Pass chain; (b) a Map over 1,000 items with a 3-state
Pass iterator, MaxConcurrency 0 and 10; (c) a Parallel of 10 branches of 5 Pass states;
(d) a Choice loop counting to 500 with States.MathAdd. Prints JSON: executions/s and state
transitions/s for both engines, and the ratio.

    .venv/bin/python tests/bench/bench_engine.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution, ExecutionInfo
from executions.integrations import LocalEffects


def pass_chain(n: int = 50) -> dict:
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(n - 1)}
    states[f"S{n - 1}"] = {"Type": "Pass", "End": True}
    return {"StartAt": "S0", "States": states}


def map_over(items: int, concurrency: int) -> tuple[dict, str]:
    processor = {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Pass", "End": True},
        },
    }
    definition = {
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": concurrency,
                "ItemProcessor": processor,
                "End": True,
            }
        },
    }
    return definition, json.dumps({"items": list(range(items))})


def parallel(branches: int = 10, length: int = 5) -> dict:
    def branch(b: int) -> dict:
        states = {f"B{b}S{i}": {"Type": "Pass", "Next": f"B{b}S{i + 1}"} for i in range(length - 1)}
        states[f"B{b}S{length - 1}"] = {"Type": "Pass", "End": True}
        return {"StartAt": f"B{b}S0", "States": states}

    return {
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": [branch(b) for b in range(branches)], "End": True}},
    }


def choice_loop(limit: int = 500) -> tuple[dict, str]:
    definition = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.count", "NumericGreaterThanEquals": limit, "Next": "Done"}],
                "Default": "Increment",
            },
            "Increment": {
                "Type": "Pass",
                "Parameters": {"count.$": "States.MathAdd($.count, 1)"},
                "Next": "Check",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    return definition, json.dumps({"count": 0})


WORKLOADS = {
    "a_pass_chain_50": (pass_chain(), "{}"),
    "b_map_1000_concurrency_0": map_over(1000, 0),
    "b_map_1000_concurrency_10": map_over(1000, 10),
    "c_parallel_10x5": (parallel(), "{}"),
    "d_choice_loop_500": choice_loop(),
}


def _info() -> ExecutionInfo:
    name = str(uuid.uuid4())
    return ExecutionInfo(
        f"arn:aws:states:us-east-1:000000000000:execution:bench:{name}",
        "arn:aws:states:us-east-1:000000000000:stateMachine:bench",
        name,
        "bench",
        "arn:aws:iam::000000000000:role/bench",
    )


def bench_symphony(definition: dict, input_text: str, seconds: float) -> dict:
    machine = build_state_machine(definition)

    async def loop() -> tuple[int, int, float]:
        runs = transitions = 0
        start = time.perf_counter()
        while True:
            execution = Execution(machine, input_text, LocalEffects(clock=FakeClock()), _info())
            outcome = await execution.run()
            assert outcome.status == "SUCCEEDED", outcome
            runs += 1
            transitions += sum(1 for e in execution.history.events if e["type"].endswith("StateEntered"))
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return runs, transitions, elapsed

    runs, transitions, elapsed = asyncio.run(loop())
    return {
        "executions_per_s": runs / elapsed,
        "transitions_per_s": transitions / elapsed,
        "executions": runs,
    }


def bench_moto(definition: dict, input_text: str, seconds: float, transitions_per_run: int) -> dict:
    import boto3
    from moto import mock_aws

    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        client = boto3.client("stepfunctions", region_name="us-east-1")
        arn = client.create_state_machine(
            name="bench", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/bench"
        )["stateMachineArn"]
        runs = 0
        start = time.perf_counter()
        while True:
            exec_arn = client.start_execution(stateMachineArn=arn, name=str(uuid.uuid4()), input=input_text)[
                "executionArn"
            ]
            while True:
                status = client.describe_execution(executionArn=exec_arn)["status"]
                if status != "RUNNING":
                    break
                time.sleep(0.001)
            if status != "SUCCEEDED":
                return {"error": f"moto execution ended {status}"}
            runs += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
    return {
        "executions_per_s": runs / elapsed,
        "transitions_per_s": runs * transitions_per_run / elapsed,
        "executions": runs,
    }


def _transitions(definition: dict, input_text: str) -> int:
    machine = build_state_machine(definition)
    execution = Execution(machine, input_text, LocalEffects(clock=FakeClock()), _info())
    asyncio.run(execution.run())
    return sum(1 for e in execution.history.events if e["type"].endswith("StateEntered"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0, help="time per engine and workload")
    args = parser.parse_args()
    report: dict = {"unit": "per second of wall time", "workloads": {}}
    # Symphony first for every workload: moto's executions run on background threads that
    # would otherwise compete with the next measurement.
    for name, (definition, input_text) in WORKLOADS.items():
        report["workloads"][name] = {
            "transitions_per_execution": _transitions(definition, input_text),
            "symphony": bench_symphony(definition, input_text, args.seconds),
        }
    for name, (definition, input_text) in WORKLOADS.items():
        row = report["workloads"][name]
        moto = bench_moto(definition, input_text, args.seconds, row["transitions_per_execution"])
        row["moto"] = moto
        if "transitions_per_s" in moto:
            row["transitions_ratio"] = row["symphony"]["transitions_per_s"] / moto["transitions_per_s"]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
