"""The soak (issue 12): many executions of the samples mixed, over 2 web processes and 2
``manage.py runner`` processes on PostgreSQL + Redis, while faults happen: one runner SIGKILLed
and restarted, Redis restarted, the database's connections terminated. Every execution must end
as it would have without the faults, every history whole (ids 1..N, no duplicate), and nothing
left held (no lease, no row lock, no pending task token).

Shared by the suite's short run (tests/executions/test_executions_soak.py) and the benchmark
(tests/bench/soak.py). Redis is a private ``redis-server`` on a free port, started here, so
restarting it disturbs no other user of the machine's own.

The mix, by execution index:
- order-processing, valid (SUCCEEDED) and invalid (FAILED, OrderRejected: a Catch to a Fail);
- brand-asset-pipeline (Parallel, Retry, a callback): answered by a client's SendTaskSuccess, or
  by a reviewer through the approval page (approve: PublishAsset; reject: NotifyRejected; both
  SUCCEEDED);
- async-report-api (a Wait loop until the report is ready);
- customer-onboarding (Parallel, Map, Wait);
- a retried task: a local function that fails while ``$$.State.RetryCount`` is below what the
  input asks, then succeeds (SUCCEEDED after exactly 2 failures) or runs out of attempts
  (FAILED, FlakyError, after exactly 3);
- now and then a poison execution, whose function kills its own sandbox on every attempt
  (FAILED, Runtime.ExitError, after exactly 3 attempts).
iot-pipeline is EXPRESS, which is not resumed after a runner dies (AWS runs express executions
at most once), so its status under a kill is not "what it would have been": it is left out; so
is sensor-batch-import, which needs S3 and DynamoDB.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import psycopg
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.executions.conftest import REPO_ROOT, ROLE, LiveServer, free_port, make_server
from tests.executions.test_executions_runner_processes import ADMIN_URL, Runners
from tests.executions.test_executions_samples import SAMPLES, example

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:"
FLAKY_CODE = '''"""Fails while the state's retry count is below the input's `failures`, then succeeds."""


class FlakyError(Exception):
    pass


def handler(event, context):
    if event["attempt"] < event["failures"]:
        raise FlakyError(f"attempt {event['attempt']} fails, as asked")
    return {"attempt": event["attempt"]}
'''
POISON_CODE = '''"""Kills its own sandbox on every call: first the processes it is given (the runners, outside
its PID namespace: it cannot see them), then its parent, then itself."""

import os
import signal


def handler(event, context):
    for pid in event.get("pids", []):
        try:
            os.kill(pid, signal.SIGKILL)
            print(f"killed {pid}")
        except OSError as exc:
            print(f"cannot kill {pid}: {exc}", flush=True)
    os.kill(os.getppid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
'''
RETRIED = {
    "StartAt": "Flaky",
    "States": {
        "Flaky": {
            "Type": "Task",
            "Resource": LAMBDA + "soak-flaky",
            "Parameters": {"attempt.$": "$$.State.RetryCount", "failures.$": "$.failures"},
            "Retry": [{"ErrorEquals": ["FlakyError"], "IntervalSeconds": 1, "MaxAttempts": 2}],
            "End": True,
        }
    },
}
POISON = {
    "StartAt": "Poison",
    "States": {
        "Poison": {
            "Type": "Task",
            "Resource": LAMBDA + "soak-poison",
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2}],
            "End": True,
        }
    },
}
RUNTIME_EXIT = "Runtime.ExitError"
REANSWER_SECONDS = 15.0


@dataclass(frozen=True)
class Kind:
    name: str
    machine: str
    input: dict
    status: str
    error: str | None = None
    answer: str | None = None  # "client" (SendTaskSuccess), "approve" or "reject" (the page)
    entered: str | None = None  # a state the run must enter
    failed_attempts: int | None = None  # exactly this many LambdaFunctionFailed


ORDER = example("order-processing")
BRAND = example("brand-asset-pipeline")
KINDS = [
    Kind("order", "order-processing", ORDER, "SUCCEEDED"),
    Kind("order-invalid", "order-processing", {**ORDER, "customer": {}}, "FAILED", error="OrderRejected"),
    Kind("brand-client", "brand-asset-pipeline", BRAND, "SUCCEEDED", answer="client", entered="PublishAsset"),
    Kind(
        "brand-approved", "brand-asset-pipeline", BRAND, "SUCCEEDED", answer="approve", entered="PublishAsset"
    ),
    Kind(
        "brand-rejected",
        "brand-asset-pipeline",
        BRAND,
        "SUCCEEDED",
        answer="reject",
        entered="NotifyRejected",
    ),
    Kind("report", "async-report-api", example("async-report-api"), "SUCCEEDED", entered="ReportReady"),
    Kind(
        "onboarding",
        "customer-onboarding",
        example("customer-onboarding"),
        "SUCCEEDED",
        entered="SendFollowUp",
    ),
    Kind("retried", "retried", {"failures": 2}, "SUCCEEDED", failed_attempts=2),
    Kind("retries-exhausted", "retried", {"failures": 5}, "FAILED", error="FlakyError", failed_attempts=3),
]
POISONED = Kind("poison", "poison", {}, "FAILED", error=RUNTIME_EXIT, failed_attempts=3)
POISON_EVERY = 50  # one execution in this many is a poison one


def kind_of(index: int) -> Kind:
    return POISONED if index % POISON_EVERY == POISON_EVERY - 1 else KINDS[index % len(KINDS)]


def definitions() -> dict[str, str]:
    found = {
        sample: (SAMPLES / f"{sample}.asl.json").read_text()
        for sample in ("order-processing", "brand-asset-pipeline", "async-report-api", "customer-onboarding")
    }
    return {**found, "retried": json.dumps(RETRIED), "poison": json.dumps(POISON)}


def install_functions(folder: Path) -> None:
    """The samples' functions (functions/), and the soak's own."""
    shutil.copytree(REPO_ROOT / "functions", folder, dirs_exist_ok=True)
    (folder / "soak-flaky.py").write_text(FLAKY_CODE)
    (folder / "soak-poison.py").write_text(POISON_CODE)


# ---- the cluster --------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of the soak's own (nothing kept on disk), restartable on its port."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.2):
                return
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"redis-server did not start:\n{self.log.read_text()[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@contextlib.contextmanager
def soak_database():
    name = f"soak_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sql_url(name: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


@dataclass
class Cluster:
    database: str
    redis: PrivateRedis
    webs: list[LiveServer]
    runners: Runners
    lease: float
    scan: float
    machines: dict[str, str] = field(default_factory=dict)
    key: tuple[str, str] = ("", "")
    reviewer: tuple[str, str] = ("rita", "soak-review-1!")

    def client(self, web: int):
        # Standard retries: a request cut by a fault (a terminated connection answers 500) or
        # throttled is sent again, as any SDK caller's would be.
        return boto3.session.Session().client(
            "stepfunctions",
            endpoint_url=self.webs[web].endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.key[0],
            aws_secret_access_key=self.key[1],
            config=Config(
                retries={"max_attempts": 6, "mode": "standard"}, read_timeout=60, inject_host_prefix=False
            ),
        )

    def runner_pids(self) -> list[int]:
        return [p.pid for p in self.runners.procs if p.poll() is None]


@contextlib.contextmanager
def cluster(var: Path, *, lease: float = 3.0, scan: float = 0.5, time_scale: float = 0.1, runners: int = 2):
    """2 web processes that run nothing (SYMPHONY_RUNNER=off) and ``runners`` runner processes,
    on a fresh ``soak_`` database and a private Redis."""
    install_functions(var / "functions")
    redis = PrivateRedis(var / "redis.log")
    redis.start()
    try:
        with soak_database() as name:
            first = make_server(
                var,
                DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}",
                REDIS_URL=redis.url,
                SYMPHONY_RUNNER="off",
                SYMPHONY_LEASE_SECONDS=str(lease),
                SYMPHONY_SCAN_SECONDS=str(scan),
                SYMPHONY_TIME_SCALE=str(time_scale),
                LOG_LEVEL="WARNING",
            )
            # One var folder: the web processes and runners share the secret and encryption keys.
            webs = [first, LiveServer(var, dict(first.env))]
            pool = Runners(first.env, var)
            try:
                for web in webs:
                    web.start()
                found = Cluster(name, redis, webs, pool, lease, scan)
                found.key = first.create_access_key("soak")
                first.manage(
                    "shell",
                    "-c",
                    "from django.contrib.auth import get_user_model; "
                    "get_user_model().objects.create_superuser({!r}, None, {!r})".format(*found.reviewer),
                )
                sfn = found.client(0)
                for machine, definition in definitions().items():
                    found.machines[machine] = sfn.create_state_machine(
                        name=f"soak-{machine}", definition=definition, roleArn=ROLE
                    )["stateMachineArn"]
                for _ in range(runners):
                    pool.start()
                yield found
            finally:
                pool.stop()
                for web in webs:
                    web.stop()
    finally:
        redis.stop()


# ---- driving executions ---------------------------------------------------------------------------


@dataclass
class Outcome:
    index: int
    kind: Kind
    arn: str
    status: str = ""
    error: str | None = None
    cause: str | None = None
    problem: str | None = None
    answers: int = 0  # how many times the driver answered its step


class Reviewer:
    """A reviewer on one web process, logged in through the login page, answering approval
    pages as the browser's form does (with its CSRF token)."""

    def __init__(self, web: LiveServer, username: str, password: str) -> None:
        self.base = web.url
        self.http = requests.Session()
        login = f"{self.base}/accounts/login/"
        for _ in range(10):  # a login cut by a fault (a terminated connection) is tried again
            with contextlib.suppress(requests.RequestException, KeyError):
                self.http.get(login, timeout=30)
                self.http.post(
                    login,
                    data={
                        "username": username,
                        "password": password,
                        "csrfmiddlewaretoken": self.http.cookies["csrftoken"],
                    },
                    headers={"Referer": login},
                    timeout=30,
                    allow_redirects=False,
                )
                if "sessionid" in self.http.cookies:
                    return
            time.sleep(1)
        raise RuntimeError(f"{username} could not log in to {self.base}")

    def decide(self, execution_pk: int, decision: str) -> bool:
        """Answer the execution's pending approval; False while it has none yet (or on a 5xx)."""
        listed = self.http.get(f"{self.base}/executions/{execution_pk}/tasks/", timeout=30)
        if listed.status_code != 200 or not listed.json()["tasks"]:
            return False
        page = self.base + listed.json()["tasks"][0]["url"]
        answered = self.http.post(
            page,
            data={
                "decision": decision,
                "comment": "off-brand colours" if decision == "reject" else "fine",
                "csrfmiddlewaretoken": self.http.cookies["csrftoken"],
            },
            headers={"Referer": page},
            timeout=30,
            allow_redirects=False,
        )
        return answered.status_code < 500


