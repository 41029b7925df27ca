"""Takeover benchmark, printed as JSON: how long after a process that runs executions is
SIGKILLed another holds every one of them again (issue 12: "a killed runner's executions are
taken over in seconds").

TAKEOVER_EXECUTIONS (10,000) executions of a machine with one Wait of an hour are started and
entered their Wait; then the process holding them is killed, and the time is measured until
every one is leased by a live process (the survivor resumes each as it claims it). At the
defaults (lease 10 s, scan 1 s) the lease's expiry is the floor: what follows it is the claim
and resume of the executions. Two shapes: embedded (two app processes on one SQLite file, the
one that started them killed) and scaled out (PostgreSQL + Redis, a web process that runs
nothing, two runner processes, the one holding more killed). Scaled out, what holding the
waiting executions costs before the kill is measured too (HOLD_SECONDS): CPU and rows written
per second (a heartbeat per runner writes none of theirs; a lease per execution rewrote them).

There is no peer in the same run: moto's server runs executions in threads of its one process
and keeps them in memory, so a killed moto loses every execution it was running.

Run: .venv/bin/python tests/bench/bench_takeover.py
"""

import json
import os
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.bench.bench_runner import cpu_seconds, scaled_shape, services_cpu_seconds  # noqa: E402
from tests.executions.conftest import ROLE, LiveServer, client_for, make_server  # noqa: E402

EXECUTIONS = int(os.environ.get("TAKEOVER_EXECUTIONS", "10000"))
LEASE_SECONDS, SCAN_SECONDS = 10.0, 1.0  # the defaults (executions/runner.py)
DEFAULTS = {
    "LOG_LEVEL": "ERROR",
    "SYMPHONY_LEASE_SECONDS": str(LEASE_SECONDS),
    "SYMPHONY_SCAN_SECONDS": str(SCAN_SECONDS),
    "SYMPHONY_MAX_PENDING_STARTS": str(EXECUTIONS * 2),
}
HOLD_SECONDS = 20.0
WAITING = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
# Per lease owner: how many running executions it holds (read once, before the kill).
HOLDERS = (
    "SELECT lease_owner, count(*) FROM executions_execution WHERE status = 'RUNNING' GROUP BY lease_owner"
)
# Running executions not held by another process whose heartbeat is alive (polled: kept
# light, as every scan of this table competes with the runners' own).
UNHELD = (
    "SELECT count(*) FROM executions_execution WHERE status = 'RUNNING' AND (lease_owner = %s"
    " OR lease_owner NOT IN (SELECT owner FROM executions_runner WHERE expires_at > {now}))"
)


def start_all(client) -> None:
    machine = client.create_state_machine(name="takeover", definition=json.dumps(WAITING), roleArn=ROLE)
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda _: client.start_execution(stateMachineArn=machine["stateMachineArn"]),
                range(EXECUTIONS),
            )
        )


def measure(query, kill, holding=None) -> dict:
    """Wait until every execution entered its Wait (then measure ``holding()``, if given); kill
    the process ``kill(holders)`` picks, then time until every execution is held again by
    another process whose heartbeat is alive."""
    entered = "SELECT count(*) FROM executions_execution WHERE last_event_id >= 2"  # WaitStateEntered
    while (waiting := query(entered)[0][0]) < EXECUTIONS:
        time.sleep(0.2)
    held = {"holding_them": holding()} if holding is not None else {}
    holders = dict(query(HOLDERS))
    dead = kill(holders)
    killed = time.perf_counter()
    while query(UNHELD, dead)[0][0]:
        time.sleep(0.25)
    seconds = time.perf_counter() - killed
    return {
        "executions": waiting,
        "held_by_the_killed_process": holders.get(dead, 0),
        "seconds_from_kill_to_all_held": round(seconds, 2),
        "seconds_after_the_lease": round(seconds - LEASE_SECONDS, 2),
        **held,
    }


def embedded() -> dict:
    with tempfile.TemporaryDirectory() as var:
        first = make_server(Path(var), **DEFAULTS)
        second = LiveServer(Path(var), first.env)
        first.start()
        second.start()
        database = sqlite3.connect(Path(var) / "symphony.sqlite3")
        try:
            start_all(client_for(first.endpoint))

            def query(sql: str, *params: str) -> list:
                now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
                return database.execute(sql.format(now=now).replace("%s", "?"), params).fetchall()

            def kill(holders: dict) -> str:
                first.kill()
                return next(owner for owner in holders if f":{first.proc.pid}:" in owner)

            found = measure(query, kill)
        finally:
            database.close()
            first.stop()
            second.stop()
    return found


def scaled() -> dict:
    name = f"bench_takeover_{os.getpid()}"
    with tempfile.TemporaryDirectory() as var, scaled_shape(Path(var), name, 1, 2, env=DEFAULTS) as shape:
        web, procs, url = shape
        start_all(client_for(web[0].endpoint, *web[0].create_access_key("bench")))
        with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as database:

            def query(sql: str, *params: str) -> list:
                return database.execute(sql.format(now="now()"), params).fetchall()

            def kill(holders: dict) -> str:
                busiest = max((owner for owner in holders if owner), key=holders.get)
                victim = next(p for p in procs if f":{p.pid}:" in busiest)
                victim.kill()
                victim.wait(10)
                return busiest

            def holding() -> dict:
                """What holding them costs while none is due: the runners' and PostgreSQL's
                CPU, and the execution rows written, per second."""
                pids = [p.pid for p in procs]
                time.sleep(2 * LEASE_SECONDS)  # past the claims and first commits
                updates = "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'executions_execution'"
                cpu, services, written = sum(map(cpu_seconds, pids)), services_cpu_seconds(), query(updates)
                time.sleep(HOLD_SECONDS)
                database.execute("SELECT pg_stat_force_next_flush()")
                return {
                    "runners_cpu_share_of_a_core": round(
                        (sum(map(cpu_seconds, pids)) - cpu) / HOLD_SECONDS, 4
                    ),
                    "postgres_redis_cpu_share_of_a_core": round(
                        (services_cpu_seconds() - services) / HOLD_SECONDS, 4
                    ),
                    "execution_rows_written_per_second": round(
                        (query(updates)[0][0] - written[0][0]) / HOLD_SECONDS, 1
                    ),
                }

            return measure(query, kill, holding)


def main() -> None:
    print(
        json.dumps(
            {
                "benchmark": "takeover",
                "workflow": "one Wait of an hour",
                "lease_seconds": LEASE_SECONDS,
                "scan_seconds": SCAN_SECONDS,
                "embedded_sqlite_two_app_processes": embedded(),
                "postgres_redis_two_runner_processes": scaled(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symphony.settings")
    main()
