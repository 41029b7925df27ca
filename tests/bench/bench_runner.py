"""Runner benchmark, printed as JSON.

1. Executions per second end to end (StartExecution to a terminal DescribeExecution) for a
   10-state workflow through boto3: Symphony embedded (one process: the server with its
   runner, SQLite), the same one process on PostgreSQL, Symphony on PostgreSQL + Redis (1 web
   process that runs nothing with 1 and with 2 `manage.py runner` processes, and `make
   run-scaled`'s shape: 2 web processes taking the calls in turn, 2 runners; server CPU is
   theirs added up, PostgreSQL's and Redis's own is shown apart) and moto's server (its Step
   Functions mock with execution enabled), same machine, same run.
   The same machine as EXPRESS through StartSyncExecution, beside the in-process engine.
   Every server first runs WARM_UP executions unmeasured.
2. Latency from an event's commit to its arrival at 50 WebSocket clients of
   /ws/executions/<id>/ (measured from the event's timestamp, taken just before its commit),
   p50 and p99 over every event the clients receive live: embedded, and scaled out (200
   clients over 2 web processes, read by 2 client processes, the execution on one of 2 runner
   processes, PostgreSQL + Redis, a stream of other executions running beside it, started from
   a process of its own). Target (issue 12): p99 under 100 ms.

Run: .venv/bin/python tests/bench/bench_runner.py [websockets]  (websockets: only part 2)
"""

import asyncio
import contextlib
import json
import multiprocessing
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import websockets

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.executions.conftest import ROLE, LiveServer, client_for, free_port, make_server  # noqa: E402
from tests.executions.test_executions_runner_processes import (  # noqa: E402
    ADMIN_URL,
    REDIS_URL,
    Runners,
)