def execution_pk(database: str, arn: str) -> int | None:
    """The run's id, or None while it cannot be read: the fault that ends the database's
    connections ends this reader's too, and the next poll reads again."""
    try:
        with psycopg.connect(sql_url(database)) as db:
            row = db.execute("SELECT id FROM executions_execution WHERE arn = %s", (arn,)).fetchone()
    except psycopg.OperationalError:
        return None
    return row[0] if row else None


def waiting_token(sfn, arn: str) -> str | None:
    for event in history(sfn, arn):
        details = event.get("taskScheduledEventDetails")
        if details and "waitForTaskToken" in details["resource"]:
            return json.loads(details["parameters"])["Payload"]["taskToken"]
    return None


def history(sfn, arn: str) -> list[dict]:
    events, token = [], None
    while True:
        page = sfn.get_execution_history(
            executionArn=arn, maxResults=1000, **({"nextToken": token} if token else {})
        )
        events += page["events"]
        if not (token := page.get("nextToken")):
            return events


class Driver:
    def __init__(self, found: Cluster, *, timeout: float, poll: float = 0.3) -> None:
        self.cluster = found
        self.timeout = timeout
        self.poll = poll
        self.clients = [found.client(0), found.client(1)]  # boto3 clients are thread-safe
        self.local = threading.local()
        self.finished = 0
        self.lock = threading.Lock()

    def reviewer(self, web: int) -> Reviewer:
        reviewers = self.local.__dict__.setdefault("reviewers", {})
        if web not in reviewers:
            reviewers[web] = Reviewer(self.cluster.webs[web], *self.cluster.reviewer)
        return reviewers[web]

    def start(self, sfn, index: int, kind: Kind) -> str:
        machine = self.cluster.machines[kind.machine]
        execution_input = dict(kind.input)
        if kind is POISONED:
            execution_input["pids"] = self.cluster.runner_pids()
        name = f"soak-{index}"
        try:
            return sfn.start_execution(stateMachineArn=machine, name=name, input=json.dumps(execution_input))[
                "executionArn"
            ]
        except ClientError as exc:
            # A start retried after a cut answer may find its first attempt already ended.
            if exc.response["Error"]["Code"] == "ExecutionAlreadyExists":
                return re.search(r"'(arn:[^']+)'", exc.response["Error"]["Message"]).group(1)
            raise

    def answer(self, sfn, web: int, kind: Kind, arn: str, state: dict) -> bool:
        if kind.answer == "client":
            token = waiting_token(sfn, arn)
            if token is None:
                return False
            try:
                sfn.send_task_success(
                    taskToken=token, output=json.dumps({"approved": True, "reviewer": "soak"})
                )
            except ClientError as exc:
                # Answered already (a retried send whose first attempt went through).
                return exc.response["Error"]["Code"] in {"TaskTimedOut", "InvalidToken"}
            return True
        if "pk" not in state and (pk := execution_pk(self.cluster.database, arn)) is not None:
            state["pk"] = pk
        return "pk" in state and self.reviewer(web).decide(state["pk"], kind.answer)

    def run(self, index: int, kind: Kind | None = None) -> Outcome:
        kind, web = kind or kind_of(index), index % 2
        sfn = self.clients[web]
        outcome = Outcome(index, kind, "")
        try:
            outcome.arn = self.start(sfn, index, kind)
            answered_at, state = (0.0 if kind.answer is None else None), {}
            deadline = time.time() + self.timeout
            while (described := sfn.describe_execution(executionArn=outcome.arn))["status"] == "RUNNING":
                if time.time() > deadline:
                    outcome.problem = f"still RUNNING after {self.timeout:.0f} s"
                    break
                # As a person would: an answer the server refused under a fault (the page said
                # why) leaves the step waiting, so it is answered again a while later.
                again = answered_at and time.time() - answered_at > REANSWER_SECONDS
                if (answered_at is None or again) and self.answer(sfn, web, kind, outcome.arn, state):
                    outcome.answers += 1
                    answered_at = time.time()
                time.sleep(self.poll)
            outcome.status = described["status"]
            outcome.error, outcome.cause = described.get("error"), described.get("cause")
        except Exception as exc:  # a driver error is reported with the execution, not lost
            outcome.problem = f"{type(exc).__name__}: {exc}"
        with self.lock:
            self.finished += 1
        return outcome


