"""Leases: two app processes on one database never advance the same execution, and when one
dies the other takes over what it was running once its leases expire."""

import json
import sqlite3
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import default_account
from executions.effects import stored_events, stored_histories
from executions.models import Execution, HistoryEvent
from executions.services import executions, leases, machines
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


def pass_machine(account: str, name: str, kind: str):
    return machines.create_state_machine(
        region="us-east-1", account=account, name=name, definition=PASS, role_arn=ROLE, type=kind
    )[0]


@pytest.mark.django_db
def test_executions_a_start_is_claimed_as_it_is_inserted():
    """The process that accepts a start runs it: its runner's lease is taken in the insert, so
    no claim follows and no other runner's scan races for it (standard and express alike)."""
    account = default_account().pk
    for kind in ("STANDARD", "EXPRESS"):
        machine = pass_machine(account, f"claimed-{kind}", kind)
        execution, _ = executions.start_execution(machine.arn, account, lease=("host:1:abc", 10.0))
        execution.refresh_from_db()
        assert execution.lease_owner == "host:1:abc"
        assert 9 <= (execution.lease_expires_at - execution.started_at).total_seconds() <= 10
    unclaimed, _ = executions.start_execution(machine.arn, account)
    unclaimed.refresh_from_db()
    assert (unclaimed.lease_owner, unclaimed.lease_expires_at) == ("", None)


@pytest.mark.django_db
def test_executions_an_express_run_whose_runner_died_fails_with_why():
    """Express executions run at most once (developer guide, "Choosing workflow type": Express
    is at-most-once): one whose runner's lease expired is not run again by another runner, and
    is failed with the reason instead of showing RUNNING for ever. A standard one is left to be
    taken over; a live lease, or the asking runner's own, is left alone."""
    account = default_account().pk
    past, future = timezone.now() - timedelta(seconds=30), timezone.now() + timedelta(seconds=30)
    runs = {}
    for label, kind, owner, until in (
        ("stranded", "EXPRESS", "dead:1:aa", past),
        ("standard", "STANDARD", "dead:1:aa", past),
        ("live", "EXPRESS", "other:2:bb", future),
        ("own", "EXPRESS", "me:3:cc", past),
    ):
        machine = pass_machine(account, f"lost-{label}", kind)
        runs[label], _ = executions.start_execution(machine.arn, account)
        Execution.objects.filter(pk=runs[label].pk).update(lease_owner=owner, lease_expires_at=until)
    assert executions.fail_stranded_express("me:3:cc") == [runs["stranded"].pk]
    failed = Execution.objects.get(pk=runs["stranded"].pk)
    assert (failed.status, failed.error) == ("FAILED", "States.Runtime")
    assert "run at most once" in failed.cause
    assert [e.type for e in failed.events.all()] == ["ExecutionFailed"]
    for label in ("standard", "live", "own"):
        assert Execution.objects.get(pk=runs[label].pk).status == "RUNNING"


@pytest.mark.django_db
def test_executions_a_renewal_extends_what_is_held_and_names_what_is_lost():
    """A runner renews every lease it holds in one scan, however many: past a backend's cap on
    a statement's parameters (PostgreSQL's 65,535; SQLite's 32,766 or 250,000) the renewal failed,
    and every lease of that runner lapsed. The ids are one parameter (symphony/db/lookups.py)."""
    account = default_account().pk
    soon = timezone.now() + timedelta(seconds=1)
    runs = {}
    for label, owner, status in (
        ("mine", "me:1:aa", "RUNNING"),
        ("theirs", "other:2:bb", "RUNNING"),
        ("ended", "me:1:aa", "SUCCEEDED"),
    ):
        runs[label], _ = executions.start_execution(
            pass_machine(account, f"renew-{label}", "STANDARD").arn, account
        )
        Execution.objects.filter(pk=runs[label].pk).update(
            lease_owner=owner, lease_expires_at=soon, status=status
        )
    gone = list(range(10**9, 10**9 + 300_000))  # held by runs that ended meanwhile
    held = [runs[label].pk for label in ("mine", "theirs", "ended")] + gone

    lost = leases.renew_leases("me:1:aa", held, 60)

    assert set(lost) == {runs["theirs"].pk, runs["ended"].pk, *gone}
    assert Execution.objects.get(pk=runs["mine"].pk).lease_expires_at > timezone.now() + timedelta(seconds=50)
    for label in ("theirs", "ended"):  # not held: left as they were
        assert Execution.objects.get(pk=runs[label].pk).lease_expires_at == soon
    assert leases.renew_leases("me:1:aa", [], 60) == []