EXECUTIONS = 500  # the workload
# Run first, unmeasured, on every server (the peer's too): connections opened, statements and
# caches warm, as on a server in use.
WARM_UP = 50
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
SCALED_CLIENTS = int(os.environ.get("BENCH_SCALED_CLIENTS", "200"))
CLIENT_PROCESSES = int(os.environ.get("BENCH_CLIENT_PROCESSES", "2"))
TEN_STATES = {
    "StartAt": "S0",
    "States": {
        **{
            f"S{i}": {"Type": "Pass", "Result": {"step": i}, "ResultPath": f"$.s{i}", "Next": f"S{i + 1}"}
            for i in range(9)
        },
        "S9": {"Type": "Pass", "End": True},
    },
}


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux /proc): the cost of the work whatever else
    the machine is running."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def services_cpu_seconds() -> float:
    """CPU used by PostgreSQL and Redis (every process of theirs on the machine, with the
    backends that exited meanwhile, counted in their parent's reaped children's time): the part
    of a scaled-out execution's cost that runs outside Symphony's processes."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1].split()
        if name == "postgres" or name.startswith("redis-server"):
            total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def throughput(clients: list, name: str, server_pids: list[int]) -> dict:
    """``clients`` (one per web process) take the starts in turn, as a load balancer would."""
    arn = clients[0].create_state_machine(name=name, definition=json.dumps(TEN_STATES), roleArn=ROLE)[
        "stateMachineArn"
    ]
    polls: list[int] = []

    def run(prefix: str, count: int) -> list[str]:
        # Eight callers start the executions, then eight wait for them (boto3 clients are
        # thread-safe).
        with ThreadPoolExecutor(8) as pool:
            arns = list(
                pool.map(
                    lambda i: clients[i % len(clients)].start_execution(
                        stateMachineArn=arn, name=f"{prefix}-{i}", input="{}"
                    )["executionArn"],
                    range(count),
                )
            )

        def finished(i: int) -> str:
            client = clients[i % len(clients)]
            polls.append(1)
            while (status := client.describe_execution(executionArn=arns[i])["status"]) == "RUNNING":
                polls.append(1)
                time.sleep(0.01)
            return status

        with ThreadPoolExecutor(8) as pool:
            return list(pool.map(finished, range(count)))

    run("warm-up", WARM_UP)
    polls.clear()
    server_cpu, client_cpu = sum(map(cpu_seconds, server_pids)), time.process_time()
    services_cpu = services_cpu_seconds()
    started = time.perf_counter()
    statuses = run("run", EXECUTIONS)
    elapsed = time.perf_counter() - started
    return {
        "executions": EXECUTIONS,
        "seconds": round(elapsed, 3),
        "executions_per_second": round(EXECUTIONS / elapsed, 1),
        "succeeded": statuses.count("SUCCEEDED"),
        "describe_calls": len(polls),
        "server_cpu_ms_per_execution": round(
            1000 * (sum(map(cpu_seconds, server_pids)) - server_cpu) / EXECUTIONS, 2
        ),
        "postgres_redis_cpu_ms_per_execution": round(
            1000 * (services_cpu_seconds() - services_cpu) / EXECUTIONS, 2
        ),
        "client_cpu_ms_per_execution": round(1000 * (time.process_time() - client_cpu) / EXECUTIONS, 2),
    }


def express_throughput(client, name: str, server_pids: list[int]) -> dict:
    """StartSyncExecution of the same machine as EXPRESS, eight callers: calls/s, latency and
    server CPU per execution (moto's server has no StartSyncExecution; the peer is the
    in-process engine, what an express run costs with no service around it)."""
    arn = client.create_state_machine(
        name=name, definition=json.dumps(TEN_STATES), roleArn=ROLE, type="EXPRESS"
    )["stateMachineArn"]

    def call(i: int) -> tuple[float, str]:
        began = time.perf_counter()
        status = client.start_sync_execution(stateMachineArn=arn, name=f"sync-{i}", input="{}")["status"]
        return (time.perf_counter() - began) * 1000, status

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(call, range(-WARM_UP, 0)))
    server_cpu, client_cpu = sum(map(cpu_seconds, server_pids)), time.process_time()
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        calls = list(pool.map(call, range(EXECUTIONS)))
    elapsed = time.perf_counter() - started
    latencies = sorted(ms for ms, _ in calls)
    return {
        "executions": EXECUTIONS,
        "executions_per_second": round(EXECUTIONS / elapsed, 1),
        "succeeded": sum(1 for _, status in calls if status == "SUCCEEDED"),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 1),
        "server_cpu_ms_per_execution": round(
            1000 * (sum(map(cpu_seconds, server_pids)) - server_cpu) / EXECUTIONS, 2
        ),
        "client_cpu_ms_per_execution": round(1000 * (time.process_time() - client_cpu) / EXECUTIONS, 2),
    }


def engine_alone() -> dict:
    """The in-process engine on the same machine: its CPU per execution, for the express row."""
    from tests.bench.bench_engine import bench_symphony

    measured = bench_symphony(TEN_STATES, "{}", 3.0)
    return {
        "executions_per_second": round(measured["executions_per_s"], 1),
        "cpu_ms_per_execution": round(1000 / measured["executions_per_s"], 3),
    }


@contextlib.contextmanager
def moto_server():
    """moto's server in its own process (as Symphony's server: in this one it would share the
    GIL with the client), with its Step Functions executing state machines; its endpoint."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/moto-api/config",
            data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode(),
            method="POST",
        )
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(request).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        server.endpoint = f"http://127.0.0.1:{port}"
        yield server
    finally:
        server.terminate()
        server.wait(10)


def moto_throughput() -> dict:
    with moto_server() as server:
        return throughput([client_for(server.endpoint)], "bench-moto", [server.pid])


@contextlib.contextmanager
def scaled_shape(
    var: Path, name: str, webs: int, runners: int, runs_in_web: bool = False, env: dict | None = None
):
    """``webs`` web processes that run nothing and ``runners`` runner processes, on a fresh
    PostgreSQL database ``name`` and the local Redis: (web servers, runner processes, its URL).
    ``runs_in_web``: the embedded shape on PostgreSQL instead (web processes that run
    executions, the in-memory channel layer). ``env``: more settings for every process."""
    database = f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    apart = {} if runs_in_web else {"REDIS_URL": REDIS_URL, "SYMPHONY_RUNNER": "off"}
    first = make_server(var, **{"LOG_LEVEL": "ERROR", **(env or {})}, DATABASE_URL=database, **apart)
    web = [first] + [LiveServer(var / f"web-{i}", first.env) for i in range(1, webs)]
    pool = Runners(first.env, var)
    try:
        for server in web:
            server.var_dir.mkdir(exist_ok=True)
            server.start()
        yield web, [pool.start() for _ in range(runners)], database
    finally:
        pool.stop()
        for server in web:
            server.stop()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scaled_throughput(var: Path, runners: int, webs: int = 1) -> dict:
    with scaled_shape(var, f"bench_runner_{webs}_{runners}_{os.getpid()}", webs, runners) as (web, procs, _):
        key = web[0].create_access_key("bench")
        clients = [client_for(server.endpoint, *key) for server in web]
        pids = [server.proc.pid for server in web] + [p.pid for p in procs]
        return {
            "web_processes": webs,
            "runner_processes": runners,
            **throughput(clients, f"bench-scaled-{webs}-{runners}", pids),
        }