# ---- faults -----------------------------------------------------------------------------------------


class Faults:
    """Runs the faults as the soak passes thresholds of finished executions."""

    def __init__(self, found: Cluster, driver: Driver, total: int) -> None:
        self.cluster, self.driver, self.total = found, driver, total
        self.report: dict = {}
        self.thread = threading.Thread(target=self._main, name="soak-faults", daemon=True)
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def _wait_for(self, fraction: float) -> bool:
        while self.driver.finished < fraction * self.total:
            if self.stopping.wait(0.05):
                return False
        return True

    def _main(self) -> None:
        try:
            if self._wait_for(0.2):
                self.report["runner_killed"] = self.kill_a_runner()
            if self._wait_for(0.45):
                self.report["redis_restarted"] = self.restart_redis()
            if self._wait_for(0.7):
                self.report["database_connections_terminated"] = self.terminate_connections()
        except BaseException as exc:
            self.error = exc

    def held(self) -> dict[str, list[int]]:
        """RUNNING executions by lease owner's pid."""
        with psycopg.connect(sql_url(self.cluster.database)) as db:
            rows = db.execute(
                "SELECT lease_owner, id FROM executions_execution "
                "WHERE status = 'RUNNING' AND lease_owner <> ''"
            ).fetchall()
        found: dict[str, list[int]] = {}
        for owner, pk in rows:
            found.setdefault(owner.split(":")[1], []).append(pk)
        return found

    def kill_a_runner(self) -> dict:
        """SIGKILL the runner holding the most executions; time until another runner holds each
        of them (or it ended); then start a runner in its place."""
        held = self.held()
        alive = {str(pid): pid for pid in self.cluster.runner_pids()}
        pid = max(alive, key=lambda p: len(held.get(p, [])))
        victims = held.get(pid, [])
        os.kill(alive[pid], signal.SIGKILL)
        killed = time.time()
        pending = set(victims)
        with psycopg.connect(sql_url(self.cluster.database), autocommit=True) as db:
            while pending and time.time() - killed < 10 * self.cluster.lease + 30:
                rows = db.execute(
                    "SELECT id, status, lease_owner FROM executions_execution WHERE id = ANY(%s)",
                    (list(pending),),
                ).fetchall()
                pending -= {
                    pk
                    for pk, status, owner in rows
                    if status != "RUNNING" or (owner and f":{pid}:" not in owner)
                }
                time.sleep(0.05)
        takeover = time.time() - killed
        self.cluster.runners.start()
        return {
            "pid": int(pid),
            "executions_held": len(victims),
            "not_taken_over": len(pending),
            "takeover_seconds": round(takeover, 2),
            "lease_seconds": self.cluster.lease,
            "scan_seconds": self.cluster.scan,
        }

    def restart_redis(self) -> dict:
        self.cluster.redis.stop()
        down = time.time()
        time.sleep(1.0)
        self.cluster.redis.start()
        return {"down_seconds": round(time.time() - down, 2)}

    def terminate_connections(self) -> dict:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            (count,) = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.cluster.database,),
            ).fetchone()
        return {"terminated": count}


