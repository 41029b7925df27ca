"""The soak, short (issue 12): a few hundred executions of the samples mixed over 2 web and 2
runner processes on PostgreSQL + Redis, through a runner SIGKILLed and restarted, Redis
restarted and the database's connections terminated (tests/executions/soak_workload.py).
The long run is tests/bench/soak.py."""

import contextlib
import json
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from botocore.exceptions import ClientError

from tests.executions.conftest import PASS_DEFINITION, ROLE, client_for, make_server
from tests.executions.soak_workload import (
    KINDS,
    POISONED,
    Driver,
    check_nothing_held,
    check_outcome,
    cluster,
    soak,
    soak_database,
)
from tests.executions.test_executions_runner_processes import ADMIN_URL

pytestmark = pytest.mark.services

EXECUTIONS = 200


def test_executions_soak_under_kills_restarts_and_cut_connections(tmp_path):
    report = soak(tmp_path, EXECUTIONS)
    print(json.dumps(report, indent=2))
    assert report["problems"] == []
    killed = report["faults"]["runner_killed"]
    assert killed["executions_held"] > 0 and killed["not_taken_over"] == 0
    assert report["faults"]["database_connections_terminated"]["terminated"] > 0


@contextlib.contextmanager
def web_process(var, database: str):
    web = make_server(
        var,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        DATABASE_CONN_MAX_AGE="60",
        SYMPHONY_RUNNER="off",
    )
    web.start()
    try:
        yield client_for(web.endpoint, *web.create_access_key("ops"))
    finally:
        web.stop()


def test_the_endpoint_recovers_when_the_database_terminates_its_connections(tmp_path):
    """The endpoint's database work runs in threads no request signal reaches: they kept their
    connections, and one terminated by the database failed every later request in that thread
    ("the connection is closed") until the web process restarted (found by the soak)."""
    with soak_database() as name, web_process(tmp_path, name) as sfn:
        arn = sfn.create_state_machine(name="recover", definition=PASS_DEFINITION, roleArn=ROLE)[
            "stateMachineArn"
        ]
        for _ in range(20):  # the pool's threads each open a connection, kept (CONN_MAX_AGE)
            sfn.describe_state_machine(stateMachineArn=arn)
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            (terminated,) = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s", (name,)
            ).fetchone()
        assert terminated > 0
        answers = []
        for _ in range(20):
            try:
                answers.append(sfn.describe_state_machine(stateMachineArn=arn)["stateMachineArn"])
            except ClientError as exc:
                answers.append(exc.response["Error"]["Code"])
        assert answers[-10:] == [arn] * 10, answers


def test_a_poison_execution_fails_after_its_retries_and_holds_nothing_up(tmp_path):
    """Its function kills its own sandbox on every attempt (and tries the runner processes'
    pids, which its PID namespace does not hold): the execution fails with Runtime.ExitError
    after its Retry's attempts; the executions started beside it end as they would have; the
    runner processes live on."""
    with cluster(tmp_path) as found:
        pids = found.runner_pids()
        driver = Driver(found, timeout=120)
        work = [POISONED] * 4 + [KINDS[0], KINDS[7], KINDS[8]] * 4  # order, retried, retries-exhausted
        with ThreadPoolExecutor(len(work)) as pool:
            outcomes = list(pool.map(driver.run, range(len(work)), work))
        sfn = found.client(0)
        problems = [p for outcome in outcomes for p in check_outcome(sfn, outcome)]
        assert problems + check_nothing_held(found.database) == []
        assert found.runner_pids() == pids  # no runner died
        poisoned = outcomes[0]
        assert poisoned.error == "Runtime.ExitError"
        assert "The function process ended without answering" in poisoned.cause