def session_for(server, username: str) -> str:
    # An admin: the test key acts in the first admin's account, so the watchers may see its runs.
    code = (
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.sessions.backends.db import SessionStore; "
        f"u = get_user_model().objects.create_superuser({username!r}, None, 'bench-pass-1!'); "
        "s = SessionStore(); s['_auth_user_id'] = str(u.pk); "
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'; "
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    return server.manage("shell", "-c", code).strip().splitlines()[-1]


def execution_pk(server, arn: str) -> int:
    # Read straight from the server's SQLite file: a `manage.py shell` takes seconds to start,
    # and the execution is already running.
    with sqlite3.connect(server.var_dir / "symphony.sqlite3") as db:
        return db.execute("SELECT id FROM executions_execution WHERE arn = ?", (arn,)).fetchone()[0]


async def listen(
    url: str, cookie: str, origin: str, ready: asyncio.Event, samples: list, seen: list, linger=None
) -> None:
    """Until the execution's end; then, with ``linger``, awaits it before closing (so closing
    handshakes do not delay the other clients of this process)."""
    # A loaded machine may take long to accept 50 handshakes at once: wait for them.
    async with websockets.connect(
        url, additional_headers={"Cookie": cookie}, origin=origin, open_timeout=60
    ) as socket:
        ready.set()
        while True:
            message = json.loads(await socket.recv())
            if message["type"] == "events":
                arrived = time.time()
                for event in message["events"]:
                    samples.append((arrived, event["timestamp"]))
                    seen.append(event["id"])
            elif message["type"] == "status" and message["status"] != "RUNNING":
                if linger is not None:
                    await linger()
                return


def bursts_definition(hold: dict) -> str:
    """``hold`` first (clients join meanwhile), then bursts of Pass states between short Waits."""
    states = {"Hold": {**hold, "Next": "G0P0"}}
    for group in range(4):
        for i in range(10):
            states[f"G{group}P{i}"] = {"Type": "Pass", "Next": f"G{group}P{i + 1}" if i < 9 else f"G{group}W"}
        states[f"G{group}W"] = {"Type": "Wait", "Seconds": 1, "Next": f"G{group + 1}P0"}
    states["G3W"] = {"Type": "Succeed"}
    return json.dumps({"StartAt": "Hold", "States": states})


async def watch_all(
    urls: list[str], cookie: str, origins: list[str], joined_all=None
) -> tuple[list, list, float]:
    """One WebSocket client per URL; once all have joined, ``joined_all()`` (in a thread) lets
    the execution go on. Returns each client's (arrival, event timestamp) samples, the event
    ids each saw, and when the last one joined."""
    samples: list[list] = [[] for _ in urls]
    seen: list[list] = [[] for _ in urls]
    readies = [asyncio.Event() for _ in urls]
    ended, all_ended = [0], asyncio.Event()

    async def linger() -> None:
        # Sockets close once all have seen the end: the closes measure no delivery.
        ended[0] += 1
        if ended[0] == len(urls):
            all_ended.set()
        await all_ended.wait()

    tasks = [
        asyncio.create_task(listen(url, cookie, origin, readies[i], samples[i], seen[i], linger))
        for i, (url, origin) in enumerate(zip(urls, origins, strict=True))
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 120)
    joined = time.time()
    if joined_all is not None:
        await asyncio.to_thread(joined_all)
    await asyncio.wait_for(asyncio.gather(*tasks), 120)
    return samples, seen, joined


def watch_share(urls: list[str], cookie: str, origins: list[str], joined, go, results) -> None:
    """A client process's share of the watchers: says when they have all joined, waits for
    ``go``, and puts what they received on ``results``."""

    def ready() -> None:
        joined.set()
        go.wait(120)

    samples, seen, _ = asyncio.run(watch_all(urls, cookie, origins, ready))
    results.put((samples, seen))


def watch_in_processes(
    urls: list[str], cookie: str, origins: list[str], processes: int, joined_all
) -> tuple[list, list, float]:
    """``watch_all`` split over client processes: one Python process reading 200 sockets
    serialised their arrivals behind its own GIL, which no set of real clients does."""
    context = multiprocessing.get_context("spawn")
    go, results = context.Event(), context.Queue()
    shares = []
    for i in range(processes):
        joined = context.Event()
        proc = context.Process(
            target=watch_share,
            args=(urls[i::processes], cookie, origins[i::processes], joined, go, results),
            daemon=True,
        )
        proc.start()
        shares.append((proc, joined))
    try:
        for _, joined in shares:
            if not joined.wait(180):
                raise RuntimeError("the WebSocket clients did not all join")
        when = time.time()
        joined_all()
        go.set()
        gathered = [results.get(timeout=180) for _ in shares]
    finally:
        for proc, _ in shares:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
    return [s for samples, _ in gathered for s in samples], [s for _, seen in gathered for s in seen], when


def delivery_summary(samples: list, seen: list, stored: list[int], joined: float, cpu: float) -> dict:
    # Only events committed after every client had joined count as live deliveries.
    latencies = sorted(
        (arrived - stamp) * 1000
        for client_samples in samples
        for arrived, stamp in client_samples
        if stamp > joined
    )
    return {
        "clients": len(seen),
        "live_deliveries": len(latencies),
        "every_client_saw_the_history_once_in_order": all(s == stored for s in seen),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "max_ms": round(latencies[-1], 2),
        "server_cpu_ms_per_delivery": round(1000 * cpu / sum(map(len, seen)), 3),
    }


def websocket_latency(server) -> dict:
    client = client_for(server.endpoint)
    sm = client.create_state_machine(
        name="bench-live", definition=bursts_definition({"Type": "Wait", "Seconds": 3}), roleArn=ROLE
    )["stateMachineArn"]
    cookie = f"sessionid={session_for(server, 'bench')}"
    arn = client.start_execution(stateMachineArn=sm, input="{}")["executionArn"]
    url = f"ws://127.0.0.1:{server.port}/ws/executions/{execution_pk(server, arn)}/"
    server_cpu = cpu_seconds(server.proc.pid)
    samples, seen, joined = asyncio.run(watch_all([url] * CLIENTS, cookie, [server.url] * CLIENTS))
    server_cpu = cpu_seconds(server.proc.pid) - server_cpu
    stored = [e["id"] for e in client.get_execution_history(executionArn=arn, maxResults=1000)["events"]]
    return delivery_summary(samples, seen, stored, joined, server_cpu)


def run_beside(endpoint: str, key: tuple[str, str], machine: str, stop, count) -> None:
    """Other executions keeping the runners busy, one at a time to its end, until ``stop``."""
    client = client_for(endpoint, *key)
    while not stop.is_set():
        started = client.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
        while client.describe_execution(executionArn=started)["status"] == "RUNNING":
            time.sleep(0.01)
        with count.get_lock():
            count.value += 1


def scaled_websocket_latency(var: Path, clients: int, webs: int = 2, runners: int = 2) -> dict:
    """``clients`` WebSocket clients spread over ``webs`` web processes (serving only) watch an
    execution run by one of ``runners`` runner processes, on PostgreSQL and Redis, while the
    runners also run a stream of 10-Pass executions beside it. The execution waits on an
    activity until every client has joined."""
    with scaled_shape(var, f"live_bench_ws_{os.getpid()}", webs, runners) as (web, procs, database):
        first = web[0]
        cookie = f"sessionid={session_for(first, 'bench')}"
        key = first.create_access_key("bench")
        client = client_for(first.endpoint, *key)
        gate = client.create_activity(name="bench-live-gate")["activityArn"]
        sm = client.create_state_machine(
            name="bench-live",
            definition=bursts_definition({"Type": "Task", "Resource": gate, "ResultPath": None}),
            roleArn=ROLE,
        )["stateMachineArn"]
        arn = client.start_execution(stateMachineArn=sm, input="{}")["executionArn"]
        with psycopg.connect(database.replace("postgres://", "postgresql://")) as db:
            pk = db.execute("SELECT id FROM executions_execution WHERE arn = %s", (arn,)).fetchone()[0]
        urls = [f"ws://127.0.0.1:{web[i % webs].port}/ws/executions/{pk}/" for i in range(clients)]
        origins = [web[i % webs].url for i in range(clients)]

        def go_on() -> None:
            token = client.get_activity_task(activityArn=gate)["taskToken"]
            client.send_task_success(taskToken=token, output="{}")

        others = client.create_state_machine(
            name="bench-beside", definition=json.dumps(TEN_STATES), roleArn=ROLE
        )["stateMachineArn"]
        # In a process of its own: in this one, its boto3 calls held the GIL the clients need.
        context = multiprocessing.get_context("spawn")
        stop, beside = context.Event(), context.Value("i", 0)
        background = context.Process(
            target=run_beside, args=(first.endpoint, key, others, stop, beside), daemon=True
        )
        background.start()
        try:
            pids = [server.proc.pid for server in web] + [p.pid for p in procs]
            cpu = sum(map(cpu_seconds, pids))
            samples, seen, joined = watch_in_processes(urls, cookie, origins, CLIENT_PROCESSES, go_on)
            cpu = sum(map(cpu_seconds, pids)) - cpu
            stop.set()
            background.join(30)
            stored = [
                e["id"] for e in client.get_execution_history(executionArn=arn, maxResults=1000)["events"]
            ]
            return {
                "web_processes": webs,
                "runner_processes": runners,
                "client_processes": CLIENT_PROCESSES,
                **delivery_summary(samples, seen, stored, joined, cpu),
                "executions_run_beside": beside.value,
            }
        finally:
            if background.is_alive():
                background.kill()


def websockets_only() -> None:
    with tempfile.TemporaryDirectory() as var:
        server = make_server(Path(var), LOG_LEVEL="ERROR")
        server.start()
        try:
            live = websocket_latency(server)
        finally:
            server.stop()
    with tempfile.TemporaryDirectory() as var:
        live_scaled = scaled_websocket_latency(Path(var), SCALED_CLIENTS)
    print(
        json.dumps(
            {
                "benchmark": "runner: live delivery",
                "websocket_latency": live,
                "websocket_latency_scaled": {**live_scaled, "target_p99_ms": 100},
            },
            indent=2,
        )
    )


def postgres_one_process_throughput(var: Path) -> dict:
    """The embedded shape (one process that serves and runs) on PostgreSQL: the database's own
    cost beside SQLite's, apart from the cost of more processes."""
    with scaled_shape(var, f"bench_runner_one_{os.getpid()}", 1, 0, runs_in_web=True) as (web, _, _):
        key = web[0].create_access_key("bench")
        return throughput([client_for(web[0].endpoint, *key)], "bench-one", [web[0].proc.pid])


def main() -> None:
    with tempfile.TemporaryDirectory() as var:
        server = make_server(Path(var), LOG_LEVEL="ERROR")
        server.start()
        try:
            symphony = throughput([client_for(server.endpoint)], "bench-symphony", [server.proc.pid])
            express = express_throughput(client_for(server.endpoint), "bench-express", [server.proc.pid])
            live = websocket_latency(server)
        finally:
            server.stop()
    with tempfile.TemporaryDirectory() as var:
        scaled = {"symphony_postgres_one_process": postgres_one_process_throughput(Path(var))}
    for webs, runners in ((1, 1), (1, 2), (2, 2)):
        with tempfile.TemporaryDirectory() as var:
            scaled[f"symphony_postgres_redis_{webs}_web_{runners}_runner{'s' if runners > 1 else ''}"] = (
                scaled_throughput(Path(var), runners, webs)
            )
    with tempfile.TemporaryDirectory() as var:
        live_scaled = scaled_websocket_latency(Path(var), SCALED_CLIENTS)
    moto = moto_throughput()
    print(
        json.dumps(
            {
                "benchmark": "runner",
                "workflow": "10 Pass states",
                "symphony": symphony,
                **scaled,
                "moto_server": moto,
                "ratio_symphony_over_moto": round(
                    symphony["executions_per_second"] / moto["executions_per_second"], 2
                ),
                "cpu_ratio_symphony_over_moto": round(
                    symphony["server_cpu_ms_per_execution"] / moto["server_cpu_ms_per_execution"], 3
                ),
                "express_sync": {"symphony": express, "engine_in_process": engine_alone()},
                "websocket_latency": live,
                "websocket_latency_scaled": {**live_scaled, "target_p99_ms": 100},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symphony.settings")
    websockets_only() if sys.argv[1:] == ["websockets"] else main()