# ---- checks -------------------------------------------------------------------------------------------


def check_outcome(sfn, outcome: Outcome) -> list[str]:
    kind = outcome.kind
    where = f"execution {outcome.index} ({kind.name}, {outcome.arn})"
    if outcome.problem:
        return [f"{where}: {outcome.problem}"]
    problems = []
    if outcome.status != kind.status or (kind.error and outcome.error != kind.error):
        problems.append(
            f"{where}: {outcome.status} {outcome.error or ''} {outcome.cause or ''}, "
            f"expected {kind.status} {kind.error or ''}"
        )
    events = history(sfn, outcome.arn)
    ids = [e["id"] for e in events]
    if ids != list(range(1, len(ids) + 1)):
        problems.append(f"{where}: history ids are not 1..{len(ids)}: {ids}")
    types = Counter(e["type"] for e in events)
    terminal = {"SUCCEEDED": "ExecutionSucceeded", "FAILED": "ExecutionFailed"}.get(kind.status)
    if types["ExecutionStarted"] != 1 or not events or events[-1]["type"] != terminal or types[terminal] != 1:
        problems.append(f"{where}: history not whole: {[e['type'] for e in events[:1] + events[-1:]]}")
    entered = {e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e}
    if kind.entered and kind.entered not in entered:
        problems.append(f"{where}: never entered {kind.entered}")
    if kind.failed_attempts is not None and types["LambdaFunctionFailed"] != kind.failed_attempts:
        problems.append(
            f"{where}: {types['LambdaFunctionFailed']} failed attempts, expected {kind.failed_attempts}"
        )
    return problems


