"""The scaled-out shape (DESIGN.md decision 6): web processes that run no execution
(``SYMPHONY_RUNNER=off``) and ``manage.py runner`` processes that run them all, on PostgreSQL
and Redis. A started execution reaches a runner; a killed runner's executions are taken over
by another within one lease plus one scan; a flood of starts nobody picks up is throttled."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
from botocore.exceptions import ClientError

from tests.executions.conftest import REPO_ROOT, ROLE, client_for, make_server
from tests.executions.test_executions_durability import history, run_to_end

pytestmark = pytest.mark.services

REDIS_URL = "redis://127.0.0.1:6379/0"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
LEASE, SCAN = 3.0, 0.5
WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 4, "End": True}}}


@pytest.fixture
def database():
    name = f"symphony_runners_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Runners:
    def __init__(self, env: dict, log_dir) -> None:
        self.env = {k: v for k, v in env.items() if k != "SYMPHONY_RUNNER"}
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        log = (self.log_dir / f"runner-{len(self.procs)}.log").open("ab")
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "runner"], cwd=REPO_ROOT, env=self.env, stdout=log, stderr=log
        )
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


def lease_owner(database_url: str, arn: str) -> str:
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as db:
        row = db.execute("SELECT lease_owner FROM executions_execution WHERE arn = %s", (arn,)).fetchone()
    return row[0] if row else ""


@contextlib.contextmanager
def scaled_out(tmp_path, database: str, max_pending: int = 100):
    """One web process that runs nothing, and a pool of runner processes started on demand."""
    web = make_server(
        tmp_path,
        DATABASE_URL=database,
        REDIS_URL=REDIS_URL,
        SYMPHONY_RUNNER="off",
        SYMPHONY_LEASE_SECONDS=str(LEASE),
        SYMPHONY_SCAN_SECONDS=str(SCAN),
        SYMPHONY_MAX_PENDING_STARTS=str(max_pending),
    )
    runners = Runners(web.env, tmp_path)
    web.start()
    try:
        yield runners, client_for(web.endpoint, *web.create_access_key("ops"))
    finally:
        runners.stop()
        web.stop()


def machine(sfn) -> str:
    return sfn.create_state_machine(
        name=f"scaled-{uuid.uuid4().hex[:8]}", definition=json.dumps(WAIT), roleArn=ROLE
    )["stateMachineArn"]


def test_executions_run_in_runner_processes_not_in_the_web_process(tmp_path, database):
    with scaled_out(tmp_path, database) as (runners, sfn):
        run_in_runners(runners, sfn, database)


def run_in_runners(runners, sfn, database) -> None:
    sm = machine(sfn)
    waiting = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    time.sleep(2 * SCAN + 1)
    # No runner yet: the web process runs nothing; the start waits, unclaimed.
    assert sfn.describe_execution(executionArn=waiting)["status"] == "RUNNING"
    assert lease_owner(database, waiting) == ""
    first, second = runners.start(), runners.start()
    arns = [waiting, *(sfn.start_execution(stateMachineArn=sm)["executionArn"] for _ in range(5))]
    owners = set()
    deadline = time.time() + 90  # runner processes start slowly on a loaded machine
    while len(owners) < 2 and time.time() < deadline:
        held = [lease_owner(database, arn) for arn in arns]  # read once: a run may end in between
        owners |= {owner.split(":")[1] for owner in held if owner}
        time.sleep(0.1)
    assert owners <= {str(first.pid), str(second.pid)}
    for arn in arns:
        assert run_to_end(sfn, arn)["status"] == "SUCCEEDED"


def test_executions_a_killed_runners_executions_are_taken_over_in_seconds(tmp_path, database):
    with scaled_out(tmp_path, database) as (runners, sfn):
        take_over(runners, sfn, database)


def take_over(runners, sfn, database) -> None:
    runners.start()
    runners.start()
    sm = machine(sfn)
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    deadline = time.time() + 90  # runner processes start slowly on a loaded machine
    while not (owner := lease_owner(database, arn)):
        assert time.time() < deadline, "no runner claimed the execution"
        time.sleep(0.05)
    victim = next(p for p in runners.procs if str(p.pid) == owner.split(":")[1])
    os.kill(victim.pid, signal.SIGKILL)
    killed_at = time.time()
    while (now_owner := lease_owner(database, arn)) in ("", owner):
        assert time.time() - killed_at < 3 * LEASE + 5, "nobody took the execution over"
        time.sleep(0.05)
    takeover = time.time() - killed_at
    print(f"takeover after {takeover:.2f} s (lease {LEASE} s, scan {SCAN} s)")
    assert takeover <= LEASE + 2 * SCAN + 1.5
    assert now_owner.split(":")[1] != owner.split(":")[1]
    assert run_to_end(sfn, arn)["status"] == "SUCCEEDED"
    events = history(sfn, arn)
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert [e["type"] for e in events].count("WaitStateEntered") == 1


def test_executions_a_flood_of_starts_nobody_runs_is_throttled(tmp_path, database):
    with scaled_out(tmp_path, database, max_pending=3) as (runners, sfn):
        throttle(runners, sfn)


def throttle(runners, sfn) -> None:
    sm = machine(sfn)
    started = [sfn.start_execution(stateMachineArn=sm)["executionArn"] for _ in range(3)]
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=sm)
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert caught.value.response["Error"]["Message"] == "Rate exceeded"
    runners.start()
    for arn in started:  # nothing was lost: the admitted starts run once a runner is there
        assert run_to_end(sfn, arn)["status"] == "SUCCEEDED"
