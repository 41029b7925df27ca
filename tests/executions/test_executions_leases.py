"""Leases: two app processes on one database never advance the same execution, and when one
dies the other takes over what it was running once its leases expire."""

import json
import time
import uuid

from tests.executions.conftest import ROLE, LiveServer, client_for, make_server

DEFINITION = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 2, "Next": "B"},
        "B": {"Type": "Pass", "End": True},
    },
}
EXPECTED = [
    "ExecutionStarted",
    "PassStateEntered",
    "PassStateExited",
    "WaitStateEntered",
    "WaitStateExited",
    "PassStateEntered",
    "PassStateExited",
    "ExecutionSucceeded",
]


def test_executions_two_processes_one_database(tmp_path):
    first = make_server(tmp_path)
    second = LiveServer(tmp_path, first.env)
    first.start()
    second.start()
    try:
        a, b = client_for(first.endpoint), client_for(second.endpoint)
        sm = a.create_state_machine(
            name=f"lease-{uuid.uuid4().hex[:8]}", definition=json.dumps(DEFINITION), roleArn=ROLE
        )["stateMachineArn"]
        arns = [(a if i % 2 else b).start_execution(stateMachineArn=sm)["executionArn"] for i in range(8)]
        # Every execution is waiting somewhere; the first process dies without a word.
        deadline = time.time() + 20
        while not all(
            "WaitStateEntered" in [e["type"] for e in b.get_execution_history(executionArn=arn)["events"]]
            for arn in arns
        ):
            assert time.time() < deadline
            time.sleep(0.05)
        first.kill()
        deadline = time.time() + 30
        while any(b.describe_execution(executionArn=arn)["status"] == "RUNNING" for arn in arns):
            assert time.time() < deadline, "the surviving process did not finish the executions"
            time.sleep(0.1)
        for arn in arns:
            assert b.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
            events = b.get_execution_history(executionArn=arn)["events"]
            assert [e["type"] for e in events] == EXPECTED
            assert [e["id"] for e in events] == list(range(1, len(EXPECTED) + 1))
    finally:
        first.stop()
        second.stop()