def checked(sfn, outcome: Outcome) -> list[str]:
    try:
        return check_outcome(sfn, outcome)
    except Exception as exc:
        return [f"execution {outcome.index} ({outcome.arn}) could not be checked: {exc!r}"]


def check_nothing_held(database: str) -> list[str]:
    """No lease, no pending task token, no duplicate event, no row lock, no open transaction."""
    problems = []
    with psycopg.connect(sql_url(database), autocommit=True) as db:
        queries = {
            "executions still RUNNING": "SELECT count(*) FROM executions_execution WHERE status = 'RUNNING'",
            "leases left": "SELECT count(*) FROM executions_execution WHERE lease_owner <> ''",
            "task tokens left pending": "SELECT count(*) FROM executions_tasktoken WHERE status = 'PENDING'",
            "duplicate history events": "SELECT count(*) FROM (SELECT 1 FROM executions_historyevent "
            "GROUP BY execution_id, event_id HAVING count(*) > 1) d",
            "sessions idle in a transaction": "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND state LIKE 'idle in transaction%%'",
        }
        for what, query in queries.items():
            if count := db.execute(query).fetchone()[0]:
                problems.append(f"{count} {what}")
        for table in ("executions_execution", "executions_tasktoken"):
            try:
                with db.transaction():
                    db.execute(f"SELECT id FROM {table} FOR UPDATE NOWAIT").fetchall()
            except psycopg.errors.LockNotAvailable:
                problems.append(f"a row of {table} is still locked")
    return problems


