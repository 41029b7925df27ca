"""Leases: two app processes on one database never advance the same execution, and when one
dies the other takes over what it was running once its leases expire."""

import json
import time
import uuid

import pytest

from accounts.services import default_account
from executions.services import executions, machines
from tests.executions.conftest import PASS_DEFINITION as PASS
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


@pytest.mark.django_db
def test_executions_a_start_is_claimed_as_it_is_inserted():
    """The process that accepts a start runs it: its runner's lease is taken in the insert, so
    no claim follows and no other runner's scan races for it (standard and express alike)."""
    account = default_account().pk
    for kind in ("STANDARD", "EXPRESS"):
        machine, _ = machines.create_state_machine(
            region="us-east-1",
            account=account,
            name=f"claimed-{kind}",
            definition=PASS,
            role_arn=ROLE,
            type=kind,
        )
        execution, _ = executions.start_execution(machine.arn, account, lease=("host:1:abc", 10.0))
        execution.refresh_from_db()
        assert execution.lease_owner == "host:1:abc"
        assert 9 <= (execution.lease_expires_at - execution.started_at).total_seconds() <= 10
    unclaimed, _ = executions.start_execution(machine.arn, account)
    unclaimed.refresh_from_db()
    assert (unclaimed.lease_owner, unclaimed.lease_expires_at) == ("", None)
