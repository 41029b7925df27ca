"""Task-token answers across processes: with Redis as the channel layer, a SendTaskSuccess
received by one app process wakes the execution another process runs at once. The database
poll is made slower than the test's patience, so only the doorbell can finish the run."""

import json
import sqlite3
import time
import uuid

import redis

from tests.executions.conftest import ROLE, LiveServer, client_for, make_server
from tests.executions.sfn_api.test_sfn_api_executions import CALLBACK, token_of

REDIS_URL = "redis://127.0.0.1:6379/0"


def owner_pid(server: LiveServer, arn: str) -> int:
    """The process that holds the execution's lease (read from the shared SQLite file: a
    `manage.py shell` takes seconds to start)."""
    with sqlite3.connect(server.var_dir / "symphony.sqlite3") as db:
        owner = db.execute("SELECT lease_owner FROM executions_execution WHERE arn = ?", (arn,)).fetchone()[0]
    return int(owner.split(":")[1])


def test_executions_token_answer_in_another_process_wakes_the_runner(tmp_path):
    redis.Redis.from_url(REDIS_URL).ping()  # the scaled-out shape's Redis is running
    first = make_server(tmp_path, REDIS_URL=REDIS_URL, SYMPHONY_TOKEN_POLL_SECONDS="300")
    second = LiveServer(tmp_path, first.env)
    try:
        first.start()
        second.start()
        key = first.create_access_key("ops")  # no `test` key once Redis makes it scaled out
        clients = {
            first.proc.pid: client_for(first.endpoint, *key),
            second.proc.pid: client_for(second.endpoint, *key),
        }
        sfn = clients[first.proc.pid]
        sm = sfn.create_state_machine(
            name=f"doorbell-{uuid.uuid4().hex[:8]}", definition=json.dumps(CALLBACK), roleArn=ROLE
        )["stateMachineArn"]
        for _ in range(3):
            arn = sfn.start_execution(stateMachineArn=sm, input='{"order": 1}')["executionArn"]
            token = token_of(sfn, arn)
            # answered through the process that does not run it
            runs_it = owner_pid(first, arn)
            other = next(pid for pid in clients if pid != runs_it)
            clients[other].send_task_success(taskToken=token, output='{"approved": true}')
            deadline = time.time() + 30
            while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
                assert time.time() < deadline, "the answer did not reach the runner (its poll is 300 s)"
                time.sleep(0.05)
            assert described["status"] == "SUCCEEDED"
            assert json.loads(described["output"]) == {"approved": True}
    finally:
        first.stop()
        second.stop()