# ---- the soak --------------------------------------------------------------------------------------


def soak(var: Path, count: int, *, clients: int = 16, faults: bool = True, lease: float = 3.0,
         scan: float = 0.5, timeout: float = 300.0) -> dict:  # fmt: skip
    """Run ``count`` executions with the faults; the report (``problems`` empty when all held)."""
    with cluster(var, lease=lease, scan=scan) as found:
        driver = Driver(found, timeout=timeout)
        injector = Faults(found, driver, count)
        started = time.perf_counter()
        if faults:
            injector.thread.start()
        with ThreadPoolExecutor(clients) as pool:
            outcomes = list(pool.map(driver.run, range(count)))
        elapsed = time.perf_counter() - started
        injector.stopping.set()
        if faults:
            injector.thread.join(60)
        sfn = found.client(0)
        problems = [p for outcome in outcomes for p in checked(sfn, outcome)]
        problems += check_nothing_held(found.database)
        if injector.error is not None:
            problems.append(f"a fault failed: {injector.error!r}")
        runners_alive = len(found.runner_pids())
        if runners_alive != len(found.runners.procs) - (1 if faults else 0):
            problems.append(f"runner processes died: {runners_alive} of {len(found.runners.procs)} alive")
    by_kind: dict[str, Counter] = {}
    for outcome in outcomes:
        by_kind.setdefault(outcome.kind.name, Counter())[outcome.status or "none"] += 1
    return {
        "executions": count,
        "seconds": round(elapsed, 1),
        "executions_per_second": round(count / elapsed, 2),
        "by_kind": {name: dict(statuses) for name, statuses in sorted(by_kind.items())},
        "faults": injector.report,
        # Steps answered more than once: the first answer was refused (or cut) by a fault.
        "answered_again": sum(max(0, outcome.answers - 1) for outcome in outcomes),
        "problems": problems,
    }