@pytest.mark.django_db
def test_executions_only_leases_ending_soon_are_rewritten():
    """A renewal rewrites the leases that end within ``due`` seconds and leaves the others as
    they are (still held: none is named lost). Every scan rewrote every lease: 10,000 rows a
    second for a runner holding 10,000 waiting executions."""
    account = default_account().pk
    now = timezone.now()
    runs = {}
    for label, until in (("ending", now + timedelta(seconds=2)), ("fresh", now + timedelta(seconds=9))):
        runs[label], _ = executions.start_execution(
            pass_machine(account, f"due-{label}", "STANDARD").arn, account
        )
        Execution.objects.filter(pk=runs[label].pk).update(lease_owner="me:1:aa", lease_expires_at=until)

    assert leases.renew_leases("me:1:aa", [run.pk for run in runs.values()], 10, due=5) == []

    assert Execution.objects.get(pk=runs["ending"].pk).lease_expires_at >= now + timedelta(seconds=10)
    assert Execution.objects.get(pk=runs["fresh"].pk).lease_expires_at == now + timedelta(seconds=9)


def test_executions_a_dead_runners_executions_are_all_taken_over_in_one_scan(tmp_path):
    """A runner killed while holding more executions than one claim takes has them all taken
    over at the next scan, not a batch per scan: 10,000 took 100 scans (about 100 s at the
    default scan of 1 s). The survivor here scans once an hour, so only its first scan can."""
    server = make_server(tmp_path, SYMPHONY_SCAN_SECONDS="3600")
    orphans = 450  # beyond two claims' batches
    server.manage(
        "shell",
        "-c",
        "from datetime import timedelta; from django.utils import timezone; "
        "from accounts.services import default_account; from executions.models import Execution; "
        "from executions.services import executions, machines; "
        "account = default_account().pk; "
        "machine = machines.create_state_machine(region='us-east-1', account=account, name='orphans', "
        f"definition={PASS!r}, role_arn={ROLE!r})[0]; "
        f"[executions.start_execution(machine.arn, account) for _ in range({orphans})]; "
        "Execution.objects.update(lease_owner='dead:1:aa', "
        "lease_expires_at=timezone.now() - timedelta(seconds=30))",
    )
    database = sqlite3.connect(tmp_path / "symphony.sqlite3")
    server.start()
    try:
        deadline = time.time() + 60
        while (ended := count_succeeded(database)) < orphans:
            assert time.time() < deadline, f"{ended} of {orphans} taken over and run"
            time.sleep(0.1)
        holders = database.execute("SELECT DISTINCT lease_owner FROM executions_execution").fetchall()
        assert holders == [("",)]  # each run ended and let its lease go
    finally:
        server.stop()
        database.close()


def count_succeeded(database: sqlite3.Connection) -> int:
    query = "SELECT count(*) FROM executions_execution WHERE status = 'SUCCEEDED'"
    return database.execute(query).fetchone()[0]


@pytest.mark.django_db
def test_executions_a_claimed_batchs_histories_are_read_as_each_alone():
    """A batch of executions taken over has its short histories read in one query: each the
    same events, in the same order and form, as its own read gives."""
    account = default_account().pk
    machine = pass_machine(account, "histories", "STANDARD")
    runs = [executions.start_execution(machine.arn, account)[0] for _ in range(3)]
    stamp = timezone.now()
    for run, count in zip(runs, (3, 1, 0), strict=True):
        for event_id in range(count, 0, -1):  # written out of order: read back in order
            HistoryEvent.objects.create(
                execution=run,
                event_id=event_id,
                previous_event_id=event_id - 1,
                type="PassStateEntered",
                timestamp=stamp + timedelta(seconds=event_id),
                details={"stateEnteredEventDetails": {"name": f"S{event_id}"}},
            )

    together = stored_histories([run.pk for run in runs])

    assert together == {run.pk: stored_events(run.pk) for run in runs}
    assert [e["id"] for e in together[runs[0].pk]] == [1, 2, 3]
    assert together[runs[2].pk] == []
